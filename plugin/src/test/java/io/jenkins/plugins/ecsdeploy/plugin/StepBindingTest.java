package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.PipelineBinder;
import io.jenkins.plugins.ecsdeploy.plugin.harness.Snippet;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Binding the steps from Pipeline-style argument maps (constructor, then setters), defaults and refusals. */
class StepBindingTest {
    final PipelineBinder binder = PipelineBinder.strict();
    StepRunner runner;

    @BeforeEach
    void setUp() {
        StandInJenkins.install();
        runner = StepRunner.create();
    }

    @AfterEach
    void tearDown() {
        StandInJenkins.reset();
    }

    static Map<String, Object> base(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", "prod");
        m.put("service", "web");
        m.put("region", "eu-west-1");
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Starts the step and returns its one-line refusal (no AWS call is made: no engine is configured). */
    String refusal(Class<? extends DeployStepBase> type, Map<String, Object> args) throws Exception {
        FakeStepContext c = runner.start(type, args);
        Throwable t = c.awaitDone(Duration.ofSeconds(5)).failure();
        assertInstanceOf(AbortException.class, t, String.valueOf(t));
        return t.getMessage();
    }

    @Test
    void requiredFieldsGoToTheConstructorAndOptionalOnesKeepTheirDefaults() throws Exception {
        EcsBlueGreenStep s = binder.instantiate(EcsBlueGreenStep.class, base("image", "web=registry/web:2"));
        assertEquals("prod", s.getCluster());
        assertEquals("web", s.getService());
        assertEquals("eu-west-1", s.getRegion());
        assertNull(s.getApproval());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", s.getApprovalStage());
        assertEquals(60, s.getApprovalTimeout());
        assertEquals("ROLLBACK", s.getApprovalTimeoutAction());
        assertEquals("ROLLBACK", s.getOnAbort());
        assertEquals("COMPLETED", s.getWaitUntil());
        assertTrue(s.isAlarmRollback());
        assertFalse(s.placesGate());
        assertEquals(List.of("cluster", "service", "region"), PipelineBinder.Model.of(EcsBlueGreenStep.class).parameterNames().subList(0, 3));
    }

    @Test
    void settersCoerceWhatScriptsWrite() throws Exception {
        EcsCanaryStep s = binder.instantiate(EcsCanaryStep.class, base(
                "image", List.of("web=registry/web:2", "log-router=registry/fluent:3"),
                "approval", "alice,release-managers", "approvalTimeout", "30", "canaryPercent", 5,
                "canaryBakeMinutes", "10", "alarms", List.of("HighErrors", "HighLatency"),
                "hooks", List.of(Map.of("functionArn", "arn:aws:lambda:eu-west-1:123456789012:function:smoke",
                        "roleArn", "arn:aws:iam::123456789012:role/ecs-hooks", "stages", List.of("POST_TEST_TRAFFIC_SHIFT"))),
                "onAbort", "leave", "waitUntil", "post_test_traffic_shift"));
        assertEquals("web=registry/web:2, log-router=registry/fluent:3", s.getImage());
        assertEquals("alice, release-managers", s.getApproval());
        assertEquals("alice, release-managers", s.approvalSubmitter());
        assertEquals(30, s.getApprovalTimeout());
        assertEquals(5.0, s.getCanaryPercent());
        assertEquals(10, s.getCanaryBakeMinutes());
        assertEquals("LEAVE", s.getOnAbort());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", s.getWaitUntil());
        assertEquals(1, s.getHooks().size());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", s.getHooks().get(0).getStages());

        DeploymentRequest r = s.toRequest(null, null);
        assertEquals(new Strategy.Canary(5.0, 10, null), r.strategy());
        RevisionSource.ImageOverrides images = (RevisionSource.ImageOverrides) r.revision();
        assertEquals(List.of("web", "log-router"), List.copyOf(images.imagesByContainer().keySet()));
        assertEquals(List.of(new Gate("POST_TEST_TRAFFIC_SHIFT", 30 + DeployStepBase.APPROVAL_TIMEOUT_MARGIN,
                io.jenkins.plugins.ecsdeploy.engine.HookAction.ROLLBACK)), r.gates(), "ECS PAUSE timeout = approvalTimeout + margin");
        assertEquals(List.of("HighErrors", "HighLatency"), r.alarms().names());
        assertEquals(1, r.hooks().size());
    }

    @Test
    void approvalTrueMeansAnyoneWithBuildAndWaitUntilAtTheApprovalStagePlacesAGate() throws Exception {
        EcsLinearStep approve = binder.instantiate(EcsLinearStep.class, base("taskDefinition", "web:7", "approval", true));
        assertEquals(Boolean.TRUE, approve.getApproval());
        assertNull(approve.approvalSubmitter());
        assertTrue(approve.placesGate());
        EcsLinearStep hold = binder.instantiate(EcsLinearStep.class, base("taskDefinition", "web:7", "waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        assertTrue(hold.placesGate(), "ECS holds the deployment while the pipeline goes on");
        EcsLinearStep noHold = binder.instantiate(EcsLinearStep.class, base("taskDefinition", "web:7", "waitUntil", "BAKE_TIME"));
        assertFalse(noHold.placesGate());
        assertTrue(noHold.toRequest(null, null).gates().isEmpty());
    }

    @Test
    void badValuesAreRefusedAtStartWithFieldValueAndWhatIsAllowed() throws Exception {
        assertEquals("ecsBlueGreen: approvalStage 'TEST_TRAFFIC_SHIFT': one of RECONCILE_SERVICE, PRE_SCALE_UP, "
                + "POST_SCALE_UP, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT "
                + "(ECS cannot pause at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT)",
                refusal(EcsBlueGreenStep.class, base("image", "web=x:1", "approval", true, "approvalStage", "TEST_TRAFFIC_SHIFT")));
        assertEquals("ecsBlueGreen: onAbort 'KEEP': ROLLBACK (roll the deployment back when the build is aborted) or LEAVE",
                refusal(EcsBlueGreenStep.class, base("image", "web=x:1", "onAbort", "keep")));
        assertTrue(refusal(EcsBlueGreenStep.class, base("image", "web=x:1", "waitUntil", "SOON"))
                .startsWith("ecsBlueGreen: waitUntil 'SOON': COMPLETED or one of the lifecycle stages RECONCILE_SERVICE"));
        assertEquals("ecsCanary: canaryPercent '150.0': a percentage between 0.1 and 100",
                refusal(EcsCanaryStep.class, base("image", "web=x:1", "canaryPercent", 150)));
        assertEquals("ecsRolling: image 'web': container=image, e.g. web=123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2",
                refusal(EcsRollingStep.class, base("image", "web")));
        assertEquals("ecsBlueGreen: approvalTimeout '0': minutes between 1 and 20158 (ECS allows a PAUSE hook up to "
                + "20160 minutes; Jenkins adds a 2-minute margin)",
                refusal(EcsBlueGreenStep.class, base("image", "web=x:1", "approval", true, "approvalTimeout", 0)));
        assertEquals("ecsBlueGreen: roleArn 'deployer': an IAM role ARN like arn:aws:iam::123456789012:role/deployer",
                refusal(EcsBlueGreenStep.class, base("image", "web=x:1", "roleArn", "deployer")));
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        Map<String, Object> args = base("image", "web=x:1", "taskDefinition", "web:3", "bakeMinutes", 2000);
        args.remove("service");
        String m = refusal(EcsBlueGreenStep.class, args);
        assertTrue(m.startsWith("ecsBlueGreen: 3 problems:"), m);
        assertTrue(m.contains("service: the ECS service name or ARN is required"), m);
        assertTrue(m.contains("taskDefinition/image/taskDefinitionFile 'taskDefinition=web:3, image=web=x:1, taskDefinitionFile=null': give exactly one of them"), m);
        assertTrue(m.contains("bakeMinutes '2000': minutes between 0 and 1440"), m);
    }

    @Test
    void aMissingRegionWithoutAGlobalDefaultIsRefused() throws Exception {
        Map<String, Object> args = base("image", "web=x:1");
        args.remove("region");
        assertTrue(refusal(EcsBlueGreenStep.class, args).startsWith("ecsBlueGreen: region: an AWS region"));
    }

    @Test
    void unknownKeysAreRefusedInStrictModeLikeJenkinsRule() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, base("image", "web=x:1", "colour", "blue"));
        Throwable t = c.awaitDone(Duration.ofSeconds(5)).failure();
        assertEquals("WARNING: Unknown parameter(s) found for class type '" + EcsBlueGreenStep.class.getName() + "': colour", t.getMessage());
    }

    @Test
    void deploymentStepsTakeTheDeploymentAsSoleArgumentAndAtGateNeedsABody() throws Exception {
        EcsWaitStep w = binder.bindCall(EcsWaitStep.class, List.of("arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/abc"));
        assertEquals("arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/abc", w.getDeployment());
        assertEquals("COMPLETED", w.getUntil());
        EcsApproveStep a = binder.instantiate(EcsApproveStep.class, Map.of("deployment", Map.of("deploymentArn", "arn:x"),
                "submitter", "ops", "submitterParameter", "who", "timeout", 30, "message", "Ship it?", "ok", "Ship"));
        assertEquals("ops", a.getSubmitter());
        assertEquals(30, a.getTimeout());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> runner.call(EcsAtGateStep.class, List.of(Map.of("deployment", "arn:x"))));
        assertEquals("ecsAtGate step must be called with a body", e.getMessage());
    }

    @Test
    void aDeploymentArgumentThatIsNeitherAHandleNorAnArnIsRefused() throws Exception {
        FakeStepContext c = runner.start(EcsWaitStep.class, Map.of("deployment", "web"));
        Throwable t = c.awaitDone(Duration.ofSeconds(5)).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().startsWith("deployment 'web': the value a deploy step returned"), t.getMessage());
    }

    @Test
    void snippetListsOnlyNonDefaultsAndParsesBackToAnEqualStep() throws Exception {
        EcsBlueGreenStep s = binder.instantiate(EcsBlueGreenStep.class, base("image", "web=x:1", "approval", true, "bakeMinutes", 5));
        String snippet = Snippet.of(s);
        assertEquals("ecsBlueGreen approval: true, bakeMinutes: 5, cluster: 'prod', image: 'web=x:1', region: 'eu-west-1', service: 'web'", snippet);
        Map<String, Object> back = Snippet.uninstantiate(s);
        EcsBlueGreenStep again = binder.instantiate(EcsBlueGreenStep.class, back);
        assertEquals(Snippet.of(again), snippet);
    }

    @Test
    void hooksRoundTripThroughTheSnippetAsLambdaHookSymbols() throws Throwable {
        StandInJenkins.register(new LambdaHookSpec.DescriptorImpl());
        EcsLinearStep s = binder.instantiate(EcsLinearStep.class, base("taskDefinition", "api:43",
                "hooks", List.of(Map.of("functionArn", "arn:aws:lambda:eu-west-1:123456789012:function:f",
                        "roleArn", "arn:aws:iam::123456789012:role/r", "stages", "POST_SCALE_UP"))));
        String snippet = Snippet.of(s);
        assertTrue(snippet.contains("hooks: [lambdaHook(functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:f', "
                + "roleArn: 'arn:aws:iam::123456789012:role/r', stages: 'POST_SCALE_UP')]"), snippet);
        // run the snippet text with the real Groovy 2.4.21 and bind it as Pipeline would: the same step
        List<org.jenkinsci.plugins.workflow.steps.Step> bound = new java.util.ArrayList<>();
        io.jenkins.plugins.ecsdeploy.plugin.harness.GroovyPipeline.bindingOnly((name, step) -> bound.add(step) ? null : null)
                .steps(EcsLinearStep.class).symbols("lambdaHook").run(snippet);
        assertEquals(snippet, Snippet.of(bound.get(0)));
    }
}
