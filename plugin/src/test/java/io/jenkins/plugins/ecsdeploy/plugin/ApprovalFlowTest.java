package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import io.jenkins.plugins.ecsdeploy.simulator.SeededService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ecsBlueGreen with an approval gate, against the engine and the simulator. */
class ApprovalFlowTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    EcsSandbox sandbox;
    SeededService svc;
    StepRunner runner;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        svc = sandbox.service("web");
        runner = StepRunner.create();
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", "demo");
        m.put("service", "web");
        m.put("region", EcsSandbox.REGION);
        m.put("image", "web=registry/web:2.0");
        m.put("bakeMinutes", 0);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static SubmitterRules.Decider user(String id, String... groups) {
        return new SubmitterRules.Decider(id, id, List.of(groups), false, true);
    }

    EcsApprovalAction approvals() {
        return runner.run().getAction(EcsApprovalAction.class);
    }

    GateRecord awaitGate(FakeStepContext c) throws InterruptedException {
        EcsSandbox.await("a gate offered", WAIT, () -> approvals() != null && !approvals().getWaitingGates().isEmpty(), c);
        return approvals().getWaitingGates().get(0);
    }

    @Test
    void allowedSubmitterApprovesAndTheDecisionIsAudited() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", "alice, ops"));
        GateRecord g = awaitGate(c);
        assertEquals("POST_TEST_TRAFFIC_SHIFT", g.getStage());

        EcsApprovalAction.Reply r = approvals().decide(g.getHookId(), HookAction.CONTINUE, "looks good",
                user("ALICE"), SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(200, r.status(), r.message());

        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", d.get("outcome"));
        assertEquals("ALICE", d.get("approvedBy"));
        assertTrue(String.valueOf(d.get("deploymentArn")).contains(":service-deployment/demo/web/"), d.toString());
        List<EcsDecisionAction> audit = runner.run().getActions(EcsDecisionAction.class);
        assertEquals(1, audit.size());
        EcsDecisionAction a = audit.get(0);
        assertEquals("ALICE", a.getUserId());
        assertEquals("CONTINUE", a.getDecision());
        assertEquals("looks good", a.getComment());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", a.getStage());
        assertEquals(g.getHookId(), a.getHookId());
        assertTrue(c.log().contains("Approved by ALICE at POST_TEST_TRAFFIC_SHIFT"), c.log());
        // the decision is part of the engine snapshot the progress page shows
        String snapshot = runner.run().getAction(EcsProgressAction.class).snapshotJson("d1");
        assertTrue(snapshot.contains("\"ALICE\"") && snapshot.contains("looks good"), snapshot);
        assertTrue(!c.log().contains("secret-not-printed"), "secrets must never be printed");
    }

    @Test
    void userOutsideTheSubmitterListIsRefusedAndTheGateStaysOpen() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", "alice"));
        GateRecord g = awaitGate(c);
        EcsApprovalAction.Reply r = approvals().decide(g.getHookId(), HookAction.CONTINUE, null, user("bob", "dev"),
                SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(403, r.status());
        assertTrue(r.message().contains("alice"), r.message());
        assertTrue(g.isWaiting());
        assertTrue(runner.run().getActions(EcsDecisionAction.class).isEmpty());
        // a member of an allowed group may: here an admin
        EcsApprovalAction.Reply admin = approvals().decide(g.getHookId(), HookAction.ROLLBACK, "no",
                new SubmitterRules.Decider("root", "root", List.of(), true, true), SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(200, admin.status(), admin.message());
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().contains("ROLLED_BACK"), t.getMessage());
    }

    @Test
    void twoRacingClicksGiveExactlyOneDecision() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true));
        GateRecord g = awaitGate(c);
        List<EcsApprovalAction.Reply> replies = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread a = new Thread(() -> replies.add(approvals().decide(g.getHookId(), HookAction.CONTINUE, "a", user("alice"), SubmitterRules.Ids.CASE_INSENSITIVE)));
        Thread b = new Thread(() -> replies.add(approvals().decide(g.getHookId(), HookAction.ROLLBACK, "b", user("bob"), SubmitterRules.Ids.CASE_INSENSITIVE)));
        a.start();
        b.start();
        a.join();
        b.join();
        long ok = replies.stream().filter(EcsApprovalAction.Reply::ok).count();
        assertEquals(1, ok, replies.toString());
        EcsApprovalAction.Reply loser = replies.stream().filter(x -> !x.ok()).findFirst().orElseThrow();
        assertEquals(409, loser.status());
        assertTrue(loser.message().contains("already decided"), loser.message());
        assertEquals(1, runner.run().getActions(EcsDecisionAction.class).size());
        c.awaitDone(WAIT);
    }

    @Test
    void approvalTimeoutShowsAsTimedOutRolledBackByEcs() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true, "approvalTimeout", 1));
        GateRecord g = awaitGate(c);
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().contains("timed out — rolled back by ECS"), t.getMessage());
        assertEquals(GateRecord.Status.TIMED_OUT, g.getStatus(), g.getStatusText());
        EcsApprovalAction.Reply late = approvals().decide(g.getHookId(), HookAction.CONTINUE, null, user("alice"),
                SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(409, late.status());
        assertTrue(late.message().contains("timed out"), late.message());
        assertTrue(runner.run().getActions(EcsDecisionAction.class).isEmpty(), "a timeout is not a decision");
        assertNull(Follower.approvedByInSnapshot(null));
    }
}
