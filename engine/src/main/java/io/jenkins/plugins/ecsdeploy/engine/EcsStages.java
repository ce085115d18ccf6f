package io.jenkins.plugins.ecsdeploy.engine;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * The ECS lifecycle-stage vocabulary, in one place: which stages a deployment of each strategy walks, where Lambda
 * hooks and gates (PAUSE hooks) may sit, which stages a caller may wait for, and what "wait until stage X" means.
 * The CLI, the Jenkins plugin and the progress page use these lists and {@link #waitState} instead of copies of
 * their own. Sources: docs/engine.md "Stages" (each list with the AWS page it comes from).
 */
public final class EcsStages {
    /** The value of a wait target that means "the end of the deployment". */
    public static final String COMPLETED = "COMPLETED";

    /**
     * Every stage a BLUE_GREEN, CANARY or LINEAR deployment walks, in order (the service-deployment lifecycle of the
     * blue/green page, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html).
     * PRE_PRODUCTION_TRAFFIC_SHIFT is a stage ECS runs and hooks can use although the SDK's
     * ServiceDeploymentLifecycleStage enum lacks it; CANARY and LINEAR repeat PRE_PRODUCTION_TRAFFIC_SHIFT and
     * PRODUCTION_TRAFFIC_SHIFT once per traffic step.
     */
    public static final List<String> ORDER = List.of("RECONCILE_SERVICE", "PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP",
            "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT",
            "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP");

    /** Stages a lifecycle hook can name (the DeploymentLifecycleHook API reference, {@code lifecycleStages}). */
    public static final List<String> HOOK_STAGES = List.of("RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP",
            "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT",
            "POST_PRODUCTION_TRAFFIC_SHIFT");

    /**
     * Stages a gate (PAUSE hook) can sit at with BLUE_GREEN, CANARY and LINEAR: never TEST_TRAFFIC_SHIFT or
     * PRODUCTION_TRAFFIC_SHIFT, which ECS re-runs during a rollback (pause-hook page,
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html). RECONCILE_SERVICE runs
     * only when more than one revision is active, so a gate there is often not reached.
     */
    public static final List<String> PAUSE_STAGES = List.of("RECONCILE_SERVICE", "PRE_SCALE_UP", "POST_SCALE_UP",
            "POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT");

    /**
     * Stages where hooks and gates are offered with ROLLING. ECS accepts lifecycle hooks with ROLLING, but no AWS page
     * says which stages a rolling update runs; the engine allows only the two that need no traffic shift: before the
     * new tasks start and after they all run. A gate elsewhere might never be reached, so a human check would be
     * skipped without a word (docs/engine.md "Stages").
     */
    public static final List<String> ROLLING_HOOK_STAGES = List.of("PRE_SCALE_UP", "POST_SCALE_UP");

    /** Valid targets of "wait until": every stage of {@link #ORDER}, then COMPLETED. */
    public static final List<String> WAIT_TARGETS;

    static {
        java.util.ArrayList<String> w = new java.util.ArrayList<>(ORDER);
        w.add(COMPLETED);
        WAIT_TARGETS = List.copyOf(w);
    }

    private EcsStages() {}

    /**
     * The stages ECS reports (ServiceDeployment.lifecycleStage) for a deployment of this strategy, in order; empty for
     * ROLLING, which reports none as far as AWS publishes (docs/engine.md "Stages").
     */
    public static List<String> reportedStages(String strategy) {
        return strategy == null || "ROLLING".equals(strategy) ? List.of() : ORDER;
    }

    /** Where Lambda hooks may run with this strategy (ROLLING: {@link #ROLLING_HOOK_STAGES}). */
    public static List<String> hookStages(String strategy) {
        return "ROLLING".equals(strategy) ? ROLLING_HOOK_STAGES : HOOK_STAGES;
    }

    /** Where gates may sit with this strategy (ROLLING: {@link #ROLLING_HOOK_STAGES}). */
    public static List<String> gateStages(String strategy) {
        return "ROLLING".equals(strategy) ? ROLLING_HOOK_STAGES : PAUSE_STAGES;
    }

    /** A wait target as written by a user ("post_test_traffic_shift", " COMPLETED"), or null when it is none. */
    public static String waitTarget(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return WAIT_TARGETS.contains(t) ? t : null;
    }

    /** Where a deployment stands with respect to a wait target. */
    public enum WaitState {
        /** not there yet; keep following */
        WAITING,
        /** the deployment reached the target (or finished successfully, passing every stage) */
        REACHED,
        /** it rolled back, stopped or failed before reaching the target: it never will */
        WILL_NOT_REACH
    }

    /**
     * The one rule for "wait until stage X", for every front end. X is reached when, moving forward (before any
     * rollback or stop began):
     * <ol>
     *   <li>a gate at X awaits a decision (ECS holds the deployment there) or was continued, or</li>
     *   <li>X is not one of {@code gateStages} and the deployment entered X or a later stage of {@link #ORDER} (also a
     *       stage passed between two polls), or X is a gate stage and the deployment entered a stage after X, or</li>
     *   <li>the deployment ended SUCCESSFUL (it passed every stage).</li>
     * </ol>
     * A rollback or stop that begins before X was reached means X is never reached ({@link WaitState#WILL_NOT_REACH});
     * stages re-run during a rollback never count. COMPLETED is reached when the deployment has finished, whatever
     * the outcome.
     *
     * @param gateStages the stages where this deployment has gates (the handle's or the snapshot's gateStages)
     */
    public static WaitState waitState(DeploymentSnapshot s, String target, Collection<String> gateStages) {
        String x = waitTarget(target);
        if (x == null) {
            throw new IllegalArgumentException("wait target '" + target + "': one of "
                    + String.join(", ", WAIT_TARGETS));
        }
        if (COMPLETED.equals(x)) {
            return s.finished() ? WaitState.REACHED : WaitState.WAITING;
        }
        boolean gate = gateStages != null && gateStages.contains(x);
        for (DeploymentSnapshot.GateState g : s.gates()) {
            // awaiting: ECS holds the deployment at X; continued: it was there and went on
            if (x.equals(g.stage()) && ("AWAITING_ACTION".equals(g.state()) || "CONTINUED".equals(g.state()))) {
                return WaitState.REACHED;
            }
        }
        String status = s.status();
        boolean turned = s.rollbackStartedAt() != null
                || status != null && (status.startsWith("ROLLBACK") || status.startsWith("STOP"));
        int want = ORDER.indexOf(x);
        for (DeploymentSnapshot.Stage st : s.stages()) {
            int i = ORDER.indexOf(st.name());
            // a stage entered during a rollback or stop (Stage.rollback) is not forward progress; no clock is compared
            if (i >= 0 && !st.rollback() && (gate ? i > want : i >= want)) {
                return WaitState.REACHED;
            }
        }
        if ("SUCCESSFUL".equals(status)) {
            return WaitState.REACHED;
        }
        if (s.finished() || turned) {
            return WaitState.WILL_NOT_REACH;
        }
        return WaitState.WAITING;
    }
}
