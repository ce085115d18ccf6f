package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ecsCanary(..., analysis: [...])} through the Pipeline harness against the simulator (docs/analysis.md): the
 * Pipeline map binds, the analysis decides the canary's steps, the console shows each measurement, the build's audit
 * trail records the analysis's decision like a person's; a named analysis from the global configuration works the same.
 */
class CanaryAnalysisStepTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    EcsSandbox sandbox;
    StepRunner runner;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        // test traffic 5 req/s, production 20 req/s; "bad" images answer 2 % of requests with a 5xx, the others 1 %
        sandbox.sim.metrics().requestsPerSecond(20).testRequestsPerSecond(5).defaultProfile(0.01, 0.05, 0.2)
                .profile("bad", 0.02, 0.05, 0.2);
        runner = StepRunner.create();
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    /** The Jenkinsfile's map literal: {@code analysis: [measurements: 3, metrics: [[name: '5xx-rate', ...], ...]]}. */
    static Map<String, Object> analysisMap() {
        Map<String, Object> rate = new LinkedHashMap<>();
        rate.put("name", "5xx-rate");
        rate.put("expression", "100 * errors / requests");
        rate.put("inputs", Map.of("requests", Map.of("metricName", "RequestCount", "statistic", "Sum"),
                "errors", Map.of("metricName", "HTTPCode_Target_5XX_Count", "statistic", "Sum")));
        rate.put("samples", Map.of("metricName", "RequestCount", "statistic", "Sum"));
        rate.put("minimumSamples", 100);
        rate.put("condition", "<= 1.5 * blue");
        Map<String, Object> p99 = new LinkedHashMap<>();
        p99.put("name", "p99-latency");
        p99.put("query", Map.of("metricName", "TargetResponseTime", "statistic", "p99"));
        p99.put("condition", "<= 1.2 * blue");
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("measurements", 3);
        a.put("metrics", List.of(rate, p99));
        return a;
    }

    static Map<String, Object> args(String image, Object analysis) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", "demo");
        m.put("service", "web");
        m.put("region", EcsSandbox.REGION);
        m.put("image", "web=" + image);
        m.put("canaryPercent", 20);
        m.put("canaryBakeMinutes", 1);
        m.put("bakeMinutes", 0);
        m.put("analysis", analysis);
        return m;
    }

    List<EcsDecisionAction> byAnalysis() {
        return runner.run().getActions(EcsDecisionAction.class).stream().filter(d -> "analysis".equals(d.getUserId())).toList();
    }

    @Test
    void aGreenThatDoublesIts5xxRateIsRolledBackByAnalysisAtTheFirstStepWithTheMetricAndBothValues() throws Exception {
        FakeStepContext c = runner.start(EcsCanaryStep.class, args("registry/web:bad-2.0", analysisMap()));
        c.awaitDone(WAIT);
        assertNotNull(c.failure(), "a rolled-back deployment fails the step; log:\n" + c.log());
        assertTrue(c.failure().getMessage().contains("rejected by analysis: 5xx-rate: green 2 vs blue 1"),
                c.failure().getMessage());
        assertTrue(c.log().contains("analysis at PRE_PRODUCTION_TRAFFIC_SHIFT, measurement 1/3: FAIL; 5xx-rate: green 2"
                + " vs blue 1, limit <= 1.5 * blue = 1.5 → FAIL"), c.log());
        List<EcsDecisionAction> audit = byAnalysis();
        assertEquals(1, audit.size(), "the audit trail: " + runner.run().getActions(EcsDecisionAction.class));
        assertEquals("ROLLBACK", audit.get(0).getDecision());
        assertEquals("PRE_PRODUCTION_TRAFFIC_SHIFT", audit.get(0).getStage());
        EcsApprovalAction approvals = runner.run().getAction(EcsApprovalAction.class);
        assertTrue(approvals == null || approvals.getGates().isEmpty(), "nobody was asked");
    }

    @Test
    void aHealthyCanaryGoesThroughEveryStepWithoutAHuman() throws Exception {
        FakeStepContext c = runner.start(EcsCanaryStep.class, args("registry/web:2.0", analysisMap()));
        @SuppressWarnings("unchecked")
        Map<String, Object> done = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", done.get("outcome"), c.log());
        assertEquals(2, byAnalysis().size());
        assertTrue(byAnalysis().stream().allMatch(d -> "CONTINUE".equals(d.getDecision())));
        assertEquals(2, DeploymentLifecycleTest.count(c.log(), "PASS: continues"), c.log());
        EcsApprovalAction approvals = runner.run().getAction(EcsApprovalAction.class);
        assertTrue(approvals == null || approvals.getGates().isEmpty(), "nobody was asked");
    }

    @Test
    void aNamedAnalysisFromTheGlobalConfigurationIsUsedByName() throws Exception {
        EcsGlobalConfiguration g = new EcsGlobalConfiguration();
        StandInJenkins.register(g);
        g.setAnalyses(List.of(new AnalysisSpec("web-canary", AnalysisSpec.toJson(analysisMap()))));
        assertEquals(List.of(), List.of(new AnalysisSpec.DescriptorImpl().doCheckDefinition(g.getAnalyses().get(0)
                .getDefinition()).kind).stream().filter(k -> k != hudson.util.FormValidation.Kind.OK).toList());
        FakeStepContext c = runner.start(EcsCanaryStep.class, args("registry/web:bad-2.0", "web-canary"));
        c.awaitDone(WAIT);
        assertNotNull(c.failure());
        assertTrue(c.failure().getMessage().contains("rejected by analysis: 5xx-rate"), c.failure().getMessage());
        FakeStepContext unknown = runner.start(EcsCanaryStep.class, args("registry/web:2.0", "no-such-analysis"));
        unknown.awaitDone(WAIT);
        assertTrue(unknown.failure().getMessage().contains("analysis 'no-such-analysis': a map with metrics, JSON, or "
                + "the name of an analysis"), unknown.failure().getMessage());
    }
}
