package io.jenkins.plugins.ecsdeploy.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where a deployment stands in its own traffic plan, for people: "Canary 1/2 · 10 % · bake 3m 12s left · about 14 min
 * to go". Derived from the snapshot alone (the plan's steps from the deployment's configuration, green's production
 * share, the current stage and when it began), so it holds absolute times and no "now": every reader (terminal, page,
 * Jenkins) adds its own clock. The snapshot JSON carries it as the derived member {@code progress}
 * (docs/snapshot-schema.md).
 *
 * <p>Which step: the number of plan steps whose share green's production traffic has reached (ECS reports the
 * requested weights; a canary/linear step may repeat PRE_PRODUCTION_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT without
 * a poll seeing it, so counting stage visits would miss steps). Which bake: a step's bake runs in
 * PRODUCTION_TRAFFIC_SHIFT after the weights changed ({@code trafficShiftedAt}); the final bake is BAKE_TIME. The time
 * to go counts bakes only (gates, hooks and task start-up add to it), so it is "about".
 *
 * @param label            "Canary", "Step" (linear) or "Shift" (blue/green)
 * @param step             steps whose traffic share is reached (0 = no production traffic on green yet)
 * @param steps            steps in the plan
 * @param percent          green's production share at {@code step} (null at step 0)
 * @param phase            {@code BEFORE_PRODUCTION}, {@code AT_GATE}, {@code STEP_BAKE}, {@code SHIFTING},
 *                         {@code FINAL_BAKE}, {@code CLEAN_UP}, {@code ROLLING_BACK}, {@code FINISHED}
 * @param bakeEndsAt       when the bake under way ends (null: none under way)
 * @param bakeName         "bake" (a step's) or "final bake"; null without a bake under way
 * @param remainingMinutes bakes not yet begun, in minutes (after {@code bakeEndsAt} when a bake is under way)
 */
public record StepProgress(String label, int step, int steps, Double percent, String phase, Instant bakeEndsAt,
                           String bakeName, int remainingMinutes) {

    /** The plan-aware progress of {@code s}, or null when it has no traffic steps (ROLLING, or not yet observed). */
    public static StepProgress of(DeploymentSnapshot s) {
        List<PlanStep> plan = s.planSteps();
        if (plan.isEmpty()) {
            return null;
        }
        String label = switch (s.strategy() == null ? "" : s.strategy()) {
            case "CANARY" -> "Canary";
            case "LINEAR" -> "Step";
            default -> "Shift";
        };
        Double gp = s.green().productionTrafficPercent();
        int step = 0;
        if (gp != null && gp > 0) {
            for (PlanStep p : plan) {
                if (p.productionTrafficPercent() <= gp + 0.05) {
                    step = p.index();
                }
            }
        }
        Double percent = step == 0 ? null : plan.get(step - 1).productionTrafficPercent();
        if (s.finished()) {
            return new StepProgress(label, step, plan.size(), percent, "FINISHED", null, null, 0);
        }
        if (s.rollbackStartedAt() != null) {
            return new StepProgress(label, step, plan.size(), percent, "ROLLING_BACK", null, null, 0);
        }
        String stage = s.lifecycleStage();
        int later = 0; // bakes of the steps after `step`, the final bake included
        for (PlanStep p : plan) {
            if (p.index() > step && p.bakeAfterMinutes() != null) {
                later += p.bakeAfterMinutes();
            }
        }
        int finalBake = plan.get(plan.size() - 1).bakeAfterMinutes() == null ? 0 : plan.get(plan.size() - 1).bakeAfterMinutes();
        if (!s.awaitingGates().isEmpty()) {
            return new StepProgress(label, step, plan.size(), percent, "AT_GATE", null, null,
                    step == plan.size() ? finalBake : later);
        }
        if ("BAKE_TIME".equals(stage)) {
            Instant since = enteredAt(s, "BAKE_TIME");
            return new StepProgress(label, plan.size(), plan.size(), plan.get(plan.size() - 1).productionTrafficPercent(),
                    "FINAL_BAKE", since == null ? null : since.plus(Duration.ofMinutes(finalBake)), "final bake", 0);
        }
        if ("CLEAN_UP".equals(stage)) {
            return new StepProgress(label, plan.size(), plan.size(), plan.get(plan.size() - 1).productionTrafficPercent(),
                    "CLEAN_UP", null, null, 0);
        }
        if (step == 0) {
            return new StepProgress(label, 0, plan.size(), null, "BEFORE_PRODUCTION", null, null, later);
        }
        if (step == plan.size()) {
            // all traffic moved: only the final bake is left
            return new StepProgress(label, step, plan.size(), percent, "SHIFTING", null, null, finalBake);
        }
        Integer stepBake = plan.get(step - 1).bakeAfterMinutes();
        Instant since = s.trafficShiftedAt() != null ? s.trafficShiftedAt() : enteredAt(s, stage);
        if ("PRODUCTION_TRAFFIC_SHIFT".equals(stage) && stepBake != null && since != null) {
            return new StepProgress(label, step, plan.size(), percent, "STEP_BAKE",
                    since.plus(Duration.ofMinutes(stepBake)), "bake", later);
        }
        return new StepProgress(label, step, plan.size(), percent, "SHIFTING", null, null, later);
    }

    /** The latest forward visit of {@code stage} still open, or its latest entry. */
    private static Instant enteredAt(DeploymentSnapshot s, String stage) {
        Instant at = null;
        for (DeploymentSnapshot.Stage st : s.stages()) {
            if (st.name().equals(stage) && st.observed() && !st.rollback()) {
                at = st.enteredAt();
            }
        }
        return at;
    }

    /** Time to go by the plan: the rest of the bake under way and the bakes not begun; null once rolling back or done. */
    public Duration toGo(Instant now) {
        if ("FINISHED".equals(phase) || "ROLLING_BACK".equals(phase)) {
            return null;
        }
        Duration d = Duration.ofMinutes(remainingMinutes);
        if (bakeEndsAt != null && now != null && bakeEndsAt.isAfter(now)) {
            d = d.plus(Duration.between(now, bakeEndsAt));
        }
        return d;
    }

    /**
     * One line, e.g. {@code Canary 1/2 · 10 % · bake 3m 12s left · about 14 min to go}; {@code Canary 0/2 · test
     * traffic only · about 15 min to go}; {@code Canary 1/2 · 10 % · waiting for a decision, then about 10 min}.
     * Null once finished.
     */
    public String describe(Instant now) {
        if ("FINISHED".equals(phase)) {
            return null;
        }
        StringBuilder b = new StringBuilder(label).append(' ').append(step).append('/').append(steps);
        if (percent != null) {
            b.append(" · ").append(DeploymentPlan.pct(percent)).append(" %");
        } else if ("BEFORE_PRODUCTION".equals(phase) || "AT_GATE".equals(phase)) {
            b.append(" · no production traffic yet");
        }
        switch (phase) {
            case "ROLLING_BACK" -> b.append(" · rolling back");
            case "CLEAN_UP" -> b.append(" · cleaning up");
            case "AT_GATE" -> b.append(" · waiting for a decision").append(remainingMinutes == 0 ? ""
                    : ", then about " + minutes(Duration.ofMinutes(remainingMinutes)));
            default -> {
                if (bakeEndsAt != null && now != null) {
                    Duration left = Duration.between(now, bakeEndsAt);
                    b.append(" · ").append(bakeName).append(' ')
                            .append(left.isNegative() || left.isZero() ? "ending" : clock(left) + " left");
                }
                Duration go = toGo(now);
                b.append(" · ").append(go.toMinutes() < 1 ? "less than a minute to go" : "about " + minutes(go) + " to go");
            }
        }
        return b.toString();
    }

    private static String minutes(Duration d) {
        long m = (d.toSeconds() + 59) / 60;
        return m >= 120 ? (m / 60) + " h " + (m % 60) + " min" : m + " min";
    }

    private static String clock(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m " + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
