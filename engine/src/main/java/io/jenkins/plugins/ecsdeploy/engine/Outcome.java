package io.jenkins.plugins.ecsdeploy.engine;

import java.io.Serializable;

/**
 * The end of a deployment. cause is null unless kind is ROLLED_BACK or ROLLBACK_FAILED; decidedBy names the
 * person for gate rejections and manual rollbacks (null otherwise or when unknown). {@link #plainWords()} and
 * {@link #warning()} are the texts every front end shows (docs/engine.md "7. Outcomes").
 */
public record Outcome(OutcomeKind kind, RollbackCause cause, String reason, String decidedBy) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The warning that goes with {@link RollbackCause#NO_EARLIER_REVISION}: a failed first deployment can leave the
     * production listener's weights on the new revision's target group, which has no healthy task (a published
     * walkthrough found the empty target group at weight 100 after "No rollback candidate was found").
     */
    public static final String EMPTY_TARGET_GROUP_WARNING = "ECS had nothing to roll back to, so the load balancer's "
            + "listener may still send traffic to the new revision's target group, which has no healthy tasks: check the "
            + "listener rule's weights, fix the cause and deploy again.";

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

    /**
     * The outcome in plain words for people, e.g. "Rolled back because a gate was rejected: gate at
     * POST_TEST_TRAFFIC_SHIFT rejected by alice".
     */
    public String plainWords() {
        StringBuilder s = new StringBuilder();
        boolean named = cause != null && cause != RollbackCause.UNKNOWN;
        switch (kind) {
            case SUCCEEDED -> s.append("Deployed");
            case ROLLED_BACK -> s.append(named ? "Rolled back because " + cause.plainWords() : "Rolled back");
            case ROLLBACK_FAILED -> s.append(cause == RollbackCause.NO_EARLIER_REVISION ? "Failed, and could not roll back"
                    : named ? "The rollback failed (it started because " + cause.plainWords() + ")" : "The rollback failed");
            case STOPPED -> s.append("Stopped");
            case FAILED -> s.append("Failed");
        }
        if (reason != null && !reason.isBlank()) {
            s.append(": ").append(reason);
        }
        return s.toString();
    }

    /** What the user must look at now, or null: e.g. the listener left on an empty target group. */
    public String warning() {
        return cause == RollbackCause.NO_EARLIER_REVISION ? EMPTY_TARGET_GROUP_WARNING : null;
    }

    public static Outcome succeeded(String reason) {
        return new Outcome(OutcomeKind.SUCCEEDED, null, reason, null);
    }

    public static Outcome failed(String reason) {
        return new Outcome(OutcomeKind.FAILED, null, reason, null);
    }
}
