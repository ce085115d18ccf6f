package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentWatcher;
import io.jenkins.plugins.ecsdeploy.engine.internal.GateKeeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A long-lived engine (the plugin keeps one per credentials and region) must not keep every deployment it ever
 * followed: a finished deployment leaves the watcher once its last callbacks were delivered, and what a caller may
 * still do with it (snapshot, outcome, decide, follow again) keeps working. Manual time, ECS stub, direct executor.
 */
class WatcherForgetsFinishedDeploymentsTest {
    static final Instant T0 = WatcherCadenceTest.T0;

    final WatcherCadenceTest.ManualScheduler sched = new WatcherCadenceTest.ManualScheduler();
    final WatcherCadenceTest.Stub ecs = new WatcherCadenceTest.Stub(sched);
    /** Deployments 0..99 succeed one minute after T0; 100 and above stay in progress. */
    final Instant doneAt = T0.plusSeconds(60);

    DeploymentWatcher watcher() {
        ecs.state = a -> Integer.parseInt(a.substring(a.lastIndexOf("/d") + 2)) >= 100 || sched.now.isBefore(doneAt)
                ? WatcherCadenceTest.sd(a, "IN_PROGRESS", "BAKE_TIME", 1)
                : WatcherCadenceTest.sd(a, "SUCCESSFUL", "CLEAN_UP", 1);
        EngineConfig c = EngineConfig.builder().region("us-east-1").scheduler(sched).pollFloor(Duration.ofSeconds(5))
                .pollCeiling(Duration.ofSeconds(60)).jitter(0).build();
        return new DeploymentWatcher(ecs, sched, Runnable::run, c);
    }

    @Test
    void finishedDeploymentsLeaveTheWatcherAndLaterRoundsAskOnlyForTheActiveOnes() {
        DeploymentWatcher w = watcher();
        int n = 30;
        List<Subscription> subs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            subs.add(w.follow(DeploymentHandle.fromArn(WatcherCadenceTest.arn(i)), null, null, Map.of()));
        }
        assertEquals(n, w.stats().tracked());
        sched.runUntil(T0.plus(Duration.ofMinutes(5)));
        for (Subscription s : subs) {
            assertEquals(OutcomeKind.SUCCEEDED, s.outcome().join().kind());
        }
        assertEquals(0, w.stats().tracked(), "nothing kept once all finished: " + w.stats());
        assertEquals(0, w.stats().followed());

        int callsWhenIdle = ecs.calls.size();
        sched.runUntil(T0.plus(Duration.ofHours(2)));
        assertEquals(callsWhenIdle, ecs.calls.size(), "no round while nothing is followed");

        // A new deployment: its rounds carry its ARN alone, never the 30 finished ones.
        w.follow(DeploymentHandle.fromArn(WatcherCadenceTest.arn(100)), null, null, Map.of());
        sched.runUntil(T0.plus(Duration.ofHours(2)).plusSeconds(30));
        assertTrue(ecs.calls.size() > callsWhenIdle, "the new deployment is polled");
        for (int i = callsWhenIdle; i < ecs.calls.size(); i++) {
            assertEquals(1, ecs.sizes.get(i), "only the active deployment is asked for: " + ecs.sizes);
        }
        assertEquals(1, w.stats().tracked());
    }

    @Test
    void aDroppedDeploymentStillAnswersSnapshotOutcomeDecideAndFollow() {
        DeploymentWatcher w = watcher();
        String arn = WatcherCadenceTest.arn(1);
        DeploymentHandle h = DeploymentHandle.fromArn(arn);
        List<DeploymentEvent> events = new CopyOnWriteArrayList<>();
        Subscription sub = w.follow(h, (e, snap) -> events.add(e), null, Map.of());
        sched.runUntil(T0.plus(Duration.ofMinutes(5)));
        assertEquals(0, w.stats().tracked());
        assertTrue(events.get(events.size() - 1) instanceof DeploymentEvent.Finished, events.toString());

        // The subscription keeps the final snapshot and the completed outcome.
        assertEquals(OutcomeKind.SUCCEEDED, sub.outcome().join().kind());
        assertNotNull(sub.snapshot().outcome(), "the final snapshot, with its outcome");
        assertEquals(OutcomeKind.SUCCEEDED, sub.snapshot().outcome().kind());

        // decide() on it: DEPLOYMENT_FINISHED without asking ECS (the stub has no ContinueServiceDeployment either).
        int calls = ecs.calls.size();
        GateKeeper gk = new GateKeeper(ecs, Runnable::run, w, sched);
        assertEquals(DecisionResult.DEPLOYMENT_FINISHED,
                gk.decide(h, "hook-1", new GateDecision(HookAction.CONTINUE, "alice", null)).join());
        assertEquals(calls, ecs.calls.size(), "no DescribeServiceDeployments for a deployment seen finished");

        // follow() again: one describe, the events up to Finished, the outcome; then it is dropped again.
        List<DeploymentEvent> again = new CopyOnWriteArrayList<>();
        Subscription sub2 = w.follow(h, (e, snap) -> again.add(e), null, Map.of());
        sched.runUntil(T0.plus(Duration.ofMinutes(10)));
        assertEquals(OutcomeKind.SUCCEEDED, sub2.outcome().join().kind());
        assertEquals(calls + 1, ecs.calls.size(), "described once");
        assertTrue(again.get(again.size() - 1) instanceof DeploymentEvent.Finished, again.toString());
        assertEquals(0, w.stats().tracked());
    }
}
