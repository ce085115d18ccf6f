package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns two successive observations of one deployment into events. Pure: the caller keeps the state (previous
 * observation, the stage each hook was first seen in, the engine's own rollback intent). Each concern derives its own
 * events in the file that also folds them into the snapshot ({@link SnapshotHeader}, {@link SnapshotStages},
 * {@link SnapshotSides}, {@link SnapshotGates}, {@link SnapshotRollback}); this class only fixes their order.
 */
public final class EventDiff {
    private EventDiff() {}

    /** What the engine itself did to the deployment (a rollback it asked for, a gate it rejected). */
    public record Intent(RollbackCause cause, String reason, String by) {}

    /**
     * Events from {@code prev} (null on the first observation) to {@code cur}, in this order: Observed, status and
     * stages, traffic and tasks, hooks and gates, alarms and circuit breaker, RollbackStarted, the hooks a rollback cut
     * short, Finished. {@code hookStages} maps hookId to the stage it was first seen in and is updated here.
     */
    public static List<DeploymentEvent> diff(Observation prev, Observation cur, Map<String, String> hookStages,
                                             DeploymentSnapshot before, Intent intent) {
        List<DeploymentEvent> ev = new ArrayList<>();
        SnapshotHeader.diff(prev, cur, ev);
        SnapshotStages.diff(prev, cur, ev);
        SnapshotSides.diff(prev, cur, ev);
        List<DeploymentSnapshot.Hook> cutShort = SnapshotGates.diff(cur, before, hookStages, ev);
        SnapshotRollback.diffHealth(cur, before, ev);
        // The rollback's cause is classified against the snapshot including this round's events so far (alarm names,
        // hook failures); the hooks it cut short are closed only after that (OutcomeClassifier reads an awaiting gate
        // or a running Lambda hook as a clue).
        SnapshotRollback.diffRollback(cur, before, () -> fold(before, ev), intent, ev);
        if (!cutShort.isEmpty()) {
            SnapshotGates.closeCutShort(cutShort, cur, before, fold(before, ev), ev);
        }
        if (cur.terminal()) {
            SnapshotRollback.diffEnd(cur, fold(before, ev), intent, ev);
        }
        return ev;
    }

    private static DeploymentSnapshot fold(DeploymentSnapshot s, List<DeploymentEvent> events) {
        for (DeploymentEvent e : events) {
            s = s.apply(e);
        }
        return s;
    }
}
