package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookTargetType;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/** The documented choices where AWS is silent, and the clocks. */
class ChoicesAndClockTest extends SimulatorTestBase {
    static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:first";

    private String createWithHooks() {
        sim.lambdas().register(FN, e -> HookResponse.succeeded());
        sim.seed().cluster("demo");
        String td = sim.seed().taskDefinition("fresh", "nginx:1");
        return ecs.createService(r -> r.cluster("demo").serviceName("fresh").taskDefinition(td).desiredCount(1)
                .deploymentConfiguration(DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(
                                DeploymentLifecycleHook.builder().targetType(DeploymentLifecycleHookTargetType.PAUSE).lifecycleStagesWithStrings("POST_SCALE_UP").build(),
                                DeploymentLifecycleHook.builder().hookTargetArn(FN).roleArn("arn:aws:iam::123456789012:role/h")
                                        .lifecycleStagesWithStrings("PRE_SCALE_UP").build()).build()))
                .service().currentServiceDeployment();
    }

    @Test
    void onAFirstDeploymentLambdaHooksFireButPauseHooksDoNotByDefault() {
        String arn = createWithHooks();
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(10), Duration.ofHours(2));
        assertEquals("SUCCESSFUL", d.statusAsString());
        assertEquals(1, sim.lambdas().invocations(FN).size());
        assertTrue(d.sourceServiceRevisions().isEmpty());
    }

    @Test
    void allHooksFireOnAFirstDeploymentWhenConfigured() {
        sim.scenario().firstDeploymentHooks(Scenario.FirstDeploymentHooks.ALL);
        String arn = createWithHooks();
        clock.advance(Duration.ofMinutes(5));
        ServiceDeployment d = describe(arn);
        assertEquals("POST_SCALE_UP", d.lifecycleStageAsString());
        assertEquals("AWAITING_ACTION", d.lifecycleHookDetails().get(0).statusAsString());
    }

    @Test
    void noHooksFireOnAFirstDeploymentWhenConfigured() {
        sim.scenario().firstDeploymentHooks(Scenario.FirstDeploymentHooks.NONE);
        String arn = createWithHooks();
        assertEquals("SUCCESSFUL", runToEnd(arn, Duration.ofSeconds(10), Duration.ofHours(2)).statusAsString());
        assertTrue(sim.lambdas().invocations(FN).isEmpty());
    }

    @Test
    void firstDeploymentThatFailsHasNoRollbackCandidateAndEndsRollbackFailed() {
        sim.lambdas().register(FN, e -> HookResponse.failed());
        sim.seed().cluster("demo");
        String td = sim.seed().taskDefinition("fresh", "nginx:1");
        String arn = ecs.createService(r -> r.cluster("demo").serviceName("fresh").taskDefinition(td).desiredCount(1)
                .deploymentConfiguration(DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(DeploymentLifecycleHook.builder().hookTargetArn(FN).roleArn("arn:aws:iam::123456789012:role/h")
                                .lifecycleStagesWithStrings("PRE_SCALE_UP").build()).build()))
                .service().currentServiceDeployment();
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(10), Duration.ofHours(2));
        assertEquals("ROLLBACK_FAILED", d.statusAsString());
        assertEquals("No rollback candidate was found to run the rollback.", d.statusReason());
        assertTrue(d.rollback().reason().contains("returned FAILED status"), d.rollback().reason());
        assertNull(d.rollback().serviceRevisionArn());
    }

    @Test
    void replaceIsTheDefaultAndMergeKeepsAbsentMembers() {
        sim.seed().loadBalancedService("demo", "web", 1, LoadBalancerType.ALB);
        ecs.updateService(r -> r.cluster("demo").service("web").deploymentConfiguration(c -> c.strategy(DeploymentStrategy.ROLLING)
                .alarms(a -> a.alarmNames("A").enable(true).rollback(true))));
        ecs.updateService(r -> r.cluster("demo").service("web").deploymentConfiguration(c -> c.maximumPercent(150)));
        assertFalse(ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).deploymentConfiguration().alarms() != null);

        sim.scenario().configurationUpdate(Scenario.ConfigurationUpdate.MERGE_MEMBERS);
        ecs.updateService(r -> r.cluster("demo").service("web").deploymentConfiguration(c -> c.alarms(a -> a.alarmNames("A").enable(true).rollback(true))));
        ecs.updateService(r -> r.cluster("demo").service("web").deploymentConfiguration(c -> c.maximumPercent(180)));
        DeploymentConfiguration merged = ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).deploymentConfiguration();
        assertEquals(List.of("A"), merged.alarms().alarmNames());
        assertEquals(180, merged.maximumPercent());
    }

    @Test
    void manualClockMovesOnlyOnAdvanceAndRefusesGoingBack() {
        VirtualClock c = VirtualClock.manual(T0);
        assertEquals(T0, c.instant());
        assertEquals(T0, c.instant());
        List<Instant> seen = new ArrayList<>();
        c.addAdvanceListener(seen::add);
        c.advance(Duration.ofMinutes(5));
        assertEquals(T0.plus(Duration.ofMinutes(5)), c.instant());
        assertEquals(List.of(T0.plus(Duration.ofMinutes(5))), seen);
        assertThrows(IllegalArgumentException.class, () -> c.advance(Duration.ofSeconds(-1)));
        assertThrows(UnsupportedOperationException.class, () -> VirtualClock.scaled(T0, 10).advance(Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> VirtualClock.scaled(T0, 0));
    }

    @Test
    void eventsRunAtTheirOwnVirtualInstantDuringOneLongAdvance() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:2", DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(3).build());
        clock.advance(Duration.ofHours(1));
        List<StageVisit> h = sim.stageHistory(arn);
        // Stage entry times follow the timings, not the end of the advance.
        assertEquals(T0.plusSeconds(2), h.get(0).enteredAt());                    // PRE_SCALE_UP after PENDING 2 s
        assertEquals(T0.plusSeconds(12), h.get(1).enteredAt());                   // SCALE_UP after 10 s
        assertEquals(T0.plusSeconds(72), h.get(2).enteredAt());                   // POST_SCALE_UP after task start 60 s
        for (int i = 1; i < h.size(); i++) {
            assertEquals(h.get(i - 1).leftAt(), h.get(i).enteredAt());
            assertTrue(h.get(i).enteredAt().isAfter(h.get(i - 1).enteredAt()), "stages take time: " + h.get(i));
        }
    }

    @Test
    void clockTasksInterleaveWithSimulatorEventsInsideOneAdvance() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String arn = deploy(s, "nginx:2", DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0).build());
        List<String> polled = new ArrayList<>();
        Runnable[] poll = new Runnable[1];
        poll[0] = () -> {
            ServiceDeployment d = describe(arn);
            String line = clock.instant().getEpochSecond() - T0.getEpochSecond() + "s " + d.statusAsString() + " " + d.lifecycleStageAsString();
            polled.add(line);
            if (!TERMINAL.contains(d.statusAsString())) {
                clock.schedule(Duration.ofSeconds(20), poll[0]);
            }
        };
        clock.schedule(Duration.ofSeconds(20), poll[0]);
        VirtualClock.Timer never = clock.schedule(Duration.ofSeconds(30), () -> polled.add("cancelled task ran"));
        assertTrue(never.cancel());
        clock.advance(Duration.ofHours(1)); // one call; the polls run at 20 s, 40 s, ... in between
        assertEquals(List.of("20s IN_PROGRESS SCALE_UP", "40s IN_PROGRESS SCALE_UP", "60s IN_PROGRESS SCALE_UP",
                "80s IN_PROGRESS POST_SCALE_UP", "100s IN_PROGRESS TEST_TRAFFIC_SHIFT", "120s IN_PROGRESS POST_TEST_TRAFFIC_SHIFT",
                // PRE_PRODUCTION 122-132 s, PRODUCTION 132-162 s, POST_PRODUCTION 162-172 s, BAKE 172-182 s, CLEAN_UP 182-212 s
                "140s IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT", "160s IN_PROGRESS PRODUCTION_TRAFFIC_SHIFT",
                "180s IN_PROGRESS BAKE_TIME", "200s IN_PROGRESS CLEAN_UP", "220s SUCCESSFUL CLEAN_UP"), polled);
        assertEquals(T0.plus(Duration.ofHours(1)), clock.instant());
    }

    @Test
    void scaledClockIsMonotonicAcrossThreads() throws Exception {
        VirtualClock c = VirtualClock.scaled(T0, 1000);
        AtomicBoolean backwards = new AtomicBoolean();
        Thread[] ts = new Thread[4];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = new Thread(() -> {
                Instant last = c.instant();
                for (int k = 0; k < 20000; k++) {
                    Instant now = c.instant();
                    if (now.isBefore(last)) {
                        backwards.set(true);
                    }
                    last = now;
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertFalse(backwards.get());
        assertTrue(c.instant().isAfter(T0));
        assertEquals(1000.0, c.speed());
    }
}
