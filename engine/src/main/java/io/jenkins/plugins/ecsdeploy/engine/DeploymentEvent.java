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
     * 2024-10-25: a failure with reason MISSING, docs/engine.md "Revision details") are listed in {@code notDescribed} and stay
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

    /**
     * The deployment's own traffic plan, from its deploymentConfiguration at the first observation (right after
     * {@code Observed} and {@code RevisionsDescribed}): the canary percent or linear step percent, the bake after each
     * step and the final bake (null = not set). With the strategy this gives the plan's steps
     * ({@link Planner#trafficSteps}), which the snapshot's {@code plan} and {@link StepProgress} use to say "canary
     * 1/2 · 10 % · bake 3m left". Not emitted for ROLLING (no traffic steps).
     */
    record PlanObserved(Instant at, String strategy, Double stepPercent, Integer stepBakeMinutes, Integer bakeMinutes)
            implements DeploymentEvent {
        public String describe() {
            StringBuilder b = new StringBuilder("plan: ").append(strategy);
            if (stepPercent != null) {
                b.append(" ").append(TrafficChanged.fmt(stepPercent)).append(" per step");
            }
            if (stepBakeMinutes != null) {
                b.append(", ").append(stepBakeMinutes).append(" min after each step");
            }
            if (bakeMinutes != null) {
                b.append(", final bake ").append(bakeMinutes).append(" min");
            }
            return b.toString();
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
        static String fmt(Double d) { return d == null ? "?" : (d == Math.rint(d) ? String.valueOf(d.intValue()) : String.valueOf(d)) + "%"; }
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
        public String describe() {
            // milliseconds at most, as everywhere in the snapshot (docs/snapshot-schema.md "Timestamps")
            return "gate at " + stage + " awaiting a decision (hook " + hookId + ", expires "
                    + io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson.iso(expiresAt) + ")";
        }
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

    // ---- automated canary analysis at a gate (engine.analysis, docs/analysis.md); events the engine itself makes ----

    /** The analysis began measuring at a gate it owns ({@code measurements} every {@code intervalSeconds}). */
    record AnalysisStarted(Instant at, String stage, String hookId, String name, int measurements, int intervalSeconds,
                           boolean dryRun) implements DeploymentEvent {
        public String describe() {
            return "analysis " + name + " at " + stage + ": " + measurements + " measurement(s), one every "
                    + intervalSeconds + " s" + (dryRun ? " (dry run: reports, decides nothing)" : "");
        }
    }

    /**
     * One metric of one measurement: green's and blue's values and sample counts (null = no data), the condition and
     * the limit it gave (for a condition relative to blue: the factor times blue's value), the verdict (PASS, FAIL,
     * INCONCLUSIVE) and why, when not judged. A nested value, not an event.
     */
    record AnalysisValue(String metric, Double green, Double blue, Double greenSamples, Double blueSamples,
                         String condition, Double limit, String verdict, String note) {
        public String describe() {
            StringBuilder b = new StringBuilder(metric).append(": green ").append(num(green)).append(" vs blue ")
                    .append(num(blue)).append(", limit ").append(condition);
            if (condition != null && condition.endsWith("blue") && limit != null) {
                b.append(" = ").append(num(limit));
            }
            b.append(" → ").append(verdict);
            if (note != null) {
                b.append(" (").append(note).append(")");
            }
            return b.toString();
        }

        /** A number for people: no exponent, at most 4 decimals; "no data" for null. */
        public static String num(Double d) {
            if (d == null) {
                return "no data";
            }
            double a = Math.abs(d);
            java.math.BigDecimal v = java.math.BigDecimal.valueOf(d).setScale(a >= 100 ? 1 : a >= 1 ? 3 : 4,
                    java.math.RoundingMode.HALF_UP).stripTrailingZeros();
            return v.scale() < 0 ? v.setScale(0).toPlainString() : v.toPlainString();
        }
    }

    /** One measurement at an analysis gate: the window it covered and each metric's values and verdict. */
    record AnalysisMeasured(Instant at, String stage, String hookId, int index, int of, Instant windowStart,
                            Instant windowEnd, String verdict, List<AnalysisValue> values) implements DeploymentEvent {
        public AnalysisMeasured {
            values = values == null ? List.of() : List.copyOf(values);
        }
        public String describe() {
            StringBuilder b = new StringBuilder("analysis at ").append(stage).append(", measurement ").append(index)
                    .append("/").append(of).append(": ").append(verdict);
            for (AnalysisValue v : values) {
                b.append("; ").append(v.describe());
            }
            return b.toString();
        }
    }

    /**
     * The analysis at a gate concluded: verdict PASS, FAIL or INCONCLUSIVE (SKIPPED: green served no traffic to
     * measure), and what it does — CONTINUE, ROLLBACK or ASK (a person decides); in a dry run what it would have done,
     * nothing being done. {@code reason} names the failing metric with both values and the limit.
     */
    record AnalysisConcluded(Instant at, String stage, String hookId, String verdict, String action, boolean dryRun,
                             String reason) implements DeploymentEvent {
        public String describe() {
            String what = switch (action == null ? "" : action) {
                case "CONTINUE" -> dryRun ? "would have continued" : "continues";
                case "ROLLBACK" -> dryRun ? "would have rolled back" : "rolls back";
                case "ASK" -> dryRun ? "would have asked a person" : "asks a person";
                default -> String.valueOf(action);
            };
            return "analysis at " + stage + " " + verdict + (dryRun ? " (dry run)" : "") + ": " + what
                    + (reason == null ? "" : ": " + reason);
        }
    }
}
