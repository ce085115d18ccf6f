package io.jenkins.plugins.ecsdeploy.plugin.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.SampleBlockStep;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.SampleNodeStep;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.SampleWaitStep;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.MissingContextVariableException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The run-time behaviours of docs/jenkins-behaviour.md "Order of checks", "Bodies", "Stopping a step", "What the test harness emulates" as the harness reproduces them. */
class StepRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private StepRunner runner;

    @BeforeEach
    void setUp() {
        StandInJenkins.install();
        SampleBlockStep.EVENTS.clear();
        runner = StepRunner.create();
    }

    @AfterEach
    void tearDown() {
        StandInJenkins.reset();
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- "Order of checks"

    @Test
    void aMissingRequiredContextFailsOnTheNodeBeforeBinding() {
        FakeStepContext c = runner.start(SampleNodeStep.class, args("mode", "sync", "junk", 1));
        MissingContextVariableException e = assertInstanceOf(MissingContextVariableException.class, c.failure());
        assertEquals("Required context class hudson.FilePath is missing\nPerhaps you forgot to surround the sampleNode step with a step that provides this, such as: node, ws",
                e.getMessage());
    }

    @Test
    void aBindingErrorFailsTheContextWhileACallShapeErrorIsThrownToTheScript() {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s", "junk", 1));
        assertTrue(c.failure().getMessage().startsWith("WARNING: Unknown parameter(s)"));
        assertThrows(IllegalArgumentException.class, () -> runner.call(SampleWaitStep.class, List.of("a", "b")));
    }

    @Test
    void lenientBindingWritesTheWarningToTheStepLogAndRunsTheStep() {
        FakeStepContext c = runner.lenient().start(SampleWaitStep.class, args("service", "s", "junk", 1));
        assertFalse(c.isDone());
        assertTrue(c.log().startsWith("WARNING: Unknown parameter(s) found for class type '" + SampleWaitStep.class.getName() + "': junk"), c.log());
    }

    @Test
    void aBlockStepCalledWithoutABodyIsRefusedBeforeAnyNode() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.call(SampleBlockStep.class, List.of("d-1")));
        assertEquals("sampleBlock step must be called with a body", e.getMessage());
    }

    @Test
    void startReturningTrueWithoutAnOutcomeIsAnAssertionError() {
        FakeStepContext c = runner.enclosedBy(new FilePath(new File("/ws"))).start(SampleNodeStep.class, args("mode", "forgetful"));
        assertEquals("Step SampleNodeStep[forgetful] claimed to have ended synchronously, but didn't set the result via StepContext.onSuccess/onFailure",
                assertInstanceOf(AssertionError.class, c.failure()).getMessage());
    }

    @Test
    void anExceptionFromStartFailsTheStep() {
        FakeStepContext c = runner.enclosedBy(new FilePath(new File("/ws"))).start(SampleNodeStep.class, args("mode", "throw"));
        assertEquals("start failed", c.failure().getMessage());
    }

    @Test
    void theContextCanBeCompletedFromAnotherThreadBeforeStartReturns() {
        FakeStepContext c = runner.enclosedBy(new FilePath(new File("/ws"))).start(SampleNodeStep.class, args("mode", "early-async"));
        assertEquals("from another thread", c.returnValue());
    }

    // ---- completion

    @Test
    void theFirstCompletionWinsAndALaterFailureIsSuppressed() {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s"));
        IllegalStateException first = new IllegalStateException("first");
        c.onFailure(first);
        c.onSuccess("late");
        IllegalStateException second = new IllegalStateException("second");
        c.onFailure(second);
        c.onFailure(first);
        assertSame(first, c.failure());
        assertEquals(List.of(second), List.of(first.getSuppressed()));
        assertEquals(4, c.completionCalls());
        assertThrows(IllegalArgumentException.class, () -> c.onFailure(null));
    }

    @Test
    void aTimerCompletionReachesTheContext() throws Exception {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s", "delayMillis", 10));
        assertEquals("done:s", c.awaitDone(WAIT).returnValue());
        assertTrue(c.log().contains("Waiting for s"));
    }

    // ---- StepContext.get

    @Test
    void getAnswersRunJobNodeListenerAndNullOutsideNode() throws Exception {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s"));
        assertSame(runner.run(), c.get(Run.class));
        assertSame(runner.run().getParent(), c.get(Job.class));
        FlowNode node = c.get(FlowNode.class);
        assertEquals(FakeFlowNode.Kind.ATOM, ((FakeFlowNode) node).kind());
        assertNotNull(c.get(TaskListener.class));
        assertNull(c.get(Launcher.class));
        assertNull(c.get(FilePath.class));
        assertNull(c.get(String.class));
        assertSame(StepRunner.descriptorOf(SampleWaitStep.class), c.get(org.jenkinsci.plugins.workflow.steps.StepDescriptor.class));
    }

    @Test
    void envVarsAreRecomputedOnEachCall() throws Exception {
        runner.run().env("REGION", "eu-west-1");
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s"));
        EnvVars env = c.get(EnvVars.class);
        assertEquals("eu-west-1", env.get("REGION"));
        env.put("REGION", "changed");
        assertEquals("eu-west-1", c.get(EnvVars.class).get("REGION"));
    }

    @Test
    void theLogOfAFinishedNodeCannotBeOpenedButAnEarlierListenerStaysUsable() throws Exception {
        FakeStepContext opened = runner.start(SampleWaitStep.class, args("service", "s"));
        TaskListener l = opened.get(TaskListener.class);
        opened.onSuccess(null);
        assertSame(l, opened.get(TaskListener.class));

        FakeStepContext neverOpened = runner.start(SampleNodeStep.class, args("mode", "x"));   // fails on context: log never opened
        IOException e = assertThrows(IOException.class, () -> neverOpened.get(TaskListener.class));
        assertTrue(e.getMessage().startsWith("cannot start writing logs to a finished node "), e.getMessage());
    }

    // ---- bodies ("Bodies")

    @Test
    void anEnvVarAddedThroughTheExpanderIsVisibleInTheBody() throws Exception {
        FakeBody body = FakeBody.of(ctx -> ctx.get(EnvVars.class).get("DEPLOY_ID"));
        FakeStepContext c = runner.withBody(body).call(SampleBlockStep.class, List.of("d-42"));
        assertEquals("d-42", c.returnValue());
        assertEquals(FakeFlowNode.Kind.STEP_START, c.node().kind());
        assertNull(c.get(EnvVars.class).get("DEPLOY_ID"), "the step's own env does not change");
    }

    @Test
    void aBodyQueuedDuringStartRunsAfterStartReturns() {
        runner.withBody(FakeBody.returning("ok")).call(SampleBlockStep.class, List.of("d"));
        assertEquals(List.of("start()", "start() returns", "onStart", "success:ok"), SampleBlockStep.EVENTS);
    }

    @Test
    void aFailingBodyPutsAnErrorActionOnItsEndNodeAndReachesTheCallback() {
        IllegalStateException boom = new IllegalStateException("boom");
        FakeStepContext c = runner.withBody(FakeBody.failing(boom)).call(SampleBlockStep.class, List.of("d"));
        assertSame(boom, c.failure());
        List<FakeFlowNode> nodes = c.bodyNodes();
        assertEquals(FakeFlowNode.Kind.BODY_END, nodes.get(1).kind());
        assertSame(boom, nodes.get(1).getAction(org.jenkinsci.plugins.workflow.actions.ErrorAction.class).getError());
        assertTrue(SampleBlockStep.EVENTS.contains("failure:boom"));
    }

    @Test
    void aCallbackThrowingAfterSuccessFailsTheStep() {
        FakeStepContext c = runner.withBody(FakeBody.returning("v")).start(SampleBlockStep.class, args("deployId", "d", "failInCallback", true));
        assertEquals("callback refused v", c.failure().getMessage());
    }

    @Test
    void aCallbackThrowingAfterFailureIsSuppressedIntoTheBodyFailure() {
        IllegalStateException boom = new IllegalStateException("boom");
        FakeStepContext c = runner.withBody(FakeBody.failing(boom)).start(SampleBlockStep.class, args("deployId", "d", "failInCallback", true));
        assertSame(boom, c.failure());
        assertEquals("callback also failed", boom.getSuppressed()[0].getMessage());
    }

    @Test
    void anInvokerStartsOnceAndNotAfterTheStepCompleted() {
        FakeStepContext c = runner.withBody(FakeBody.pending()).call(SampleBlockStep.class, List.of("d"));
        BodyInvoker inv = c.newBodyInvoker();
        c.body().complete("x");
        assertEquals("x", c.returnValue());
        assertEquals("The SampleBlockStep step has already completed.", assertThrows(IllegalStateException.class, inv::start).getMessage());
        BodyInvoker again = c.newBodyInvoker();
        assertThrows(IllegalStateException.class, again::start);
        assertEquals("Already started", assertThrows(IllegalStateException.class, again::start).getMessage());
    }

    @Test
    void aStepWithoutBodyHasNoBodyInvoker() {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s"));
        assertFalse(c.hasBody());
        assertEquals("There is no body to invoke", assertThrows(IllegalStateException.class, c::newBodyInvoker).getMessage());
    }

    @Test
    void aStepFailingWhileItsBodyRunsWaitsForTheBodyWhichGetsBodyFailed() {
        FakeBody body = FakeBody.pending();
        FakeStepContext c = runner.withBody(body).call(SampleBlockStep.class, List.of("d"));
        SampleBlockStep.failEarly(c.execution());
        assertEquals(1, body.stops().size());
        FlowInterruptedException stop = assertInstanceOf(FlowInterruptedException.class, body.stops().get(0));
        assertEquals(Result.FAILURE, stop.getResult());
        assertEquals("Body of block-scoped step failed", stop.getMessage());
        assertTrue(c.isDone(), "the body ended on the stop, so the step's own failure is delivered");
        assertEquals("step failed early", c.failure().getMessage());
    }

    @Test
    void theStepsCompletionIsHeldUntilAnUnresponsiveBodyEnds() {
        FakeBody body = FakeBody.pending().ignoringStops();
        FakeStepContext c = runner.withBody(body).call(SampleBlockStep.class, List.of("d"));
        SampleBlockStep.failEarly(c.execution());
        assertFalse(c.isDone());
        body.complete("late");
        assertEquals("step failed early", c.failure().getMessage());
    }

    @Test
    void aCallbackCanWriteToTheLogOfTheBodyEndNode() throws Exception {
        FakeStepContext c = runner.withBody(FakeBody.returning("v")).start(new org.jenkinsci.plugins.workflow.steps.Step() {
            @Override
            public org.jenkinsci.plugins.workflow.steps.StepExecution start(StepContext context) {
                return new org.jenkinsci.plugins.workflow.steps.StepExecution(context) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public boolean start() {
                        getContext().newBodyInvoker().withCallback(new org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback.TailCall() {
                            private static final long serialVersionUID = 1L;

                            @Override
                            protected void finished(StepContext ctx) throws Exception {
                                ctx.get(TaskListener.class).getLogger().println("cleaned up at " + ctx.get(FlowNode.class).getDisplayName());
                            }
                        }).start();
                        return false;
                    }
                };
            }

            @Override
            public org.jenkinsci.plugins.workflow.steps.StepDescriptor getDescriptor() {
                return StepRunner.descriptorOf(SampleBlockStep.class);
            }
        });
        assertEquals("v", c.returnValue());
        assertTrue(c.log().contains("cleaned up at sampleBlock : Body : End"), c.log());
    }

    @Test
    void aWithContextOverrideIsSeenInTheBody() throws Exception {
        FakeBody body = FakeBody.returning(null);
        FakeStepContext c = runner.withBody(body).call(SampleBlockStep.class, List.of("d"));
        c.returnValue();
        StepContext bodyCtx = body.contexts().get(0);
        assertNotNull(bodyCtx.get(EnvironmentExpander.class));
        assertEquals(FakeFlowNode.Kind.BODY_START, ((FakeFlowNode) bodyCtx.get(FlowNode.class)).kind());
    }

    // ---- restart ("What the test harness emulates")

    @Test
    void aRestartNullsTransientFieldsAndResumesOnceOffTheCallingThread() throws Exception {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s"));
        SampleWaitStep.Execution before = (SampleWaitStep.Execution) c.execution();
        assertTrue(before.transientMarker);
        SampleWaitStep.Execution after = (SampleWaitStep.Execution) runner.restart(c);
        assertNotEquals(System.identityHashCode(before), System.identityHashCode(after));
        assertFalse(after.transientMarker);
        assertEquals(1, after.resumes);
        assertNotEquals(Thread.currentThread().getName(), after.resumeThread);
        assertSame(runner.run(), after.run(), "the deserialized context finds its run again");
        assertSame(after, c.execution());
    }

    @Test
    void aTimerTaskScheduledBeforeARestartIsGoneAndOnResumeSchedulesAgainWithExactlyOneCompletion() throws Exception {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s", "delayMillis", 200));
        runner.restart(c);
        assertEquals("done:s", c.awaitDone(WAIT).returnValue());
        Thread.sleep(300);   // a leftover task from "before the restart" would complete a second time now
        assertEquals(1, c.completionCalls());
    }

    @Test
    void anExceptionFromOnResumeFailsTheStep() throws Exception {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "throw-on-resume"));
        runner.restart(c);
        assertEquals("cannot resume", c.failure().getMessage());
    }

    // ---- stop ("Stopping a step")

    @Test
    void anAbortStopsTheStepWithAUserInterruptionByAlice() throws Exception {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s"));
        runner.abort(c, "alice");
        FlowInterruptedException e = assertInstanceOf(FlowInterruptedException.class, c.failure());
        assertEquals(Result.ABORTED, e.getResult());
        assertTrue(e.isActualInterruption());
        assertEquals("Aborted by alice", e.getMessage());
        assertEquals("alice", ((CauseOfInterruption.UserInterruption) e.getCauses().get(0)).getUserId());
        assertSame(e, ((SampleWaitStep.Execution) c.execution()).stoppedWith);
        assertEquals(Result.ABORTED, runner.run().getResult());
    }

    @Test
    void aTimeoutStopsTheStepWithACauseFoundByClassName() {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s"));
        runner.timeout(c);
        FlowInterruptedException e = assertInstanceOf(FlowInterruptedException.class, c.failure());
        assertEquals("org.jenkinsci.plugins.workflow.steps.TimeoutStepExecution$ExceededTimeout", e.getCauses().get(0).getClass().getName());
        assertEquals("Timeout has been exceeded", e.getMessage());
        assertTrue(e.isActualInterruption(), "still true inside the step ('Stopping a step')");
        assertTrue(c.log().contains("Cancelling nested steps due to timeout"));
    }

    @Test
    void anAbortOfABlockStepReachesTheBodyAndTheStepSeesItInItsCallback() {
        FakeBody body = FakeBody.pending();
        FakeStepContext c = runner.withBody(body).call(SampleBlockStep.class, List.of("d"));
        runner.abort(c, "alice");
        assertEquals(1, body.stops().size());
        assertTrue(SampleBlockStep.EVENTS.contains("failure:Aborted by alice"), SampleBlockStep.EVENTS.toString());
        assertEquals("Aborted by alice", c.failure().getMessage());
    }

    @Test
    void anExceptionFromStopIsSuppressedIntoTheCause() {
        FakeStepContext c = runner.withBody(FakeBody.returning("v")).start(new org.jenkinsci.plugins.workflow.steps.Step() {
            @Override
            public org.jenkinsci.plugins.workflow.steps.StepExecution start(StepContext context) {
                return new org.jenkinsci.plugins.workflow.steps.StepExecution(context) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public boolean start() {
                        return false;
                    }

                    @Override
                    public void stop(Throwable cause) {
                        throw new IllegalStateException("cannot stop");
                    }
                };
            }

            @Override
            public org.jenkinsci.plugins.workflow.steps.StepDescriptor getDescriptor() {
                return StepRunner.descriptorOf(SampleWaitStep.class);
            }
        });
        runner.abort(c, "bob");
        assertEquals("Aborted by bob", c.failure().getMessage());
        assertEquals("cannot stop", c.failure().getSuppressed()[0].getMessage());
    }

    @Test
    void afterTheGracePeriodTheContextIsFailedDirectlyAndLaterCompletionsAreIgnored() {
        FakeBody body = FakeBody.pending().ignoringStops();
        FakeStepContext c = runner.withBody(body).call(SampleBlockStep.class, List.of("d"));
        runner.timeout(c);
        assertFalse(c.isDone());
        runner.expireTimeoutGracePeriod(c);
        assertEquals("Timeout has been exceeded", c.failure().getMessage());
        assertTrue(c.log().contains("Body did not finish within grace period; terminating with extreme prejudice"));
        c.onSuccess("too late");
        assertEquals("Timeout has been exceeded", c.failure().getMessage());
    }

    @Test
    void termCompletesTheContextWithoutCallingStop() {
        FakeStepContext c = runner.start(SampleWaitStep.class, args("service", "s"));
        runner.terminate(c);
        FlowInterruptedException e = assertInstanceOf(FlowInterruptedException.class, c.failure());
        assertTrue(e.getCauses().isEmpty());
        assertNull(((SampleWaitStep.Execution) c.execution()).stoppedWith);
    }
}
