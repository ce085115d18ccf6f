package io.jenkins.plugins.ecsdeploy.engine.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.Planner;
import java.time.Instant;
import java.util.List;

/**
 * Which deployment: from the handle, completed by the first observation ({@code Observed}). JSON members:
 * deploymentArn, region, accountId, cluster, service, strategy, createdAt, gateStages, and the derived
 * expectedStages (written, not read back: it follows from the strategy).
 */
public record SnapshotHeader(String deploymentArn, String region, String accountId, String cluster, String service,
                             String strategy, Instant createdAt, List<String> gateStages)
        implements SnapshotPart<SnapshotHeader> {

    public SnapshotHeader {
        gateStages = gateStages == null ? List.of() : List.copyOf(gateStages);
    }

    public static SnapshotHeader of(DeploymentHandle h) {
        return new SnapshotHeader(h.deploymentArn(), h.region(), h.accountId(), h.cluster(), h.service(), h.strategy(),
                null, h.gateStages());
    }

    /** The stages this strategy goes through, in order (for a progress bar), from {@link Planner#stagesOf}. */
    @JsonProperty(value = "expectedStages", access = JsonProperty.Access.READ_ONLY)
    public List<String> expectedStages() {
        return Planner.stagesOf(strategy);
    }

    @Override
    public SnapshotHeader fold(DeploymentEvent e, DeploymentSnapshot before) {
        if (e instanceof DeploymentEvent.Observed o) {
            return new SnapshotHeader(o.deploymentArn(), region, accountId, cluster, service,
                    o.strategy() != null ? o.strategy() : strategy, o.createdAt(), gateStages);
        }
        return this;
    }

    /** The first observation of a deployment. */
    static void diff(Observation prev, Observation cur, List<DeploymentEvent> out) {
        if (prev == null) {
            out.add(new DeploymentEvent.Observed(cur.at(), cur.arn(), cur.serviceArn(), cur.clusterArn(), cur.strategy(),
                    cur.sourceArns(), cur.targetArn(), cur.createdAt(), cur.alarmNames()));
        }
    }
}
