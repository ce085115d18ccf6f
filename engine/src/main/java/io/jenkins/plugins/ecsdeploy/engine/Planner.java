package io.jenkins.plugins.ecsdeploy.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a request into a {@link DeploymentPlan} without calling AWS. Assumes a valid request (the engine
 * validates first); defaults of unset parameters are the ECS defaults (CanaryConfiguration and LinearConfiguration
 * API references; docs/strategies.md).
 */
public final class Planner {
    /** ECS default canary percent / canary bake (CanaryConfiguration API reference). */
    public static final double DEFAULT_CANARY_PERCENT = 5.0;
    public static final int DEFAULT_CANARY_BAKE_MINUTES = 10;
    /** ECS default linear step / step bake (LinearConfiguration API reference). */
    public static final double DEFAULT_STEP_PERCENT = 10.0;
    public static final int DEFAULT_STEP_BAKE_MINUTES = 6;
    /** ECS adds this wait to TEST_TRAFFIC_SHIFT and each PRODUCTION_TRAFFIC_SHIFT behind an NLB (NLB resources page). */
    public static final int NLB_SHIFT_DELAY_MINUTES = 10;

    private Planner() {}

    /** The lifecycle stages a deployment of this strategy reports, in order: {@link EcsStages#reportedStages}. */
    public static List<String> stagesOf(String strategy) {
        return EcsStages.reportedStages(strategy);
    }

    /** Production traffic percentages of the green revision after each shift step. */
    public static List<Double> trafficSteps(Strategy s) {
        List<Double> r = new ArrayList<>();
        if (s instanceof Strategy.Canary c) {
            double p = c.canaryPercent() == null ? DEFAULT_CANARY_PERCENT : c.canaryPercent();
            if (p < 100.0) {
                r.add(p);
            }
            r.add(100.0);
        } else if (s instanceof Strategy.Linear l) {
            double p = l.stepPercent() == null ? DEFAULT_STEP_PERCENT : l.stepPercent();
            // Work in tenths of a percent: ECS takes multiples of 0.1 and doubles would drift.
            long tenths = Math.max(1, Math.round(p * 10));
            for (long k = 1; k * tenths < 1000; k++) {
                r.add(k * tenths / 10.0);
            }
            r.add(100.0);
        } else if (s instanceof Strategy.BlueGreen) {
            r.add(100.0);
        }
        return r;
    }

    public static DeploymentPlan plan(DeploymentRequest r, PlanContext live) {
        PlanContext ctx = live == null ? PlanContext.UNKNOWN : live;
        Strategy s = r.strategy();
        String name = s == null ? "ROLLING" : s.ecsName();
        List<String> stages = new ArrayList<>(stagesOf(name));
        if (s instanceof Strategy.Rolling && (!r.gates().isEmpty() || !r.hooks().isEmpty())) {
            // ROLLING reports no stages, but its hooks and gates sit before the new tasks start and after they all run;
            // SCALE_UP stands for the rolling replacement between them (docs/strategies.md, ROLLING).
            stages.addAll(List.of("PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP"));
        }
        Map<String, List<String>> hooks = new LinkedHashMap<>();
        for (Gate g : r.gates()) {
            hooks.computeIfAbsent(g.stage(), k -> new ArrayList<>()).add(
                    "gate (PAUSE, timeout " + g.timeoutMinutes() + " min -> " + g.timeoutAction() + ")");
        }
        for (Gate g : r.pauseGates()) {
            if (!r.gates().contains(g)) { // a gate of the canary analysis (docs/analysis.md)
                hooks.computeIfAbsent(g.stage(), k -> new ArrayList<>()).add("analysis " + r.analysis().name()
                        + (r.analysis().dryRun() ? " (dry run)" : "") + " (PAUSE, " + r.analysis().measurements()
                        + " measurement(s) every " + r.analysis().intervalSeconds() + " s, timeout "
                        + g.timeoutMinutes() + " min -> " + g.timeoutAction() + ")");
            }
        }
        for (LambdaHook h : r.hooks()) {
            for (String st : h.stages()) {
                hooks.computeIfAbsent(st, k -> new ArrayList<>()).add("Lambda " + h.functionArn()
                        + (h.timeoutMinutes() == null ? "" : " (timeout " + h.timeoutMinutes() + " min -> "
                        + (h.timeoutAction() == null ? HookAction.ROLLBACK : h.timeoutAction()) + ")"));
            }
        }
        List<String> gateStages = r.gateStages();
        List<PlanStep> steps = new ArrayList<>();
        int minutes = 0;
        String capacity;
        Integer desired = r.desiredCount() != null ? r.desiredCount() : ctx.desiredCount();
        int nlb = ctx.networkLoadBalancer() ? NLB_SHIFT_DELAY_MINUTES : 0;
        if (s instanceof Strategy.Rolling ro) {
            Integer max = ro.maximumPercent() != null ? ro.maximumPercent()
                    : ctx.maximumPercent() != null ? ctx.maximumPercent() : 200;
            Integer min = ro.minimumHealthyPercent() != null ? ro.minimumHealthyPercent()
                    : ctx.minimumHealthyPercent() != null ? ctx.minimumHealthyPercent() : 100;
            capacity = desired == null
                    ? "between " + min + "% and " + max + "% of the desired count"
                    : "between " + (int) Math.ceil(desired * min / 100.0) + " and "
                    + (int) Math.floor(desired * max / 100.0) + " tasks (desired " + desired + ")";
            if (ro.earlySuccess() != null) {
                capacity += "; done at " + ro.earlySuccess().healthyPercent() + "% healthy, old tasks removed "
                        + ("DEFERRED".equals(ro.earlySuccess().sourceCleanup()) ? "afterwards (they may still run when it ends)"
                        : "first");
            }
        } else {
            int bake = bakeOf(s, ctx);
            for (PlanStep p : steps(s, gateStages, bake)) {
                steps.add(p);
                minutes += p.bakeAfterMinutes() + nlb;
            }
            if (ctx.loadBalanced() || nlb > 0) {
                minutes += nlb; // TEST_TRAFFIC_SHIFT wait behind an NLB
            }
            capacity = desired == null
                    ? "blue N + green N = 2N tasks at peak (N = the desired count)"
                    : "blue " + desired + " + green " + desired + " = " + (2 * desired) + " tasks at peak";
        }
        return new DeploymentPlan(name, stages, steps, gateStages, hooks, minutes, capacity);
    }

    /**
     * The production traffic steps of a strategy: green's share after each step, the bake after it (the step bake,
     * or {@code finalBakeMinutes} after the last: ECS applies no step bake after the step that reaches 100 %, linear
     * deployment page) and the gates that hold the deployment before it. Empty for ROLLING. Used by the plan and by the
     * snapshot's {@code plan} (the deployment's own configuration, {@link DeploymentEvent.PlanObserved}).
     */
    public static List<PlanStep> steps(Strategy s, List<String> gateStages, int finalBakeMinutes) {
        List<String> gates = gateStages == null ? List.of() : gateStages;
        List<String> perStepGates = gates.contains("PRE_PRODUCTION_TRAFFIC_SHIFT")
                ? List.of("PRE_PRODUCTION_TRAFFIC_SHIFT") : List.of();
        List<Double> traffic = trafficSteps(s);
        int stepBake = s instanceof Strategy.Canary c
                ? (c.canaryBakeMinutes() == null ? DEFAULT_CANARY_BAKE_MINUTES : c.canaryBakeMinutes())
                : s instanceof Strategy.Linear l
                ? (l.stepBakeMinutes() == null ? DEFAULT_STEP_BAKE_MINUTES : l.stepBakeMinutes()) : 0;
        List<PlanStep> steps = new ArrayList<>();
        for (int i = 0; i < traffic.size(); i++) {
            boolean last = i == traffic.size() - 1;
            Integer after = last ? Integer.valueOf(finalBakeMinutes) : Integer.valueOf(stepBake);
            List<String> g = new ArrayList<>(perStepGates);
            if (i == 0) {
                for (String gs : gates) {
                    if (!gs.equals("PRE_PRODUCTION_TRAFFIC_SHIFT") && isBeforeProduction(gs)) {
                        g.add(0, gs);
                    }
                }
            }
            steps.add(new PlanStep(i + 1, traffic.get(i), after, g));
        }
        return steps;
    }

    private static boolean isBeforeProduction(String stage) {
        return switch (stage) {
            case "RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT" -> true;
            default -> false;
        };
    }

    private static int bakeOf(Strategy s, PlanContext ctx) {
        Integer b = s instanceof Strategy.BlueGreen bg ? bg.bakeMinutes()
                : s instanceof Strategy.Canary c ? c.bakeMinutes()
                : s instanceof Strategy.Linear l ? l.bakeMinutes() : null;
        if (b != null) {
            return b;
        }
        return ctx.bakeTimeMinutes() != null ? ctx.bakeTimeMinutes() : 0;
    }
}
