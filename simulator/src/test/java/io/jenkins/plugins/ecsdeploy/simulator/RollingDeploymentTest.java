package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
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
        assertEquals(0, d.sourceServiceRevisions().get(0).runningTaskCount());
        assertEquals(6, maxTotal);   // floor(4 × 150 %)
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
        // BOUNDED_PERCENT 50 % of 4 = 2, clamped up to 3 (ecs-api-facts §1d).
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

    @Test
    void circuitBreakerCanBeAppliedToBlueGreenByKnob() {
        sim.scenario().circuitBreakerOnAdvancedStrategies(true).tasksWithImage("crash", Duration.ofSeconds(20), 1.0);
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "crash:1", DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN)
                .bakeTimeInMinutes(0).deploymentCircuitBreaker(c -> c.enable(true).rollback(true)).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertEquals("TRIGGERED", d.deploymentCircuitBreaker().statusAsString());
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
