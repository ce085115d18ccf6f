package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

class BlueGreenDeploymentTest extends SimulatorTestBase {

    @Test
    void blueGreenGoesThroughEveryStageAndShiftsAllTrafficOnce() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder()
                .strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(2).build());

        List<Seen> seen = pollUntilDone(arn, Duration.ofSeconds(5), Duration.ofHours(1));

        assertEquals(List.of(
                new Seen("PENDING", null, 0.0, 0.0),
                new Seen("IN_PROGRESS", "PRE_SCALE_UP", 0.0, 0.0),
                new Seen("IN_PROGRESS", "SCALE_UP", 0.0, 0.0),
                new Seen("IN_PROGRESS", "POST_SCALE_UP", 0.0, 0.0),
                new Seen("IN_PROGRESS", "TEST_TRAFFIC_SHIFT", 0.0, 100.0),
                new Seen("IN_PROGRESS", "POST_TEST_TRAFFIC_SHIFT", 0.0, 100.0),
                new Seen("IN_PROGRESS", "PRE_PRODUCTION_TRAFFIC_SHIFT", 0.0, 100.0),
                new Seen("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 100.0, 100.0),
                new Seen("IN_PROGRESS", "POST_PRODUCTION_TRAFFIC_SHIFT", 100.0, 100.0),
                new Seen("IN_PROGRESS", "BAKE_TIME", 100.0, 100.0),
                new Seen("IN_PROGRESS", "CLEAN_UP", 100.0, 100.0),
                new Seen("SUCCESSFUL", "CLEAN_UP", 100.0, 100.0)), seen);

        ServiceDeployment done = describe(arn);
        assertEquals(2, done.targetServiceRevision().runningTaskCount());
        assertEquals(0, done.sourceServiceRevisions().get(0).runningTaskCount());
        assertEquals(0.0, done.sourceServiceRevisions().get(0).requestedProductionTrafficWeight());
        assertNull(done.rollback());
        assertEquals("SUCCESSFUL", sim.status(arn));
        // Bake lasted exactly bakeTimeInMinutes in virtual time.
        StageVisit bake = sim.stageHistory(arn).stream().filter(v -> v.stage().equals("BAKE_TIME")).findFirst().orElseThrow();
        assertEquals(Duration.ofMinutes(2), Duration.between(bake.enteredAt(), bake.leftAt()));
        assertTrue(sim.stats().count("DescribeServiceDeployments") > 10);
    }
}
