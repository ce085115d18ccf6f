package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookAction;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookDetail;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookTargetType;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentNotFoundException;

class PauseHookTest extends SimulatorTestBase {

    static DeploymentLifecycleHook pause(String stage, Integer timeoutMinutes, DeploymentLifecycleHookAction action) {
        DeploymentLifecycleHook.Builder b = DeploymentLifecycleHook.builder().targetType(DeploymentLifecycleHookTargetType.PAUSE)
                .lifecycleStagesWithStrings(stage);
        if (timeoutMinutes != null) {
            b.timeoutConfiguration(t -> t.timeoutInMinutes(timeoutMinutes).action(action));
        }
        return b.build();
    }

    private String startWithPause(String stage, Integer timeout, DeploymentLifecycleHookAction action) {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        return deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN)
                .bakeTimeInMinutes(0).lifecycleHooks(pause(stage, timeout, action)).build());
    }

    /** Advances in 5 s steps until a hook awaits action; returns it. */
    private DeploymentLifecycleHookDetail awaitPause(String arn) {
        for (int i = 0; i < 2000; i++) {
            ServiceDeployment d = describe(arn);
            for (DeploymentLifecycleHookDetail h : d.lifecycleHookDetails()) {
                if ("AWAITING_ACTION".equals(h.statusAsString())) {
                    return h;
                }
            }
            clock.advance(Duration.ofSeconds(5));
        }
        throw new AssertionError("no hook awaited action: " + describe(arn));
    }

    @Test
    void pauseWaitsForContinueThenFinishes() {
        String arn = startWithPause("POST_TEST_TRAFFIC_SHIFT", null, null);
        DeploymentLifecycleHookDetail h = awaitPause(arn);
        Instant awaitingSince = clock.instant();
        assertEquals("PAUSE", h.targetTypeAsString());
        assertNull(h.targetArn());
        assertEquals("ROLLBACK", h.timeoutActionAsString());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", describe(arn).lifecycleStageAsString());
        // Default timeout 1440 minutes from the stage start (DeploymentLifecycleHook API reference).
        assertTrue(Duration.between(awaitingSince, h.expiresAt()).compareTo(Duration.ofMinutes(1439)) > 0);

        clock.advance(Duration.ofHours(3));
        assertEquals("AWAITING_ACTION", describe(arn).lifecycleHookDetails().get(0).statusAsString());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", describe(arn).lifecycleStageAsString());

        ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId(h.hookId()).action(DeploymentLifecycleHookAction.CONTINUE));
        // All hooks of the stage are done, so the next stage starts at once.
        assertEquals("PRE_PRODUCTION_TRAFFIC_SHIFT", describe(arn).lifecycleStageAsString());
        ServiceDeployment done = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("SUCCESSFUL", done.statusAsString());
    }

    @Test
    void pauseAnsweredRollbackRollsBackAndRecordsTheReason() {
        String arn = startWithPause("POST_TEST_TRAFFIC_SHIFT", null, null);
        DeploymentLifecycleHookDetail h = awaitPause(arn);
        String blue = describe(arn).sourceServiceRevisions().get(0).arn();

        ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId(h.hookId()).action(DeploymentLifecycleHookAction.ROLLBACK));

        ServiceDeployment d = describe(arn);
        assertEquals("ROLLBACK_IN_PROGRESS", d.statusAsString());
        assertTrue(d.rollback().reason().contains("ROLLBACK"), d.rollback().reason());
        assertEquals(blue, d.rollback().serviceRevisionArn());
        assertEquals(clock.instant(), d.rollback().startedAt());
        ServiceDeployment done = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", done.statusAsString());
        assertEquals(0, done.targetServiceRevision().runningTaskCount());
        assertEquals(100.0, done.sourceServiceRevisions().get(0).requestedTestTrafficWeight());
        // Test traffic had moved to green, so the rollback re-runs TEST_TRAFFIC_SHIFT, then cleans up.
        List<String> rollbackStages = new ArrayList<>();
        sim.stageHistory(arn).stream().filter(StageVisit::rollback).forEach(v -> rollbackStages.add(v.stage()));
        assertEquals(List.of("TEST_TRAFFIC_SHIFT", "CLEAN_UP"), rollbackStages);
        // The service is back on the blue task definition.
        String td = ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).taskDefinition();
        assertTrue(td.endsWith("task-definition/web:1"), td);
    }

    @Test
    void pauseTimingOutWithDefaultActionRollsBack() {
        String arn = startWithPause("PRE_SCALE_UP", 30, DeploymentLifecycleHookAction.ROLLBACK);
        DeploymentLifecycleHookDetail h = awaitPause(arn);
        clock.advance(Duration.ofMinutes(29));
        assertEquals("IN_PROGRESS", describe(arn).statusAsString());
        clock.advance(Duration.ofMinutes(1));
        ServiceDeployment d = describe(arn);
        assertEquals("ROLLBACK_IN_PROGRESS", d.statusAsString());
        assertTrue(d.rollback().reason().contains("timed out"), d.rollback().reason());
        assertEquals("ROLLBACK_SUCCESSFUL", runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1)).statusAsString());
        // Continuing a timed-out hook is refused.
        assertThrows(InvalidParameterException.class, () -> ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId(h.hookId())));
    }

    @Test
    void pauseTimingOutWithContinueActionProceeds() {
        String arn = startWithPause("POST_SCALE_UP", 10, DeploymentLifecycleHookAction.CONTINUE);
        awaitPause(arn);
        clock.advance(Duration.ofMinutes(10));
        assertEquals("TEST_TRAFFIC_SHIFT", describe(arn).lifecycleStageAsString());
        StageVisit postScaleUp = sim.stageHistory(arn).stream().filter(v -> v.stage().equals("POST_SCALE_UP")).findFirst().orElseThrow();
        assertEquals(Duration.ofMinutes(10), Duration.between(postScaleUp.enteredAt(), postScaleUp.leftAt()));
        assertEquals("SUCCESSFUL", runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1)).statusAsString());
        assertNull(describe(arn).rollback());
    }

    @Test
    void canaryGetsAFreshHookIdAtEveryPreProductionStepAndRefusesAStaleOne() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.CANARY)
                .canaryConfiguration(c -> c.canaryPercent(10.0).canaryBakeTimeInMinutes(1)).bakeTimeInMinutes(0)
                .lifecycleHooks(pause("PRE_PRODUCTION_TRAFFIC_SHIFT", null, null)).build());

        DeploymentLifecycleHookDetail first = awaitPause(arn);
        assertEquals("PRE_PRODUCTION_TRAFFIC_SHIFT", describe(arn).lifecycleStageAsString());
        assertEquals(0.0, describe(arn).targetServiceRevision().requestedProductionTrafficWeight());
        ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId(first.hookId()));

        DeploymentLifecycleHookDetail second = awaitPause(arn);
        assertNotEquals(first.hookId(), second.hookId());
        assertEquals(10.0, describe(arn).targetServiceRevision().requestedProductionTrafficWeight());

        InvalidParameterException stale = assertThrows(InvalidParameterException.class,
                () -> ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId(first.hookId())));
        assertEquals(Controller.HOOK_NOT_AVAILABLE, stale.awsErrorDetails().errorMessage());
        InvalidParameterException badFormat = assertThrows(InvalidParameterException.class,
                () -> ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId("not-a-hook")));
        assertEquals(Controller.HOOK_ID_FORMAT, badFormat.awsErrorDetails().errorMessage());
        InvalidParameterException unknown = assertThrows(InvalidParameterException.class,
                () -> ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId("ecs-pause-doesNotExist")));
        assertEquals(Controller.HOOK_NOT_AVAILABLE, unknown.awsErrorDetails().errorMessage());
        assertTrue(second.hookId().matches("ecs-pause-[A-Za-z0-9_-]{43}"), second.hookId());
        assertThrows(ServiceDeploymentNotFoundException.class,
                () -> ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn + "x").hookId(second.hookId())));

        ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId(second.hookId()));
        assertEquals("SUCCESSFUL", runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1)).statusAsString());
        assertEquals(2, sim.stageHistory(arn).stream().filter(v -> v.stage().equals("PRE_PRODUCTION_TRAFFIC_SHIFT")).count());
    }

    @Test
    void previousStageIsReportedDuringPreProductionWhenConfigured() {
        sim.scenario().preProductionStageReport(Scenario.PreProductionStageReport.PREVIOUS_STAGE);
        String arn = startWithPause("PRE_PRODUCTION_TRAFFIC_SHIFT", null, null);
        awaitPause(arn);
        assertEquals("POST_TEST_TRAFFIC_SHIFT", describe(arn).lifecycleStageAsString());
        assertEquals("PRE_PRODUCTION_TRAFFIC_SHIFT", sim.stageHistory(arn).get(sim.stageHistory(arn).size() - 1).stage());
    }

    @Test
    void pauseHooksAndLambdaHooksOnOneStageMustAllFinish() {
        String fn = "arn:aws:lambda:us-east-1:123456789012:function:ok";
        sim.lambdas().register(fn, e -> HookResponse.succeeded());
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN)
                .bakeTimeInMinutes(0).lifecycleHooks(pause("POST_SCALE_UP", null, null),
                        DeploymentLifecycleHook.builder().hookTargetArn(fn).roleArn("arn:aws:iam::123456789012:role/hooks")
                                .lifecycleStagesWithStrings("POST_SCALE_UP").build()).build());
        DeploymentLifecycleHookDetail h = awaitPause(arn);
        clock.advance(Duration.ofMinutes(5));
        ServiceDeployment d = describe(arn);
        assertEquals("POST_SCALE_UP", d.lifecycleStageAsString());
        assertEquals(List.of("AWAITING_ACTION", "SUCCEEDED"), d.lifecycleHookDetails().stream().map(DeploymentLifecycleHookDetail::statusAsString).toList());
        ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId(h.hookId()));
        assertEquals("SUCCESSFUL", runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1)).statusAsString());
    }
}
