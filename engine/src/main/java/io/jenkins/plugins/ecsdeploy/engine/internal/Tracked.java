package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the watcher knows of one followed deployment. Every field is guarded by the watcher's one lock
 * ({@link Registry#lock}); {@code subs} is also read by callbacks after the lock is released.
 */
final class Tracked {
    final String arn;
    DeploymentHandle handle;
    DeploymentSnapshot snapshot;
    /** The latest observation (null before the first answer). */
    Observation last;
    /** hookId → the deployment's stage when the hook was first seen (ECS does not report a hook's stage). */
    final Map<String, String> hookStages = new HashMap<>();
    /** Gate decisions made through this engine (or given to follow() after a restart). */
    final Map<String, GateDecision> decisions = new HashMap<>();
    final List<FollowSubscription> subs = new CopyOnWriteArrayList<>();
    /** A rollback this engine asked for, or a gate it rejected: the cause the outcome will name. */
    EventDiff.Intent intent;

    // ---- pace (Cadence, Rounds) ----
    /** When this deployment should be looked at next. */
    Instant dueAt;
    /** Rounds in a row without a change worth reporting (task counts alone do not count). */
    int quietRounds;
    /** When the traffic weights last changed (the step bake of a canary/linear shift is counted from it). */
    Instant trafficChangedAt;
    /** poke() while a round was in flight: the answer of that round may predate the poke, so look again. */
    boolean poked;
    /** Rounds in a row in which ECS did not return this deployment. */
    int missing;
    boolean finished;
    /** The revisions' images and task definitions were asked for (once per Tracked = per follow/re-attach). */
    boolean revisionsAsked;

    // ---- delivery (Delivery) ----
    /** Callbacks computed under the lock, to run after it is released, in this order. */
    final ArrayDeque<Runnable> outbox = new ArrayDeque<>();
    /** A thread is running this deployment's callbacks now: the others leave them to it. */
    boolean delivering;

    Tracked(DeploymentHandle h) {
        this.arn = h.deploymentArn();
        this.handle = h;
        this.snapshot = DeploymentSnapshot.initial(h);
    }

    /** The pace inputs of the cadence, as a value. */
    Cadence.Pace pace() {
        List<DeploymentSnapshot.Stage> st = snapshot.stages();
        Instant stageEnteredAt = null;
        if (!st.isEmpty() && last != null && st.get(st.size() - 1).name().equals(last.lifecycleStage())) {
            stageEnteredAt = st.get(st.size() - 1).enteredAt();
        }
        return new Cadence.Pace(quietRounds, stageEnteredAt, trafficChangedAt);
    }
}
