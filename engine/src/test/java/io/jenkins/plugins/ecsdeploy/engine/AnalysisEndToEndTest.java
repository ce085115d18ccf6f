package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.AnalysisConcluded;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.AnalysisMeasured;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisMetric;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisRun;
import io.jenkins.plugins.ecsdeploy.engine.analysis.Condition;
import io.jenkins.plugins.ecsdeploy.engine.analysis.MetricQuery;
import io.jenkins.plugins.ecsdeploy.simulator.SeededService;
import io.jenkins.plugins.ecsdeploy.simulator.StageVisit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Automated canary analysis against the simulator over HTTP: ECS (the simulator) holds each PRE_PRODUCTION_TRAFFIC_SHIFT
 * gate while the engine reads green's and blue's ALB metrics through the real SDK CloudWatch client (Smithy RPC v2
 * CBOR) and decides (docs/analysis.md). Virtual time at 1200×: each test takes a few real seconds.
 */
class AnalysisEndToEndTest {
    Sandbox sb;

    @BeforeEach
    void start() {
        sb = new Sandbox();
        // production 20 req/s, test 5 req/s; the default revision answers 1 % of requests with a 5xx
        sb.sim.metrics().requestsPerSecond(20).testRequestsPerSecond(5).defaultProfile(0.01, 0.05, 0.2);
    }

    @AfterEach
    void stop() {
        sb.close();
    }

    /** The 5xx rate as metric math, at most 1.5 × blue's, with at least 100 requests; p99 latency at most 1.2 × blue's. */
    static AnalysisDefinition.Builder definition() {
        Map<String, MetricQuery> in = new LinkedHashMap<>();
        in.put("requests", MetricQuery.alb("RequestCount", "Sum"));
        in.put("errors", MetricQuery.alb("HTTPCode_Target_5XX_Count", "Sum"));
        return AnalysisDefinition.builder().name("web-canary")
                .metric(new AnalysisMetric("5xx-rate", null, "100 * errors / requests", in,
                        Condition.parse("<= 1.5 * blue"), 100, MetricQuery.alb("RequestCount", "Sum")))
                .metric(AnalysisMetric.of("p99-latency", MetricQuery.alb("TargetResponseTime", "p99"),
                        Condition.parse("<= 1.2 * blue"), 0))
                .intervalSeconds(60).measurements(3).delaySeconds(60);
    }

    static DeploymentRequest canary(SeededService s, String image, AnalysisDefinition d) {
        return Sandbox.request(s, new Strategy.Canary(20.0, 3, 1))
                .revision(new RevisionSource.ImageOverrides(Map.of("web", image))).analysis(d).build();
    }

    /** A person's gate handler that records what it is offered and answers with {@code action}. */
    final class Person implements GateHandler {
        final List<PendingGate> offered = new CopyOnWriteArrayList<>();
        final DeploymentEngine engine;
        final HookAction action;

        Person(DeploymentEngine engine, HookAction action) {
            this.engine = engine;
            this.action = action;
        }

        @Override
        public void onGate(PendingGate g) {
            offered.add(g);
            if (action != null) {
                engine.decide(g.deployment(), g.hookId(), new GateDecision(action, "alice", "looked at the graphs"));
            }
        }
    }

    private static boolean greenEverServedProduction(List<StageVisit> visits) {
        return visits.stream().anyMatch(v -> !v.rollback() && v.productionWeight() != null && v.productionWeight() > 0);
    }

    @Test
    void aCanaryWhoseGreenDoublesIts5xxRateIsRolledBackAtTheFirstStepByAnalysisNamingTheMetricAndBothValues() {
        sb.sim.metrics().profile("bad", 0.02, 0.05, 0.2); // twice blue's 1 %
        DeploymentEngine engine = sb.engine();
        Person alice = new Person(engine, HookAction.CONTINUE);
        AnalysisDefinition d = definition().build();
        DeploymentHandle h = await(engine.start(canary(sb.service("web"), "registry/web:bad-2.0", d)));
        Sandbox.Recorder rec = new Sandbox.Recorder();
        Subscription s = engine.follow(h, rec, engine.analyses().gateHandler(d, alice));
        Outcome o = await(s.outcome());

        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.GATE_REJECTED, o.cause());
        assertEquals("analysis", o.decidedBy());
        assertTrue(o.reason().contains("5xx-rate: green 2 vs blue 1"), o.reason());
        assertTrue(o.reason().contains("<= 1.5 * blue = 1.5"), o.reason());
        assertEquals(List.of(), alice.offered, "no person was asked");
        // at the first step: green never got production traffic
        assertFalse(greenEverServedProduction(sb.sim.stageHistory(h.deploymentArn())), "rolled back before any shift");
        List<AnalysisConcluded> c = rec.of(AnalysisConcluded.class);
        assertEquals(1, c.size());
        assertEquals("FAIL", c.get(0).verdict());
        assertEquals("ROLLBACK", c.get(0).action());
        List<AnalysisMeasured> m = rec.of(AnalysisMeasured.class);
        assertEquals(1, m.size(), "the first failed measurement decides (failure limit 0)");
        DeploymentEvent.AnalysisValue rate = m.get(0).values().get(0);
        assertEquals(2.0, rate.green(), 1e-9);
        assertEquals(1.0, rate.blue(), 1e-9);
        assertEquals("FAIL", rate.verdict());
        // the audit: recorded like a person's decision, on the gate
        DeploymentSnapshot last = s.snapshot();
        assertTrue(last.gates().stream().anyMatch(g -> "ROLLED_BACK".equals(g.state()) && "analysis".equals(g.decidedBy())),
                last.gates().toString());
        assertTrue(last.toJson().contains("\"analyses\""), "the page's JSON carries the measurements");
    }

    @Test
    void aHealthyCanaryGoesThroughEveryStepWithoutAHuman() {
        DeploymentEngine engine = sb.engine();
        Person nobody = new Person(engine, null);
        AnalysisDefinition d = definition().build();
        DeploymentHandle h = await(engine.start(canary(sb.service("web"), "registry/web:2.0", d)));
        Sandbox.Recorder rec = new Sandbox.Recorder();
        Outcome o = await(engine.follow(h, rec, engine.analyses().gateHandler(d, nobody)).outcome());

        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(List.of(), nobody.offered);
        List<AnalysisConcluded> c = rec.of(AnalysisConcluded.class);
        assertEquals(List.of("PASS", "PASS"), c.stream().map(AnalysisConcluded::verdict).toList(),
                "both canary steps (before 20 % and before 100 %) were measured and passed");
        assertEquals(6, rec.of(AnalysisMeasured.class).size());
        // (under load a poll may see a hook gone before the decision is recorded: a GateDecided without "by" first)
        List<DeploymentEvent.GateDecided> decided = rec.of(DeploymentEvent.GateDecided.class).stream()
                .filter(g -> g.by() != null).toList();
        assertEquals(2, decided.size(), decided.toString());
        assertTrue(decided.stream().allMatch(g -> "analysis".equals(g.by()) && g.action() == HookAction.CONTINUE),
                decided.toString());
        assertTrue(greenEverServedProduction(sb.sim.stageHistory(h.deploymentArn())));
        // the second step measured green under 20 % of production + test traffic: 20 × 0.2 + 5 = 9 req/s
        AnalysisMeasured second = rec.of(AnalysisMeasured.class).get(3);
        assertEquals(540.0, second.values().get(0).greenSamples(), 1.0);
    }

    @Test
    void anInconclusiveCanaryWithTooFewSamplesStopsAtTheHumanGateWithTheMeasurementsShown() {
        sb.sim.metrics().requestsPerSecond(0.5).testRequestsPerSecond(0.5); // 30 requests a minute < 100
        DeploymentEngine engine = sb.engine();
        Person alice = new Person(engine, HookAction.ROLLBACK);
        AnalysisDefinition d = definition().build();
        DeploymentHandle h = await(engine.start(canary(sb.service("web"), "registry/web:2.0", d)));
        Sandbox.Recorder rec = new Sandbox.Recorder();
        Outcome o = await(engine.follow(h, rec, engine.analyses().gateHandler(d, alice)).outcome());

        assertEquals(1, alice.offered.size(), "the person was asked at the first step");
        PendingGate asked = alice.offered.get(0);
        assertEquals("PRE_PRODUCTION_TRAFFIC_SHIFT", asked.stage());
        AnalysisRun run = asked.snapshot().analyses().get(0);
        assertEquals("INCONCLUSIVE", run.verdict());
        assertEquals("ASK", run.action());
        assertEquals(1, run.measurements().size());
        DeploymentEvent.AnalysisValue v = run.measurements().get(0).values().get(0);
        assertEquals(30.0, v.greenSamples(), 1.0);
        assertNotNull(v.blue(), "blue's value is shown too");
        assertTrue(v.note().contains("too few samples on green: 30 < 100"), v.note());
        // the person decided: the outcome names the person, not the analysis
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals("alice", o.decidedBy());
        assertTrue(rec.of(DeploymentEvent.GateDecided.class).stream().noneMatch(g -> "analysis".equals(g.by())));
    }

    @Test
    void aDryRunDecidesNothingAndReportsWhatItWouldHaveDone() {
        sb.sim.metrics().profile("bad", 0.02, 0.05, 0.2);
        DeploymentEngine engine = sb.engine();
        Person alice = new Person(engine, HookAction.CONTINUE);
        AnalysisDefinition d = definition().dryRun(true).build();
        DeploymentHandle h = await(engine.start(canary(sb.service("web"), "registry/web:bad-2.0", d)));
        Sandbox.Recorder rec = new Sandbox.Recorder();
        Outcome o = await(engine.follow(h, rec, engine.analyses().gateHandler(d, alice)).outcome());

        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), "the dry run changed nothing: " + o.describe());
        assertEquals(List.of(), alice.offered);
        assertTrue(rec.of(DeploymentEvent.GateDecided.class).stream().noneMatch(g -> g.by() != null),
                "nobody decided a gate: ECS let each go at its timeout (CONTINUE)");
        List<AnalysisConcluded> c = rec.of(AnalysisConcluded.class);
        assertEquals(2, c.size());
        assertTrue(c.stream().allMatch(AnalysisConcluded::dryRun));
        assertEquals("ROLLBACK", c.get(0).action());
        assertTrue(c.get(0).describe().contains("would have rolled back: 5xx-rate: green 2 vs blue 1"),
                c.get(0).describe());
    }

    @Test
    void analysesOfManyDeploymentsShareGetMetricDataCallsAndAddNoThread() {
        // a slower clock for twelve deployments at once: each gate's hour then lasts 9 s of real time, so a loaded
        // machine still measures before ECS's pause expires (the outcome asserted does not depend on the speed)
        sb.close();
        sb = new Sandbox(400);
        sb.sim.metrics().requestsPerSecond(20).testRequestsPerSecond(5).defaultProfile(0.01, 0.05, 0.2);
        int n = 12;
        DeploymentEngine engine = sb.engine();
        AnalysisDefinition d = definition().build();
        List<SeededService> services = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            services.add(sb.service("web" + i));
        }
        Set<String> before = engineThreads();
        List<Subscription> subs = new ArrayList<>();
        List<Integer> measuringAtOnce = Collections.synchronizedList(new ArrayList<>());
        for (SeededService s : services) {
            DeploymentHandle h = await(engine.start(canary(s, "registry/web:2.0", d)));
            subs.add(engine.follow(h, (e, snap) -> {
                if (e instanceof AnalysisMeasured) {
                    measuringAtOnce.add(engine.analyses().stats().measuringNow());
                }
            }, engine.analyses().gateHandler(d, null)));
        }
        for (Subscription s : subs) {
            Outcome done = await(s.outcome());
            assertEquals(OutcomeKind.SUCCEEDED, done.kind(), done.describe());
        }
        var stats = engine.analyses().stats();
        int measurements = n * 2 * 3; // two gates of three measurements each
        assertEquals(stats.getMetricDataCalls(), sb.sim.metrics().calls().size());
        assertTrue(stats.getMetricDataCalls() < measurements,
                "measurements of the same minute share calls: " + stats.getMetricDataCalls() + " calls for "
                        + measurements + " measurements");
        assertTrue(stats.maxQueriesInOneCall() > 10, "one measurement has 10 queries; a shared call has more: "
                + stats.maxQueriesInOneCall());
        assertTrue(measuringAtOnce.stream().mapToInt(Integer::intValue).max().orElse(0) > 1);
        Set<String> after = engineThreads();
        after.removeAll(before);
        assertTrue(after.stream().allMatch(t -> t.startsWith("ecs-deploy-io-") || t.startsWith("ecs-deploy-poll-")
                || t.startsWith("ecs-deploy-decide-")), "only the engine's fixed pools: " + after);
        assertTrue(after.size() <= engine.config().ioThreads() + engine.config().pollThreads() + 2, after.toString());
        System.out.println("analysis cost: " + n + " canaries, " + measurements + " measurements, "
                + stats.getMetricDataCalls() + " GetMetricData calls, " + stats.queries() + " queries, at most "
                + stats.maxQueriesInOneCall() + " in one call; engine threads added " + after.size());
    }

    private static Set<String> engineThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(t -> t.startsWith("ecs-deploy")).collect(Collectors.toCollection(java.util.TreeSet::new));
    }
}
