package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Item;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 part 1: an approval policy on a gate — a quorum of distinct people, four eyes (not the starter), separate
 * rollback rights — on the input-based gate of {@code ecsApprove} and on a deploy step's own gate, with the request's
 * own authentication (docs/approvals.md "Approval policy").
 */
class ApprovalPolicyGateTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    EcsSandbox sandbox;
    StepRunner runner;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        runner = StepRunner.create();
        runner.onRestart(sandbox::restartEngines);
        StandInJenkins.grant("release-managers", Jenkins.READ, Item.READ, Item.BUILD);
        StandInJenkins.grant("on-call", Jenkins.READ, Item.READ);
        StandInJenkins.grant("developers", Jenkins.READ, Item.READ, Item.BUILD);
        StandInJenkins.setGroups("alice", "release-managers");
        StandInJenkins.setGroups("bob", "release-managers");
        StandInJenkins.setGroups("carol", "on-call");
        StandInJenkins.setGroups("dave", "developers");
        runner.run().addAction(new CauseAction(new Cause.UserIdCause("alice")));   // alice started the build
    }

    @AfterEach
    void tearDown() {
        PluginExecutors.shutdown();
        sandbox.close();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> atTheGate() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        return (Map<String, Object>) c.awaitDone(WAIT).returnValue();
    }

    EcsApproveInput approve(Map<String, Object> d, Object... policy) throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("deployment", d);
        args.put("submitterParameter", "who");
        for (int i = 0; i < policy.length; i += 2) {
            args.put((String) policy[i], policy[i + 1]);
        }
        return EcsApproveInput.start(runner, args);
    }

    EcsApprovalAction.Reply click(String user, HookAction action, String comment) throws Exception {
        EcsApprovalAction a = runner.run().getAction(EcsApprovalAction.class);
        GateRecord g = a.getGates().get(0);
        return StandInJenkins.as(user, () -> a.decide(g.getHookId(), action, comment,
                SubmitterRules.Decider.current(runner.run().getParent()), SubmitterRules.Ids.ofRealm()));
    }

    GateRecord gate() {
        return runner.run().getAction(EcsApprovalAction.class).getGates().get(0);
    }

    String awaitStatus(String arn, String prefix) throws InterruptedException {
        EcsSandbox.await("ECS status " + prefix, WAIT, () -> String.valueOf(sandbox.sim.status(arn)).startsWith(prefix), null);
        return sandbox.sim.status(arn);
    }

    @Test
    void aQuorumOfTwoCountsADuplicateApproverOnceAndContinuesOnTheSecondPerson() throws Exception {
        Map<String, Object> d = atTheGate();
        EcsApproveInput a = approve(d, "approvers", "release-managers", "required", 2);
        InputStepExecution first = a.awaitInput();

        EcsApprovalAction.Reply r1 = click("alice", HookAction.CONTINUE, "looks good");
        assertEquals(200, r1.status(), r1.message());
        assertEquals("Your approval is recorded: 1 of 2: alice · waiting for one more approver (release-managers).", r1.message());
        assertTrue(gate().isWaiting() && !first.isSettled(), "one approval of two: the deployment still waits");
        assertEquals("1 of 2: alice · waiting for one more approver (release-managers)", gate().getTallyText());

        EcsApprovalAction.Reply again = click("alice", HookAction.CONTINUE, "really good");
        assertEquals(409, again.status(), again.message());
        assertTrue(again.message().contains("each person counts once: 1 of 2: alice"), again.message());

        // alice once more, now through the input's own Proceed link: not counted again, the input is asked again
        StandInJenkins.as("alice", () -> first.doProceedEmpty());
        EcsSandbox.await("the input asked again", WAIT, () -> EcsApproveInput.input(runner) != null
                && !EcsApproveInput.input(runner).getId().equals(first.getId()), a.gate());
        InputStepExecution second = EcsApproveInput.input(runner);
        assertEquals(first.getId() + "-2", second.getId());
        assertTrue(a.gate().log().contains("alice has already approved; each person counts once: 1 of 2: alice"), a.gate().log());
        assertTrue(second.getInput().getMessage().contains("(1 of 2: alice · waiting for one more approver (release-managers))"),
                second.getInput().getMessage());
        assertEquals(1, gate().getVotes().size());
        assertTrue(gate().isWaiting());

        EcsApprovalAction.Reply r2 = click("bob", HookAction.CONTINUE, null);
        assertEquals(200, r2.status(), r2.message());
        a.gate().awaitDone(WAIT);
        assertNull(a.gate().failure(), a.gate().log());
        assertEquals("bob", a.gate().returnValue());
        assertEquals(GateRecord.Status.APPROVED, gate().getStatus());
        EcsDecisionAction audit = runner.run().getActions(EcsDecisionAction.class).get(0);
        assertEquals("CONTINUE", audit.getDecision());
        assertEquals("bob", audit.getUserId());
        assertTrue(audit.getComment().contains("[2 of 2: alice, bob]"), audit.getComment());
        awaitStatus((String) d.get("deploymentArn"), "SUCCESSFUL");
    }

    @Test
    void theStarterIsRefusedUnderFourEyesOnThePageAndThroughTheInput() throws Exception {
        Map<String, Object> d = atTheGate();
        EcsApproveInput a = approve(d, "approvers", "release-managers", "notBy", "starter");
        InputStepExecution first = a.awaitInput();
        EcsApprovalAction.Reply r = click("alice", HookAction.CONTINUE, "mine, fine");
        assertEquals(403, r.status(), r.message());
        assertEquals("You (alice) started this build and may not approve it: this gate needs someone else's approval"
                + " (notBy: starter); ask one of release-managers.", r.message());
        assertTrue(!first.isSettled() && gate().getVotes().isEmpty());
        // the input's own link lets any release manager proceed: the step refuses to count it and asks again
        StandInJenkins.as("alice", () -> first.doProceedEmpty());
        EcsSandbox.await("the input asked again", WAIT, () -> EcsApproveInput.input(runner) != null
                && !EcsApproveInput.input(runner).getId().equals(first.getId()), a.gate());
        assertTrue(a.gate().log().contains("the approval by alice is not counted: You (alice) started this build"), a.gate().log());
        assertTrue(gate().isWaiting());
        assertEquals(200, click("bob", HookAction.CONTINUE, null).status());
        a.gate().awaitDone(WAIT);
        assertEquals("bob", a.gate().returnValue(), a.gate().log());
        awaitStatus((String) d.get("deploymentArn"), "SUCCESSFUL");
    }

    @Test
    void someoneWhoMayNotContinueRollsBackWithRollbackRightsAndTheGateEndsAtOnce() throws Exception {
        Map<String, Object> d = atTheGate();
        EcsApproveInput a = approve(d, "approvers", "release-managers", "required", 2, "rollbackBy", "on-call");
        InputStepExecution input = a.awaitInput();
        assertEquals(200, click("bob", HookAction.CONTINUE, null).status());   // a partial approval does not protect the gate
        EcsApprovalAction.Reply no = click("carol", HookAction.CONTINUE, null);
        assertEquals(403, no.status());
        assertEquals("You (carol) are not allowed to approve at this gate: it needs to be one of release-managers (a user or"
                + " a group), or an administrator.", no.message());
        EcsApprovalAction.Reply dave = click("dave", HookAction.ROLLBACK, null);
        assertEquals(403, dave.status(), "rollbackBy is the list: Job/Build alone does not do");
        EcsApprovalAction.Reply yes = click("carol", HookAction.ROLLBACK, "error rate up");
        assertEquals(200, yes.status(), yes.message());
        Throwable t = a.gate().awaitDone(WAIT).failure();
        FlowInterruptedException fie = assertInstanceOf(FlowInterruptedException.class, t, a.gate().log());
        assertEquals("Rolled back at POST_TEST_TRAFFIC_SHIFT by carol", fie.getCauses().get(0).getShortDescription());
        assertTrue(input.isSettled(), "the input was withdrawn");
        assertEquals("carol", runner.run().getActions(EcsDecisionAction.class).get(0).getUserId());
        awaitStatus((String) d.get("deploymentArn"), "ROLLBACK");
    }

    @Test
    void aPartialApprovalSurvivesACrashAndTheNextPersonCompletesTheQuorum() throws Exception {
        Map<String, Object> d = atTheGate();
        EcsApproveInput a = approve(d, "approvers", "release-managers", "required", 2);
        InputStepExecution input = a.awaitInput();
        assertEquals(200, click("alice", HookAction.CONTINUE, "first").status());
        runner.crash(a.gate());
        GateRecord reloaded = gate();
        assertEquals(List.of("alice"), reloaded.getVotes().stream().map(GateVote::getUserId).toList(), "from build.xml");
        assertEquals("first", reloaded.getVotes().get(0).getComment());
        assertTrue(runner.run().buildXml().contains("<userId>alice</userId>"), runner.run().buildXml());
        EcsSandbox.await("the input back after the restart", WAIT, () -> EcsApproveInput.input(runner) != null, a.gate());
        EcsApprovalAction.Reply again = click("alice", HookAction.CONTINUE, null);
        assertEquals(409, again.status(), "still counted once after the restart: " + again.message());
        EcsApprovalAction.Reply r = click("bob", HookAction.CONTINUE, "second");
        assertEquals(200, r.status(), r.message());
        a.gate().awaitDone(WAIT);
        assertNull(a.gate().failure(), a.gate().log());
        assertTrue(runner.run().getActions(EcsDecisionAction.class).get(0).getComment().contains("[2 of 2: alice, bob]"));
        awaitStatus((String) d.get("deploymentArn"), "SUCCESSFUL");
        assertNotEquals(null, input);
    }

    @Test
    void aDeployStepsOwnGateTakesThePolicyWithoutAnInput() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("approval", "release-managers",
                "approvalRequired", 2, "approvalNotBy", "starter"));
        EcsSandbox.await("the gate offered", WAIT, () -> runner.run().getAction(EcsApprovalAction.class) != null
                && !runner.run().getAction(EcsApprovalAction.class).getWaitingGates().isEmpty(), c);
        assertEquals(403, click("alice", HookAction.CONTINUE, null).status(), "the starter");
        assertEquals(200, click("bob", HookAction.CONTINUE, null).status());
        assertTrue(gate().isWaiting());
        assertEquals(403, click("dave", HookAction.CONTINUE, null).status(), "not a release manager");
        StandInJenkins.setGroups("erin", "release-managers");
        EcsApprovalAction.Reply r = click("erin", HookAction.CONTINUE, null);
        assertEquals(200, r.status(), r.message());
        assertEquals("Approved: the deployment of demo/web continues.", r.message());
        c.awaitDone(WAIT);
        assertNull(c.failure(), c.log());
    }

    @Test
    void aBadPolicyIsRefusedBeforeAnythingIsOffered() throws Exception {
        Map<String, Object> d = atTheGate();
        EcsApproveInput a = approve(d, "approvers", "alice", "required", 11, "notBy", "alice");
        Throwable t = a.gate().awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertEquals("ecsApprove: required '11': a number of distinct approvers from 1 to 10; notBy 'alice': not every approver:"
                + " nobody would be left to approve (approvers: alice)", t.getMessage());
        assertNull(EcsApproveInput.input(runner));
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("approvalRequired", 2));
        Throwable t2 = c.awaitDone(WAIT).failure();
        assertTrue(t2.getMessage().contains("approvalRequired '2': only with approval"), t2.getMessage());
    }
}
