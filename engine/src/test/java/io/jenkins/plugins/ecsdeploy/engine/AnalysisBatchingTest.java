package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.WatcherCadenceTest.ManualScheduler;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition;
import io.jenkins.plugins.ecsdeploy.engine.analysis.Analyses;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisRun;
import io.jenkins.plugins.ecsdeploy.engine.analysis.TargetGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * Cost of the analysis at scale, deterministically (manual time, a CloudWatch stub, callbacks on the calling thread):
 * the GetMetricData calls of many deployments' gates are shared, 500 queries per call as the API allows, and nothing
 * runs per deployment but scheduled tasks (docs/analysis.md "Cost").
 */
class AnalysisBatchingTest {

    record World(ManualScheduler time, Analyses analyses, List<Integer> callSizes, List<Instant> callTimes,
                 Map<String, GateDecision> decisions, List<Instant[]> windows, Map<String, DeploymentSnapshot> snaps) {}

    static World world() {
        ManualScheduler time = new ManualScheduler();
        List<Integer> sizes = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        List<Instant[]> windows = new ArrayList<>();
        Map<String, GateDecision> decisions = new ConcurrentHashMap<>();
        Map<String, DeploymentSnapshot> snaps = new ConcurrentHashMap<>();
        Analyses a = new Analyses(time, Runnable::run, (GetMetricDataRequest r) -> {
            sizes.add(r.metricDataQueries().size());
            times.add(time.clock().instant());
            windows.add(new Instant[] {r.startTime(), r.endTime()});
            List<MetricDataResult> out = new ArrayList<>();
            for (MetricDataQuery q : r.metricDataQueries()) {
                if (!Boolean.FALSE.equals(q.returnData())) {
                    // every value 1, every sample count 1000: green equals blue, enough samples
                    double v = q.label() != null && q.label().contains("samples") ? 1000 : 1;
                    out.add(MetricDataResult.builder().id(q.id()).values(v).timestamps(r.startTime()).build());
                }
            }
            return GetMetricDataResponse.builder().metricDataResults(out).build();
        }, s -> new TargetGroups("targetgroup/green/1", "targetgroup/blue/2", "app/web/3"),
                (arn, e) -> snaps.compute(arn, (k, s) -> (s == null
                        ? DeploymentSnapshot.initial(DeploymentHandle.fromArn(arn)) : s).apply(e)),
                (h, hook, d) -> {
                    decisions.put(h.deploymentArn(), d);
                    return CompletableFuture.completedFuture(DecisionResult.APPLIED);
                });
        return new World(time, a, sizes, times, decisions, windows, snaps);
    }

    static PendingGate gate(int i) {
        DeploymentHandle h = DeploymentHandle.fromArn("arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web"
                + i + "/d" + i);
        h = new DeploymentHandle(h.deploymentArn(), h.region(), h.accountId(), h.cluster(), h.service(), null,
                "CANARY", List.of("PRE_PRODUCTION_TRAFFIC_SHIFT"));
        return new PendingGate(h, "PRE_PRODUCTION_TRAFFIC_SHIFT", "ecs-pause-" + i, null, DeploymentSnapshot.initial(h));
    }

    @Test
    void twoHundredGatesOpenedInTheSameMinuteCost4CallsOf500QueriesPerMeasurementAndNoThread() {
        World w = world();
        AnalysisDefinition d = AnalysisEndToEndTest.definition().build();
        int threads = Thread.activeCount();
        w.time().runUntil(w.time().clock().instant().plusSeconds(1)); // the first gate after a minute's start
        for (int i = 0; i < 200; i++) {
            w.analyses().gateHandler(d, null).onGate(gate(i));
            w.time().runUntil(w.time().clock().instant().plusMillis(200)); // spread over 40 s
        }
        assertEquals(200, w.analyses().stats().measuringNow());
        w.time().runUntil(w.time().clock().instant().plus(Duration.ofMinutes(10)));

        assertEquals(200, w.decisions().size());
        assertTrue(w.decisions().values().stream().allMatch(x -> x.action() == HookAction.CONTINUE
                && "analysis".equals(x.decidedBy())));
        // 200 gates × 10 queries (5xx-rate: 2 inputs, expression, samples; p99: 1; for green and for blue)
        assertEquals(List.of(500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500), w.callSizes());
        assertEquals(3, w.callTimes().stream().distinct().count(), "one burst of calls per measurement minute");
        assertEquals(threads, Thread.activeCount(), "no thread was started");
        assertEquals(0, w.analyses().stats().measuringNow());
        assertEquals(12, w.analyses().stats().getMetricDataCalls());
        assertEquals(6000, w.analyses().stats().queries());
    }

    /**
     * StartTime and EndTime belong to the whole call, so only queries of one window can share it; windows are whole
     * minutes, so gates that opened a minute apart share the minutes they both measure.
     */
    @Test
    void gatesMeasuringTheSameMinuteShareACallWhicheverMinuteTheyOpenedIn() {
        World w = world();
        AnalysisDefinition d = AnalysisEndToEndTest.definition().build();
        w.time().runUntil(w.time().clock().instant().plusSeconds(1));
        w.analyses().gateHandler(d, null).onGate(gate(1)); // windows end at 2, 3, 4 minutes
        w.time().runUntil(w.time().clock().instant().plus(Duration.ofSeconds(60)));
        w.analyses().gateHandler(d, null).onGate(gate(2)); // windows end at 3, 4, 5 minutes
        w.time().runUntil(w.time().clock().instant().plus(Duration.ofMinutes(10)));
        assertEquals(2, w.decisions().size());
        assertEquals(List.of(10, 20, 20, 10), w.callSizes());
    }

    @Test
    void aGateOfferedTwiceIsAnalysedOnce() {
        World w = world();
        AnalysisDefinition d = AnalysisEndToEndTest.definition().build();
        PendingGate g = gate(7);
        w.analyses().gateHandler(d, null).onGate(g);
        w.analyses().gateHandler(d, null).onGate(g); // a second subscription of the same build
        w.time().runUntil(w.time().clock().instant().plus(Duration.ofMinutes(10)));
        assertEquals(List.of(10, 10, 10), w.callSizes());
        assertEquals(1, w.analyses().stats().gatesAnalysed());
    }

    /**
     * A gate the engine saw late (a slow poll, a re-attach): the windows count from when ECS opened the hook, so they
     * all lie between its opening and its expiry, and those already over are read at once.
     */
    @Test
    void aGateSeenLateIsMeasuredInTheWindowsItsHookWasSizedForNotPastItsExpiry() {
        World w = world();
        AnalysisDefinition d = AnalysisEndToEndTest.definition().build();
        Instant opened = w.time().clock().instant().plusSeconds(1);
        w.time().runUntil(opened.plus(Duration.ofMinutes(5))); // ECS opened the hook 5 minutes before the engine saw it
        Instant seen = w.time().clock().instant();
        Instant expires = opened.plus(Duration.ofMinutes(d.gateTimeoutMinutes()));
        PendingGate g = gate(3);
        w.analyses().gateHandler(d, null).onGate(new PendingGate(g.deployment(), g.stage(), g.hookId(), expires,
                g.snapshot()));
        w.time().runUntil(seen.plus(Duration.ofMinutes(10)));

        assertEquals(3, w.windows().size());
        Instant measured = opened.plus(Duration.ofMinutes(d.measuringMinutes())); // the hook's measuring time
        for (Instant[] win : w.windows()) {
            assertTrue(!win[0].isBefore(opened) && win[1].plusSeconds(d.delaySeconds()).isBefore(measured),
                    "window " + win[0] + " – " + win[1] + " within the measuring time " + opened + " – " + measured);
        }
        assertTrue(w.callTimes().stream().allMatch(t -> t.isBefore(seen.plusSeconds(10))),
                "windows already over are read at once: " + w.callTimes());
        assertEquals(HookAction.CONTINUE, w.decisions().values().iterator().next().action());
    }

    /** ECS releases a dry run's gate at its timeout; a measurement read after that is still reported and judged. */
    @Test
    void aDryRunReportsItsVerdictEvenWhenEcsReleasedTheGateBeforeTheLastMeasurementWasRead() {
        World w = world();
        AnalysisDefinition d = AnalysisEndToEndTest.definition().dryRun(true).build();
        PendingGate g = gate(4);
        w.analyses().gateHandler(d, null).onGate(g);
        w.time().runUntil(w.time().clock().instant().plus(Duration.ofSeconds(150))); // the first measurement was read
        assertEquals(1, w.callSizes().size());
        String arn = g.deployment().deploymentArn();
        Instant now = w.time().clock().instant();
        w.snaps().compute(arn, (k, s) -> s.apply(new DeploymentEvent.GateAwaiting(now, g.stage(), g.hookId(), now))
                .apply(new DeploymentEvent.GateDecided(now, g.stage(), g.hookId(), HookAction.CONTINUE, null, null)));
        w.time().runUntil(now.plus(Duration.ofMinutes(10)));

        AnalysisRun run = w.snaps().get(arn).analyses().get(0);
        assertEquals(3, run.measurements().size(), "every measurement is reported");
        assertEquals("PASS", run.verdict());
        assertEquals("CONTINUE", run.action());
        assertTrue(run.dryRun());
        assertEquals(Map.of(), w.decisions(), "a dry run decides nothing");
    }
}
