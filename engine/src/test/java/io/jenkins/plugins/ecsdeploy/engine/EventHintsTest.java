package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentWatcher;
import io.jenkins.plugins.ecsdeploy.engine.internal.EventHint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/**
 * Events are hints, never facts (docs/events.md): duplicated, lost, late, reordered and foreign events, each against
 * a watcher on manual time and an ECS stub. Every state still comes from DescribeServiceDeployments; an event only
 * says when to look. Deterministic: no real time, no threads.
 */
class EventHintsTest {
    static final Instant T0 = WatcherCadenceTest.T0;
    final WatcherCadenceTest.ManualScheduler sched = new WatcherCadenceTest.ManualScheduler();
    final WatcherCadenceTest.Stub ecs = new WatcherCadenceTest.Stub(sched);
    static final String ARN = WatcherCadenceTest.arn(1);
    static final String SERVICE = EventHint.serviceOf(ARN);

    /** The gate's hook appears at T0+100 s in POST_TEST_TRAFFIC_SHIFT; before, the deployment is in TEST_TRAFFIC_SHIFT. */
    Instant gateAt = T0.plusSeconds(100);
    /** From when DescribeServiceDeployments shows the hook (ECS's read may lag the event). */
    Instant visibleAt = gateAt;

    DeploymentWatcher watcher() {
        ecs.state = a -> sched.now.isBefore(visibleAt) ? sd(a, "TEST_TRAFFIC_SHIFT", false) : sd(a, "POST_TEST_TRAFFIC_SHIFT", true);
        EngineConfig c = EngineConfig.builder().region("us-east-1").scheduler(sched).pollFloor(Duration.ofSeconds(5))
                .pollCeiling(Duration.ofSeconds(60)).jitter(0).build();
        DeploymentWatcher w = new DeploymentWatcher(ecs, sched, Runnable::run, c);
        w.eventsHealthy(true);
        return w;
    }

    @SuppressWarnings("unchecked") // the SDK's Consumer... varargs
    static ServiceDeployment sd(String arn, String stage, boolean gate) {
        var b = ServiceDeployment.builder().serviceDeploymentArn(arn).status("IN_PROGRESS").lifecycleStage(stage)
                .deploymentConfiguration(c -> c.strategy("BLUE_GREEN").bakeTimeInMinutes(10)
                        .lifecycleHooks(h -> h.targetType("PAUSE").lifecycleStagesWithStrings("POST_TEST_TRAFFIC_SHIFT")));
        if (gate) {
            b.lifecycleHookDetails(h -> h.hookId("ecs-pause-h1").targetType("PAUSE").status("AWAITING_ACTION")
                    .expiresAt(T0.plus(Duration.ofHours(2))).timeoutAction("ROLLBACK"));
        }
        return b.build();
    }

    static EventHint awaiting(String hookId) {
        return new EventHint(ARN, SERVICE, hookId, "HOOK_AWAITING_ACTION");
    }

    /** Follows, lets the first looks pass, and returns the gates offered (filled as they are offered). */
    List<PendingGate> follow(DeploymentWatcher w) {
        List<PendingGate> offered = new ArrayList<>();
        w.follow(DeploymentHandle.fromArn(ARN), null, offered::add, Map.of());
        sched.runUntil(gateAt.minusMillis(1));
        return offered;
    }

    long callsBetween(Instant from, Instant to) {
        return ecs.calls.stream().filter(t -> !t.isBefore(from) && !t.isAfter(to)).count();
    }

    @Test
    void anEventMakesTheDeploymentDueAtOnceAndItsGateIsOfferedAtOnce() {
        DeploymentWatcher w = watcher();
        List<PendingGate> offered = follow(w);
        sched.runUntil(gateAt);
        w.hints(List.of(awaiting("ecs-pause-h1")));
        sched.runUntil(gateAt.plusSeconds(1));
        assertEquals(1, offered.size());
        assertEquals(1, callsBetween(gateAt, gateAt.plusSeconds(1)), ecs.calls.toString());
        assertEquals(gateAt, ecs.calls.get(ecs.calls.size() - 1), "looked at when the event came");
    }

    @Test
    void duplicatedEventsCostOneLookAndOfferTheGateOnce() {
        DeploymentWatcher w = watcher();
        List<PendingGate> offered = follow(w);
        sched.runUntil(gateAt);
        w.hints(List.of(awaiting("ecs-pause-h1"), awaiting("ecs-pause-h1")));
        w.hints(List.of(awaiting("ecs-pause-h1")));
        sched.runUntil(gateAt.plusSeconds(2));
        w.hints(List.of(awaiting("ecs-pause-h1"))); // redelivered later: one more look, no second offer
        sched.runUntil(gateAt.plusSeconds(4));
        assertEquals(1, offered.size());
        assertEquals(2, callsBetween(gateAt, gateAt.plusSeconds(4)), ecs.calls.toString());
    }

    @Test
    void aLostEventIsCoveredByTheSafetyNetOfPolling() {
        DeploymentWatcher w = watcher();
        List<PendingGate> offered = follow(w); // no event at all
        sched.runUntil(gateAt.plus(Duration.ofMinutes(6)));
        assertEquals(1, offered.size(), "offered by a poll");
        assertTrue(w.eventsHealthy());
    }

    @Test
    void anEventAheadOfDescribeServiceDeploymentsIsLookedAtAgainUntilTheHookShows() {
        visibleAt = gateAt.plusSeconds(7); // the event comes 7 s before ECS's read shows the hook
        DeploymentWatcher w = watcher();
        List<PendingGate> offered = follow(w);
        sched.runUntil(gateAt);
        w.hints(List.of(awaiting("ecs-pause-h1")));
        sched.runUntil(gateAt.plusSeconds(20));
        assertEquals(1, offered.size());
        // looks at +0 s (not shown yet), +5 s (not yet), +15 s (shown): after the floor, then after twice the floor
        assertEquals(3, callsBetween(gateAt, gateAt.plusSeconds(19)), ecs.calls.toString());
    }

    @Test
    void aLateEventForAFinishedDeploymentCostsNothing() {
        gateAt = T0.plusSeconds(30);
        DeploymentWatcher w = watcher();
        ecs.state = a -> ServiceDeployment.builder().serviceDeploymentArn(a).status("SUCCESSFUL").lifecycleStage("CLEAN_UP")
                .deploymentConfiguration(c -> c.strategy("BLUE_GREEN")).build();
        var sub = w.follow(DeploymentHandle.fromArn(ARN), null, null, Map.of());
        sched.runUntil(T0.plusSeconds(10));
        assertEquals(OutcomeKind.SUCCEEDED, sub.outcome().join().kind());
        int calls = ecs.calls.size();
        w.hints(List.of(awaiting("ecs-pause-h1"), new EventHint(null, SERVICE, null, "SERVICE_DEPLOYMENT_COMPLETED")));
        sched.runUntil(T0.plus(Duration.ofHours(1)));
        assertEquals(calls, ecs.calls.size(), "no call for a deployment no longer followed");
        assertEquals(0, w.hintsUsed());
    }

    @Test
    void reorderedEventsOfAHookDecidedElsewhereOfferNothingAndStopLookingAfterThreeTries() {
        visibleAt = Instant.MAX; // the hook was answered in the console before any look could see it
        DeploymentWatcher w = watcher();
        List<PendingGate> offered = follow(w);
        sched.runUntil(gateAt);
        // SUCCEEDED overtook AWAITING_ACTION on its way through EventBridge
        w.hints(List.of(new EventHint(ARN, SERVICE, "ecs-pause-h1", "HOOK_SUCCEEDED"), awaiting("ecs-pause-h1")));
        sched.runUntil(gateAt.plusSeconds(60));
        assertEquals(0, offered.size(), "ECS never showed the hook awaiting action: nothing to offer");
        // one look for the events, then at most three more for the announced hook (5, 10, 20 s), then the cadence
        assertTrue(callsBetween(gateAt, gateAt.plusSeconds(40)) <= 4, ecs.calls.toString());
    }

    @Test
    void foreignEventsCostNothing() {
        DeploymentWatcher w = watcher();
        follow(w);
        int calls = ecs.calls.size();
        Instant from = sched.now;
        String other = WatcherCadenceTest.arn(2);
        w.hints(List.of(new EventHint(other, EventHint.serviceOf(other), "ecs-pause-x", "HOOK_AWAITING_ACTION"),
                new EventHint(null, "arn:aws:ecs:us-east-1:123456789012:service/c/other", null, "SERVICE_DEPLOYMENT_IN_PROGRESS")));
        assertNull(EventHint.parse("{\"source\":\"aws.ec2\",\"detail-type\":\"EC2 Instance State-change Notification\"}"));
        assertNull(EventHint.parse("{\"source\":\"aws.ecs\",\"detail-type\":\"ECS Task State Change\",\"resources\":[\"" + ARN + "\"]}"));
        assertNull(EventHint.parse("not json at all"));
        assertNull(EventHint.parse("{\"source\":\"aws.ecs\",\"detail-type\":\"ECS Hook State Change\",\"detail\":{}}"));
        sched.runUntil(from.plusSeconds(1));
        assertEquals(calls, ecs.calls.size());
        assertEquals(0, w.hintsUsed());
    }

    @Test
    void aServiceEventLooksAtTheDeploymentsOfThatService() {
        DeploymentWatcher w = watcher();
        follow(w);
        Instant from = sched.now;
        w.hints(List.of(new EventHint(null, SERVICE, null, "SERVICE_DEPLOYMENT_COMPLETED")));
        sched.runUntil(from.plusMillis(200));
        assertEquals(1, callsBetween(from, from.plusMillis(200)));
        assertEquals(1, w.hintsUsed());
    }

    @Test
    void withEventsTheReadBudgetIsOneCallPerSecondAndTheSafetyNetFiveMinutes() {
        DeploymentWatcher w = watcher();
        assertEquals(1.0, w.pollBudget());
        for (int i = 0; i < 100; i++) { // 100 deployments, all due at once: 5 calls, spread one per second
            w.follow(DeploymentHandle.fromArn(WatcherCadenceTest.arn(100 + i)), null, null, Map.of());
        }
        sched.runUntil(T0.plusSeconds(4));
        assertTrue(ecs.calls.size() <= 5, ecs.calls.toString());
        w.eventsHealthy(false);
        assertEquals(5.0, w.pollBudget());
    }

    @Test
    void eventHintsAreReadFromTheEventsAsEcsPublishesThem() {
        String hook = "{\"version\":\"0\",\"id\":\"1\",\"detail-type\":\"ECS Hook State Change\",\"source\":\"aws.ecs\","
                + "\"account\":\"123456789012\",\"time\":\"2026-12-02T00:00:00Z\",\"region\":\"us-east-1\",\"resources\":[\""
                + ARN + "\"],\"detail\":{\"eventType\":\"INFO\",\"eventName\":\"HOOK_AWAITING_ACTION\",\"hookId\":\"ecs-pause-h1\","
                + "\"hookType\":\"PAUSE\",\"lifecycleStage\":\"POST_TEST_TRAFFIC_SHIFT\",\"serviceDeploymentArn\":\"" + ARN + "\"}}";
        assertEquals(new EventHint(ARN, SERVICE, "ecs-pause-h1", "HOOK_AWAITING_ACTION"), EventHint.parse(hook));
        String deployment = "{\"version\":\"0\",\"detail-type\":\"ECS Deployment State Change\",\"source\":\"aws.ecs\","
                + "\"resources\":[\"" + SERVICE + "\"],\"detail\":{\"eventType\":\"INFO\","
                + "\"eventName\":\"SERVICE_DEPLOYMENT_IN_PROGRESS\",\"deploymentId\":\"ecs-svc/123\"}}";
        assertEquals(new EventHint(null, SERVICE, null, "SERVICE_DEPLOYMENT_IN_PROGRESS"), EventHint.parse(deployment));
        assertEquals("arn:aws:ecs:us-east-1:123456789012:service/c/s1", SERVICE);
    }
}
