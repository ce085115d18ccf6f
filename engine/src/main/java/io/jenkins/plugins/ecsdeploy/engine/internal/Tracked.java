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
    /** The service's ARN, derived from the deployment's (deployment state change events name the service). */
    final String serviceArn;
    DeploymentHandle handle;
    DeploymentSnapshot snapshot;
    /** The latest observation (null before the first answer). */
    Observation last;
    /** hookId → the deployment's stage when the hook was first seen (ECS does not report a hook's stage). */
    final Map<String, String> hookStages = new HashMap<>();
    /** Gate decisions made through this engine (or given to follow() after a restart). */
    final Map<String, GateDecision> decisions = new HashMap<>();
    final List<FollowSubscription> subs = new CopyOnWriteArrayList<>();
    /**
     * Gate decisions this engine is sending now (GateKeeper). While one is in flight a terminal observation waits for
     * the next look: ECS may finish the deployment before the decision's reply arrives, and the outcome must name who
     * decided (a found race: a fast ROLLING deployment reported "approved by" nobody).
     */
    int decisionsInFlight;
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
    /** An event named this deployment since its last look: it goes first in the next round. */
    boolean hinted;
    /** Hooks an event said await action but no look has shown yet (DescribeServiceDeployments may lag the event). */
    final java.util.Set<String> awaitedHooks = new java.util.HashSet<>();
    /** Looks again because of {@link #awaitedHooks} so far. */
    int hintRetries;
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
        this.serviceArn = EventHint.serviceOf(arn);
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
        return new Cadence.Pace(quietRounds, stageEnteredAt, trafficChangedAt, gateNext());
    }

    /**
     * The stage after the current one (in the strategy's order, docs/strategies.md) has a PAUSE hook: the gate
     * appears as soon as the current stage ends, so the deployment is worth a look at the floor until then.
     */
    private boolean gateNext() {
        if (last == null || last.lifecycleStage() == null) {
            return false;
        }
        List<String> order = io.jenkins.plugins.ecsdeploy.engine.Planner.stagesOf(last.strategy());
        int i = order.indexOf(last.lifecycleStage());
        if (i < 0 || i + 1 >= order.size()) {
            return false;
        }
        String next = order.get(i + 1);
        return last.pauseStages().contains(next) || handle.gateStages().contains(next);
    }
}
