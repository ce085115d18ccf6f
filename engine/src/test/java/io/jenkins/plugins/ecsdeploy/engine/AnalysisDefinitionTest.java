package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisJson;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisMetric;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisValidator;
import io.jenkins.plugins.ecsdeploy.engine.analysis.Condition;
import io.jenkins.plugins.ecsdeploy.engine.analysis.MetricQuery;
import io.jenkins.plugins.ecsdeploy.engine.analysis.TargetGroups;
import io.jenkins.plugins.ecsdeploy.simulator.RecordingEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Analysis definitions: conditions, placeholders, the text form, and every rule refused before any AWS call. */
class AnalysisDefinitionTest {

    static List<String> problems(AnalysisDefinition d, String strategy) {
        return AnalysisValidator.validate(d, strategy, List.of()).stream().map(ValidationProblem::message).toList();
    }

    @Test
    void conditionsReadAsPeopleWriteThemAbsoluteOrRelativeToBlue() {
        Condition abs = Condition.parse("< 1");
        assertEquals(1.0, abs.limit(50.0));
        assertTrue(abs.holds(0.99, abs.limit(null)));
        Condition rel = Condition.parse("<= 1.2 x blue");
        assertEquals(1.8, rel.limit(1.5), 1e-9);
        assertNull(rel.limit(null), "no blue value, no limit");
        assertEquals("<= 1.2 * blue", rel.describe());
        assertEquals("<= 1.2 * blue", Condition.parse("≤ 1.2 × blue").describe());
        assertNull(Condition.parse("about 1"));
    }

    @Test
    void placeholdersResolveForEachSideAndBlueIsGreenSwapped() {
        TargetGroups tg = new TargetGroups("targetgroup/web-green/2", "targetgroup/web-blue/1", "app/web/3");
        assertEquals("targetgroup/web-green/2", tg.resolve("${targetGroup}", "green"));
        assertEquals("targetgroup/web-blue/1", tg.resolve("${targetGroup}", "blue"));
        assertEquals("targetgroup/web-blue/1", tg.resolve("${greenTargetGroup}", "blue"));
        assertEquals("app/web/3", tg.resolve("${loadBalancer}", "blue"));
        assertEquals("targetgroup/web-blue/1", TargetGroups.dimensionOf(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-blue/1"));
        assertEquals("app/web-alb/50dc6c495c0c9188", TargetGroups.loadBalancerOf("arn:aws:elasticloadbalancing:"
                + "us-east-1:123456789012:listener-rule/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"));
        assertEquals("net/web-nlb/1", TargetGroups.loadBalancerOf(
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/net/web-nlb/1/2"));
    }

    @Test
    void theJsonFormReadsBackToTheSameDefinitionWithDefaultsForWhatIsLeftOut() {
        AnalysisDefinition d = AnalysisEndToEndTest.definition().dryRun(true).build();
        assertEquals(d, AnalysisJson.fromJson(AnalysisJson.toJson(d), "analysis"));
        AnalysisDefinition small = AnalysisJson.fromJson("{\"metrics\":[{\"name\":\"p99\",\"query\":{\"metricName\":"
                + "\"TargetResponseTime\",\"statistic\":\"p99\"},\"condition\":\"<= 1.2 * blue\"}]}", "f.json");
        assertEquals(3, small.measurements());
        assertEquals(60, small.intervalSeconds());
        assertEquals(MetricQuery.ALB, small.metrics().get(0).query().namespace());
        assertEquals(List.of(), problems(small, "CANARY"));
    }

    @Test
    void anUnknownMemberInTheFileIsNamedWithItsPathInsteadOfIgnored() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> AnalysisJson.fromJson(
                "{\"metrics\":[{\"name\":\"p99\",\"minimumSample\":5}]}", "canary.json"));
        assertTrue(e.problems().get(0).message().startsWith("canary.json.metrics[0].minimumSample: not a member;"),
                e.problems().toString());
    }

    @Test
    void everyRuleIsNamedWithFieldValueAndWhatIsAllowed() {
        AnalysisDefinition bad = AnalysisDefinition.builder().name("web canary")
                .metric(AnalysisMetric.math("rate", "100 * errors / requestz", Map.of("errors",
                        MetricQuery.alb("HTTPCode_Target_5XX_Count", "Sum")), Condition.parse("< 1"), 0))
                .metric(AnalysisMetric.of("p99", new MetricQuery(MetricQuery.ALB, "TargetResponseTime",
                        Map.of("TargetGroup", "${redTargetGroup}"), "p99.999", 45, null), null, -1))
                .stages(List.of("PRE_SCALE_UP")).intervalSeconds(90).measurements(2).failureLimit(2).build();
        List<String> p = problems(bad, "ROLLING");
        List<String> expected = List.of(
                "analysis.name 'web canary': 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
                "analysis 'ROLLING': analysis compares green's and blue's target groups: only with BLUE_GREEN, CANARY or LINEAR",
                "analysis.metrics[0].expression 'requestz': an id of the metric's inputs (errors)",
                "analysis.metrics[1].query.statistic 'p99.999': Sum, Average, SampleCount, Minimum, Maximum or a percentile pNN / pNN.NN (e.g. p99)",
                "analysis.metrics[1].query.periodSeconds '45': a multiple of 60 from 60 to 86400",
                "analysis.metrics[1].query.dimensions.TargetGroup '${redTargetGroup}': ${targetGroup}, ${greenTargetGroup}, ${blueTargetGroup} or ${loadBalancer}",
                "analysis.metrics[1].condition: '<', '<=', '>' or '>=' and a number, or a factor of blue's value: e.g. '< 1' or '<= 1.2 * blue'",
                "analysis.metrics[1].minimumSamples '-1': 0 or more",
                "analysis.stages[0] 'PRE_SCALE_UP': one of POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT: the gates where green and blue both serve traffic",
                "analysis.intervalSeconds '90': a multiple of 60 from 60 to 3600 (ALB metrics have one-minute resolution)",
                "analysis.failureLimit '2': 0 to measurements - 1 (1): failed measurements tolerated");
        assertEquals(expected, p);
    }

    @Test
    void anApprovalGateAtAStageTheAnalysisOwnsIsRefused() {
        DeploymentRequest r = DeploymentRequest.builder().region("us-east-1").cluster("demo").service("web")
                .taskDefinition("web:3").strategy(new Strategy.Canary(10.0, 5, 5))
                .gate(new Gate("PRE_PRODUCTION_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK))
                .analysis(AnalysisEndToEndTest.definition().build()).build();
        assertTrue(RequestValidator.validate(r).stream().anyMatch(x -> x.message().startsWith(
                "analysis.stages 'PRE_PRODUCTION_TRAFFIC_SHIFT': a stage with no approval gate of its own")),
                RequestValidator.validate(r).toString());
    }

    @Test
    void theEnginePlacesOnePauseHookPerAnalysisStageSizedToTheMeasuring() {
        DeploymentRequest r = DeploymentRequest.builder().region("us-east-1").cluster("demo").service("web")
                .taskDefinition("web:3").strategy(new Strategy.Linear(25.0, 5, 5))
                .analysis(AnalysisEndToEndTest.definition().build()).build();
        assertEquals(List.of(new Gate("PRE_PRODUCTION_TRAFFIC_SHIFT", 6 + 60, HookAction.ROLLBACK)), r.pauseGates());
        AnalysisDefinition dry = AnalysisEndToEndTest.definition().dryRun(true).build();
        assertEquals(List.of(new Gate("PRE_PRODUCTION_TRAFFIC_SHIFT", 6, HookAction.CONTINUE)),
                r.toBuilder().analysis(dry).build().pauseGates(), "ECS itself lets a dry run's gate go");
        String plan = Planner.plan(r, PlanContext.UNKNOWN).toText();
        assertTrue(plan.contains("analysis web-canary (PAUSE, 3 measurement(s) every 60 s, timeout 66 min -> ROLLBACK)"),
                plan);
    }

    @Test
    void aBadAnalysisIsRefusedBeforeAnyRequestLeaves() throws Exception {
        try (RecordingEndpoint rec = RecordingEndpoint.start();
             DeploymentEngine engine = new DeploymentEngine(EngineConfig.builder().region("us-east-1")
                     .endpointOverride(rec.endpoint()).maxAttempts(1)
                     .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                     .apiCallTimeout(Duration.ofSeconds(5)).build())) {
            DeploymentRequest r = DeploymentRequest.builder().region("us-east-1").cluster("demo").service("web")
                    .taskDefinition("web:3").strategy(new Strategy.Canary(10.0, 5, 5))
                    .analysis(AnalysisEndToEndTest.definition().measurements(0).build()).build();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> engine.start(r).get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof InvalidRequestException, e.toString());
            assertTrue(e.getCause().getMessage().contains("analysis.measurements '0': 1 to 60"), e.getCause().getMessage());
            assertEquals(List.of(), rec.requests());
        }
    }
}
