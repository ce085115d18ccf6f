package io.jenkins.plugins.ecsdeploy.engine.cutover;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a DNS cutover will do, without calling AWS: its steps with green's and blue's weights, the wait after each
 * (one TTL at least, the bake when longer), the gates, the health check, the minimum duration the TTL imposes, and
 * how a rollback ends. Printable like a deployment's plan ({@code toText()}, {@code toJson()}).
 *
 * @param minimumDurationSeconds the waits alone (TTL and bakes): Route 53 propagation (generally within 60 s a
 *        change, "Editing records", Route 53 Developer Guide), health checks and gates add to it
 */
public record CutoverPlan(String strategy, String record, String recordType, String hostedZoneId, String blue, String green,
                          String blueSetIdentifier, String greenSetIdentifier, int cacheSeconds, List<Step> steps,
                          String gate, String healthCheck, int minimumDurationSeconds, String rollback, String capacity,
                          String deployGreen) {
    /** What Route 53 says about propagation: "generally within 60 seconds" (Editing records, Route 53 Developer Guide). */
    public static final int ROUTE53_PROPAGATION_SECONDS = 60;

    /**
     * One shift: green's and blue's weights (of 100), whether green's health is checked first, the wait after the
     * change is INSYNC (seconds; {@code waitReason} says why: TTL, bake) and whether a gate follows.
     */
    public record Step(int index, int greenPercent, int bluePercent, boolean healthCheckBefore, int waitAfterSeconds,
                       String waitReason, boolean gateAfter) {}

    public CutoverPlan {
        steps = List.copyOf(steps);
    }

    /** The plan of a (valid) request. */
    public static CutoverPlan of(DnsCutoverRequest r) {
        int cache = r.cacheSeconds();
        int bake = r.effectiveBakeMinutes() * 60;
        List<Integer> pct = r.effectiveSteps();
        List<Step> steps = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < pct.size(); i++) {
            boolean last = i == pct.size() - 1;
            int wait = last ? cache : Math.max(cache, bake);
            String why = last ? "TTL: until no client resolves blue any more"
                    : bake > cache ? "bake " + r.effectiveBakeMinutes() + " min" : "one TTL, so every client sees the new weights";
            steps.add(new Step(i + 1, pct.get(i), 100 - pct.get(i), r.healthCheck() != null, wait, why, !last && r.gate() != null));
            total += wait;
        }
        String capacity = "blue and green each serve at full size: keep blue's desired count until the outcome"
                + " (the last TTL has passed), so a rollback has somewhere to go";
        String rollback = "weights back to blue 100 / green 0 (green's record stays, at weight 0); clients may resolve green for"
                + " up to " + cache + " s after the rollback is INSYNC";
        return new CutoverPlan("DNS_CUTOVER", r.normalizedRecordName(), r.effectiveRecordType(), r.zoneId(),
                r.blue() == null ? null : r.blue().describe(), r.green() == null ? null : r.green().describe(),
                r.effectiveBlueSetIdentifier(), r.effectiveGreenSetIdentifier(), cache, steps,
                r.gate() == null ? null : r.gate().describe(), r.healthCheck() == null ? null : r.healthCheck().describe(),
                total, rollback, capacity, r.deployGreen() == null ? null
                        : r.deployGreen().strategy() == null ? "ROLLING" : r.deployGreen().strategy().ecsName());
    }

    @com.fasterxml.jackson.annotation.JsonProperty(value = "minimumDurationMinutes", access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public int minimumDurationMinutes() {
        return (minimumDurationSeconds + 59) / 60;
    }

    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append("Strategy: DNS_CUTOVER (Route 53 weighted records)\n");
        s.append("Record: ").append(record).append(' ').append(recordType).append(" in hosted zone ").append(hostedZoneId)
                .append(" (clients cache answers for ").append(cacheSeconds).append(" s)\n");
        s.append("Blue:  ").append(blue).append(" (set identifier '").append(blueSetIdentifier).append("')\n");
        s.append("Green: ").append(green).append(" (set identifier '").append(greenSetIdentifier).append("')\n");
        if (deployGreen != null) {
            s.append("First: deploy green (").append(deployGreen).append("); the cutover starts when that deployment succeeded\n");
        }
        s.append("Steps (green's share of DNS answers):\n");
        for (Step p : steps) {
            s.append("  step ").append(p.index()).append(": green ").append(p.greenPercent()).append("% / blue ")
                    .append(p.bluePercent()).append('%');
            if (p.healthCheckBefore()) {
                s.append(" (health check of green first)");
            }
            s.append(", wait for Route 53 INSYNC, then ").append(duration(p.waitAfterSeconds())).append(" (")
                    .append(p.waitReason()).append(')');
            if (p.gateAfter()) {
                s.append(", then gate");
            }
            s.append('\n');
        }
        s.append("Gates: ").append(gate == null ? "none" : gate + " after every step but the last").append('\n');
        s.append("Health check: ").append(healthCheck == null ? "none (nothing stops a shift to an unhealthy green)" : healthCheck).append('\n');
        s.append("Minimum duration: ").append(minimumDurationMinutes()).append(" min (").append(steps.size())
                .append(steps.size() == 1 ? " wait" : " waits").append(" of at least one TTL; Route 53 propagation, generally within ")
                .append(ROUTE53_PROPAGATION_SECONDS).append(" s a change, health checks and gates add to it)\n");
        s.append("Rollback: ").append(rollback).append('\n');
        s.append("Capacity: ").append(capacity).append('\n');
        return s.toString();
    }

    public String toJson() {
        try {
            return SnapshotJson.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String duration(int seconds) {
        if (seconds % 60 == 0 && seconds >= 60) {
            return seconds / 60 + " min";
        }
        return seconds + " s";
    }
}
