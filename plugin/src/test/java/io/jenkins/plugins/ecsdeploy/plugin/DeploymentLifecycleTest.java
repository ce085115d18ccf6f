package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Result;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeBody;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Restart, abort, timeout, waitUntil, ecsApprove / ecsWait / ecsAtGate / ecsRollback, against the simulator. */
class DeploymentLifecycleTest {
    static final Duration WAIT = Duration.ofSeconds(30);

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

    static Map<String, Object> args(Object... kv) {
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

    EcsApprovalAction approvals() {
        return runner.run().getAction(EcsApprovalAction.class);
    }

    GateRecord awaitGate(FakeStepContext c) throws InterruptedException {
        EcsSandbox.await("a gate offered", WAIT, () -> approvals() != null && !approvals().getWaitingGates().isEmpty(), c);
        return approvals().getWaitingGates().get(0);
    }

    /** A click by {@code user} (this thread's authentication, as in the request; the Decider as the page builds it). */
    EcsApprovalAction.Reply decide(GateRecord g, HookAction a, String user) {
        try {
            return StandInJenkins.as(user, () -> approvals().decide(g.getHookId(), a, null,
                    g.getInputId() != null ? SubmitterRules.Decider.current(runner.run().getParent())
                            : new SubmitterRules.Decider(user, user, List.of(), false, true),
                    SubmitterRules.Ids.CASE_INSENSITIVE));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    String awaitRollback(String arn) throws InterruptedException {
        EcsSandbox.await("ECS rolling back " + arn, WAIT, () -> String.valueOf(sandbox.sim.status(arn)).startsWith("ROLLBACK"), null);
        return sandbox.sim.status(arn);
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void restartWhileTheGateWaitsOffersItAgainAndTheDecisionStillWorks() throws Exception {
        runner.onRestart(sandbox::restartEngines);
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true));
        GateRecord before = awaitGate(c);
        runner.restart(c);
        // the reloaded build.xml still lists the gate, and the resumed step's follower offers it again
        EcsSandbox.await("the gate offered again", WAIT, () -> count(c.log(), "waiting for approval at") >= 2, c);
        assertTrue(c.log().contains("Jenkins restarted; resuming"), c.log());
        GateRecord after = approvals().gate(before.getHookId());
        assertNotNull(after);
        assertTrue(after.isWaiting());
        assertEquals(200, decide(after, HookAction.CONTINUE, "carol").status());
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", d.get("outcome"));
        assertEquals("carol", d.get("approvedBy"));
        assertEquals(1, c.completionCalls());
    }

    @Test
    void abortWhileWaitingRollsBackWithTheUsersName() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true));
        GateRecord g = awaitGate(c);
        runner.abort(c, "alice");
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(FlowInterruptedException.class, t);
        assertEquals(Result.ABORTED, ((FlowInterruptedException) t).getResult());
        assertTrue(c.log().contains("build aborted by alice; onAbort: ROLLBACK"), c.log());
        awaitRollback(g.getDeploymentArn());
        assertEquals(GateRecord.Status.CLOSED, g.getStatus());
        assertEquals(409, decide(g, HookAction.CONTINUE, "bob").status(), "a gate of an aborted build is closed");
    }

    @Test
    void timeoutStepExpiryRollsBackAndSaysTimedOut() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true));
        GateRecord g = awaitGate(c);
        runner.timeout(c);
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(FlowInterruptedException.class, t);
        assertTrue(c.log().contains("build timed out (Jenkins timeout step); onAbort: ROLLBACK"), c.log());
        awaitRollback(g.getDeploymentArn());
    }

    @Test
    void onAbortLeaveLetsTheDeploymentGoOn() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true, "onAbort", "LEAVE"));
        GateRecord g = awaitGate(c);
        runner.abort(c, "alice");
        c.awaitDone(WAIT);
        assertTrue(c.log().contains("onAbort: LEAVE"), c.log());
        assertFalse(String.valueOf(sandbox.sim.status(g.getDeploymentArn())).startsWith("ROLLBACK"));
    }

    @Test
    void waitUntilReturnsAtTheGateThenEcsApproveAndEcsWaitFinishIt() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class,
                args("approval", "alice", "waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals(false, d.get("finished"));
        assertEquals("POST_TEST_TRAFFIC_SHIFT", d.get("lastStage"));
        assertEquals("POST_TEST_TRAFFIC_SHIFT", d.get("gateStage"));
        String arn = (String) d.get("deploymentArn");
        assertFalse(String.valueOf(sandbox.sim.status(arn)).startsWith("SUCCESSFUL"), "ECS still holds it");

        // the gate is an input: with security on, input's own rule decides who may (here: alice, the deploy step's list)
        StandInJenkins.grant("authenticated", jenkins.model.Jenkins.READ, hudson.model.Item.READ, hudson.model.Item.BUILD);
        FakeStepContext approve = EcsApproveInput.start(runner, Map.of("deployment", d, "submitterParameter", "APPROVER",
                "message", "Ship web 2.0?")).gate();
        GateRecord g = awaitGate(approve);
        EcsSandbox.await("ecsApprove taking the gate over", WAIT, () -> "Ship web 2.0?".equals(g.getMessage()) && g.getInputId() != null, approve);
        EcsSandbox.await("the input", WAIT, () -> EcsApproveInput.input(runner) != null, approve);
        assertEquals(403, decide(g, HookAction.CONTINUE, "mallory").status());
        assertEquals(200, decide(g, HookAction.CONTINUE, "alice").status());
        assertEquals("alice", approve.awaitDone(WAIT).returnValue());

        FakeStepContext wait = runner.start(EcsWaitStep.class, Map.of("deployment", d));
        @SuppressWarnings("unchecked")
        Map<String, Object> done = (Map<String, Object>) wait.awaitDone(WAIT).returnValue();
        assertEquals(true, done.get("finished"));
        assertEquals("SUCCEEDED", done.get("outcome"));
        assertEquals("alice", done.get("approvedBy"));
        assertEquals(arn, done.get("deploymentArn"));
        assertTrue(String.valueOf(done.get("targetRevisionArn")).contains("service-revision"), done.toString());
        assertFalse(((List<?>) done.get("sourceRevisionArns")).isEmpty(), done.toString());
        assertEquals("BLUE_GREEN", done.get("strategy"));
    }

    @Test
    void ecsApproveRollBackEndsTheBuildAbortedAndEcsRollsBack() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true, "waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        Object d = c.awaitDone(WAIT).returnValue();
        FakeStepContext approve = EcsApproveInput.start(runner, Map.of("deployment", d)).gate();
        GateRecord g = awaitGate(approve);
        EcsSandbox.await("ecsApprove waiting", WAIT, () -> EcsApproveInput.input(runner) != null, approve);
        assertEquals(200, decide(g, HookAction.ROLLBACK, "bob").status());
        Throwable t = approve.awaitDone(WAIT).failure();
        assertInstanceOf(FlowInterruptedException.class, t);
        assertEquals("Rolled back at POST_TEST_TRAFFIC_SHIFT by bob", ((FlowInterruptedException) t).getCauses().get(0).getShortDescription());
        awaitRollback(g.getDeploymentArn());
    }

    @Test
    void atGateBodyRunsWithTheDeploymentInItsEnvironmentAndSuccessContinues() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        AtomicReference<EnvVars> seen = new AtomicReference<>();
        FakeStepContext gate = runner.withBody(FakeBody.of(ctx -> {
            seen.set(ctx.get(EnvVars.class));
            return "ok";
        })).start(EcsAtGateStep.class, Map.of("deployment", d));
        gate.awaitDone(WAIT).returnValue();
        EnvVars env = seen.get();
        assertEquals(d.get("deploymentArn"), env.get("ECS_DEPLOYMENT_ARN"));
        assertEquals("POST_TEST_TRAFFIC_SHIFT", env.get("ECS_DEPLOYMENT_STAGE"));
        assertTrue(env.get("ECS_GREEN_REVISION_ARN", "").contains("service-revision"), env.toString());
        assertTrue(env.get("ECS_TEST_TRAFFIC_WEIGHTS", "").startsWith("green="), env.toString());

        FakeStepContext wait = runner.start(EcsWaitStep.class, Map.of("deployment", d));
        @SuppressWarnings("unchecked")
        Map<String, Object> done = (Map<String, Object>) wait.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", done.get("outcome"));
    }

    @Test
    void atGateBodyFailureRollsTheDeploymentBack() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        Object d = c.awaitDone(WAIT).returnValue();
        AbortException smoke = new AbortException("smoke test failed");
        FakeStepContext gate = runner.withBody(FakeBody.failing(smoke)).start(EcsAtGateStep.class, Map.of("deployment", d));
        assertEquals(smoke, gate.awaitDone(WAIT).failure());
        assertTrue(gate.log().contains("checks failed: smoke test failed → ROLLBACK"), gate.log());
        FakeStepContext wait = runner.start(EcsWaitStep.class, Map.of("deployment", d));
        Throwable t = wait.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().contains("ROLLED_BACK"), t.getMessage());
    }

    @Test
    void ecsRollbackRollsBackARunningDeploymentAndReturnsTheOutcome() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        Object d = c.awaitDone(WAIT).returnValue();
        FakeStepContext rb = runner.start(EcsRollbackStep.class, Map.of("deployment", d, "reason", "wrong build"));
        @SuppressWarnings("unchecked")
        Map<String, Object> done = (Map<String, Object>) rb.awaitDone(WAIT).returnValue();
        assertEquals("ROLLED_BACK", done.get("outcome"), done.toString());
        assertEquals("MANUAL", done.get("rollbackCause"), done.toString());
    }

    @Test
    void ecsApproveTimeoutRollsTheGateBackAndSaysSo() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true, "waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        Object d = c.awaitDone(WAIT).returnValue();
        FakeStepContext approve = EcsApproveInput.start(runner, Map.of("deployment", d, "timeout", 1)).gate();
        Throwable t = approve.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().contains("nobody decided within 1 minutes"), t.getMessage());
        EcsDecisionAction audit = runner.run().getActions(EcsDecisionAction.class).get(0);
        assertEquals("SYSTEM", audit.getUserId());
        assertEquals("ROLLBACK", audit.getDecision());
        awaitRollback((String) ((Map<?, ?>) d).get("deploymentArn"));
    }

    @Test
    void canaryGateBeforeEveryProductionShiftIsDecidedOneByOne() throws Exception {
        Map<String, Object> a = args("approval", true, "approvalStage", "PRE_PRODUCTION_TRAFFIC_SHIFT", "canaryPercent", 10,
                "canaryBakeMinutes", 0);
        FakeStepContext c = runner.start(EcsCanaryStep.class, a);
        GateRecord first = awaitGate(c);
        assertEquals(200, decide(first, HookAction.CONTINUE, "alice").status());
        EcsSandbox.await("the second gate", WAIT, () -> approvals().getWaitingGates().stream()
                .anyMatch(g -> !g.getHookId().equals(first.getHookId())), c);
        GateRecord second = approvals().getWaitingGates().get(0);
        assertEquals("PRE_PRODUCTION_TRAFFIC_SHIFT", second.getStage());
        assertEquals(200, decide(second, HookAction.CONTINUE, "bob").status());
        @SuppressWarnings("unchecked")
        Map<String, Object> done = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", done.get("outcome"));
        assertEquals("bob", done.get("approvedBy"), "the last approver");
        assertEquals(2, runner.run().getActions(EcsDecisionAction.class).size());
    }

    @Test
    void aDecisionTakenWhileJenkinsWasDownIsWhatEcsApproveReportsAfterTheRestart() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true, "waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        Object d = c.awaitDone(WAIT).returnValue();
        FakeStepContext approve = EcsApproveInput.start(runner, Map.of("deployment", d, "submitterParameter", "who")).gate();
        GateRecord g = awaitGate(approve);
        EcsSandbox.await("ecsApprove watching", WAIT, () -> EcsApproveInput.input(runner) != null, approve);
        runner.onRestart(sandbox::restartEngines);
        // while Jenkins is down someone continues the gate outside Jenkins (the CLI: ContinueServiceDeployment)
        runner.onRestart(() -> {
            try (EngineRegistry.Lease l = EngineRegistry.get().acquire(runner.run(), null, EcsSandbox.REGION, null)) {
                assertEquals(io.jenkins.plugins.ecsdeploy.engine.DecisionResult.APPLIED, l.engine().decide(g.handle(), g.getHookId(),
                        new io.jenkins.plugins.ecsdeploy.engine.GateDecision(HookAction.CONTINUE, "dave", "from the CLI")).get());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        runner.restart(approve);
        approve.awaitDone(WAIT).returnValue();
        EcsSandbox.await("the input withdrawn", WAIT, () -> EcsApproveInput.input(runner) == null, null);
        assertTrue(approve.log().contains("the gate at POST_TEST_TRAFFIC_SHIFT was decided outside Jenkins"),
                approvals().gate(g.getHookId()).getStatus() + " " + approvals().gate(g.getHookId()).getStatusText() + "\n" + approve.log());
        assertEquals(1, approve.completionCalls());
        assertEquals(GateRecord.Status.DECIDED_ELSEWHERE, approvals().gate(g.getHookId()).getStatus());
    }

    @Test
    void abortWhileTheGateChecksRunRollsBack() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        FakeBody checks = FakeBody.pending();
        FakeStepContext gate = runner.withBody(checks).start(EcsAtGateStep.class, Map.of("deployment", d));
        EcsSandbox.await("the checks running", WAIT, checks::isRunning, gate);
        runner.abort(gate, "alice");   // reaches the body's step; ecsAtGate sees it in its callback
        Throwable t = gate.awaitDone(WAIT).failure();
        assertInstanceOf(FlowInterruptedException.class, t);
        assertTrue(gate.log().contains("checks failed: aborted by alice → ROLLBACK"), gate.log());
        awaitRollback((String) d.get("deploymentArn"));
    }

    @Test
    void aRestartBeforeTheArnIsKnownFailsClearlyAndNeverStartsASecondDeployment() throws Exception {
        // The controller stops while the start is still queued on the plugin's executor: the old JVM's queue is lost.
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < PluginExecutors.THREADS; i++) {
            PluginExecutors.io().submit(() -> {
                never.await();
                return null;
            });
        }
        runner.onRestart(sandbox::restartEngines);
        int before = sandbox.sim.deploymentArns().size();
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args());
        runner.restart(c);
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().contains("Jenkins restarted before the deployment's ARN was known"), t.getMessage());
        assertEquals(before, sandbox.sim.deploymentArns().size(), "no deployment was started behind the user's back");
        assertEquals(1, c.completionCalls());
    }

    @Test
    void waitUntilAStageWithoutAGateReturnsWhileEcsGoesOn() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("waitUntil", "PRODUCTION_TRAFFIC_SHIFT", "bakeMinutes", 5));
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals(false, d.get("finished"));
        assertTrue(List.of("PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME").contains(d.get("lastStage")), d.toString());
        assertEquals(null, d.get("gateStage"), "no gate: ECS does not hold the deployment");
        assertTrue(c.log().contains("reached PRODUCTION_TRAFFIC_SHIFT; the pipeline goes on while ECS continues"), c.log());
        FakeStepContext wait = runner.start(EcsWaitStep.class, Map.of("deployment", d));
        @SuppressWarnings("unchecked")
        Map<String, Object> done = (Map<String, Object>) wait.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", done.get("outcome"));
    }

    @Test
    void aDeploymentTheBuildStoppedWaitingForEndsOnTheBuildPageAfterTheBuildIsOver() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("waitUntil", "PRODUCTION_TRAFFIC_SHIFT", "bakeMinutes", 5));
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals(false, d.get("finished"));
        runner.run().setResult(hudson.model.Result.SUCCESS); // the pipeline ends without ecsWait
        assertEquals(false, runner.run().isBuilding());
        EcsProgressAction page = runner.run().getAction(EcsProgressAction.class);
        EcsSandbox.await("the finished build's page showing the outcome", WAIT,
                () -> page.getDeployments().get(0).getState().startsWith("SUCCEEDED"), null);
        assertEquals(d.get("deploymentArn"), page.getDeployments().get(0).getDeploymentArn());
    }
}
