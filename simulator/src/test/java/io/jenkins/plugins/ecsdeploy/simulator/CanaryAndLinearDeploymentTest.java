package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;

class CanaryAndLinearDeploymentTest extends SimulatorTestBase {

    private static List<Seen> inProgress(List<Seen> seen) {
        List<Seen> out = new ArrayList<>();
        for (Seen s : seen) {
            if ("IN_PROGRESS".equals(s.status())) {
                out.add(s);
            }
        }
        return out;
    }

    @Test
    void canaryShiftsCanaryPercentThenBakesThenShiftsTheRest() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 4, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.CANARY)
                .canaryConfiguration(c -> c.canaryPercent(12.5).canaryBakeTimeInMinutes(3)).bakeTimeInMinutes(1).build());

        List<Seen> seen = pollUntilDone(arn, Duration.ofSeconds(5), Duration.ofHours(1));

        assertEquals(List.of(
                new Seen("IN_PROGRESS", "PRE_SCALE_UP", 0.0, 0.0),
                new Seen("IN_PROGRESS", "SCALE_UP", 0.0, 0.0),
                new Seen("IN_PROGRESS", "POST_SCALE_UP", 0.0, 0.0),
                new Seen("IN_PROGRESS", "TEST_TRAFFIC_SHIFT", 0.0, 100.0),
                new Seen("IN_PROGRESS", "POST_TEST_TRAFFIC_SHIFT", 0.0, 100.0),
                new Seen("IN_PROGRESS", "PRE_PRODUCTION_TRAFFIC_SHIFT", 0.0, 100.0),
                new Seen("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 12.5, 100.0),
                new Seen("IN_PROGRESS", "PRE_PRODUCTION_TRAFFIC_SHIFT", 12.5, 100.0),
                new Seen("IN_PROGRESS", "PRODUCTION_TRAFFIC_SHIFT", 100.0, 100.0),
                new Seen("IN_PROGRESS", "POST_PRODUCTION_TRAFFIC_SHIFT", 100.0, 100.0),
                new Seen("IN_PROGRESS", "BAKE_TIME", 100.0, 100.0),
                new Seen("IN_PROGRESS", "CLEAN_UP", 100.0, 100.0)), inProgress(seen));
        assertEquals("SUCCESSFUL", describe(arn).statusAsString());
        // The canary step (shift 30 s + canary bake 3 min) is one PRODUCTION_TRAFFIC_SHIFT visit.
        StageVisit first = sim.stageHistory(arn).stream().filter(v -> v.stage().equals("PRODUCTION_TRAFFIC_SHIFT")).findFirst().orElseThrow();
        assertEquals(Duration.ofSeconds(30 + 180), Duration.between(first.enteredAt(), first.leftAt()));
        assertEquals(12.5, first.productionWeight());
    }

    @Test
    void linearShiftsInEqualStepsUpToHundred() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 3, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.LINEAR)
                .linearConfiguration(c -> c.stepPercent(30.0).stepBakeTimeInMinutes(1)).bakeTimeInMinutes(0).build());

        runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));

        List<Double> prodSteps = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        for (StageVisit v : sim.stageHistory(arn)) {
            stages.add(v.stage());
            if (v.stage().equals("PRODUCTION_TRAFFIC_SHIFT")) {
                prodSteps.add(v.productionWeight());
            }
        }
        assertEquals(List.of(30.0, 60.0, 90.0, 100.0), prodSteps);
        assertEquals(List.of("PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
                "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT",
                "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT",
                "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"), stages);
        assertEquals("SUCCESSFUL", describe(arn).statusAsString());
        // Step bake after each step except the one reaching 100 % (linear deployment page).
        List<StageVisit> shifts = sim.stageHistory(arn).stream().filter(v -> v.stage().equals("PRODUCTION_TRAFFIC_SHIFT")).toList();
        assertEquals(Duration.ofSeconds(90), Duration.between(shifts.get(0).enteredAt(), shifts.get(0).leftAt()));
        assertEquals(Duration.ofSeconds(30), Duration.between(shifts.get(3).enteredAt(), shifts.get(3).leftAt()));
    }

    @Test
    void linearStepThatDividesHundredEndsExactlyAtHundred() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.LINEAR)
                .linearConfiguration(c -> c.stepPercent(25.0).stepBakeTimeInMinutes(0)).bakeTimeInMinutes(0).build());
        runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        List<Double> prodSteps = sim.stageHistory(arn).stream().filter(v -> v.stage().equals("PRODUCTION_TRAFFIC_SHIFT"))
                .map(StageVisit::productionWeight).toList();
        assertEquals(List.of(25.0, 50.0, 75.0, 100.0), prodSteps);
    }

    @Test
    void nlbAddsTenMinutesToBothTrafficShifts() {
        SeededService s = sim.seed().loadBalancedService("demo", "api", 2, LoadBalancerType.NLB);
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN)
                .bakeTimeInMinutes(0).build());
        runToEnd(arn, Duration.ofSeconds(10), Duration.ofHours(1));
        for (StageVisit v : sim.stageHistory(arn)) {
            if (v.stage().endsWith("_TRAFFIC_SHIFT") && !v.stage().startsWith("P")) {
                assertEquals(Duration.ofSeconds(630), Duration.between(v.enteredAt(), v.leftAt()), v.stage());
            }
            if (v.stage().equals("PRODUCTION_TRAFFIC_SHIFT")) {
                assertEquals(Duration.ofSeconds(630), Duration.between(v.enteredAt(), v.leftAt()));
            }
        }
        assertEquals("SUCCESSFUL", describe(arn).statusAsString());
    }

    @Test
    void aDayLongBakeCompletesInstantlyInVirtualTime() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:1.28", DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN)
                .bakeTimeInMinutes(1440).build());
        long realStart = System.nanoTime();
        clock.advance(Duration.ofHours(25));
        long realMillis = (System.nanoTime() - realStart) / 1_000_000;
        assertEquals("SUCCESSFUL", describe(arn).statusAsString());
        StageVisit bake = sim.stageHistory(arn).stream().filter(v -> v.stage().equals("BAKE_TIME")).findFirst().orElseThrow();
        assertEquals(Duration.ofHours(24), Duration.between(bake.enteredAt(), bake.leftAt()));
        org.junit.jupiter.api.Assertions.assertTrue(realMillis < 2000, "took " + realMillis + " ms");
    }
}
