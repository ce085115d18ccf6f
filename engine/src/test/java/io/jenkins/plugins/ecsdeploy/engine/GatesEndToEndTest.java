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
        final java.time.Duration after;

        Answering(GateDecision decision) {
            this(decision, java.time.Duration.ZERO);
        }

        /** Answers {@code after} (engine time) the gate was offered, like a person would. */
        Answering(GateDecision decision, java.time.Duration after) {
            this.decision = decision;
            this.after = after;
        }

        @Override
        public void onGate(PendingGate g) {
            offered.add(g);
            if (decision != null && !after.isZero()) {
                sb.scheduler.schedule(after, () -> answer(g));
            } else {
                answer(g);
            }
        }

        private void answer(PendingGate g) {
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
        // 60 virtual minutes (3 s real): long enough for a loaded machine to see the gate before it expires
        DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
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
        assertEquals(2, gates.offered.size(), "one gate per production step (pause-hook page: a hook runs at every visit of its stage; docs/engine.md, 5. Gates)");
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

    // ---- a decided hook disappears from lifecycleHookDetails (follow-up 1) ----

    static DeploymentSnapshot.Hook onlyHook(DeploymentSnapshot s) {
        assertEquals(1, s.hooks().size(), String.valueOf(s.hooks()));
        return s.hooks().get(0);
    }

    /** The index of the first event matching, or -1. */
    static int indexOf(Sandbox.Recorder rec, java.util.function.Predicate<DeploymentEvent> p) {
        synchronized (rec.events) {
            for (int i = 0; i < rec.events.size(); i++) {
                if (p.test(rec.events.get(i))) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * Later than the simulator's shortest stage (1 virtual minute in the Sandbox): then ECS moves on the moment the
     * gate is answered and the hook is gone from the next answer (docs/simulator.md) — what a person's answer meets.
     * An instant answer would find the hook still listed as SUCCEEDED until the stage's minimum time is over.
     */
    static final java.time.Duration LATER = java.time.Duration.ofMinutes(3);

    @Test
    void aContinuedGatesHookEndsSucceededOnceEcsNoLongerListsIt() {
        var gates = new Answering(new GateDecision(HookAction.CONTINUE, "alice", null), LATER);
        var rec = new Sandbox.Recorder();
        DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
        assertEquals(OutcomeKind.SUCCEEDED, await(engine.follow(h, rec, gates).outcome()).kind());
        var hook = onlyHook(rec.last);
        assertEquals("PAUSE", hook.targetType());
        assertEquals("SUCCEEDED", hook.status());
        int succeeded = indexOf(rec, e -> e instanceof DeploymentEvent.HookStatusChanged hs && hs.status().equals("SUCCEEDED"));
        int bake = indexOf(rec, e -> e instanceof DeploymentEvent.StageEntered se && se.stage().equals("BAKE_TIME"));
        assertTrue(succeeded >= 0 && succeeded < bake, "closed as soon as the deployment moved on: " + rec.events);
    }

    @Test
    void aRejectedGatesHookEndsFailed() {
        var gates = new Answering(new GateDecision(HookAction.ROLLBACK, "bob", "latency too high"), LATER);
        var rec = new Sandbox.Recorder();
        DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
        Outcome o = await(engine.follow(h, rec, gates).outcome());
        assertEquals(RollbackCause.GATE_REJECTED, o.cause(), o.describe());
        assertEquals("FAILED", onlyHook(rec.last).status());
        assertEquals("bob", rec.last.gates().get(0).decidedBy());
    }

    @Test
    void anUnansweredGatesHookEndsTimedOut() {
        var rec = new Sandbox.Recorder();
        // 60 virtual minutes (3 s real): long enough for a loaded machine to see the gate before it expires
        DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
        Outcome o = await(engine.follow(h, rec, new Answering(null)).outcome());
        assertEquals(RollbackCause.GATE_TIMED_OUT, o.cause(), o.describe());
        assertEquals("TIMED_OUT", onlyHook(rec.last).status());
        assertEquals("TIMED_OUT", rec.last.gates().get(0).state());
    }

    @Test
    void everyCanaryStepsGateHookEndsSucceeded() {
        var gates = new Answering(new GateDecision(HookAction.CONTINUE, "alice", null), LATER);
        var rec = new Sandbox.Recorder();
        DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.Canary(20.0, 2, 2))
                .gate(new Gate("PRE_PRODUCTION_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK)).build()));
        assertEquals(OutcomeKind.SUCCEEDED, await(engine.follow(h, rec, gates).outcome()).kind());
        assertEquals(2, rec.last.hooks().size());
        assertTrue(rec.last.hooks().stream().allMatch(x -> x.status().equals("SUCCEEDED")), String.valueOf(rec.last.hooks()));
    }

    @Test
    void aGateContinuedOutsideThisEngineIsClosedWhenItsHookDisappears() {
        var rec = new Sandbox.Recorder();
        try (var ecs = software.amazon.awssdk.services.ecs.EcsClient.builder().endpointOverride(sb.sim.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("a", "b"))).build()) {
            // Someone else (the console, another controller) answers: this engine records no decision.
            GateHandler outside = g -> sb.scheduler.schedule(LATER, () -> ecs.continueServiceDeployment(
                    b -> b.serviceDeploymentArn(g.deployment().deploymentArn()).hookId(g.hookId())));
            DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
            assertEquals(OutcomeKind.SUCCEEDED, await(engine.follow(h, rec, outside).outcome()).kind());
        }
        var gate = rec.last.gates().get(0);
        assertEquals("CONTINUED", gate.state());
        assertEquals(null, gate.decidedBy(), "not decided through this engine");
        assertTrue(rec.last.awaitingGates().isEmpty());
        assertEquals("SUCCEEDED", onlyHook(rec.last).status());
    }

    @Test
    void aGateCutShortByAManualRollbackIsClosedWithoutInventingADecision() {
        var rec = new Sandbox.Recorder();
        GateHandler rollInstead = g -> sb.scheduler.schedule(LATER,
                () -> engine.rollback(g.deployment(), RollbackCause.MANUAL, "customer complaints", "carol"));
        DeploymentHandle h = await(engine.start(blueGreenWithGate(60, HookAction.ROLLBACK).build()));
        Outcome o = await(engine.follow(h, rec, rollInstead).outcome());
        assertEquals(RollbackCause.MANUAL, o.cause(), o.describe());
        assertEquals("carol", o.decidedBy());
        var gate = rec.last.gates().get(0);
        assertEquals("ROLLED_BACK", gate.state());
        assertEquals(null, gate.decidedBy());
        assertTrue(gate.comment().startsWith("not decided; rolled back by carol"), gate.comment());
        assertEquals("FAILED", onlyHook(rec.last).status());
        assertTrue(rec.last.awaitingGates().isEmpty());
    }
}
