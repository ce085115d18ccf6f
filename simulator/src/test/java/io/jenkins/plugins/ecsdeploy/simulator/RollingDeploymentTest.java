package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookTargetType;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ThresholdType;

class RollingDeploymentTest extends SimulatorTestBase {

    @Test
    void rollingReplacesTasksWithinMinimumHealthyAndMaximumPercent() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 4, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.ROLLING)
                .minimumHealthyPercent(50).maximumPercent(150).build());
        int maxTotal = 0;
        int minRunning = Integer.MAX_VALUE;
        for (int i = 0; i < 200 && !TERMINAL.contains(describe(arn).statusAsString()); i++) {
            ServiceDeployment d = describe(arn);
            int blueRunning = d.sourceServiceRevisions().get(0).runningTaskCount();
            int greenRunning = d.targetServiceRevision().runningTaskCount();
            int greenPending = d.targetServiceRevision().pendingTaskCount();
            maxTotal = Math.max(maxTotal, blueRunning + greenRunning + greenPending);
            minRunning = Math.min(minRunning, blueRunning + greenRunning);
            assertNull(d.lifecycleStageAsString());
            assertNull(d.targetServiceRevision().requestedProductionTrafficWeight());
            clock.advance(Duration.ofSeconds(5));
        }
        ServiceDeployment d = describe(arn);
        assertEquals("SUCCESSFUL", d.statusAsString());
        assertEquals(4, d.targetServiceRevision().runningTaskCount());
        assertEquals(6, maxTotal);   // floor(4 × 150 %), draining tasks included
        assertEquals(2, minRunning); // ceil(4 × 50 %)
        assertEquals("DISABLED", d.deploymentCircuitBreaker().statusAsString());
    }

    @Test
    void circuitBreakerTriggersAtThresholdAndRollsBack() {
        sim.scenario().tasksWithImage("crash", Duration.ofSeconds(20), 1.0);
        SeededService s = sim.seed().loadBalancedService("demo", "web", 4, LoadBalancerType.ALB);
        String arn = deploy(s, "crash:1", DeploymentConfiguration.builder().strategy(DeploymentStrategy.ROLLING)
                .deploymentCircuitBreaker(c -> c.enable(true).rollback(true)).build());
        clock.advance(Duration.ofSeconds(5));
        assertEquals("MONITORING", describe(arn).deploymentCircuitBreaker().statusAsString());
        // BOUNDED_PERCENT 50 % of 4 = 2, clamped up to 3 (ThresholdConfiguration API reference).
        assertEquals(3, describe(arn).deploymentCircuitBreaker().threshold());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertEquals("TRIGGERED", d.deploymentCircuitBreaker().statusAsString());
        assertEquals(3, d.deploymentCircuitBreaker().failureCount());
        assertTrue(d.rollback().reason().contains("circuit breaker"));
        assertEquals(4, d.sourceServiceRevisions().get(0).runningTaskCount());
        assertEquals(0, d.targetServiceRevision().runningTaskCount());
    }

    @Test
    void circuitBreakerCountThresholdAndNoRollbackStops() {
        sim.scenario().tasksWithImage("crash", Duration.ofSeconds(20), 1.0);
        SeededService s = sim.seed().loadBalancedService("demo", "web", 4, LoadBalancerType.ALB);
        String arn = deploy(s, "crash:1", DeploymentConfiguration.builder().strategy(DeploymentStrategy.ROLLING)
                .deploymentCircuitBreaker(c -> c.enable(true).rollback(false)
                        .thresholdConfiguration(t -> t.type(ThresholdType.COUNT).value(5))).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("STOPPED", d.statusAsString());
        assertEquals(5, d.deploymentCircuitBreaker().threshold());
        assertEquals(5, d.deploymentCircuitBreaker().failureCount());
    }

    @ParameterizedTest
    @ValueSource(strings = {"BLUE_GREEN", "CANARY", "LINEAR"})
    void circuitBreakerRollsBackBlueGreenCanaryAndLinearDeploymentsToo(String strategy) {
        sim.scenario().tasksWithImage("crash", Duration.ofSeconds(20), 1.0);
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "crash:1", DeploymentConfiguration.builder().strategy(strategy)
                .bakeTimeInMinutes(0).deploymentCircuitBreaker(c -> c.enable(true).rollback(true)).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertEquals("TRIGGERED", d.deploymentCircuitBreaker().statusAsString());
        assertEquals(3, d.deploymentCircuitBreaker().failureCount());
        assertEquals("Service deployment rolled back because the circuit breaker threshold was exceeded.", d.rollback().reason());
    }

    @Test
    void circuitBreakerOnAFirstDeploymentEndsRollbackFailedWithoutACandidate() {
        sim.scenario().tasksWithImage("crash", Duration.ofSeconds(20), 1.0);
        sim.seed().cluster("demo");
        String td = sim.seed().taskDefinition("fresh", "crash:1");
        String arn = ecs.createService(r -> r.cluster("demo").serviceName("fresh").taskDefinition(td).desiredCount(2)
                .deploymentConfiguration(c -> c.deploymentCircuitBreaker(cb -> cb.enable(true).rollback(true))))
                .service().currentServiceDeployment();
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_FAILED", d.statusAsString());
        assertEquals("No rollback candidate was found to run the rollback.", d.statusReason());
        assertEquals("Service deployment rolled back because the circuit breaker threshold was exceeded.", d.rollback().reason());
        assertEquals("TRIGGERED", d.deploymentCircuitBreaker().statusAsString());
    }

    @Test
    void successfulComesWhileTheLastOldTasksStillDrain() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:2", DeploymentConfiguration.builder().strategy(DeploymentStrategy.ROLLING).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("SUCCESSFUL", d.statusAsString());
        assertEquals(2, d.sourceServiceRevisions().get(0).runningTaskCount());
        assertEquals(0, d.sourceServiceRevisions().get(0).requestedTaskCount());
        clock.advance(sim.scenario().drainTime());
        assertEquals(0, describe(arn).sourceServiceRevisions().get(0).runningTaskCount());
    }

    @Test
    void earlySuccessWithDeferredCleanupEndsSuccessfulWhileOldTasksStillRun() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 4, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:2", DeploymentConfiguration.builder().strategy(DeploymentStrategy.ROLLING)
                .minimumHealthyPercent(50).maximumPercent(100)
                .earlySuccessCriteria(e -> e.enable(true).healthyPercent(50).sourceServiceRevisionCleanup("DEFERRED")).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("SUCCESSFUL", d.statusAsString());
        assertEquals(2, d.targetServiceRevision().runningTaskCount());
        assertEquals(2, d.sourceServiceRevisions().get(0).runningTaskCount());
        // The target keeps scaling up and the old tasks go in the background.
        clock.advance(Duration.ofMinutes(5));
        var svc = ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0);
        assertEquals(4, svc.runningCount());
        assertEquals(0, describe(arn).sourceServiceRevisions().get(0).runningTaskCount());
    }

    @Test
    void rollingRunsPauseHooksAtPreAndPostScaleUp() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:2", DeploymentConfiguration.builder().strategy(DeploymentStrategy.ROLLING)
                .lifecycleHooks(DeploymentLifecycleHook.builder().targetType(DeploymentLifecycleHookTargetType.PAUSE)
                        .lifecycleStagesWithStrings("POST_SCALE_UP").build()).build());
        clock.advance(Duration.ofMinutes(3));
        ServiceDeployment held = describe(arn);
        assertEquals("IN_PROGRESS", held.statusAsString());
        assertEquals(2, held.targetServiceRevision().runningTaskCount());
        assertEquals(1, held.lifecycleHookDetails().size());
        assertEquals("AWAITING_ACTION", held.lifecycleHookDetails().get(0).statusAsString());
        assertNull(held.lifecycleStageAsString()); // ROLLING reports no stage by default (docs/simulator.md, A13)
        ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId(held.lifecycleHookDetails().get(0).hookId()));
        assertEquals("SUCCESSFUL", runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1)).statusAsString());
    }

    @Test
    void rollingReportsItsStagesWithTheKnob() {
        sim.scenario().rollingStageReport(Scenario.RollingStageReport.REPORTED);
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:2", DeploymentConfiguration.builder().strategy(DeploymentStrategy.ROLLING)
                .lifecycleHooks(DeploymentLifecycleHook.builder().targetType(DeploymentLifecycleHookTargetType.PAUSE)
                        .lifecycleStagesWithStrings("PRE_SCALE_UP").build()).build());
        clock.advance(Duration.ofSeconds(5));
        assertEquals("PRE_SCALE_UP", describe(arn).lifecycleStageAsString());
        assertEquals(0, describe(arn).targetServiceRevision().runningTaskCount());
    }

    @Test
    void scalingWithoutANewRevisionStartsNoDeployment() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        ecs.updateService(r -> r.cluster("demo").service("web").desiredCount(5)
                .deploymentConfiguration(c -> c.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(3)));
        assertEquals(1, ecs.listServiceDeployments(r -> r.cluster("demo").service("web")).serviceDeployments().size());
        clock.advance(Duration.ofMinutes(2));
        var svc = ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0);
        assertEquals(5, svc.runningCount());
        assertEquals("BLUE_GREEN", svc.deploymentConfiguration().strategyAsString());
        assertEquals(s.deploymentArn(), svc.currentServiceDeployment());
    }
}
