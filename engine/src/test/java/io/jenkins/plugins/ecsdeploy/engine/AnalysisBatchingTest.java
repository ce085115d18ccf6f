package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.WatcherCadenceTest.ManualScheduler;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition;
import io.jenkins.plugins.ecsdeploy.engine.analysis.Analyses;
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
                 Map<String, GateDecision> decisions) {}

    static World world() {
        ManualScheduler time = new ManualScheduler();
        List<Integer> sizes = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        Map<String, GateDecision> decisions = new ConcurrentHashMap<>();
        Map<String, DeploymentSnapshot> snaps = new ConcurrentHashMap<>();
        Analyses a = new Analyses(time, Runnable::run, (GetMetricDataRequest r) -> {
            sizes.add(r.metricDataQueries().size());
            times.add(time.clock().instant());
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
        return new World(time, a, sizes, times, decisions);
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
}
