package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.ecs.model.ConflictException;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentStopType;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

class RollbackPathsTest extends SimulatorTestBase {
    static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:hook";
    static final String ROLE = "arn:aws:iam::123456789012:role/ecs-hooks";

    static DeploymentLifecycleHook lambda(String... stages) {
        return DeploymentLifecycleHook.builder().hookTargetArn(FN).roleArn(ROLE).lifecycleStagesWithStrings(stages)
                .hookDetails(Document.fromMap(Map.of("threshold", Document.fromNumber(5)))).build();
    }

    private SeededService service() {
        return sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
    }

    private static DeploymentConfiguration.Builder blueGreen() {
        return DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0);
    }

    @Test
    void lambdaHookFailedRollsBack() {
        sim.lambdas().register(FN, e -> HookResponse.failed());
        String arn = deploy(service(), "nginx:1.28", blueGreen().lifecycleHooks(lambda("POST_SCALE_UP")).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertTrue(d.rollback().reason().contains("returned FAILED"), d.rollback().reason());
        // Nothing had shifted yet: the rollback only cleans up.
        assertEquals(List.of("CLEAN_UP"), sim.stageHistory(arn).stream().filter(StageVisit::rollback).map(StageVisit::stage).toList());
    }

    @Test
    void lambdaHookInvalidAnswerRollsBack() {
        sim.lambdas().register(FN, e -> new HookResponse("MAYBE", null, null));
        String arn = deploy(service(), "nginx:1.28", blueGreen().lifecycleHooks(lambda("PRE_SCALE_UP")).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertTrue(d.rollback().reason().startsWith("Service deployment rolled back because PRE_SCALE_UP lifecycle hook(s) failed. "
                + "ECS was unable to parse the response from " + FN), d.rollback().reason());
    }

    @Test
    void unregisteredLambdaFunctionRollsBack() {
        String arn = deploy(service(), "nginx:1.28", blueGreen().lifecycleHooks(lambda("PRE_SCALE_UP")).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertTrue(d.rollback().reason().contains("ECS was unable to invoke hook target " + FN), d.rollback().reason());
    }

    @Test
    void lambdaThrowingRollsBack() {
        sim.lambdas().register(FN, e -> {
            throw new IllegalStateException("boom");
        });
        String arn = deploy(service(), "nginx:1.28", blueGreen().lifecycleHooks(lambda("PRE_SCALE_UP")).build());
        assertEquals("ROLLBACK_SUCCESSFUL", runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1)).statusAsString());
    }

    @Test
    void lambdaInProgressIsReinvokedAfterTheCallBackDelayWithItsHookDetails() {
        sim.lambdas().register(FN, e -> {
            int n = e.hookDetails().path("round").asInt(0);
            if (n < 2) {
                ObjectNode state = JsonNodeFactory.instance.objectNode().put("round", n + 1);
                return HookResponse.inProgress(45, state);
            }
            return HookResponse.succeeded();
        });
        String arn = deploy(service(), "nginx:1.28", blueGreen().lifecycleHooks(lambda("POST_TEST_TRAFFIC_SHIFT")).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("SUCCESSFUL", d.statusAsString());
        List<LambdaEvent> calls = sim.lambdas().invocations(FN);
        assertEquals(3, calls.size());
        assertEquals(5, calls.get(0).hookDetails().path("threshold").asInt()); // configured hookDetails
        assertEquals(2, calls.get(2).hookDetails().path("round").asInt());      // merged state
        assertEquals(5, calls.get(2).hookDetails().path("threshold").asInt());
        assertEquals(calls.get(0).executionId(), calls.get(2).executionId());
        assertEquals(arn, calls.get(0).resourceArn());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", calls.get(0).lifecycleStage());
        StageVisit v = sim.stageHistory(arn).stream().filter(x -> x.stage().equals("POST_TEST_TRAFFIC_SHIFT")).findFirst().orElseThrow();
        assertEquals(Duration.ofSeconds(90), Duration.between(v.enteredAt(), v.leftAt()));
        // The event document has the documented members.
        ObjectNode json = calls.get(0).json();
        assertNotNull(json.get("executionDetails").get("targetServiceRevisionArn"));
        assertTrue(json.get("executionDetails").get("testTrafficWeights").isObject());
    }

    @Test
    void productionShiftHookFailingRollsTrafficBackAndIsReinvokedWithBlueAtHundred() {
        // Fails while green carries production traffic, succeeds on the rollback re-invocation (green 0).
        sim.lambdas().register(FN, e -> e.productionTrafficWeights().getOrDefault(e.targetServiceRevisionArn(), 0.0) > 0
                ? HookResponse.failed() : HookResponse.succeeded());
        SeededService s = service();
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.CANARY)
                .canaryConfiguration(c -> c.canaryPercent(20.0).canaryBakeTimeInMinutes(0)).bakeTimeInMinutes(0)
                .lifecycleHooks(lambda("PRODUCTION_TRAFFIC_SHIFT")).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        List<LambdaEvent> calls = sim.lambdas().invocations(FN);
        assertEquals(2, calls.size());
        String green = d.targetServiceRevision().arn();
        String blue = d.sourceServiceRevisions().get(0).arn();
        assertEquals(Map.of(green, 20.0, blue, 80.0), calls.get(0).productionTrafficWeights());
        assertEquals(Map.of(green, 0.0, blue, 100.0), calls.get(1).productionTrafficWeights());
        assertEquals(List.of("PRODUCTION_TRAFFIC_SHIFT", "TEST_TRAFFIC_SHIFT", "CLEAN_UP"),
                sim.stageHistory(arn).stream().filter(StageVisit::rollback).map(StageVisit::stage).toList());
        assertEquals(100.0, d.sourceServiceRevisions().get(0).requestedProductionTrafficWeight());
        assertEquals(0.0, d.targetServiceRevision().requestedProductionTrafficWeight());
    }

    @Test
    void lambdaFailingAgainDuringRollbackEndsRollbackFailed() {
        sim.lambdas().register(FN, e -> HookResponse.failed());
        String arn = deploy(service(), "nginx:1.28", blueGreen().lifecycleHooks(lambda("TEST_TRAFFIC_SHIFT")).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_FAILED", d.statusAsString());
        assertTrue(d.statusReason().startsWith("Rollback failed"), d.statusReason());
        assertTrue(d.rollback().reason().equals("Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. "
                + "Lifecycle hook target " + FN + " returned FAILED status."), d.rollback().reason());
    }

    @Test
    void alarmEnteringAlarmRollsBack() {
        sim.scenario().alarmAfter("HighErrors", Duration.ofMinutes(2));
        String arn = deploy(service(), "nginx:1.28", blueGreen().alarms(a -> a.alarmNames("HighErrors", "Latency").enable(true).rollback(true)).build());
        clock.advance(Duration.ofMinutes(1));
        assertEquals("MONITORING", describe(arn).alarms().statusAsString());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertEquals("TRIGGERED", d.alarms().statusAsString());
        assertEquals(List.of("HighErrors"), d.alarms().triggeredAlarmNames());
        assertEquals(List.of("HighErrors", "Latency"), d.alarms().alarmNames());
        assertTrue(d.rollback().reason().contains("HighErrors"));
        assertEquals(T0.plus(Duration.ofSeconds(2 + 120)), d.rollback().startedAt());
    }

    @Test
    void alarmWithoutRollbackStopsTheDeployment() {
        sim.scenario().alarmAfter("HighErrors", Duration.ofMinutes(2));
        String arn = deploy(service(), "nginx:1.28", blueGreen().alarms(a -> a.alarmNames("HighErrors").enable(true).rollback(false)).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("STOPPED", d.statusAsString());
        assertNotNull(d.stoppedAt());
        assertNull(d.rollback());
        assertEquals(List.of("PENDING", "IN_PROGRESS", "STOP_REQUESTED", "STOPPED"),
                sim.statusHistory(arn).stream().map(StatusChange::status).toList());
    }

    @Test
    void alarmsCompleteMonitoringWhenNothingFires() {
        String arn = deploy(service(), "nginx:1.28", blueGreen().alarms(a -> a.alarmNames("Quiet").enable(true).rollback(true)).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("SUCCESSFUL", d.statusAsString());
        assertEquals("MONITORING_COMPLETE", d.alarms().statusAsString());
        assertEquals(List.of(), d.alarms().triggeredAlarmNames());
    }

    @Test
    void stopServiceDeploymentRequestsThenRunsRollback() {
        String arn = deploy(service(), "nginx:1.28", blueGreen().build());
        clock.advance(Duration.ofMinutes(3));
        ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ROLLBACK));
        assertEquals("ROLLBACK_REQUESTED", describe(arn).statusAsString());
        // Stopping again while rolling back is accepted and changes nothing.
        ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ROLLBACK));
        clock.advance(Duration.ofSeconds(2));
        assertEquals("ROLLBACK_IN_PROGRESS", describe(arn).statusAsString());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertTrue(d.rollback().reason().contains("StopServiceDeployment"));
        assertEquals(List.of("ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL"),
                sim.statusHistory(arn).stream().map(StatusChange::status).filter(x -> x.startsWith("ROLLBACK")).toList());
        ConflictException done = assertThrows(ConflictException.class,
                () -> ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ROLLBACK)));
        assertTrue(done.awsErrorDetails().errorMessage().contains("ROLLBACK_SUCCESSFUL"));
        assertThrows(UnsupportedFeatureException.class,
                () -> ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ABORT)));
    }

    @Test
    void stoppingAFirstDeploymentWithNothingToReturnToEndsRollbackFailed() {
        sim.seed().cluster("demo");
        String td = sim.seed().taskDefinition("fresh", "nginx:1");
        String arn = ecs.createService(r -> r.cluster("demo").serviceName("fresh").taskDefinition(td).desiredCount(1))
                .service().currentServiceDeployment();
        ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ROLLBACK));
        assertEquals("ROLLBACK_REQUESTED", describe(arn).statusAsString());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(2), Duration.ofMinutes(5));
        assertEquals("ROLLBACK_FAILED", d.statusAsString());
        assertEquals(Controller.NO_ROLLBACK_CANDIDATE, d.statusReason());
    }

    @Test
    void aRollbackRequestedWhenNothingIsLeftToUndoEndsSuccessful() {
        String arn = deploy(service(), "nginx:1.28", blueGreen().build());
        while (!"CLEAN_UP".equals(describe(arn).lifecycleStageAsString())) {
            clock.advance(Duration.ofSeconds(5));
        }
        ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ROLLBACK));
        assertEquals("ROLLBACK_REQUESTED", describe(arn).statusAsString());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("SUCCESSFUL", d.statusAsString());
        assertEquals(List.of("PENDING", "IN_PROGRESS", "ROLLBACK_REQUESTED", "SUCCESSFUL"),
                sim.statusHistory(arn).stream().map(StatusChange::status).toList());
    }

    @Test
    void aDeploymentSupersededWhileRollbackIsRequestedEndsStopped() {
        SeededService s = service();
        String first = deploy(s, "nginx:1.28", blueGreen().build());
        clock.advance(Duration.ofMinutes(3));
        ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(first).stopType(StopServiceDeploymentStopType.ROLLBACK));
        assertEquals("ROLLBACK_REQUESTED", describe(first).statusAsString());
        deploy(s, "nginx:1.29", blueGreen().build());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("ROLLBACK_REQUESTED", "STOP_REQUESTED", "STOPPED"), sim.statusHistory(first).stream()
                .map(StatusChange::status).filter(x -> x.contains("STOP") || x.contains("ROLLBACK")).toList());
    }

    @Test
    void stageRunningPastTwentyFourHoursFailsAndRollsBack() {
        sim.scenario().tasksWithImage("broken", Duration.ofSeconds(30), 1.0);
        String arn = deploy(service(), "registry/broken:1", blueGreen().build());
        clock.advance(Duration.ofHours(23));
        ServiceDeployment mid = describe(arn);
        assertEquals("SCALE_UP", mid.lifecycleStageAsString());
        assertEquals("IN_PROGRESS", mid.statusAsString());
        // Circuit breaker does not apply to BLUE_GREEN by default.
        assertEquals("DISABLED", mid.deploymentCircuitBreaker().statusAsString());
        clock.advance(Duration.ofHours(1).plusSeconds(15));
        ServiceDeployment d = describe(arn);
        assertEquals("ROLLBACK_IN_PROGRESS", d.statusAsString());
        assertTrue(d.rollback().reason().contains("24-hour stage time limit"), d.rollback().reason());
        assertEquals("ROLLBACK_SUCCESSFUL", runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1)).statusAsString());
    }

    @Test
    void headlessBlueGreenRunsTheStagesWithoutTrafficWeights() {
        SeededService s = sim.seed().headlessService("demo", "worker", 2);
        String arn = deploy(s, "worker:2", blueGreen().build());
        List<Seen> seen = pollUntilDone(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("SUCCESSFUL", seen.get(seen.size() - 1).status());
        assertTrue(seen.stream().allMatch(x -> x.prod() == null && x.test() == null), seen.toString());
        assertEquals(List.of("PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
                "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"),
                stages(seen));
    }

    @Test
    void newDeploymentSupersedesAnUnfinishedOneAndReconcilesTwoActiveRevisions() {
        SeededService s = service();
        String first = deploy(s, "nginx:1.28", blueGreen().build());
        clock.advance(Duration.ofMinutes(3)); // green of the first is up
        String second = deploy(s, "nginx:1.29", blueGreen().build());
        // STOP_REQUESTED comes before STOPPED (the service deployment page lists the path).
        assertEquals("STOP_REQUESTED", describe(first).statusAsString());
        assertTrue(describe(first).statusReason().contains(second));
        clock.advance(Duration.ofSeconds(2));
        assertEquals("STOPPED", describe(first).statusAsString());
        ServiceDeployment d = runToEnd(second, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("SUCCESSFUL", d.statusAsString());
        assertEquals(2, d.sourceServiceRevisions().size());
        assertEquals("RECONCILE_SERVICE", sim.stageHistory(second).get(0).stage());
    }
}
