package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.simulator.LostReplyProxy;
import io.jenkins.plugins.ecsdeploy.simulator.SeededService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every write the engine makes, with its reply lost once (a loopback proxy applies the write at the simulator and
 * drops the answer): exactly one deployment, the decision reported APPLIED, the right outcome and the audit
 * (docs/reliability.md "Writes"). The counters are summed into the figures of docs/reliability.md.
 */
class LostRepliesEndToEndTest {
    /** Replies dropped by the proxy in this class (docs/reliability.md figures). */
    static final AtomicInteger DROPPED = new AtomicInteger();
    Sandbox sb;
    LostReplyProxy proxy;
    DeploymentEngine engine;

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
        proxy = LostReplyProxy.start(sb.sim.endpoint());
        // The SDK would wait 20 s for a reply that never comes only if the proxy kept the connection open; it closes it.
        engine = sb.engine(sb.config().endpointOverride(proxy.endpoint()));
    }

    @AfterEach
    void tearDown() {
        DROPPED.addAndGet(proxy.dropped().size());
        proxy.close();
        sb.close();
    }

    @AfterAll
    static void figures() {
        System.out.println("[reliability] lost replies injected (engine): " + DROPPED.get());
    }

    private List<String> deploymentsOf(SeededService svc) {
        return sb.sim.deploymentArns().stream().filter(a -> a.contains("/" + svc.clusterName() + "/" + svc.serviceName() + "/"))
                .filter(a -> !a.equals(svc.deploymentArn())).toList();
    }

    @Test
    void aLostUpdateServiceReplyWithForceNewDeploymentStartsExactlyOneDeploymentAndAdoptsIt() {
        var svc = sb.service("web");
        proxy.dropReplyOnce("UpdateService");
        DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(1))
                .taskDefinition(svc.taskDefinitionArn()).forceNewDeployment(true).build()));
        assertEquals(List.of("UpdateService"), proxy.dropped());
        assertEquals(1, proxy.forwarded("UpdateService"), "UpdateService was not sent a second time");
        assertEquals(List.of(h.deploymentArn()), deploymentsOf(svc), "one new deployment, and it is the one followed");
        assertEquals(1, engine.writesAdoptedAfterLostReply());
        assertEquals(OutcomeKind.SUCCEEDED, await(engine.follow(h, null, null).outcome()).kind());
    }

    @Test
    void anUpdateServiceThatReachedNoOneIsSentAgainAndStartsOneDeployment() {
        var svc = sb.service("web");
        sb.sim.faults().dropNext("UpdateService", 1); // dropped before ECS applied it: nothing happened
        DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(1))
                .taskDefinition(svc.taskDefinitionArn()).forceNewDeployment(true).build()));
        assertEquals(2, proxy.forwarded("UpdateService"), "sent again, after ECS showed the service unchanged");
        assertEquals(List.of(h.deploymentArn()), deploymentsOf(svc));
        assertEquals(0, engine.writesAdoptedAfterLostReply());
    }

    DeploymentRequest.Builder blueGreenWithGate(SeededService svc) {
        return Sandbox.request(svc, new Strategy.BlueGreen(2)).gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 600, HookAction.ROLLBACK));
    }

    /** Answers the first gate offered with {@code d} and keeps the result. */
    private CompletableFuture<DecisionResult> answer(DeploymentEngine e, DeploymentHandle h, GateDecision d,
                                                     Sandbox.Recorder rec, CompletableFuture<Outcome> outcome) {
        CompletableFuture<DecisionResult> result = new CompletableFuture<>();
        var sub = e.follow(h, rec, g -> e.decide(g.deployment(), g.hookId(), d).whenComplete((r, x) -> {
            if (x != null) {
                result.completeExceptionally(x);
            } else {
                result.complete(r);
            }
        }));
        sub.outcome().thenAccept(outcome::complete);
        return result;
    }

    @Test
    void aLostContinueReplyIsReportedAppliedAndTheOutcomeAndRecordNameTheApprover() {
        var svc = sb.service("web");
        DeploymentHandle h = await(engine.start(blueGreenWithGate(svc).build()));
        proxy.dropReplyOnce("ContinueServiceDeployment");
        var rec = new Sandbox.Recorder();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        var result = answer(engine, h, new GateDecision(HookAction.CONTINUE, "alice", "smoke tests green"), rec, outcome);
        assertEquals(DecisionResult.APPLIED, await(result), "not ALREADY_DECIDED: the lost reply's effect is there");
        assertEquals(1, proxy.forwarded("ContinueServiceDeployment"));
        assertEquals(OutcomeKind.SUCCEEDED, await(outcome).kind());
        var gate = rec.last.gates().get(0);
        assertEquals("alice", gate.decidedBy());
        assertEquals("smoke tests green", gate.comment());
        var recorded = await(engine.decisionRecordsWritten().thenCompose(x -> engine.recordedDecisions(h)));
        assertEquals(1, recorded.size(), String.valueOf(recorded));
        assertEquals("CONTINUE", recorded.get(0).action());
        assertEquals("alice", recorded.get(0).by());
    }

    /**
     * A found race: ECS applied the approval and finished the deployment before the reply of ContinueServiceDeployment
     * came back (a ROLLING deployment gated after scale-up has nothing left to do). The end must still name who
     * approved: the watcher holds a terminal observation while a decision is in flight.
     */
    @Test
    void aDeploymentThatEndsBeforeTheApprovalsReplyStillNamesTheApprover() {
        var svc = sb.service("web");
        DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.Rolling(100, 200, null, null))
                .gate(new Gate("POST_SCALE_UP", 600, HookAction.ROLLBACK)).build()));
        CompletableFuture<Void> release = new CompletableFuture<>();
        proxy.holdReplyOnce("ContinueServiceDeployment", release);
        var rec = new Sandbox.Recorder();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        var result = answer(engine, h, new GateDecision(HookAction.CONTINUE, "alice", "scaled up fine"), rec, outcome);
        // ECS applied the decision and finished; then the engine looked at the deployment twice more
        awaitCondition(() -> "SUCCESSFUL".equals(sb.sim.status(h.deploymentArn())));
        int looks = proxy.forwarded("DescribeServiceDeployments");
        awaitCondition(() -> proxy.forwarded("DescribeServiceDeployments") >= looks + 2);
        assertTrue(!outcome.isDone(), "the end waits for the decision in flight: " + outcome);
        release.complete(null);
        assertEquals(DecisionResult.APPLIED, await(result));
        assertEquals(OutcomeKind.SUCCEEDED, await(outcome).kind());
        assertEquals("alice", rec.last.gates().get(0).decidedBy(), "the snapshot names who approved");
    }

    @Test
    void aLostRollbackDecisionReplyIsReportedAppliedAndTheOutcomeNamesWhoRejected() {
        var svc = sb.service("web");
        DeploymentHandle h = await(engine.start(blueGreenWithGate(svc).build()));
        proxy.dropReplyOnce("ContinueServiceDeployment");
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        var result = answer(engine, h, new GateDecision(HookAction.ROLLBACK, "bob", "latency too high"), new Sandbox.Recorder(), outcome);
        assertEquals(DecisionResult.APPLIED, await(result));
        Outcome o = await(outcome);
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.GATE_REJECTED, o.cause());
        assertEquals("bob", o.decidedBy());
    }

    @Test
    void aLostStopReplyIsReportedAppliedAndTheRollbackIsRecordedOnce() {
        var svc = sb.service("web");
        DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(600)).build()));
        var sub = engine.follow(h, null, null);
        proxy.dropReplyOnce("StopServiceDeployment");
        assertEquals(DecisionResult.APPLIED, await(engine.requestRollback(h, RollbackCause.MANUAL, "customer complaints", "carol")));
        assertEquals(1, proxy.forwarded("StopServiceDeployment"));
        Outcome o = await(sub.outcome());
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.MANUAL, o.cause());
        assertEquals("carol", o.decidedBy());
        var recorded = await(engine.decisionRecordsWritten().thenCompose(x -> engine.recordedDecisions(h)));
        assertEquals(1, recorded.size());
        assertEquals(null, recorded.get(0).hookId());
        assertEquals("carol", recorded.get(0).by());
        assertEquals("customer complaints", recorded.get(0).comment());
    }

    @Test
    void rollingBackAFinishedDeploymentSaysSoInsteadOfClaimingARollback() {
        var svc = sb.service("web");
        DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(0)).build()));
        await(engine.follow(h, null, null).outcome());
        assertEquals(DecisionResult.DEPLOYMENT_FINISHED, await(engine.requestRollback(h, RollbackCause.MANUAL, null, "carol")));
        assertEquals(0, proxy.forwarded("StopServiceDeployment"));
    }

    @Test
    void everyWriteLosingItsReplyOnceStillGivesOneDeploymentTheRightOutcomeAndTheAudit() {
        var svc = sb.service("web");
        proxy.dropEveryWriteReplyOnce();
        DeploymentHandle h = await(engine.start(blueGreenWithGate(svc).forceNewDeployment(true).build()));
        var rec = new Sandbox.Recorder();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        var result = answer(engine, h, new GateDecision(HookAction.CONTINUE, "alice", "ok"), rec, outcome);
        assertEquals(DecisionResult.APPLIED, await(result));
        assertEquals(OutcomeKind.SUCCEEDED, await(outcome).kind());
        assertEquals(List.of(h.deploymentArn()), deploymentsOf(svc));
        assertEquals(1, proxy.forwarded("UpdateService"));
        assertEquals(1, proxy.forwarded("ContinueServiceDeployment"));
        assertTrue(proxy.dropped().containsAll(List.of("RegisterTaskDefinition", "UpdateService",
                "ContinueServiceDeployment", "TagResource")), String.valueOf(proxy.dropped()));
        // RegisterTaskDefinition is safe to repeat: the SDK's retry registered one unused revision more, nothing else.
        var recorded = await(engine.decisionRecordsWritten().thenCompose(x -> engine.recordedDecisions(h)));
        assertEquals(1, recorded.size());
        assertEquals("alice", recorded.get(0).by());
        assertEquals("alice", rec.last.gates().get(0).decidedBy());

        // and a second deployment, rolled back now, with the StopServiceDeployment reply lost as well
        DeploymentHandle h2 = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(600)).build()));
        var sub = engine.follow(h2, null, null);
        proxy.dropReplyOnce("StopServiceDeployment");
        assertEquals(DecisionResult.APPLIED, await(engine.requestRollback(h2, RollbackCause.MANUAL, null, "carol")));
        Outcome o = await(sub.outcome());
        assertEquals(RollbackCause.MANUAL, o.cause(), o.describe());
        assertEquals("carol", o.decidedBy());
        assertNotNull(await(engine.decisionRecordsWritten().thenCompose(x -> engine.recordedDecisions(h2))).get(0).at());
    }

    @Test
    void aDecisionIsReadableFromAnotherEngineWithWhoWhenAndWhy() {
        var svc = sb.service("web");
        DeploymentHandle h = await(engine.start(blueGreenWithGate(svc).build()));
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        var result = answer(engine, h, new GateDecision(HookAction.ROLLBACK, "Zoë O'Brien", "p99 > 2 s, see INC-42; «rollback»"),
                new Sandbox.Recorder(), outcome);
        assertEquals(DecisionResult.APPLIED, await(result));
        await(outcome);
        try (DeploymentEngine other = new DeploymentEngine(sb.config().endpointOverride(sb.sim.endpoint()).build())) {
            DeploymentHandle attached = await(other.attach(h.deploymentArn()));
            await(engine.decisionRecordsWritten());
            var recorded = await(other.recordedDecisions(attached));
            assertEquals(1, recorded.size());
            RecordedDecision d = recorded.get(0);
            assertEquals("ROLLBACK", d.action());
            assertEquals("Zoë O'Brien", d.by());
            assertEquals("p99 > 2 s, see INC-42; «rollback»", d.comment());
            assertTrue(Duration.between(d.at(), sb.clock.instant()).abs().compareTo(Duration.ofHours(1)) < 0, String.valueOf(d.at()));
            assertNotNull(d.hookId());
        }
    }

    /** Waits (real time, at most 60 s) for something the simulator or the proxy will show; never for a duration. */
    static void awaitCondition(java.util.function.BooleanSupplier c) {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not seen within 60 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }
}
