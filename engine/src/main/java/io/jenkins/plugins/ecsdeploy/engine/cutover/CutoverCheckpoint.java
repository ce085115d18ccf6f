package io.jenkins.plugins.ecsdeploy.engine.cutover;

import java.io.Serializable;

/**
 * What a host keeps of a running cutover to resume it after a restart (Strings and numbers only, like a
 * {@link io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle}): its id, the last step whose weights were asked for, the
 * gate awaiting a decision and when it times out (epoch milliseconds, 0 = none), whether a rollback was under way
 * (its cause's name and reason), and when the wait after the step ends (0 = none).
 * The weights themselves are read again from Route 53 on resume: they are the truth (docs/cutovers.md "Restarts").
 */
public record CutoverCheckpoint(String cutoverId, int step, String gateId, long gateExpiresAtMillis, boolean rollingBack,
                                String rollbackCause, String rollbackReason, long waitUntilMillis) implements Serializable {
    private static final long serialVersionUID = 1L;
}
