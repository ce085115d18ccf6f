package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gates (PAUSE hooks the engine places) against the simulator: continued, rejected, timed out, per canary step. */
class GatesEndToEndTest {
    Sandbox sb;
    DeploymentEngine engine;

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
        engine = sb.engine();
    }

    @AfterEach
    void tearDown() {
        sb.close();
    }

    /** A gate handler that answers every gate with the same decision, at once, and keeps what happened. */
    final class Answering implements GateHandler {
        final GateDecision decision;
        final List<PendingGate> offered = new CopyOnWriteArrayList<>();
        final List<CompletableFuture<DecisionResult>> results = new CopyOnWriteArrayList<>();
        final List<Long> continueCallsWhenApplied = new CopyOnWriteArrayList<>();
        final CompletableFuture<DecisionResult> first = new CompletableFuture<>();

        Answering(GateDecision decision) {
            this.decision = decision;
        }

        @Override
        public void onGate(PendingGate g) {
            offered.add(g);
            if (decision != null) {
                results.add(engine.decide(g.deployment(), g.hookId(), decision).whenComplete((r, e) -> {
                    continueCallsWhenApplied.add(sb.sim.stats().count("ContinueServiceDeployment"));
                    if (e == null) {
                        first.complete(r);
                    } else {
                        first.completeExceptionally(e);
                    }
                }));
            }
        }

        CompletableFuture<DecisionResult> firstResult() {
            return first;
        }
    }

    DeploymentRequest.Builder blueGreenWithGate(int timeout, HookAction onTimeout) {
        return Sandbox.request(sb.service("web"), new Strategy.BlueGreen(2))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", timeout, onTimeout));
    }

    @Test
    void aContinuedGateLetsTheDeploymentSucceed() {
        var gates = new Answering(new GateDecision(HookAction.CONTINUE, "alice", "smoke tests green"));
        var rec = new Sandbox.Recorder();
        DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
        assertEquals(List.of("POST_TEST_TRAFFIC_SHIFT"), h.gateStages());
        Outcome o = await(engine.follow(h, rec, gates).outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(1, gates.offered.size(), "offered once per hookId");
        PendingGate g = gates.offered.get(0);
        assertEquals("POST_TEST_TRAFFIC_SHIFT", g.stage());
        assertNotNull(g.expiresAt());
        assertEquals(DecisionResult.APPLIED, await(gates.results.get(0)));
        assertEquals(1L, sb.sim.stats().count("ContinueServiceDeployment"));
        var gate = rec.last.gates().get(0);
        assertEquals("CONTINUED", gate.state());
        assertEquals("alice", gate.decidedBy());
        assertEquals("smoke tests green", gate.comment());
    }

    @Test
    void theDecisionGoesToEcsAtOnceNotOnTheNextPoll() {
        var gates = new Answering(new GateDecision(HookAction.CONTINUE, "alice", null));
        DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
        await(engine.follow(h, null, gates).outcome());
        // When decide() completed, ContinueServiceDeployment had already reached ECS.
        assertEquals(List.of(1L), gates.continueCallsWhenApplied);
    }

    @Test
    void aSecondDecisionOnTheSameHookIsReportedNotSent() {
        var gates = new Answering(new GateDecision(HookAction.CONTINUE, "alice", null));
        DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
        var sub = engine.follow(h, null, gates);
        await(gates.firstResult());
        var again = await(engine.decide(h, gates.offered.get(0).hookId(), new GateDecision(HookAction.ROLLBACK, "bob", null)));
        assertEquals(DecisionResult.ALREADY_DECIDED, again);
        assertEquals(OutcomeKind.SUCCEEDED, await(sub.outcome()).kind());
        assertEquals(1L, sb.sim.stats().count("ContinueServiceDeployment"));
    }

    @Test
    void aRejectedGateRollsBackNamingWhoRejected() {
        var gates = new Answering(new GateDecision(HookAction.ROLLBACK, "bob", "latency too high"));
        DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
        Outcome o = await(engine.follow(h, null, gates).outcome());
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.GATE_REJECTED, o.cause());
        assertEquals("bob", o.decidedBy());
        assertEquals("ROLLED_BACK: gate at POST_TEST_TRAFFIC_SHIFT rejected by bob: latency too high", o.describe());
    }

    @Test
    void anUnansweredGateTimesOutAndRollsBack() {
        var gates = new Answering(null);
        DeploymentHandle h = await(engine.start(blueGreenWithGate(5, HookAction.ROLLBACK).build()));
        Outcome o = await(engine.follow(h, null, gates).outcome());
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.GATE_TIMED_OUT, o.cause());
        assertTrue(o.reason().startsWith("gate at POST_TEST_TRAFFIC_SHIFT timed out without a decision"), o.reason());
        assertEquals(1, gates.offered.size());
        assertEquals(DecisionResult.DEPLOYMENT_FINISHED,
                await(engine.decide(h, gates.offered.get(0).hookId(), new GateDecision(HookAction.CONTINUE, "late", null))));
        assertEquals(0L, sb.sim.stats().count("ContinueServiceDeployment"));
    }

    @Test
    void aDecisionAfterTheHookExpiredIsReportedAsExpired() {
        var gates = new Answering(null);
        var rec = new Sandbox.Recorder();
        DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.BlueGreen(30))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 2, HookAction.CONTINUE)).build()));
        var sub = engine.follow(h, rec, gates);
        await(rec.stage("BAKE_TIME"));
        var r = await(engine.decide(h, gates.offered.get(0).hookId(), new GateDecision(HookAction.ROLLBACK, "late", null)));
        assertEquals(DecisionResult.EXPIRED, r);
        assertEquals(0L, sb.sim.stats().count("ContinueServiceDeployment"));
        assertEquals(OutcomeKind.SUCCEEDED, await(sub.outcome()).kind(), "the timeout action CONTINUE went on");
    }

    @Test
    void aCanaryGateBeforeProductionTrafficIsOfferedAtEveryStep() {
        var gates = new Answering(new GateDecision(HookAction.CONTINUE, "alice", null));
        DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.Canary(20.0, 2, 2))
                .gate(new Gate("PRE_PRODUCTION_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK)).build()));
        Outcome o = await(engine.follow(h, null, gates).outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(2, gates.offered.size(), "one gate per production step (ecs-api-facts §10.2)");
        assertTrue(!gates.offered.get(0).hookId().equals(gates.offered.get(1).hookId()));
        assertEquals(2L, sb.sim.stats().count("ContinueServiceDeployment"));
    }

    @Test
    void aLinearGateBeforeProductionTrafficIsOfferedAtEveryStep() {
        var gates = new Answering(new GateDecision(HookAction.CONTINUE, "alice", null));
        var rec = new Sandbox.Recorder();
        DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.Linear(34.0, 1, 1))
                .gate(new Gate("PRE_PRODUCTION_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK)).build()));
        Outcome o = await(engine.follow(h, rec, gates).outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        // 34 %, 68 %, 100 %: three steps, three gates, three decisions
        assertEquals(3, gates.offered.size());
        assertEquals(3, gates.offered.stream().map(PendingGate::hookId).distinct().count());
        assertEquals(3, rec.last.gates().stream().filter(g -> g.state().equals("CONTINUED")).count());
    }
}
