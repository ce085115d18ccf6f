package io.jenkins.plugins.ecsdeploy.engine.analysis;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;

/**
 * An automated canary analysis: the metrics to compare green with blue, how often and how many times to measure at each
 * gate, how many failed and inconclusive measurements are tolerated, what an inconclusive result does, and whether it
 * only reports (dry run). Immutable; JSON through {@link AnalysisJson}; checked by {@link AnalysisValidator} before any
 * AWS call. docs/analysis.md.
 *
 * <ul>
 *   <li>{@code stages}: the gates it owns; empty = {@link #defaultStages}: every PRE_PRODUCTION_TRAFFIC_SHIFT step of
 *       CANARY and LINEAR, POST_TEST_TRAFFIC_SHIFT (test traffic) for BLUE_GREEN;</li>
 *   <li>{@code intervalSeconds}: time between measurements, a multiple of 60 (default 60); each measurement covers the
 *       last period of each metric (its own {@code periodSeconds}, else the interval);</li>
 *   <li>{@code measurements}: how many per gate (default 3); {@code failureLimit}: failed measurements tolerated
 *       (default 0: the first failure rolls back); {@code inconclusiveLimit}: inconclusive ones tolerated (default 0);</li>
 *   <li>{@code delaySeconds}: how long after a window closes it is queried (default 60: ALB metrics reach CloudWatch
 *       about a minute after the minute they describe);</li>
 *   <li>{@code humanTimeoutMinutes}: how long an inconclusive gate waits for a person (default 60), after which ECS rolls
 *       the deployment back (the PAUSE hook's timeout action).</li>
 * </ul>
 */
public record AnalysisDefinition(String name, List<AnalysisMetric> metrics, List<String> stages, int intervalSeconds,
                                 int measurements, int failureLimit, int inconclusiveLimit,
                                 InconclusiveAction onInconclusive, boolean dryRun, int delaySeconds,
                                 int humanTimeoutMinutes) {
    public static final int DEFAULT_INTERVAL_SECONDS = 60;
    public static final int DEFAULT_MEASUREMENTS = 3;
    public static final int DEFAULT_DELAY_SECONDS = 60;
    public static final int DEFAULT_HUMAN_TIMEOUT_MINUTES = 60;

    public AnalysisDefinition {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        stages = stages == null ? List.of() : List.copyOf(stages);
        if (onInconclusive == null) {
            onInconclusive = InconclusiveAction.ASK;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().name(name).stages(stages).intervalSeconds(intervalSeconds).measurements(measurements)
                .failureLimit(failureLimit).inconclusiveLimit(inconclusiveLimit).onInconclusive(onInconclusive)
                .dryRun(dryRun).delaySeconds(delaySeconds).humanTimeoutMinutes(humanTimeoutMinutes);
        b.metrics.addAll(metrics);
        return b;
    }

    /** The stages where this analysis runs for {@code strategy} (ECS's name: CANARY, LINEAR, BLUE_GREEN). */
    public List<String> stagesFor(String strategy) {
        return stages.isEmpty() ? defaultStages(strategy) : stages;
    }

    /** PRE_PRODUCTION_TRAFFIC_SHIFT for CANARY/LINEAR (every step), POST_TEST_TRAFFIC_SHIFT for BLUE_GREEN. */
    public static List<String> defaultStages(String strategy) {
        if ("BLUE_GREEN".equals(strategy)) {
            return List.of("POST_TEST_TRAFFIC_SHIFT");
        }
        return List.of("PRE_PRODUCTION_TRAFFIC_SHIFT");
    }

    /**
     * Minutes ECS holds a gate for the measuring alone: the wait for the first whole minute, the measurements, the delay
     * before the last window is read and a minute to spare, rounded up (PAUSE hook timeouts are whole minutes).
     */
    @JsonIgnore
    public int measuringMinutes() {
        long seconds = 60L + (long) measurements * intervalSeconds + delaySeconds + 60L;
        return (int) Math.max(1, (seconds + 59) / 60);
    }

    /**
     * The PAUSE hook's timeout at each of its gates: the measuring time, plus the time a person has for an inconclusive
     * result (never in a dry run: ECS itself continues a dry run's gate when the measuring time is over).
     */
    @JsonIgnore
    public int gateTimeoutMinutes() {
        return dryRun ? measuringMinutes() : measuringMinutes() + humanTimeoutMinutes;
    }

    public static final class Builder {
        private String name = "analysis";
        private final List<AnalysisMetric> metrics = new ArrayList<>();
        private final List<String> stages = new ArrayList<>();
        private int intervalSeconds = DEFAULT_INTERVAL_SECONDS;
        private int measurements = DEFAULT_MEASUREMENTS;
        private int failureLimit;
        private int inconclusiveLimit;
        private InconclusiveAction onInconclusive = InconclusiveAction.ASK;
        private boolean dryRun;
        private int delaySeconds = DEFAULT_DELAY_SECONDS;
        private int humanTimeoutMinutes = DEFAULT_HUMAN_TIMEOUT_MINUTES;

        public Builder name(String v) { name = v; return this; }
        public Builder metric(AnalysisMetric m) { metrics.add(m); return this; }
        public Builder metrics(List<AnalysisMetric> v) { metrics.clear(); if (v != null) metrics.addAll(v); return this; }
        public Builder stages(List<String> v) { stages.clear(); if (v != null) stages.addAll(v); return this; }
        public Builder intervalSeconds(int v) { intervalSeconds = v; return this; }
        public Builder measurements(int v) { measurements = v; return this; }
        public Builder failureLimit(int v) { failureLimit = v; return this; }
        public Builder inconclusiveLimit(int v) { inconclusiveLimit = v; return this; }
        public Builder onInconclusive(InconclusiveAction v) { onInconclusive = v; return this; }
        public Builder dryRun(boolean v) { dryRun = v; return this; }
        public Builder delaySeconds(int v) { delaySeconds = v; return this; }
        public Builder humanTimeoutMinutes(int v) { humanTimeoutMinutes = v; return this; }

        public AnalysisDefinition build() {
            return new AnalysisDefinition(name, metrics, stages, intervalSeconds, measurements, failureLimit,
                    inconclusiveLimit, onInconclusive, dryRun, delaySeconds, humanTimeoutMinutes);
        }
    }
}
