package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every strategy end to end against the simulator over HTTP, in virtual time. */
class StrategiesEndToEndTest {
    Sandbox sb;
    DeploymentEngine engine;

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
        engine = sb.engine();
    }

    void fast() {
        sb.close();
        sb = new Sandbox(60_000); // 1 virtual day = 1.4 s real
        engine = sb.engine();
    }

    @AfterEach
    void tearDown() {
        sb.close();
    }

    Outcome run(DeploymentRequest r, Sandbox.Recorder rec) {
        DeploymentHandle h = await(engine.start(r));
        Subscription s = engine.follow(h, rec, null);
        return await(s.outcome());
    }

    @Test
    void blueGreenSucceedsThroughEveryStage() {
        var svc = sb.service("web");
        var rec = new Sandbox.Recorder();
        Outcome o = run(Sandbox.request(svc, new Strategy.BlueGreen(3)).build(), rec);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        // Every stage of a blue/green deployment, in ECS's order, is in the final picture: observed by a poll, or
        // inferred as passed between two polls (observed == false) when a one-minute stage fell between polls —
        // so the assertion holds however fast or slow the machine runs the virtual clock.
        List<String> stages = rec.last.stages().stream().map(DeploymentSnapshot.Stage::name).toList();
        List<String> expected = EcsStages.ORDER.stream().filter(s -> !"RECONCILE_SERVICE".equals(s)).toList();
        assertEquals(expected, stages.stream().filter(s -> !"RECONCILE_SERVICE".equals(s)).toList());
        assertEquals(100.0, rec.last.green().productionTrafficPercent());
        assertEquals("SUCCESSFUL", rec.last.status());
    }

    @Test
    void canaryShiftsThePercentThenAll() {
        var svc = sb.service("web");
        var rec = new Sandbox.Recorder();
        Outcome o = run(Sandbox.request(svc, new Strategy.Canary(10.0, 5, 10)).build(), rec);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        List<Double> prod = rec.of(DeploymentEvent.TrafficChanged.class).stream()
                .map(DeploymentEvent.TrafficChanged::greenProductionPercent).distinct().toList();
        assertTrue(prod.contains(10.0) && prod.contains(100.0), prod.toString());
    }

    @Test
    void linearShiftsStepByStep() {
        var svc = sb.service("web");
        var rec = new Sandbox.Recorder();
        Outcome o = run(Sandbox.request(svc, new Strategy.Linear(25.0, 3, 5)).build(), rec);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        List<Double> prod = rec.of(DeploymentEvent.TrafficChanged.class).stream()
                .map(DeploymentEvent.TrafficChanged::greenProductionPercent).distinct().toList();
        assertTrue(prod.containsAll(List.of(25.0, 50.0, 75.0, 100.0)), prod.toString());
    }

    @Test
    void rollingSucceeds() {
        var svc = sb.service("web");
        var rec = new Sandbox.Recorder();
        Outcome o = run(Sandbox.request(svc, new Strategy.Rolling(50, 200, true, true)).build(), rec);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(4, rec.last.green().runningTasks());
    }

    @Test
    void aDayLongBakeTakesVirtualTimeNotRealTime() {
        fast();
        var svc = sb.service("web");
        var rec = new Sandbox.Recorder();
        long t0 = System.nanoTime();
        Outcome o = run(Sandbox.request(svc, new Strategy.BlueGreen(1440)).build(), rec);
        long realMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        // The simulator's record is the truth; the engine at 60000x sees stage edges only to within a poll's HTTP time.
        var bake = sb.sim.stageHistory(rec.last.deploymentArn()).stream().filter(s -> s.stage().equals("BAKE_TIME"))
                .findFirst().orElseThrow();
        long bakeMin = java.time.Duration.between(bake.enteredAt(), bake.leftAt()).toMinutes();
        assertEquals(1440, bakeMin);
        assertTrue(rec.last.stages().stream().anyMatch(s -> s.name().equals("BAKE_TIME")));
        assertTrue(realMs < 30_000, "took " + realMs + " ms");
        // In the long bake the watcher slows down to its ceiling (2 min): at most ~720 polls for 24 h, far fewer
        // than one per floor (10 s), which would be 8640.
        long polls = engine.watcher().stats().describeCalls();
        assertTrue(polls < 900, "describe calls: " + polls);
    }
}
