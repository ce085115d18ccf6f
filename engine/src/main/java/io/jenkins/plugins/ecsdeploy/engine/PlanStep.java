package io.jenkins.plugins.ecsdeploy.engine;

import java.util.List;

/**
 * One production traffic step: the green (new) revision's share of production traffic after the step,
 * the bake that follows it (null = none), and the gate stages that hold the deployment before or at it.
 */
public record PlanStep(int index, double productionTrafficPercent, Integer bakeAfterMinutes, List<String> gateStages) {
    public PlanStep {
        gateStages = gateStages == null ? List.of() : List.copyOf(gateStages);
    }
}
