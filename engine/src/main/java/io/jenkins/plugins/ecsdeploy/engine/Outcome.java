package io.jenkins.plugins.ecsdeploy.engine;

import java.io.Serializable;

/**
 * The end of a deployment. cause is null unless kind is ROLLED_BACK or ROLLBACK_FAILED; decidedBy names the
 * person for gate rejections and manual rollbacks (null otherwise or when unknown).
 */
public record Outcome(OutcomeKind kind, RollbackCause cause, String reason, String decidedBy) implements Serializable {
    private static final long serialVersionUID = 1L;

    public boolean succeeded() {
        return kind == OutcomeKind.SUCCEEDED;
    }

    /** One line for logs, e.g. {@code ROLLED_BACK: gate at POST_TEST_TRAFFIC_SHIFT rejected by alice}. */
    public String describe() {
        StringBuilder s = new StringBuilder(kind.name());
        if (reason != null && !reason.isBlank()) {
            s.append(": ").append(reason);
        } else if (cause != null) {
            s.append(": ").append(cause.name());
        }
        return s.toString();
    }

    public static Outcome succeeded(String reason) {
        return new Outcome(OutcomeKind.SUCCEEDED, null, reason, null);
    }

    public static Outcome failed(String reason) {
        return new Outcome(OutcomeKind.FAILED, null, reason, null);
    }
}
