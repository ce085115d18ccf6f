package io.jenkins.plugins.ecsdeploy.engine;

import java.io.Serializable;

/** A decision on a gate: CONTINUE or ROLLBACK, who decided and why (for the audit trail). */
public record GateDecision(HookAction action, String decidedBy, String comment) implements Serializable {
    private static final long serialVersionUID = 1L;
}
