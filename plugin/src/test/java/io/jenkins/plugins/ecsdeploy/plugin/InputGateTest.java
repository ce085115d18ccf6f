package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.model.Failure;
import hudson.model.Item;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.GroovyPipeline;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;
import org.jenkinsci.plugins.workflow.support.steps.input.ApproverAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.jenkinsci.plugins.workflow.support.steps.input.Rejection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 1: a gate is a genuine pipeline-input-step input (the stand-in's InputStepExecution in the run's
 * InputAction), answered from input's own endpoints or from our pages with input's rights check; proceed = CONTINUE,
 * abort = ROLLBACK; the Jenkinsfile runs under real Groovy 2.4.21 (GroovyPipeline).
 */
class InputGateTest {
    /** A bound, not a duration: generous so that a loaded machine (CI beside other builds) still passes. */
    static final Duration WAIT = Duration.ofSeconds(90);

    EcsSandbox sandbox;
    StepRunner runner;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        runner = StepRunner.create();
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    static final String FLOW = String.join("\n",
            "def d = ecsBlueGreen(cluster: 'demo', service: 'web', region: REGION, image: 'web=registry/web:2.0', bakeMinutes: 0,",
            "                     approval: APPROVERS, waitUntil: 'POST_TEST_TRAFFIC_SHIFT')",
            "def approver = ecsApprove deployment: d, message: \"Ship ${d.service} 2.0?\", submitterParameter: 'approver'",
            "def done = ecsWait deployment: d",
            "echo \"approved by ${approver}: ${done.outcome}\"",
            "return approver");

    GroovyPipeline flow(Object approvers) {
        return EcsApproveInput.pipeline(runner).variable("REGION", EcsSandbox.REGION).variable("APPROVERS", approvers).start(FLOW);
    }

    InputStepExecution awaitInput(GroovyPipeline p) throws InterruptedException {
        EcsSandbox.await("the gate's input", WAIT, () -> EcsApproveInput.input(runner) != null
                && p.innermost() != null && p.innermost().toString().contains(" input]") || p.isDone(), null);
        assertNull(p.failure());
        assertNotNull(EcsApproveInput.input(runner), () -> "no input; calls " + p.calls() + "; "
                + p.started().stream().map(c -> c + " done=" + c.isDone() + " failure=" + c.failure() + ":\n" + c.log()).reduce("", String::concat));
        return EcsApproveInput.input(runner);
    }

    @Test
    void theGateIsAnInputInTheRunsInputActionAndItsProceedContinuesTheDeployment() throws Throwable {
        GroovyPipeline p = flow(true);
        InputStepExecution input = awaitInput(p);
        InputAction ia = runner.run().getAction(InputAction.class);
        assertEquals("input", ia.getUrlName());
        assertEquals("Paused for Input", ia.getDisplayName());
        assertEquals("Ship web 2.0?", input.getInput().getMessage());
        GateRecord g = runner.run().getAction(EcsApprovalAction.class).getWaitingGates().get(0);
        assertEquals(EcsApproveStep.inputIdOf(g.getHookId()), input.getId());
        assertEquals(input.getId(), g.getInputId());
        assertNotNull(ia.getDynamic(input.getId()), "/input/<id>/ resolves to the execution");
        FakeStepContext inputStep = p.started().stream().filter(c -> c.toString().contains(" input]")).findFirst().orElseThrow();
        assertTrue(PauseAction.isPaused(inputStep.node()), "the input's node is paused: Stage View / Graph View show the buttons");
        assertEquals("Input", PauseAction.getCurrentPause(inputStep.node()).getCause());
        String base = "/" + runner.run().getUrl() + "input/" + input.getId() + "/";
        assertTrue(inputStep.log().contains(hudson.console.HyperlinkNote.encodeTo(base + "proceedEmpty", "Approve"))
                && inputStep.log().contains(hudson.console.HyperlinkNote.encodeTo(base + "abort", "Abort")), inputStep.log());

        // /input/<id>/proceedEmpty, as the console's Proceed link, Graph View's button or a chat bot posts it
        StandInJenkins.as("alice", () -> input.doProceedEmpty());
        assertEquals("alice", p.await(WAIT));
        assertTrue(p.log().contains("approved by alice: SUCCEEDED"), p.log());
        EcsDecisionAction audit = runner.run().getActions(EcsDecisionAction.class).get(0);
        assertEquals("alice", audit.getUserId());
        assertEquals("CONTINUE", audit.getDecision());
        assertEquals(g.getHookId(), audit.getHookId());
        assertEquals("alice", runner.run().getAction(ApproverAction.class).getUserId(), "input's own approver record");
        assertTrue(ia.getExecutions().isEmpty());
        assertNull(ia.getDisplayName(), "nothing pending any more");
    }

    @Test
    void theInputsAbortRollsTheGateBackAndEndsTheBuildAbortedWithTheRejecter() throws Throwable {
        GroovyPipeline p = flow(true);
        InputStepExecution input = awaitInput(p);
        StandInJenkins.as("bob", () -> input.doAbort());
        Throwable t = assertThrows(FlowInterruptedException.class, () -> p.await(WAIT));
        assertEquals("Rolled back at POST_TEST_TRAFFIC_SHIFT by bob", ((FlowInterruptedException) t).getCauses().get(0).getShortDescription());
        EcsDecisionAction audit = runner.run().getActions(EcsDecisionAction.class).get(0);
        assertEquals("bob", audit.getUserId());
        assertEquals("ROLLBACK", audit.getDecision());
        String arn = audit.getDeploymentArn();
        EcsSandbox.await("ECS rolling back", WAIT, () -> String.valueOf(sandbox.sim.status(arn)).startsWith("ROLLBACK"), null);
    }

    @Test
    void ourPageAnswersTheSameInputWithInputsOwnRightsAndKeepsTheComment() throws Throwable {
        StandInJenkins.grant("release-managers", Jenkins.READ, Item.READ);
        StandInJenkins.grant("carol", Jenkins.READ, Item.READ, Item.BUILD);
        StandInJenkins.setGroups("dave", "release-managers");
        GroovyPipeline p = flow("release-managers");
        InputStepExecution input = awaitInput(p);
        EcsApprovalAction approvals = runner.run().getAction(EcsApprovalAction.class);
        GateRecord g = approvals.getWaitingGates().get(0);
        // carol may build but is not a release manager: input refuses her, so do we
        assertThrows(Failure.class, () -> StandInJenkins.as("carol", () -> input.doProceedEmpty()));
        EcsApprovalAction.Reply refused = StandInJenkins.as("carol", () -> approvals.decide(g.getHookId(), HookAction.CONTINUE,
                "me", SubmitterRules.Decider.current(runner.run().getParent()), SubmitterRules.Ids.ofRealm()));
        assertEquals(403, refused.status(), refused.message());
        assertTrue(!input.isSettled() && g.isWaiting());
        // dave, a non-admin member of the group, approves on our page: the same input proceeds, with his comment
        EcsApprovalAction.Reply ok = StandInJenkins.as("dave", () -> approvals.decide(g.getHookId(), HookAction.CONTINUE,
                "smoke tests green", SubmitterRules.Decider.current(runner.run().getParent()), SubmitterRules.Ids.ofRealm()));
        assertEquals(200, ok.status(), ok.message());
        assertTrue(input.isSettled());
        assertEquals("dave", p.await(WAIT));
        // answered through the input itself (its approver record), not around it
        assertEquals("dave", runner.run().getAction(ApproverAction.class).getUserId());
        EcsDecisionAction audit = runner.run().getActions(EcsDecisionAction.class).get(0);
        assertEquals("dave", audit.getUserId());
        assertEquals("smoke tests green", audit.getComment());
        EcsApprovalAction.Reply late = StandInJenkins.as("dave", () -> approvals.decide(g.getHookId(), HookAction.ROLLBACK,
                null, SubmitterRules.Decider.current(runner.run().getParent()), SubmitterRules.Ids.ofRealm()));
        assertEquals(409, late.status(), late.message());
    }

    @Test
    void ecsApprovesOwnTimeoutWithdrawsTheInputAndRollsBackAsSystem() throws Throwable {
        Map<String, Object> d = deployment();
        EcsApproveInput a = EcsApproveInput.start(runner, Map.of("deployment", d, "timeout", 1));
        Throwable t = a.gate().awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().contains("nobody decided within 1 minutes"), t.getMessage());
        EcsDecisionAction audit = runner.run().getActions(EcsDecisionAction.class).get(0);
        assertEquals("SYSTEM", audit.getUserId());
        assertEquals("ROLLBACK", audit.getDecision());
        assertNull(EcsApproveInput.input(runner), "the input is withdrawn");
    }

    @Test
    void abortingTheBuildWhileTheInputWaitsAppliesOnAbortAndEndsAbortedByTheUser() throws Throwable {
        GroovyPipeline p = flow(true);
        InputStepExecution input = awaitInput(p);
        p.abort("alice");
        Throwable t = assertThrows(FlowInterruptedException.class, () -> p.await(WAIT),
                () -> p.started().stream().map(c -> c + ":\n" + c.log()).reduce("", String::concat));
        assertEquals("Aborted by alice", t.getMessage());
        assertTrue(input.isSettled());
        String arn = runner.run().getAction(EcsApprovalAction.class).getGates().get(0).getDeploymentArn();
        EcsSandbox.await("ECS rolling back", WAIT, () -> String.valueOf(sandbox.sim.status(arn)).startsWith("ROLLBACK"), null);
        assertTrue(runner.run().getActions(EcsDecisionAction.class).isEmpty(), "an abort is not a gate decision");
    }

    @Test
    void aGateDecidedOutsideTheInputWithdrawsItAndIsTheStepsResult() throws Throwable {
        Map<String, Object> d = deployment();
        EcsApproveInput a = EcsApproveInput.start(runner, Map.of("deployment", d, "submitterParameter", "who"));
        InputStepExecution input = a.awaitInput();
        GateRecord g = runner.run().getAction(EcsApprovalAction.class).getWaitingGates().get(0);
        try (EngineRegistry.Lease l = EngineRegistry.get().acquire(runner.run(), null, EcsSandbox.REGION, null)) {
            l.engine().decide(g.handle(), g.getHookId(),
                    new io.jenkins.plugins.ecsdeploy.engine.GateDecision(HookAction.CONTINUE, "dave", "from the CLI")).get();
        }
        a.gate().awaitDone(WAIT);
        assertNull(a.gate().failure(), a.gate().log());
        assertTrue(input.isSettled(), "the input was withdrawn");
        assertTrue(a.gate().log().contains("decided outside Jenkins"), a.gate().log());
    }

    @Test
    void aRejectionCarriesTheInputsOwnCause() throws Throwable {
        // the cause input's Abort fails with, which ecsApprove reads (pipeline-input-step Rejection)
        assertEquals("Rejected by bob", new Rejection(hudson.model.User.getById("bob", true)).getShortDescription());
        assertEquals("bob", new Rejection(hudson.model.User.getById("bob", true)).getUser().getId());
    }

    Map<String, Object> deployment() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("approval", true, "waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        return d;
    }
}
