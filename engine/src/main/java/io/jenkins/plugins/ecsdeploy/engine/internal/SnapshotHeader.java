package io.jenkins.plugins.ecsdeploy.engine.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.PlanStep;
import io.jenkins.plugins.ecsdeploy.engine.Planner;
import io.jenkins.plugins.ecsdeploy.engine.StageNames;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Which deployment: from the handle, completed by the first observation ({@code Observed}). JSON members:
 * deploymentArn, region, accountId, cluster, service, strategy, createdAt, gateStages, plan (the deployment's own
 * traffic steps, {@code PlanObserved}), and the derived expectedStages and stageLabels (written, not read back: they
 * follow from the strategy and the engine's vocabulary).
 */
public record SnapshotHeader(String deploymentArn, String region, String accountId, String cluster, String service,
                             String strategy, Instant createdAt, List<String> gateStages, Plan plan)
        implements SnapshotPart<SnapshotHeader> {

    /**
     * JSON {@code plan}: the deployment's traffic steps from its own configuration (canary percent or linear step,
     * the bake after each step, the final bake; null = ECS's default or not set) and the steps they give
     * ({@link Planner#steps}): green's production share after each step, the bake after it, the gates before it.
     */
    public record Plan(Double stepPercent, Integer stepBakeMinutes, Integer bakeMinutes, List<PlanStep> steps) {
        public Plan {
            steps = steps == null ? List.of() : List.copyOf(steps);
        }
    }

    public SnapshotHeader {
        gateStages = gateStages == null ? List.of() : List.copyOf(gateStages);
    }

    public static SnapshotHeader of(DeploymentHandle h) {
        return new SnapshotHeader(h.deploymentArn(), h.region(), h.accountId(), h.cluster(), h.service(), h.strategy(),
                null, h.gateStages(), null);
    }

    /** The stages this strategy goes through, in order (for a progress bar), from {@link Planner#stagesOf}. */
    @JsonProperty(value = "expectedStages", access = JsonProperty.Access.READ_ONLY)
    public List<String> expectedStages() {
        return Planner.stagesOf(strategy);
    }

    /** People's names of the lifecycle stages, by ECS's name ({@link StageNames}), so every page shows the same words. */
    @JsonProperty(value = "stageLabels", access = JsonProperty.Access.READ_ONLY)
    public Map<String, String> stageLabels() {
        return StageNames.labels();
    }

    @Override
    public SnapshotHeader fold(DeploymentEvent e, DeploymentSnapshot before) {
        if (e instanceof DeploymentEvent.Observed o) {
            return new SnapshotHeader(o.deploymentArn(), region, accountId, cluster, service,
                    o.strategy() != null ? o.strategy() : strategy, o.createdAt(), gateStages, plan);
        }
        if (e instanceof DeploymentEvent.PlanObserved p) {
            String st = p.strategy() != null ? p.strategy() : strategy;
            Strategy s = switch (st == null ? "" : st) {
                case "CANARY" -> new Strategy.Canary(p.stepPercent(), p.stepBakeMinutes(), p.bakeMinutes());
                case "LINEAR" -> new Strategy.Linear(p.stepPercent(), p.stepBakeMinutes(), p.bakeMinutes());
                case "BLUE_GREEN" -> new Strategy.BlueGreen(p.bakeMinutes());
                default -> null;
            };
            List<PlanStep> steps = s == null ? List.of()
                    : Planner.steps(s, gateStages, p.bakeMinutes() == null ? 0 : p.bakeMinutes());
            return new SnapshotHeader(deploymentArn, region, accountId, cluster, service, st, createdAt, gateStages,
                    new Plan(p.stepPercent(), p.stepBakeMinutes(), p.bakeMinutes(), steps));
        }
        return this;
    }

    /** The first observation of a deployment. */
    static void diff(Observation prev, Observation cur, List<DeploymentEvent> out) {
        if (prev == null) {
            out.add(new DeploymentEvent.Observed(cur.at(), cur.arn(), cur.serviceArn(), cur.clusterArn(), cur.strategy(),
                    cur.sourceArns(), cur.targetArn(), cur.createdAt(), cur.alarmNames()));
            if (cur.strategy() != null && !"ROLLING".equals(cur.strategy())) {
                out.add(new DeploymentEvent.PlanObserved(cur.at(), cur.strategy(), cur.stepPercent(),
                        cur.stepBakeMinutes(), cur.bakeMinutes()));
            }
        }
    }
}
