package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot.Stage;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.Planner;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Status and lifecycle stages: {@code StatusChanged}, {@code StageEntered}, {@code StageLeft}, and the end
 * ({@code Finished} closes the open stage). JSON members: status, statusReason, lifecycleStage, stages.
 */
public record SnapshotStages(String status, String statusReason, String lifecycleStage, List<Stage> stages)
        implements SnapshotPart<SnapshotStages> {

    public static final SnapshotStages EMPTY = new SnapshotStages(null, null, null, List.of());

    public SnapshotStages {
        stages = stages == null ? List.of() : List.copyOf(stages);
    }

    @Override
    public SnapshotStages fold(DeploymentEvent e, DeploymentSnapshot before) {
        if (e instanceof DeploymentEvent.StatusChanged sc) {
            return new SnapshotStages(sc.status(), sc.statusReason(), lifecycleStage, stages);
        }
        if (e instanceof DeploymentEvent.StageEntered se) {
            List<Stage> st = new ArrayList<>(stages);
            markPassed(st, expectedStagesBefore(before, se.stage()), se.at());
            // entered after ECS reported a rollback or stop (this round's StatusChanged is folded first)
            boolean rollback = before.rollbackStartedAt() != null
                    || status != null && (status.startsWith("ROLLBACK") || status.startsWith("STOP"));
            st.add(new Stage(se.stage(), se.at(), null, true, rollback));
            return new SnapshotStages(status, statusReason, se.stage(), st);
        }
        if (e instanceof DeploymentEvent.StageLeft sl) {
            List<Stage> st = new ArrayList<>(stages);
            for (int i = st.size() - 1; i >= 0; i--) {
                Stage s = st.get(i);
                if (s.name().equals(sl.stage()) && s.leftAt() == null) {
                    st.set(i, new Stage(s.name(), s.enteredAt(), sl.at(), s.observed(), s.rollback()));
                    break;
                }
            }
            return new SnapshotStages(status, statusReason, lifecycleStage, st);
        }
        if (e instanceof DeploymentEvent.Finished f) {
            List<Stage> st = new ArrayList<>();
            for (Stage s : stages) { // a stage still open when the deployment ends is closed at the end
                st.add(s.leftAt() == null ? new Stage(s.name(), s.enteredAt(), f.at(), s.observed(), s.rollback()) : s);
            }
            if (f.outcome() != null && f.outcome().kind() == OutcomeKind.SUCCEEDED) {
                // A successful deployment went through every stage of its strategy: those after the last one seen
                // (typically a short CLEAN_UP) passed between the last poll and the end.
                markPassed(st, expectedStagesBefore(before, null), f.at());
            }
            return new SnapshotStages(status, statusReason, lifecycleStage, st);
        }
        return this;
    }

    /**
     * The expected stages (in the strategy's order) that lie after the furthest stage reached so far and before
     * {@code next} (null = the end), which the deployment must have passed although no poll saw them. Empty while
     * rolling back or stopping (a rollback re-runs stages in another order, docs/engine.md "Stages passed between two
     * polls"), when {@code next} lies behind the furthest stage reached (a canary/linear step goes back to
     * PRE_PRODUCTION_TRAFFIC_SHIFT) or is not an expected stage. RECONCILE_SERVICE is never inferred: it runs only
     * when more than one service revision is active, so not seeing it says nothing.
     */
    private static List<String> expectedStagesBefore(DeploymentSnapshot s, String next) {
        List<String> expected = Planner.stagesOf(s.strategy());
        String status = s.status();
        if (expected.isEmpty() || s.rollbackStartedAt() != null || status != null
                && (status.startsWith("ROLLBACK") || status.startsWith("STOP"))) {
            return List.of();
        }
        int to = next == null ? expected.size() : expected.indexOf(next);
        if (to < 0) {
            return List.of();
        }
        int furthest = -1;
        for (Stage st : s.stages()) {
            furthest = Math.max(furthest, expected.indexOf(st.name()));
        }
        List<String> passed = new ArrayList<>();
        for (int i = furthest + 1; i < to; i++) {
            if (!"RECONCILE_SERVICE".equals(expected.get(i))) {
                passed.add(expected.get(i));
            }
        }
        return passed;
    }

    private static void markPassed(List<Stage> stages, List<String> names, Instant at) {
        for (String n : names) {
            stages.add(new Stage(n, at, at, false));
        }
    }

    /** Status and stage changes between two observations ({@code prev} null on the first). */
    static void diff(Observation prev, Observation cur, List<DeploymentEvent> out) {
        Instant at = cur.at();
        if (prev == null || !Objects.equals(prev.status(), cur.status())
                || !Objects.equals(prev.statusReason(), cur.statusReason())) {
            out.add(new DeploymentEvent.StatusChanged(at, cur.status(), cur.statusReason()));
        }
        String oldStage = prev == null ? null : prev.lifecycleStage();
        if (!Objects.equals(oldStage, cur.lifecycleStage())) {
            if (oldStage != null) {
                out.add(new DeploymentEvent.StageLeft(at, oldStage));
            }
            if (cur.lifecycleStage() != null) {
                out.add(new DeploymentEvent.StageEntered(at, cur.lifecycleStage()));
            }
        }
    }
}
