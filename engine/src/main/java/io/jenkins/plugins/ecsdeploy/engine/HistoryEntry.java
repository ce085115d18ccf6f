package io.jenkins.plugins.ecsdeploy.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One past (or running) deployment of a service, for {@code ecs-deploy history} and "Redeploy this revision": when,
 * how it ended, which revision it deployed (service revision, task definition, images) and who decided its gates
 * (the decisions the engine keeps on the service, {@link RecordedDecision}). From ListServiceDeployments,
 * DescribeServiceDeployments, DescribeServiceRevisions and one ListTagsForResource (docs/engine.md "History").
 *
 * @param status          ECS's ServiceDeploymentStatus (SUCCESSFUL, ROLLBACK_SUCCESSFUL, IN_PROGRESS, …)
 * @param revisionArn     the service revision it deployed (its target); null when ECS did not say
 * @param taskDefinition  that revision's task definition ARN; null when it could not be described
 * @param images          container name to image of that revision; empty when not described
 * @param rolledBackTo    the service revision a rollback returned to; null without a rollback
 */
public record HistoryEntry(String deploymentArn, String status, String statusReason, Instant createdAt,
                           Instant finishedAt, String strategy, String revisionArn, String taskDefinition,
                           Map<String, String> images, String rolledBackTo, List<RecordedDecision> decisions) {
    public HistoryEntry {
        images = images == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(images));
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    /** "web:42" ({@link RevisionNames#familyRevision}), else the revision ARN's last part. */
    public String revisionName() {
        if (taskDefinition != null) {
            return RevisionNames.familyRevision(taskDefinition);
        }
        return revisionArn == null ? "?" : revisionArn.substring(revisionArn.lastIndexOf('/') + 1);
    }

    /** The outcome in a word or two: "succeeded", "rolled back", "rollback failed", "stopped", "in progress", … */
    public String outcomeWords() {
        return switch (status == null ? "" : status) {
            case "SUCCESSFUL" -> "succeeded";
            case "ROLLBACK_SUCCESSFUL" -> "rolled back";
            case "ROLLBACK_FAILED" -> "rollback failed";
            case "STOPPED" -> "stopped";
            case "PENDING", "IN_PROGRESS" -> "in progress";
            case "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS" -> "rolling back";
            case "STOP_REQUESTED" -> "stopping";
            default -> status == null ? "unknown" : status;
        };
    }

    /** Who decided, in one short text: "approved by alice; rolled back by bob", or "" when nobody did. */
    public String decidedBy() {
        StringBuilder b = new StringBuilder();
        for (RecordedDecision d : decisions) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(d.hookId() == null ? "rolled back now" : "CONTINUE".equals(d.action()) ? "approved" : "rolled back")
                    .append(" by ").append(SafeText.line(d.by(), 100));
        }
        return b.toString();
    }
}
