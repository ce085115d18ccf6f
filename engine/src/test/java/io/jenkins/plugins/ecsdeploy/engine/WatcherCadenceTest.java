package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentWatcher;
import io.jenkins.plugins.ecsdeploy.engine.time.Cancellable;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/**
 * The shared watcher's pacing, deterministic: a manual scheduler, a direct I/O executor and an ECS stub that answers
 * from a function of (ARN, time). Checks batching, the adaptive cadence and the throttling backoff exactly.
 */
class WatcherCadenceTest {
    static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

    /** Time moves only in run(): tasks run in due order. */
    static final class ManualScheduler implements Scheduler {
        record Task(Instant at, long seq, Runnable r, boolean[] cancelled) {}

        Instant now = T0;
        long seq;
        final PriorityQueue<Task> q = new PriorityQueue<>((a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));

        @Override
        public Clock clock() {
            return new Clock() {
                public Instant instant() { return now; }
                public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
                public Clock withZone(java.time.ZoneId z) { return this; }
            };
        }

        @Override
        public synchronized Cancellable schedule(Duration delay, Runnable task) {
            boolean[] c = {false};
            q.add(new Task(now.plus(delay), seq++, task, c));
            return () -> c[0] = true;
        }

        void runUntil(Instant end) {
            while (!q.isEmpty() && !q.peek().at.isAfter(end)) {
                Task t = q.poll();
                now = t.at;
                if (!t.cancelled[0]) {
                    t.r.run();
                }
            }
            now = end;
        }
    }

    /** An ECS stub: records every DescribeServiceDeployments (time, ARNs) and answers via {@code state}. */
    static final class Stub implements EcsClient {
        final ManualScheduler s;
        final List<Instant> calls = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        Function<String, ServiceDeployment> state;
        int throttle;

        Stub(ManualScheduler s) {
            this.s = s;
        }

        @Override
        public DescribeServiceDeploymentsResponse describeServiceDeployments(DescribeServiceDeploymentsRequest r) {
            calls.add(s.now);
            sizes.add(r.serviceDeploymentArns().size());
            if (throttle > 0) {
                throttle--;
                throw (EcsException) EcsException.builder().statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").errorMessage("Rate exceeded").build())
                        .build();
            }
            List<ServiceDeployment> out = new ArrayList<>();
            for (String arn : r.serviceDeploymentArns()) {
                ServiceDeployment d = state.apply(arn);
                if (d != null) {
                    out.add(d);
                }
            }
            return DescribeServiceDeploymentsResponse.builder().serviceDeployments(out).build();
        }

        @Override
        public String serviceName() {
            return "ecs";
        }

        @Override
        public void close() {}
    }

    static String arn(int i) {
        return "arn:aws:ecs:us-east-1:123456789012:service-deployment/c/s" + i + "/d" + i;
    }

    static ServiceDeployment sd(String arn, String status, String stage, Integer bake) {
        return ServiceDeployment.builder().serviceDeploymentArn(arn).status(status).lifecycleStage(stage)
                .deploymentConfiguration(c -> c.strategy("BLUE_GREEN").bakeTimeInMinutes(bake)).build();
    }

    ManualScheduler sched = new ManualScheduler();
    Stub ecs = new Stub(sched);

    DeploymentWatcher watcher() {
        EngineConfig c = EngineConfig.builder().region("us-east-1").scheduler(sched).pollFloor(Duration.ofSeconds(5))
                .pollCeiling(Duration.ofSeconds(60)).jitter(0).build();
        return new DeploymentWatcher(ecs, sched, Runnable::run, c);
    }

    static List<Long> gapsSeconds(List<Instant> calls) {
        List<Long> g = new ArrayList<>();
        for (int i = 1; i < calls.size(); i++) {
            g.add(Duration.between(calls.get(i - 1), calls.get(i)).toSeconds());
        }
        return g;
    }

    @Test
    void aPendingDeploymentIsPolledAtTheFloor() {
        ecs.state = a -> sd(a, "PENDING", null, null);
        watcher().follow(DeploymentHandle.fromArn(arn(1)), null, null, Map.of());
        sched.runUntil(T0.plusSeconds(30));
        assertEquals(List.of(5L, 5L, 5L, 5L, 5L, 5L), gapsSeconds(ecs.calls));
    }

    @Test
    void aLongBakeIsPolledAtTheCeilingAndAQuietStageSlowsDownGradually() {
        ecs.state = a -> sched.now.isBefore(T0.plusSeconds(20)) ? sd(a, "IN_PROGRESS", "SCALE_UP", 1440)
                : sd(a, "IN_PROGRESS", "BAKE_TIME", 1440);
        watcher().follow(DeploymentHandle.fromArn(arn(1)), null, null, Map.of());
        sched.runUntil(T0.plus(Duration.ofMinutes(10)));
        List<Long> g = gapsSeconds(ecs.calls);
        // SCALE_UP: the floor after the first look, then 1.5x per quiet round (7.5 s -> 7 s, 11 s, ...);
        // BAKE_TIME (1440 min left): the floor once (a change), then the ceiling.
        assertEquals(5L, g.get(0));
        assertTrue(g.get(1) > 5L, g.toString());
        int bakeFrom = g.indexOf(60L);
        assertTrue(bakeFrom > 0, g.toString());
        for (long x : g.subList(bakeFrom, g.size())) {
            assertEquals(60L, x, g.toString());
        }
    }

    @Test
    void theEndOfABakeIsPolledSoonAfterItIsDue() {
        Instant end = T0.plus(Duration.ofMinutes(2)).plusSeconds(10); // the bake, then a short CLEAN_UP
        ecs.state = a -> sched.now.isBefore(end) ? sd(a, "IN_PROGRESS", "BAKE_TIME", 2) : sd(a, "SUCCESSFUL", "CLEAN_UP", 2);
        var sub = watcher().follow(DeploymentHandle.fromArn(arn(1)), null, null, Map.of());
        sched.runUntil(T0.plus(Duration.ofMinutes(5)));
        assertEquals(OutcomeKind.SUCCEEDED, sub.outcome().join().kind());
        Instant last = ecs.calls.get(ecs.calls.size() - 1);
        assertTrue(!last.isAfter(end.plusSeconds(5)), "the end was seen at " + last + ", within the floor");
        assertTrue(ecs.calls.size() <= 8, "a 2-minute bake needs few polls: " + gapsSeconds(ecs.calls));
    }

    @Test
    @SuppressWarnings("unchecked") // the SDK's Consumer... varargs
    void anAwaitingGateIsLookedAtAgainWhenItExpires() {
        Instant expires = T0.plusSeconds(45);
        ecs.state = a -> ServiceDeployment.builder().serviceDeploymentArn(a).status("IN_PROGRESS")
                .lifecycleStage("POST_TEST_TRAFFIC_SHIFT").deploymentConfiguration(c -> c.strategy("BLUE_GREEN"))
                .lifecycleHookDetails(h -> h.hookId("h1").targetType("PAUSE").status("AWAITING_ACTION").expiresAt(expires))
                .build();
        List<PendingGate> offered = new ArrayList<>();
        watcher().follow(DeploymentHandle.fromArn(arn(1)), null, offered::add, Map.of());
        sched.runUntil(T0.plusSeconds(50));
        assertEquals(1, offered.size(), "offered once although seen several times");
        assertTrue(ecs.calls.stream().anyMatch(t -> !t.isBefore(expires) && t.isBefore(expires.plusSeconds(6))), ecs.calls.toString());
    }

    @Test
    void throttlingDoublesTheDelayAndSuccessBringsItBack() {
        ecs.state = a -> sd(a, "PENDING", null, null);
        ecs.throttle = 3;
        DeploymentWatcher w = watcher();
        w.follow(DeploymentHandle.fromArn(arn(1)), null, null, Map.of());
        sched.runUntil(T0.plusSeconds(120));
        List<Long> g = gapsSeconds(ecs.calls);
        assertEquals(List.of(10L, 20L, 40L), g.subList(0, 3), g.toString());
        assertEquals(5L, g.get(3), "back to the floor after a success");
        assertEquals(3L, w.stats().throttledCalls());
    }

    @Test
    void fortyFiveDueDeploymentsTakeThreeCalls() {
        ecs.state = a -> sd(a, "PENDING", null, null);
        DeploymentWatcher w = watcher();
        for (int i = 0; i < 45; i++) {
            w.follow(DeploymentHandle.fromArn(arn(i)), null, null, Map.of());
        }
        sched.runUntil(T0.plusSeconds(20));
        var st = w.stats();
        assertEquals(3, st.maxCallsInOneRound());
        assertEquals(st.rounds() * 3, st.describeCalls(), st.toString());
        assertTrue(ecs.sizes.stream().allMatch(n -> n <= 20), ecs.sizes.toString());
        Map<Integer, Integer> bySize = new HashMap<>();
        ecs.sizes.forEach(n -> bySize.merge(n, 1, Integer::sum));
        assertEquals(2 * st.rounds(), (long) bySize.getOrDefault(20, 0), ecs.sizes.toString());
    }

    @Test
    void aDeploymentEcsDoesNotKnowEndsFailedAfterThreeLooks() {
        ecs.state = a -> null;
        var sub = watcher().follow(DeploymentHandle.fromArn(arn(7)), null, null, Map.of());
        sched.runUntil(T0.plusSeconds(60));
        Outcome o = sub.outcome().join();
        assertEquals(OutcomeKind.FAILED, o.kind());
        assertTrue(o.reason().startsWith("ECS does not know service deployment " + arn(7)), o.reason());
        assertEquals(3, ecs.calls.size());
    }

    @Test
    void aFinishedDeploymentIsNoLongerPolled() {
        ecs.state = a -> sd(a, "SUCCESSFUL", "CLEAN_UP", 0);
        DeploymentWatcher w = watcher();
        var sub = w.follow(DeploymentHandle.fromArn(arn(1)), null, null, Map.of());
        sched.runUntil(T0.plus(Duration.ofHours(1)));
        assertEquals(1, ecs.calls.size());
        assertEquals(OutcomeKind.SUCCEEDED, sub.outcome().join().kind());
        assertEquals(0, w.stats().followed());
    }
}
