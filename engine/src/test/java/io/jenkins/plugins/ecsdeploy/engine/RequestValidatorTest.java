package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per validation rule: each asserts the whole message (field, value given, what is allowed). */
class RequestValidatorTest {
    static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:smoke";
    static final String ROLE = "arn:aws:iam::123456789012:role/ecs-hooks";

    static DeploymentRequest.Builder valid() {
        return DeploymentRequest.builder().region("us-east-1").cluster("prod").service("web").taskDefinition("web:42")
                .strategy(new Strategy.BlueGreen(30)).gate(new Gate(null, 60, HookAction.ROLLBACK));
    }

    static String only(DeploymentRequest.Builder b) {
        List<ValidationProblem> p = RequestValidator.validate(b.build());
        assertEquals(1, p.size(), () -> "expected one problem, got " + p);
        return p.get(0).message();
    }

    @Test
    void aValidRequestHasNoProblems() {
        assertEquals(List.of(), RequestValidator.validate(valid().build()));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        var p = RequestValidator.validate(DeploymentRequest.builder().build());
        assertEquals(List.of("region", "service", "revision", "strategy"), p.stream().map(ValidationProblem::field).toList());
    }

    @Test
    void checkThrowsWithAllMessages() {
        var e = assertThrows(InvalidRequestException.class, () -> RequestValidator.check(valid().region(null).service("").build()));
        assertEquals(2, e.problems().size());
        assertTrue(e.getMessage().contains("region: a region is required, e.g. us-east-1"));
    }

    @Test
    void regionIsRequired() {
        assertEquals("region: a region is required, e.g. us-east-1", only(valid().region(" ").region(null)));
    }

    @Test
    void regionMustLookLikeARegion() {
        assertEquals("region 'Virginia': expected an AWS region code such as us-east-1", only(valid().region("Virginia")));
    }

    @Test
    void clusterMustBeANameOrArn() {
        assertEquals("cluster 'my cluster': a cluster name (1-255 letters, digits, - and _) or cluster ARN; "
                + "leave it out for 'default'", only(valid().cluster("my cluster")));
    }

    @Test
    void serviceIsRequired() {
        assertEquals("service: a service name or ARN is required", only(valid().service("")));
    }

    @Test
    void serviceMustBeANameOrArn() {
        assertEquals("service 'web/api': a service name (1-255 letters, digits, - and _) or service ARN",
                only(valid().service("web/api")));
    }

    @Test
    void revisionIsRequired() {
        assertEquals("revision: give a task definition (ARN or family:revision), image overrides "
                + "(container=image) or a task definition JSON file", only(valid().revision(null)));
    }

    @Test
    void taskDefinitionMustBeArnOrFamilyRevision() {
        assertEquals("taskDefinition 'web': a task definition ARN or family:revision, e.g. web:42 "
                + "(revision 1 or more)", only(valid().taskDefinition("web")));
        assertEquals(List.of(), RequestValidator.validate(valid()
                .taskDefinition("arn:aws:ecs:us-east-1:123456789012:task-definition/web:7").build()));
    }

    @Test
    void imageOverridesNeedAtLeastOnePair() {
        assertEquals("images: at least one container=image pair, e.g. web=registry/web:1.4.2",
                only(valid().revision(new RevisionSource.ImageOverrides(Map.of()))));
    }

    @Test
    void imageOverrideMustBeContainerEqualsImage() {
        assertEquals("images 'registry/web:1.4.2': container=image, e.g. web=registry/web:1.4.2",
                only(valid().revision(RevisionSource.ImageOverrides.parse(List.of("registry/web:1.4.2")))));
    }

    @Test
    void imageOverrideContainerNameMustBeValid() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("web app", "registry/web:1");
        assertEquals("images[web app] 'web app': a container name: 1-255 letters, digits, - and _",
                only(valid().revision(new RevisionSource.ImageOverrides(m))));
    }

    @Test
    void imageMustHaveNoSpaces() {
        assertEquals("images[web] 'registry/web: 1': no spaces, control or invisible characters (space at "
                + "position 14); an image reference [registry[:port]/]repository[:tag][@sha256:digest] of at most 255 "
                + "letters, digits and . _ - / : @, e.g. registry/web:1.4.2",
                only(valid().revision(new RevisionSource.ImageOverrides(Map.of("web", "registry/web: 1")))));
    }

    @Test
    void taskDefinitionJsonMustBeJson() {
        String m = only(valid().revision(new RevisionSource.TaskDefinitionJson("{nope", "td.json")));
        assertTrue(m.startsWith("taskDefinitionJson(td.json) '{nope': valid JSON: "), m);
    }

    @Test
    void taskDefinitionJsonNeedsFamilyAndContainers() {
        var p = RequestValidator.validate(valid().revision(new RevisionSource.TaskDefinitionJson("{}", "td.json")).build());
        assertEquals(List.of(
                "taskDefinitionJson(td.json).family: a family name: 1-255 letters, digits, - and _",
                "taskDefinitionJson(td.json).containerDefinitions: a non-empty array of container definitions"),
                p.stream().map(ValidationProblem::message).toList());
    }

    @Test
    void taskDefinitionJsonContainersNeedNameAndImage() {
        assertEquals("taskDefinitionJson(td.json).containerDefinitions[0].image: a text value: an image "
                + "reference [registry[:port]/]repository[:tag][@sha256:digest] of at most 255 letters, digits and . _ - / : @, "
                + "e.g. registry/web:1.4.2", only(valid().revision(new RevisionSource.TaskDefinitionJson(
                "{\"family\":\"web\",\"containerDefinitions\":[{\"name\":\"web\"}]}", "td.json"))));
    }

    @Test
    void strategyIsRequired() {
        assertEquals("strategy: one of ROLLING, BLUE_GREEN, CANARY, LINEAR",
                only(valid().strategy(null).gates(List.of())));
    }

    @Test
    void blueGreenNeedsABakeTime() {
        assertEquals("bakeMinutes: required for BLUE_GREEN: minutes from 0 to 1440 that blue and green "
                + "run side by side after the shift", only(valid().strategy(new Strategy.BlueGreen(null))));
    }

    @Test
    void bakeTimeIsAtMost1440() {
        assertEquals("bakeMinutes '1441': whole minutes from 0 to 1440 (24 hours)",
                only(valid().strategy(new Strategy.BlueGreen(1441))));
        assertEquals("bakeMinutes '-1': whole minutes from 0 to 1440 (24 hours)",
                only(valid().strategy(new Strategy.Canary(5.0, 10, -1))));
    }

    @Test
    void canaryPercentIsFromPointOneTo100() {
        assertEquals("canaryPercent '0.0': a multiple of 0.1 from 0.1 to 100",
                only(valid().strategy(new Strategy.Canary(0.0, 10, 10))));
        assertEquals("canaryPercent '100.5': a multiple of 0.1 from 0.1 to 100",
                only(valid().strategy(new Strategy.Canary(100.5, 10, 10))));
    }

    @Test
    void canaryPercentIsAMultipleOfPointOne() {
        assertEquals("canaryPercent '2.55': a multiple of 0.1 from 0.1 to 100",
                only(valid().strategy(new Strategy.Canary(2.55, 10, 10))));
        assertEquals(List.of(), RequestValidator.validate(valid().strategy(new Strategy.Canary(0.3, 10, 10)).build()));
    }

    @Test
    void canaryBakeIsFrom0To1440() {
        assertEquals("canaryBakeMinutes '2000': whole minutes from 0 to 1440 (24 hours)",
                only(valid().strategy(new Strategy.Canary(5.0, 2000, 10))));
    }

    @Test
    void linearStepIsFrom3To100() {
        assertEquals("stepPercent '2.9': a multiple of 0.1 from 3 to 100",
                only(valid().strategy(new Strategy.Linear(2.9, 5, 10))));
    }

    @Test
    void linearStepIsAMultipleOfPointOne() {
        assertEquals("stepPercent '33.33': a multiple of 0.1 from 3 to 100",
                only(valid().strategy(new Strategy.Linear(33.33, 5, 10))));
    }

    @Test
    void linearStepBakeIsFrom0To1440() {
        assertEquals("stepBakeMinutes '-5': whole minutes from 0 to 1440 (24 hours)",
                only(valid().strategy(new Strategy.Linear(10.0, -5, 10))));
    }

    @Test
    void aDeploymentMayTakeAtMost30Days() {
        String m = only(valid().strategy(new Strategy.Linear(3.0, 1440, 1440)));
        assertEquals("strategy 'LINEAR 3% every 1440 min, bake 1440 min': the "
                + "bakes add up to 48960 minutes; a deployment may take at most 43200 minutes (30 days)", m);
    }

    @Test
    void rollingMinimumHealthyPercentIsFrom0To100() {
        assertEquals("minimumHealthyPercent '120': an integer from 0 to 100",
                only(valid().strategy(new Strategy.Rolling(120, 200, null, null)).gates(List.of())));
    }

    @Test
    void rollingMaximumPercentIsAtLeast100() {
        assertEquals("maximumPercent '90': an integer of 100 or more (200 is the ECS default)",
                only(valid().strategy(new Strategy.Rolling(null, 90, null, null)).gates(List.of())));
    }

    @Test
    void rollingMaximumMustExceedMinimum() {
        assertEquals("maximumPercent '100': more than minimumHealthyPercent (100), or ECS could neither "
                + "start nor stop a task", only(valid().strategy(new Strategy.Rolling(100, 100, null, null)).gates(List.of())));
    }

    @Test
    void circuitBreakerRollbackNeedsTheCircuitBreaker() {
        assertEquals("circuitBreakerRollback 'true': only with circuitBreaker enabled (rollback is an "
                + "action of the circuit breaker)", only(valid().strategy(new Strategy.Rolling(50, 200, false, true)).gates(List.of())));
    }

    @Test
    void withRollingGatesSitBeforeOrAfterTheNewTasksStart() {
        assertEquals("gates[0].stage 'POST_TEST_TRAFFIC_SHIFT': with ROLLING one of PRE_SCALE_UP, "
                + "POST_SCALE_UP (a rolling update shifts no traffic; a gate at another stage might never be reached, and the "
                + "deployment would go on unapproved)", only(valid().strategy(new Strategy.Rolling(50, 200, true, true))));
        assertEquals(List.of(), RequestValidator.validate(valid().strategy(new Strategy.Rolling(50, 200, true, true))
                .gates(List.of(new Gate("POST_SCALE_UP", 60, HookAction.ROLLBACK), new Gate("PRE_SCALE_UP", 60, HookAction.CONTINUE)))
                .build()));
    }

    @Test
    void pauseIsNotAllowedAtTrafficShiftStages() {
        String allowed = "a PAUSE hook cannot be placed at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT (ECS re-runs "
                + "those stages during a rollback); use one of RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, "
                + "POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT";
        assertEquals("gates[0].stage 'TEST_TRAFFIC_SHIFT': " + allowed,
                only(valid().gates(List.of(new Gate("TEST_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK)))));
        assertEquals("gates[0].stage 'PRODUCTION_TRAFFIC_SHIFT': " + allowed,
                only(valid().gates(List.of(new Gate("PRODUCTION_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK)))));
    }

    @Test
    void gateStageMustBeAPauseStage() {
        assertEquals("gates[0].stage 'BAKE_TIME': one of RECONCILE_SERVICE, PRE_SCALE_UP, POST_SCALE_UP, "
                + "POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT",
                only(valid().gates(List.of(new Gate("BAKE_TIME", 60, HookAction.ROLLBACK)))));
    }

    @Test
    void oneGatePerStage() {
        assertEquals("gates[1].stage 'POST_TEST_TRAFFIC_SHIFT': one gate per stage",
                only(valid().gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 30, HookAction.CONTINUE))));
    }

    @Test
    void gateTimeoutIsFrom1To20160() {
        assertEquals("gates[0].timeoutMinutes '0': whole minutes from 1 to 20160 (14 days)",
                only(valid().gates(List.of(new Gate(null, 0, HookAction.ROLLBACK)))));
        assertEquals("gates[0].timeoutMinutes '20161': whole minutes from 1 to 20160 (14 days)",
                only(valid().gates(List.of(new Gate(null, 20161, HookAction.ROLLBACK)))));
    }

    @Test
    void atMostTenGates() {
        List<Gate> g = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            g.add(new Gate("POST_SCALE_UP", 60, HookAction.ROLLBACK));
        }
        var p = RequestValidator.validate(valid().gates(g).build());
        assertEquals("gates '11': at most 10 gates (one PAUSE hook each; ECS allows 10 per service)",
                p.get(0).message());
    }

    @Test
    void atMostTenLambdaHooks() {
        List<LambdaHook> h = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            h.add(new LambdaHook(FN, ROLE, List.of("POST_SCALE_UP"), null, null, null));
        }
        assertEquals("hooks '11': at most 10 Lambda hooks per service",
                only(valid().hooks(h)));
    }

    @Test
    void lambdaHookNeedsAFunctionArn() {
        assertEquals("hooks[0].functionArn 'smoke': a Lambda function ARN, "
                + "arn:aws:lambda:<region>:<account>:function:<name>[:<alias>]",
                only(valid().hook(new LambdaHook("smoke", ROLE, List.of("POST_SCALE_UP"), null, null, null))));
    }

    @Test
    void lambdaHookNeedsARoleArn() {
        assertEquals("hooks[0].roleArn: an IAM role ARN, arn:aws:iam::<account>:role/<name>, that ECS "
                + "assumes to invoke the function", only(valid().hook(new LambdaHook(FN, null, List.of("POST_SCALE_UP"), null, null, null))));
    }

    @Test
    void lambdaHookNeedsStages() {
        assertEquals("hooks[0].stages: one or more of " + String.join(", ", RequestValidator.HOOK_STAGES),
                only(valid().hook(new LambdaHook(FN, ROLE, List.of(), null, null, null))));
    }

    @Test
    void lambdaHookStageMustBeAHookStage() {
        assertEquals("hooks[0].stages 'SCALE_UP': one of " + String.join(", ", RequestValidator.HOOK_STAGES),
                only(valid().hook(new LambdaHook(FN, ROLE, List.of("SCALE_UP"), null, null, null))));
    }

    @Test
    void lambdaHookStagesOnceEach() {
        assertEquals("hooks[0].stages 'POST_SCALE_UP': each stage once",
                only(valid().hook(new LambdaHook(FN, ROLE, List.of("POST_SCALE_UP", "POST_SCALE_UP"), null, null, null))));
    }

    @Test
    void lambdaHookDetailsMustBeAJsonObject() {
        assertEquals("hooks[0].hookDetails '[1,2]': a JSON object",
                only(valid().hook(new LambdaHook(FN, ROLE, List.of("POST_SCALE_UP"), "[1,2]", null, null))));
    }

    @Test
    void lambdaHookTimeoutIsFrom1To1440() {
        String allowed = "whole minutes from 1 to 1440 (24 hours) for a Lambda hook; only gates (PAUSE hooks) wait up to 20160";
        assertEquals("hooks[0].timeoutMinutes '0': " + allowed,
                only(valid().hook(new LambdaHook(FN, ROLE, List.of("POST_SCALE_UP"), null, 0, HookAction.ROLLBACK))));
        assertEquals("hooks[0].timeoutMinutes '1441': " + allowed,
                only(valid().hook(new LambdaHook(FN, ROLE, List.of("POST_SCALE_UP"), null, 1441, HookAction.ROLLBACK))));
        assertEquals(List.of(), RequestValidator.validate(valid().hook(new LambdaHook(FN, ROLE, List.of("POST_SCALE_UP"), null,
                1440, HookAction.ROLLBACK)).build()));
    }

    @Test
    void withRollingLambdaHooksRunBeforeOrAfterTheNewTasksStart() {
        assertEquals("hooks[0].stages 'TEST_TRAFFIC_SHIFT': with ROLLING one of PRE_SCALE_UP, POST_SCALE_UP "
                + "(a rolling update shifts no traffic; a hook at another stage might never run)",
                only(valid().strategy(new Strategy.Rolling(null, null, null, null))
                .gates(List.of()).hook(new LambdaHook(FN, ROLE, List.of("POST_SCALE_UP", "TEST_TRAFFIC_SHIFT"), null, null, null))));
    }

    @Test
    void theCircuitBreakerGoesWithEveryStrategy() {
        assertEquals(List.of(), RequestValidator.validate(valid().strategy(new Strategy.BlueGreen(30, true, true)).build()));
        assertEquals(List.of(), RequestValidator.validate(valid().strategy(new Strategy.Canary(10.0, 5, 5, true, false)).build()));
        assertEquals(List.of(), RequestValidator.validate(valid().strategy(new Strategy.Linear(10.0, 5, 5, true, null)).build()));
        assertEquals("circuitBreakerRollback 'true': only with circuitBreaker enabled (rollback is an action "
                + "of the circuit breaker)", only(valid().strategy(new Strategy.Linear(10.0, 5, 5, false, true))));
        assertEquals(new Strategy.Canary(10.0, null, null, true, true),
                new StrategyParameters("canary", null, null, true, true, null, 10.0, null, null, null).toStrategy());
    }

    @Test
    void earlySuccessNeedsAHealthyPercentAtLeastTheMinimumAndACleanup() {
        var rolling = valid().gates(List.of());
        assertEquals(List.of(), RequestValidator.validate(rolling.strategy(new Strategy.Rolling(50, 200, null, null,
                new Strategy.EarlySuccess(80, "DEFERRED"))).build()));
        assertEquals("earlySuccessPercent '40': at least minimumHealthyPercent (50)",
                only(rolling.strategy(new Strategy.Rolling(50, 200, null, null, new Strategy.EarlySuccess(40, "BLOCKING")))));
        assertEquals("earlySuccessCleanup 'LATER': BLOCKING (remove the old tasks, then complete) or "
                + "DEFERRED (complete, then remove them)",
                only(rolling.strategy(new Strategy.Rolling(null, null, null, null, new Strategy.EarlySuccess(90, "LATER")))));
        var e = assertThrows(InvalidRequestException.class, () -> new StrategyParameters("BLUE_GREEN", null, null, null, null,
                5, null, null, null, null, 90, "DEFERRED").toStrategy());
        assertEquals("earlySuccessPercent '90': only with strategy ROLLING (this deployment is BLUE_GREEN)",
                e.problems().get(0).message());
    }

    @Test
    void alarmsNeedAName() {
        assertEquals("alarms.names: at least one CloudWatch alarm name (or leave alarms out)",
                only(valid().alarms(new Alarms(List.of(), true))));
    }

    @Test
    void alarmNamesOnceEach() {
        assertEquals("alarms.names 'web-5xx': each alarm once",
                only(valid().alarms(new Alarms(List.of("web-5xx", "web-5xx"), true))));
    }

    @Test
    void desiredCountIsNotNegative() {
        assertEquals("desiredCount '-1': 0 or more tasks", only(valid().desiredCount(-1)));
    }

    static StrategyParameters params(String s, Double canary, Double step, Integer min, Integer bake) {
        return new StrategyParameters(s, min, null, null, null, bake, canary, null, step, null);
    }

    @Test
    void canarySettingsOnlyWithCanary() {
        var e = assertThrows(InvalidRequestException.class, () -> params("LINEAR", 5.0, 10.0, null, 5).toStrategy());
        assertEquals("canaryPercent '5.0': only with strategy CANARY (this deployment is LINEAR)", e.getMessage());
    }

    @Test
    void linearSettingsOnlyWithLinear() {
        var e = assertThrows(InvalidRequestException.class, () -> params("canary", 5.0, 10.0, null, 5).toStrategy());
        assertEquals("stepPercent '10.0': only with strategy LINEAR (this deployment is CANARY)", e.getMessage());
    }

    @Test
    void rollingSettingsOnlyWithRolling() {
        var e = assertThrows(InvalidRequestException.class, () -> params("BLUE_GREEN", null, null, 50, 5).toStrategy());
        assertEquals("minimumHealthyPercent '50': only with strategy ROLLING (this deployment is BLUE_GREEN)",
                e.getMessage());
    }

    @Test
    void noBakeTimeWithRolling() {
        var e = assertThrows(InvalidRequestException.class, () -> params("ROLLING", null, null, 50, 5).toStrategy());
        assertEquals("bakeMinutes '5': only with BLUE_GREEN, CANARY or LINEAR (this deployment is ROLLING)",
                e.getMessage());
    }

    @Test
    void strategyNameMustBeKnown() {
        var e = assertThrows(InvalidRequestException.class, () -> params("red-black", null, null, null, null).toStrategy());
        assertEquals("strategy 'red-black': one of ROLLING, BLUE_GREEN, CANARY, LINEAR", e.getMessage());
        assertEquals(new Strategy.BlueGreen(5), params("blue-green", null, null, null, 5).toStrategy());
    }

    @Test
    void engineConfigNeedsARegion() {
        var e = assertThrows(InvalidRequestException.class, () -> EngineConfig.builder().build());
        assertEquals("region: a region is required, e.g. us-east-1", e.getMessage());
    }

    @Test
    void engineConfigCeilingIsAtLeastTheFloor() {
        var e = assertThrows(InvalidRequestException.class, () -> EngineConfig.builder().region("us-east-1")
                .pollFloor(java.time.Duration.ofSeconds(10)).pollCeiling(java.time.Duration.ofSeconds(5)).build());
        assertEquals("pollCeiling 'PT5S': at least pollFloor (PT10S)", e.getMessage());
    }

    @Test
    void deploymentArnMustBeAServiceDeploymentArn() {
        var e = assertThrows(InvalidRequestException.class, () -> DeploymentHandle.fromArn("arn:aws:ecs:us-east-1:1:service/x/y"));
        assertEquals("deploymentArn 'arn:aws:ecs:us-east-1:1:service/x/y': expected "
                + "arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>", e.getMessage());
        var h = DeploymentHandle.fromArn("arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/abc");
        assertEquals(List.of("eu-west-1", "123456789012", "prod", "web"), List.of(h.region(), h.accountId(), h.cluster(), h.service()));
    }
}
