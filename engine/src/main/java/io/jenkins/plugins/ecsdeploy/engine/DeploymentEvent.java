package io.jenkins.plugins.ecsdeploy.engine;

import java.time.Instant;
import java.util.List;

/**
 * Something that happened to a followed deployment, in the order the engine saw it. {@code at} is the
 * engine clock's time of the observation (or ECS's own timestamp where ECS gives one).
 * The snapshot is the fold of these events ({@link DeploymentSnapshot#apply}).
 */
public sealed interface DeploymentEvent {
    Instant at();

    /** One line for logs. */
    String describe();

    /** First observation: which deployment, which revisions (blue = sources, green = target). */
    record Observed(Instant at, String deploymentArn, String serviceArn, String clusterArn, String strategy,
                    List<String> sourceRevisionArns, String targetRevisionArn, Instant createdAt,
                    List<String> alarmNames) implements DeploymentEvent {
        public Observed {
            sourceRevisionArns = sourceRevisionArns == null ? List.of() : List.copyOf(sourceRevisionArns);
            alarmNames = alarmNames == null ? List.of() : List.copyOf(alarmNames);
        }
        public String describe() { return "following " + deploymentArn + (strategy == null ? "" : " (" + strategy + ")"); }
    }

    /**
     * The task definition and container images of the deployment's revisions, from one DescribeServiceRevisions
     * right after the first observation ({@code Observed}). Revisions ECS could not describe (e.g. created before
     * 2024-10-25: a failure with reason MISSING, ecs-api-facts §5c) are listed in {@code notDescribed} and stay
     * without images.
     */
    record RevisionsDescribed(Instant at, List<RevisionDetails> revisions, List<String> notDescribed)
            implements DeploymentEvent {
        public RevisionsDescribed {
            revisions = revisions == null ? List.of() : List.copyOf(revisions);
            notDescribed = notDescribed == null ? List.of() : List.copyOf(notDescribed);
        }
        public String describe() {
            StringBuilder b = new StringBuilder();
            for (RevisionDetails r : revisions) {
                b.append(b.length() == 0 ? "" : "; ").append(r.side()).append(" ").append(r.taskDefinitionArn());
                if (!r.containerImages().isEmpty()) {
                    b.append(" ").append(r.containerImages());
                }
            }
            if (!notDescribed.isEmpty()) {
                b.append(b.length() == 0 ? "" : "; ").append("not described: ").append(String.join(", ", notDescribed));
            }
            return "revisions: " + b;
        }
    }

    /**
     * One service revision as DescribeServiceRevisions reports it: side ("blue" = a source revision, "green" = the
     * target), its task definition ARN, and container name to image (in the revision's order).
     */
    record RevisionDetails(String side, String revisionArn, String taskDefinitionArn,
                           java.util.Map<String, String> containerImages) {
        public RevisionDetails {
            containerImages = containerImages == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(containerImages));
        }
    }

    /** The ECS deployment status changed (PENDING, IN_PROGRESS, ROLLBACK_IN_PROGRESS, SUCCESSFUL, ...). */
    record StatusChanged(Instant at, String status, String statusReason) implements DeploymentEvent {
        public String describe() { return "status " + status + (statusReason == null ? "" : " (" + statusReason + ")"); }
    }

    record StageEntered(Instant at, String stage) implements DeploymentEvent {
        public String describe() { return "stage " + stage + " entered"; }
    }

    record StageLeft(Instant at, String stage) implements DeploymentEvent {
        public String describe() { return "stage " + stage + " left"; }
    }

    /** Requested traffic weights in percent; null = unknown. "green" is the target revision, "blue" the sources. */
    record TrafficChanged(Instant at, Double greenProductionPercent, Double greenTestPercent,
                          Double blueProductionPercent, Double blueTestPercent) implements DeploymentEvent {
        public String describe() {
            return "traffic production green " + fmt(greenProductionPercent) + " / blue " + fmt(blueProductionPercent)
                    + ", test green " + fmt(greenTestPercent);
        }
        private static String fmt(Double d) { return d == null ? "?" : (d == Math.rint(d) ? String.valueOf(d.intValue()) : String.valueOf(d)) + "%"; }
    }

    /** Task counts of one side ("blue" or "green"). */
    record TasksChanged(Instant at, String side, String revisionArn, int requested, int running, int pending)
            implements DeploymentEvent {
        public String describe() { return side + " tasks running " + running + "/" + requested + (pending > 0 ? ", pending " + pending : ""); }
    }

    /** A lifecycle hook (Lambda or PAUSE) appeared or changed status. stage = the deployment's stage when first seen. */
    record HookStatusChanged(Instant at, String stage, String hookId, String targetType, String targetArn,
                             String status, Instant expiresAt, String timeoutAction) implements DeploymentEvent {
        public String describe() {
            return (targetType == null ? "hook" : targetType) + " hook " + hookId + " at " + stage + ": " + status
                    + (targetArn == null ? "" : " (" + targetArn + ")");
        }
    }

    record AlarmTriggered(Instant at, List<String> names) implements DeploymentEvent {
        public AlarmTriggered {
            names = names == null ? List.of() : List.copyOf(names);
        }
        public String describe() { return "alarm triggered: " + String.join(", ", names); }
    }

    record CircuitBreakerTriggered(Instant at, int failureCount, int threshold) implements DeploymentEvent {
        public String describe() { return "circuit breaker triggered: " + failureCount + " failed tasks, threshold " + threshold; }
    }

    /** A PAUSE hook the engine placed awaits a decision. */
    record GateAwaiting(Instant at, String stage, String hookId, Instant expiresAt) implements DeploymentEvent {
        public String describe() { return "gate at " + stage + " awaiting a decision (hook " + hookId + ", expires " + expiresAt + ")"; }
    }

    /** A gate was decided through this engine (by = who, comment = why), or found decided by ECS (by null). */
    record GateDecided(Instant at, String stage, String hookId, HookAction action, String by, String comment)
            implements DeploymentEvent {
        public String describe() {
            return "gate at " + stage + " " + (action == HookAction.CONTINUE ? "continued" : "rolled back")
                    + (by == null ? "" : " by " + by) + (comment == null || comment.isBlank() ? "" : ": " + comment);
        }
    }

    record RollbackStarted(Instant at, RollbackCause cause, String reason) implements DeploymentEvent {
        public String describe() { return "rollback started (" + cause + ")" + (reason == null ? "" : ": " + reason); }
    }

    record Finished(Instant at, Outcome outcome) implements DeploymentEvent {
        public String describe() { return "finished " + outcome.describe(); }
    }
}
