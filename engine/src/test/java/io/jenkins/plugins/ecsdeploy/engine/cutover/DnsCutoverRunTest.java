package io.jenkins.plugins.ecsdeploy.engine.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The cutover's state machine in virtual time ({@link ManualTime}: nothing moves unless the test advances it; tasks
 * run on the test's thread), against {@link FakeRoute53} — which, unlike moto, answers PENDING before INSYNC and can
 * refuse a change while the previous one is applied — and a scripted health probe. Deterministic: no real waits.
 */
class DnsCutoverRunTest {
    static final Instant T0 = ManualTime.T0;
    ManualTime time;
    FakeRoute53 route53;
    CutoverKit.ScriptedProbe probe;
    CutoverEngine engine;
    CutoverKit.Recorder rec;

    @BeforeEach
    void setUp() {
        time = new ManualTime();
        route53 = new FakeRoute53(time::now);
        probe = new CutoverKit.ScriptedProbe(200);
        engine = new CutoverEngine(CutoverKit.config(time), CutoverKit.clients(route53), probe, Runnable::run);
        rec = new CutoverKit.Recorder();
    }

    static DnsCutoverRequest.Builder request() {
        return DnsCutoverRequest.builder().id("c1").region("eu-west-1").hostedZoneId("Z123TEST").recordName("api.example.com")
                .blue(new CutoverTarget.Value("10.0.0.1")).green(new CutoverTarget.Value("10.0.0.2"))
                .blueSetIdentifier("blue").greenSetIdentifier("green").ttlSeconds(60)
                .healthCheck(HealthCheck.url("http://green.internal/health"));
    }

    static ResourceRecordSet plainA(String value) {
        return ResourceRecordSet.builder().name("api.example.com.").type("A").ttl(300L)
                .resourceRecords(ResourceRecord.builder().value(value).build()).build();
    }

    private Outcome outcome(CutoverRun run) {
        assertTrue(run.outcome().isDone(), "the cutover has ended; phase " + run.snapshot().phase());
        return run.outcome().join();
    }

    @Test
    void getChangeIsPolledOnTheSchedulerUntilInsyncAndTheWaitStartsOnlyThen() {
        route53.pendingPolls = 3;
        CutoverRun run = engine.start(request().steps(List.of(100)).build(), rec, rec);
        assertEquals(1, route53.changes.size(), "the first change is sent at once (the health check passed)");
        assertTrue(route53.getChangeCalls.isEmpty(), "GetChange is a scheduled poll, not a loop");
        time.advance(Duration.ofSeconds(35));
        assertEquals(List.of(T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30)), route53.getChangeCalls);
        assertTrue(rec.all(CutoverEvent.WeightsInSync.class).isEmpty(), "still PENDING: no wait has started");
        assertEquals("SHIFTING", run.snapshot().phase());
        time.advance(Duration.ofSeconds(5));
        CutoverEvent.WeightsInSync insync = rec.all(CutoverEvent.WeightsInSync.class).get(0);
        assertEquals(T0.plusSeconds(40), insync.at());
        assertEquals(T0.plusSeconds(100), insync.clientsMayResolveOldUntil(), "INSYNC + one TTL");
        assertEquals("blue", insync.oldSide());
        assertFalse(run.outcome().isDone(), "the last step still waits one TTL");
        time.advance(Duration.ofSeconds(59));
        assertFalse(run.outcome().isDone());
        time.advance(Duration.ofSeconds(1));
        Outcome o = outcome(run);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind());
        assertTrue(o.reason().contains("clients could resolve blue until 2026-12-02T14:01:40Z"), o.reason());
        assertEquals(4, route53.getChangeCalls.size(), "no poll after INSYNC");
    }

    @Test
    void threeStepsWithAGateRolledBackAtTheSecondStepPutsTheWeightsBackAndSaysWhy() {
        CutoverRun run = engine.start(request().gate(new CutoverGate(60, HookAction.ROLLBACK)).build(), rec, rec);
        time.advance(Duration.ofSeconds(10 + 60));       // INSYNC at +10 s, then one TTL
        assertEquals(1, rec.gates.size());
        PendingCutoverGate g1 = rec.gateAfter(1);
        assertEquals(10, g1.greenPercent());
        assertEquals(Integer.valueOf(10), route53.weight("green"));
        assertEquals(Integer.valueOf(90), route53.weight("blue"));
        assertEquals(DecisionResult.APPLIED, run.decide(g1.gateId(), new GateDecision(HookAction.CONTINUE, "alice", "10 % looks fine")).join());
        time.advance(Duration.ofSeconds(10 + 60));
        assertEquals(Integer.valueOf(50), route53.weight("green"));
        PendingCutoverGate g2 = rec.gateAfter(2);
        assertEquals(DecisionResult.APPLIED, run.decide(g2.gateId(), new GateDecision(HookAction.ROLLBACK, "alice", "p99 too high")).join());
        time.advance(Duration.ofSeconds(10));
        Outcome o = outcome(run);
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind());
        assertEquals(RollbackCause.GATE_REJECTED, o.cause());
        assertEquals("alice", o.decidedBy());
        assertTrue(o.reason().startsWith("gate after step 2 (50 %) rejected by alice: p99 too high; weights back to blue 100 / green 0"),
                o.reason());
        assertTrue(o.plainWords().startsWith("Rolled back because a gate was rejected"), o.plainWords());
        assertEquals(Integer.valueOf(100), route53.weight("blue"));
        assertEquals(Integer.valueOf(0), route53.weight("green"));
        assertEquals(3, route53.changes.size(), "10 %, 50 %, then back: step 3 was never asked for");
        CutoverSnapshot s = run.snapshot();
        assertEquals(List.of("ROLLED_BACK", "ROLLED_BACK", "NOT_REACHED"), s.steps().stream().map(CutoverSnapshot.StepState::state).toList());
        assertEquals(List.of("CONTINUED", "REJECTED"), s.gates().stream().map(CutoverSnapshot.GateState::state).toList());
        assertEquals(List.of(0, 10, 10, 50, 50, 0, 0), s.weights().stream().map(w -> w.green() == null ? 0 : w.green()).toList(),
                "READ, then REQUESTED and INSYNC of each change");
        assertEquals(DecisionResult.DEPLOYMENT_FINISHED, run.decide(g2.gateId(), new GateDecision(HookAction.CONTINUE, "bob", null)).join());
    }

    @Test
    void aGateLeftUndecidedRollsBackWhenItsTimeoutFires() {
        CutoverRun run = engine.start(request().gate(new CutoverGate(30, null)).build(), rec, rec);
        time.advance(Duration.ofSeconds(70));
        PendingCutoverGate g = rec.gateAfter(1);
        assertEquals(T0.plusSeconds(70).plus(Duration.ofMinutes(30)), g.expiresAt());
        time.advance(Duration.ofMinutes(29));
        assertFalse(run.outcome().isDone(), "the engine holds the gate until its timeout");
        time.advance(Duration.ofMinutes(1).plusSeconds(10));
        Outcome o = outcome(run);
        assertEquals(RollbackCause.GATE_TIMED_OUT, o.cause());
        assertTrue(o.reason().startsWith("gate after step 1 (10 %) timed out after 30 min without a decision"), o.reason());
        assertEquals("TIMED_OUT", run.snapshot().gates().get(0).state());
        assertEquals(Integer.valueOf(0), route53.weight("green"));
        assertEquals(DecisionResult.DEPLOYMENT_FINISHED, run.decide(g.gateId(), new GateDecision(HookAction.CONTINUE, "late", null)).join());
    }

    @Test
    void aGateWhoseTimeoutActionIsContinueGoesOnToTheNextStep() {
        CutoverRun run = engine.start(request().steps(List.of(50, 100)).gate(new CutoverGate(5, HookAction.CONTINUE)).build(), rec, rec);
        time.advance(Duration.ofSeconds(70).plusMinutes(5));
        assertEquals("TIMED_OUT", run.snapshot().gates().get(0).state());
        assertEquals("timed out: CONTINUE", run.snapshot().gates().get(0).comment());
        time.advance(Duration.ofSeconds(70));
        assertEquals(OutcomeKind.SUCCEEDED, outcome(run).kind());
        assertEquals(Integer.valueOf(100), route53.weight("green"));
    }

    @Test
    void theWaitAfterAStepIsOneTtlOrTheBakeWhicheverIsLonger() {
        engine.start(request().steps(List.of(10, 100)).ttlSeconds(300).bakeMinutes(1).build(), rec, rec);
        time.advance(Duration.ofSeconds(10));
        CutoverEvent.Waiting w = rec.all(CutoverEvent.Waiting.class).get(0);
        assertEquals(T0.plusSeconds(10 + 300), w.until(), "a 300 s TTL outlasts a 1-minute bake");
        time.advance(Duration.ofSeconds(299));
        assertEquals(1, route53.changes.size(), "step 2 waits for clients that cached step 1's answer");
        time.advance(Duration.ofSeconds(1));
        assertEquals(2, route53.changes.size());

        setUp();
        engine.start(request().steps(List.of(10, 100)).ttlSeconds(60).bakeMinutes(10).build(), rec, rec);
        time.advance(Duration.ofSeconds(10));
        assertEquals(T0.plusSeconds(10 + 600), rec.all(CutoverEvent.Waiting.class).get(0).until(), "a 10-minute bake outlasts the TTL");
    }

    @Test
    void aHealthCheckFailingBeforeStepTwoSetsTheWeightsBackToBlue() {
        probe.script.clear();
        probe.script.addAll(List.of(200, 503, 503, 503));
        CutoverRun run = engine.start(request().build(), rec, rec);
        time.advance(Duration.ofSeconds(70));              // step 1 INSYNC + TTL, then the check of step 2 starts
        time.advance(Duration.ofSeconds(25));              // attempts 2 and 3, 10 s apart, then the rollback's change
        List<CutoverEvent.HealthChecked> checks = rec.all(CutoverEvent.HealthChecked.class);
        assertEquals(4, checks.size());
        assertEquals(List.of(T0.plusSeconds(70), T0.plusSeconds(80), T0.plusSeconds(90)),
                checks.subList(1, 4).stream().map(CutoverEvent.HealthChecked::at).toList(), "attempts are scheduled 10 s apart");
        time.advance(Duration.ofSeconds(10));
        Outcome o = outcome(run);
        assertEquals(RollbackCause.HEALTH_CHECK_FAILED, o.cause());
        assertTrue(o.reason().startsWith("green's health check failed before step 2 (50 %): HTTP 503 (expected 200) from "
                + "http://green.internal/health after 3 attempts; weights back to blue 100 / green 0"), o.reason());
        assertTrue(o.plainWords().startsWith("Rolled back because green's health check failed"), o.plainWords());
        assertEquals(Integer.valueOf(100), route53.weight("blue"));
        assertEquals(Integer.valueOf(0), route53.weight("green"));
    }

    @Test
    void aHealthCheckFailingBeforeTheFirstStepWritesNothing() {
        route53.records.add(plainA("10.0.0.1"));
        probe.script.clear();
        probe.script.add(-1);   // connection refused, every time
        CutoverRun run = engine.start(request().build(), rec, rec);
        time.runAll();
        Outcome o = outcome(run);
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind());
        assertEquals(RollbackCause.HEALTH_CHECK_FAILED, o.cause());
        assertTrue(o.reason().endsWith("nothing was shifted, blue keeps every answer"), o.reason());
        assertTrue(route53.changes.isEmpty(), "no ChangeResourceRecordSets at all");
        assertEquals(List.of(plainA("10.0.0.1")), route53.records);
    }

    @Test
    void aPlainRecordIsReplacedByTheWeightedPairInTheFirstChangeOnly() {
        route53.records.add(plainA("10.0.0.1"));
        CutoverRun run = engine.start(request().steps(List.of(50, 100)).build(), rec, rec);
        time.runAll();
        assertEquals(OutcomeKind.SUCCEEDED, outcome(run).kind());
        var first = route53.changes.get(0).changeBatch().changes();
        assertEquals(List.of(ChangeAction.DELETE, ChangeAction.UPSERT, ChangeAction.UPSERT), first.stream().map(c -> c.action()).toList());
        assertEquals(plainA("10.0.0.1"), first.get(0).resourceRecordSet(), "the plain record exactly as listed");
        assertEquals(List.of(ChangeAction.UPSERT, ChangeAction.UPSERT),
                route53.changes.get(1).changeBatch().changes().stream().map(c -> c.action()).toList());
        assertEquals(2, route53.records.size());
        assertEquals("a plain A record, replaced by the weighted records in the first change",
                rec.all(CutoverEvent.RecordsRead.class).get(0).note());
    }

    @Test
    void weightedRecordsOfAnotherOwnerAreNeverTouched() {
        route53.records.add(ResourceRecordSet.builder().name("api.example.com.").type("A").setIdentifier("canary-2024").weight(20L)
                .ttl(60L).resourceRecords(ResourceRecord.builder().value("10.9.9.9").build()).build());
        CutoverRun run = engine.start(request().build(), rec, rec);
        time.runAll();
        Outcome o = outcome(run);
        assertEquals(OutcomeKind.FAILED, o.kind());
        assertTrue(o.reason().contains("set identifier 'canary-2024' is neither blue's nor green's"), o.reason());
        assertTrue(o.reason().endsWith("nothing was written"), o.reason());
        assertTrue(route53.changes.isEmpty());
        assertTrue(probe.urls.isEmpty(), "refused before any health check");
    }

    @Test
    void aChangeRefusedWhileThePreviousOneIsAppliedIsTriedAgainLater() {
        route53.priorRequestNotComplete = 2;
        CutoverRun run = engine.start(request().steps(List.of(100)).build(), rec, rec);
        assertTrue(route53.changes.isEmpty());
        time.advance(Duration.ofSeconds(2));
        assertTrue(route53.changes.isEmpty(), "second try after 2 s, refused again");
        time.advance(Duration.ofSeconds(4));
        assertEquals(1, route53.changes.size(), "third try after 4 more seconds");
        assertEquals(T0.plusSeconds(6), rec.all(CutoverEvent.WeightsRequested.class).get(0).at());
        time.runAll();
        assertEquals(OutcomeKind.SUCCEEDED, outcome(run).kind());
    }

    @Test
    void rollingBackWhileAChangeIsPendingSetsBlueBackAndStopsPollingTheOldChange() {
        route53.pendingPolls = 100;
        CutoverRun run = engine.start(request().build(), rec, rec);
        time.advance(Duration.ofSeconds(25));
        assertEquals(2, route53.getChangeCalls.size());
        route53.pendingPolls = 1;
        assertEquals(DecisionResult.APPLIED, run.rollback(RollbackCause.MANUAL, "customer complaints", "carol").join());
        assertEquals(DecisionResult.ALREADY_DECIDED, run.rollback(RollbackCause.MANUAL, "again", "dave").join());
        time.advance(Duration.ofSeconds(30));
        Outcome o = outcome(run);
        assertEquals(RollbackCause.MANUAL, o.cause());
        assertEquals("carol", o.decidedBy());
        assertTrue(o.reason().startsWith("rolled back by carol: customer complaints; weights back to blue 100 / green 0"), o.reason());
        assertEquals(Integer.valueOf(0), route53.weight("green"));
        assertEquals(4, route53.getChangeCalls.size(), "two polls of the forward change, two of the rollback's, none after");
    }

    @Test
    void resumingAfterARestartOffersTheGateAgainWithItsOwnTimeout() {
        DnsCutoverRequest r = request().gate(new CutoverGate(60, null)).build();
        CutoverRun first = engine.start(r, rec, rec);
        time.advance(Duration.ofSeconds(70));
        PendingCutoverGate g = rec.gateAfter(1);
        CutoverCheckpoint cp = first.checkpoint();
        assertEquals(1, cp.step());
        assertEquals(g.gateId(), cp.gateId());
        first.close();
        engine.close();

        time.advance(Duration.ofMinutes(20));                 // the controller is down for 20 minutes
        CutoverKit.Recorder rec2 = new CutoverKit.Recorder();
        CutoverEngine again = new CutoverEngine(CutoverKit.config(time), CutoverKit.clients(route53), probe, Runnable::run);
        CutoverRun resumed = again.resume(r, cp, rec2, rec2);
        assertEquals(1, rec2.gates.size(), "read from Route 53: green holds 10 %, so the gate after step 1 is offered again");
        assertEquals(g.expiresAt(), rec2.gates.get(0).expiresAt(), "the timeout did not restart");
        assertEquals(1, route53.changes.size(), "nothing written on resume");
        assertEquals(DecisionResult.APPLIED,
                resumed.decide(rec2.gates.get(0).gateId(), new GateDecision(HookAction.CONTINUE, "alice", null)).join());
        time.advance(Duration.ofSeconds(70));
        assertEquals(Integer.valueOf(50), route53.weight("green"), "step 2 follows the resumed gate");
        assertEquals(2, rec2.gates.size());
        assertNull(resumed.snapshot().outcome());
    }
}
