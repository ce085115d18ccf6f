package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.release.PendingWaveGate;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseCheckpoint;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseEngine;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseOutcome;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseRequest;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseRun;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseService;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.release.WaveGate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 part 2: several services released as one, in waves, against the simulator (docs/releases.md): one gate per
 * wave deciding for all its services; a circuit breaker in wave 2 rolls back the rest of wave 2 and reverts wave 1;
 * a restart takes the release over from its checkpoint (ids only).
 */
class ReleaseEndToEndTest {
    Sandbox sb;
    DeploymentEngine engine;
    ReleaseEngine releases;

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
        engine = sb.engine();
        releases = new ReleaseEngine(s -> engine);
    }

    @AfterEach
    void tearDown() {
        sb.close();
    }

    ReleaseService svc(String name, Strategy strategy, String image) {
        return new ReleaseService(name, Sandbox.request(sb.service(name), strategy)
                .revision(new RevisionSource.ImageOverrides(Map.of("web", image))).build());
    }

    @Test
    void aThreeServiceReleaseSucceedsWithOneGatePerWave() {
        ReleaseRequest r = new ReleaseRequest("shop 1.4", List.of(svc("api", new Strategy.BlueGreen(0), "registry/api:1.4"),
                svc("worker", new Strategy.BlueGreen(0), "registry/worker:1.4"), svc("web", new Strategy.BlueGreen(0), "registry/web:1.4")),
                List.of(List.of("api", "worker"), List.of("web")), new WaveGate(30, HookAction.ROLLBACK));
        List<PendingWaveGate> offered = new CopyOnWriteArrayList<>();
        AtomicReference<ReleaseRun> run = new AtomicReference<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        run.set(releases.start(r, null, g -> {
            offered.add(g);
            started.join();
            run.get().decide(g.wave(), new GateDecision(HookAction.CONTINUE, "alice", "wave " + (g.wave() + 1) + " looks fine"));
        }));
        started.complete(null);
        ReleaseOutcome o = await(run.get().outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals("every wave succeeded: api + worker → web", o.reason());
        assertEquals(2, offered.size(), "one gate per wave");
        assertEquals(List.of("api", "worker"), offered.get(0).services());
        assertEquals(List.of("web"), offered.get(1).services());
        ReleaseSnapshot atSecond = offered.get(1).snapshot();
        assertEquals("SUCCEEDED", atSecond.waves().get(0).state(), "wave 2 waits only after wave 1 succeeded");
        assertEquals("AT_GATE", atSecond.service("web").state());
        ReleaseSnapshot end = run.get().snapshot();
        assertEquals("CONTINUED", end.waves().get(0).gate());
        assertEquals("alice", end.waves().get(1).gateDecidedBy());
        for (ReleaseSnapshot.Service s : end.services()) {
            assertEquals("SUCCEEDED", s.state(), s.name());
            assertEquals("SUCCESSFUL", sb.sim.status(s.deploymentArn()), s.name());
            assertTrue(s.snapshot().gates().stream().allMatch(g -> "alice".equals(g.decidedBy())), s.name() + " gate decided by the wave's approver");
        }
        assertTrue(end.toJson().contains("\"kind\":\"release\""), end.toJson());
    }

    @Test
    void aCircuitBreakerInWaveTwoRollsBackTheWaveAndRevertsWaveOneNamingTheCause() {
        sb.sim.scenario().tasksWithImage(":bad", Duration.ofSeconds(30), 1.0);
        ReleaseRequest r = new ReleaseRequest("shop 1.5", List.of(svc("api", new Strategy.BlueGreen(0), "registry/api:1.5"),
                svc("worker", new Strategy.BlueGreen(600), "registry/worker:1.5"),
                svc("web", new Strategy.Rolling(50, 200, true, true), "registry/web:bad")),
                List.of(List.of("api"), List.of("worker", "web")), null);
        ReleaseRun run = releases.start(r, null, null);
        ReleaseOutcome o = await(run.outcome());
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe() + " " + o.services());
        assertEquals("web", o.causeService());
        assertTrue(o.reason().startsWith("web was rolled back (ROLLED_BACK: circuit breaker triggered"), o.reason());
        assertTrue(o.reason().endsWith("; rolled back: worker; reverted: api"), o.reason());
        ReleaseSnapshot s = run.snapshot();
        assertEquals("ROLLED_BACK", s.service("web").state());
        assertEquals("ROLLED_BACK", s.service("worker").state());
        assertTrue(sb.sim.status(s.service("worker").deploymentArn()).startsWith("ROLLBACK"), "worker stopped with a rollback");
        assertEquals("REVERTED", s.service("api").state());
        assertNotNull(s.service("api").revertArn());
        assertEquals("SUCCESSFUL", sb.sim.status(s.service("api").revertArn()), "api's previous revision deployed again");
        assertTrue(s.service("api").note().startsWith("reverted to "), s.service("api").note());
        assertEquals("ROLLED_BACK", s.status());
    }

    @Test
    void aRestartTakesTheReleaseOverFromItsCheckpointAndTheWaveGateIsOfferedAgain() {
        ReleaseRequest r = new ReleaseRequest("shop 1.6", List.of(svc("api", new Strategy.BlueGreen(0), "registry/api:1.6"),
                svc("web", new Strategy.BlueGreen(0), "registry/web:1.6")),
                List.of(List.of("api"), List.of("web")), new WaveGate(30, HookAction.ROLLBACK));
        AtomicReference<ReleaseRun> first = new AtomicReference<>();
        CompletableFuture<ReleaseCheckpoint> atWaveTwo = new CompletableFuture<>();
        CompletableFuture<Void> started = new CompletableFuture<>();
        first.set(releases.start(r, null, g -> {
            started.join();
            if (g.wave() == 0) {
                first.get().decide(0, new GateDecision(HookAction.CONTINUE, "alice", null));
            } else {
                atWaveTwo.complete(first.get().checkpoint());
            }
        }));
        started.complete(null);
        ReleaseCheckpoint c = await(atWaveTwo);
        first.get().close();   // "Jenkins stops": only the ids survive
        assertEquals(1, c.wave());
        assertEquals(java.util.Set.of(0), c.wavesContinued());
        DeploymentEngine fresh = sb.engine();
        AtomicReference<ReleaseRun> second = new AtomicReference<>();
        CompletableFuture<Void> resumed = new CompletableFuture<>();
        second.set(new ReleaseEngine(s -> fresh).resume(r, c, null, g -> {
            resumed.join();
            assertEquals(1, g.wave());
            second.get().decide(1, new GateDecision(HookAction.CONTINUE, "bob", null));
        }));
        resumed.complete(null);
        ReleaseOutcome o = await(second.get().outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(c.deploymentArns().get("api"), second.get().snapshot().service("api").deploymentArn(), "wave 1 not started again");
        assertEquals(2L, sb.sim.stats().count("UpdateService"), "two deployments in all: none started twice");
    }

    @Test
    void aBadReleaseIsRefusedNamingEveryProblemBeforeAnyCall() {
        ReleaseService api = svc("api", new Strategy.BlueGreen(0), "registry/api:1");
        ReleaseRequest r = new ReleaseRequest("x", List.of(api, new ReleaseService("api", api.request())), List.of(List.of("api", "nope"), List.of()), new WaveGate(0, null));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> releases.start(r, null, null));
        List<String> m = e.problems().stream().map(ValidationProblem::message).toList();
        assertTrue(m.contains("services.api 'api': each name once"), m.toString());
        assertTrue(m.contains("waves[0] 'nope': a name of services: api"), m.toString());
        assertTrue(m.contains("waves[1] '[]': at least one service name per wave"), m.toString());
        assertTrue(m.contains("gate.timeoutMinutes '0': minutes from 1 to 20160"), m.toString());
        assertEquals(0L, sb.sim.stats().count("UpdateService"));
    }
}
