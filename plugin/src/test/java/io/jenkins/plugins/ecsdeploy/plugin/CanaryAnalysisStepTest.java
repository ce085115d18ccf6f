package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.EnvVars;
import hudson.util.StreamTaskListener;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeJob;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeRun;
import io.jenkins.plugins.ecsdeploy.plugin.harness.PipelineBinder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
        // the build page's summary line names the analysis's verdict and the metric
        EcsProgressAction page = runner.run().getAction(EcsProgressAction.class);
        String summary = page.analysisOf(page.getDeployments().get(0));
        assertTrue(summary.contains("canary analysis at PRE_PRODUCTION_TRAFFIC_SHIFT: FAIL, ROLLBACK after 1/3"
                + " measurement(s): 5xx-rate: green 2 vs blue 1"), summary);
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

    @Test
    void anInconclusiveAnalysisOffersTheGateOnTheBuildWithTheMeasurementsOnTheProgressPage() throws Exception {
        sandbox.sim.metrics().requestsPerSecond(0.5).testRequestsPerSecond(0.5); // 30 requests a minute < 100
        FakeStepContext c = runner.start(EcsCanaryStep.class, args("registry/web:2.0", analysisMap()));
        EcsSandbox.await("the analysis to ask a person", WAIT, () -> runner.run().getAction(EcsApprovalAction.class) != null
                && !runner.run().getAction(EcsApprovalAction.class).getWaitingGates().isEmpty(), c);
        EcsApprovalAction approvals = runner.run().getAction(EcsApprovalAction.class);
        GateRecord g = approvals.getWaitingGates().get(0);
        assertEquals("PRE_PRODUCTION_TRAFFIC_SHIFT", g.getStage());
        assertTrue(g.getMessage().contains("canary analysis was inconclusive"), g.getMessage());
        assertTrue(c.log().contains("measurement 1/3: INCONCLUSIVE; 5xx-rate: "), c.log());
        assertTrue(c.log().contains("too few samples on green: 30 < 100"), c.log());
        // the build's progress page (EcsProgressAction, rendered by web/analysis.js) gets the measurements to show
        JsonNode page = ProgressAndEndpointsTest.get(runner.run().getAction(EcsProgressAction.class), "d1");
        JsonNode run = page.path("analyses").path(0);
        assertEquals("INCONCLUSIVE", run.path("verdict").asText(), page.path("analyses").toString());
        assertEquals("ASK", run.path("action").asText());
        JsonNode rate = run.path("measurements").path(0).path("values").path(0);
        assertEquals("5xx-rate", rate.path("metric").asText());
        assertEquals(30.0, rate.path("greenSamples").asDouble(), 1.0);
        assertFalse(rate.path("blue").isNull(), "blue's value is shown too: " + rate);
        assertTrue(rate.path("note").asText().contains("too few samples on green"), rate.toString());

        EcsApprovalAction.Reply r = approvals.decide(g.getHookId(), HookAction.ROLLBACK, "too little traffic to judge",
                new SubmitterRules.Decider("alice", "Alice", List.of(), false, true), SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(200, r.status(), r.message());
        c.awaitDone(WAIT);
        assertNotNull(c.failure(), c.log());
        assertTrue(c.failure().getMessage().contains("alice"), c.failure().getMessage());
        assertEquals(List.of(), byAnalysis(), "the analysis decided nothing: the person did");
    }

    @Test
    void aDryRunDecidesNothingAndTheConsoleSaysWhatItWouldHaveDone() throws Exception {
        Map<String, Object> a = analysisMap();
        a.put("dryRun", true);
        FakeStepContext c = runner.start(EcsCanaryStep.class, args("registry/web:bad-2.0", a));
        @SuppressWarnings("unchecked")
        Map<String, Object> done = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", done.get("outcome"), "the bad green went through, as without analysis: " + c.log());
        assertTrue(c.log().contains("FAIL (dry run): would have rolled back: 5xx-rate: green 2 vs blue 1"), c.log());
        assertEquals(List.of(), byAnalysis(), "a dry run records no decision");
        EcsApprovalAction approvals = runner.run().getAction(EcsApprovalAction.class);
        assertTrue(approvals == null || approvals.getGates().isEmpty(), "nobody was asked");
    }

    @Test
    void theFreestyleBuilderWithALinearStrategyIsAnalysedAtEveryStepLikeThePipelineStep() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>(args("registry/web:2.0", null));
        m.remove("canaryPercent");
        m.remove("canaryBakeMinutes");
        m.remove("analysis");
        m.put("stepPercent", 50);
        m.put("stepBakeMinutes", 1);
        EcsLinearStep step = PipelineBinder.strict().instantiate(EcsLinearStep.class, m);
        step.setAnalysis(AnalysisSpec.toJson(analysisMap())); // the freestyle form posts the JSON text
        FakeRun run = new FakeRun(new FakeJob("freestyle"), 1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new EcsDeployBuilder(step).perform(run, new EnvVars(), new StreamTaskListener(log));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("deployment finished: SUCCEEDED"), text);
        List<EcsDecisionAction> audit = run.getActions(EcsDecisionAction.class).stream()
                .filter(d -> "analysis".equals(d.getUserId())).toList();
        // two linear steps (to 50 %, to 100 %), each held and measured before its shift
        assertEquals(2, audit.size(), text);
        assertTrue(audit.stream().allMatch(d -> "CONTINUE".equals(d.getDecision())), audit.toString());
        assertEquals(2, DeploymentLifecycleTest.count(text, "PASS: continues"), text);
    }

    @Test
    void theBuildsProgressPageServesTheAnalysisPanelUnderAVersionThatCoversIt() throws Exception {
        byte[] js = EcsProgressAction.asset("analysis.js");
        assertNotNull(js, "web/analysis.js is served next to progress.js");
        assertTrue(new String(js, StandardCharsets.UTF_8).contains("registerSection"));
        assertNotNull(EcsProgressAction.asset("analysis.css"));
        // the asset URL's version is cached for a year: it must cover every file progress.js loads next to itself
        String progress = new String(EcsProgressAction.asset("progress.js"), StandardCharsets.UTF_8);
        java.util.regex.Matcher ext = java.util.regex.Pattern.compile("\\{ name: '([a-z-]+)'(, css: true)? }")
                .matcher(progress.substring(progress.indexOf("var EXTENSION_FILES"),
                        progress.indexOf('\n', progress.indexOf("var EXTENSION_FILES"))));
        List<String> loaded = new java.util.ArrayList<>();
        while (ext.find() && loaded.size() < 20) {
            loaded.add(ext.group(1) + ".js");
            if (ext.group(2) != null) {
                loaded.add(ext.group(1) + ".css");
            }
        }
        assertTrue(loaded.containsAll(List.of("analysis.js", "analysis.css")), "progress.js loads the panel: " + loaded);
        assertTrue(EcsProgressAction.VERSIONED_ASSETS.containsAll(loaded), EcsProgressAction.VERSIONED_ASSETS + " vs " + loaded);
    }

    /** After a controller restart the page's record keeps the measurements taken before it (SnapshotHistory). */
    @Test
    void theMeasurementsTakenBeforeARestartStayOnTheProgressPage() throws Exception {
        String before = "{\"analyses\":[{\"hookId\":\"h1\",\"verdict\":\"PASS\",\"action\":\"CONTINUE\","
                + "\"measurements\":[{\"index\":1}]}],\"events\":[]}";
        String after = "{\"analyses\":[{\"hookId\":\"h2\",\"verdict\":null,\"measurements\":[]}],\"events\":[]}";
        JsonNode merged = ProgressAndEndpointsTest.JSON.readTree(SnapshotHistory.merge(before, after));
        assertEquals(2, merged.path("analyses").size(), merged.toString());
        assertEquals("h1", merged.path("analyses").path(0).path("hookId").asText());
        assertEquals("PASS", merged.path("analyses").path(0).path("verdict").asText());
        assertEquals("h2", merged.path("analyses").path(1).path("hookId").asText());
    }
}
