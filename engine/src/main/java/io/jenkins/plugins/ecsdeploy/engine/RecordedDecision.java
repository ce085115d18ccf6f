package io.jenkins.plugins.ecsdeploy.engine;

import java.time.Instant;

/**
 * A decision about a deployment as it is kept on the ECS service for every process to read (docs/engine.md
 * "Decisions on the service"): a gate decided ({@code hookId} set, {@code action} CONTINUE or ROLLBACK) or a manual
 * roll-back ({@code hookId} null, {@code action} ROLLBACK). {@code comment} may have been shortened to fit the tag
 * ({@code truncated}); {@code by} and {@code comment} are untrusted text: show them through {@link SafeText}.
 */
public record RecordedDecision(String deploymentArn, String hookId, String action, String by, Instant at,
                               String comment, boolean truncated) {
    /** One line, e.g. {@code CONTINUE by alice at 2026-12-02T18:00:00Z: looks good}. Sanitised. */
    public String describe() {
        return action + " by " + SafeText.line(by, 100) + " at " + at
                + (comment == null || comment.isEmpty() ? "" : ": " + SafeText.line(comment) + (truncated ? " (shortened)" : ""));
    }
}
