package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Result;
import hudson.model.Run;
import hudson.util.FormValidation;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import io.jenkins.plugins.ecsdeploy.engine.time.Cancellable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.support.steps.input.ApproverAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.jenkinsci.plugins.workflow.support.steps.input.Rejection;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code ecsApprove(deployment: d, message:, ok:, submitter:, submitterParameter:, timeout:)}: pauses the build until
 * an allowed user decides at the gate ECS holds the deployment at — as a genuine {@code input}: the global variable
 * {@code ecsApprove} (EcsApprove.groovy) runs this block step, {@code ecsApprovalGate}, around {@code input}, so the
 * console's Proceed/Abort links, Stage View, Pipeline Graph View and the {@code /input/} endpoints answer the gate.
 * Proceed → CONTINUE (returns the approver's id when {@code submitterParameter} is set, like {@code input}); Abort →
 * ROLLBACK (the build ends ABORTED with "Rolled back at … by …"). Holds no executor and no thread; survives a restart.
 * docs/approvals.md.
 */
public class EcsApproveStep extends DeploymentAccessStep {
    private static final long serialVersionUID = 1L;

    private String message;
    private String ok;
    private String submitter;
    private String submitterParameter;
    private int timeout;
    private int required;
    private String notBy;
    private String rollbackBy;

    @DataBoundConstructor
    public EcsApproveStep(Object deployment) {
        super(deployment);
    }

    public String getMessage() { return message; }
    @DataBoundSetter public void setMessage(String v) { message = Values.trimToNull(v); }

    public String getOk() { return ok; }
    @DataBoundSetter public void setOk(String v) { ok = Values.trimToNull(v); }

    /** Comma-separated users or groups; empty: anyone with Job/Build (or the deploy step's approval list). */
    public String getSubmitter() { return submitter; }
    @DataBoundSetter public void setSubmitter(String v) { submitter = Values.trimToNull(v); }

    /** The approval policy's approvers: the same as {@code submitter} (users or groups; a list or comma-separated). */
    public String getApprovers() { return submitter; }
    @DataBoundSetter public void setApprovers(Object v) { submitter = Values.trimToNull(Values.joined(v)); }

    /** Distinct people who must approve (docs/approvals.md "Approval policy"); 0 or 1 = one. */
    public int getRequired() { return required; }
    @DataBoundSetter public void setRequired(int v) { required = v; }

    /** Users who may not approve, and/or {@code 'starter'} (the user who started the build). */
    public String getNotBy() { return notBy; }
    @DataBoundSetter public void setNotBy(Object v) { notBy = Values.trimToNull(Values.joined(v)); }

    /** Users or groups who may roll back at the gate (default: Job/Build, Job/Cancel or an approver). */
    public String getRollbackBy() { return rollbackBy; }
    @DataBoundSetter public void setRollbackBy(Object v) { rollbackBy = Values.trimToNull(Values.joined(v)); }

    /** The policy of this step, unchecked. */
    io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy policy() {
        return io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy.of(submitter, required <= 0 ? 1 : required, notBy, rollbackBy);
    }

    public String getSubmitterParameter() { return submitterParameter; }
    @DataBoundSetter public void setSubmitterParameter(String v) { submitterParameter = Values.trimToNull(v); }

    /** Minutes; 0 = until the gate's own ECS timeout. */
    public int getTimeout() { return timeout; }
    @DataBoundSetter public void setTimeout(int v) { timeout = v; }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    /** The cause of our PauseAction; deliberately not "Input", which Pipeline Graph View reserves for the input step. */
    static final String PAUSE_CAUSE = "ECS approval";
    /** The submitterParameter our Groovy gives the input: the body then returns the approver's id (docs/approvals.md). */
    static final String APPROVER_PARAMETER = "ECS_APPROVER";

    /** The input's id for a gate: "Ecs-" and the hook id, reduced to the characters an input id may hold. */
    static String inputIdOf(String hookId) {
        return "Ecs-" + hookId.replaceAll("[^A-Za-z0-9._~-]", "-");
    }

    /**
     * The block step behind {@code ecsApprove} ({@code ecsApprovalGate(deployment: d, …) { input … }}): waits, holding
     * no thread, until ECS holds the deployment at its gate, offers the gate, then runs the body — the {@code input}
     * the global variable {@code ecsApprove} puts there (EcsApprove.groovy). The body's success → CONTINUE by the
     * approver; its failure with the input's Rejection → ROLLBACK by the rejecting user; a gate decided elsewhere (CLI,
     * ECS timeout, Roll back now) cancels the body and becomes the step's result; the step's own {@code timeout}
     * cancels the body and rolls back; an abort of the build applies {@code onAbort}.
     */
    static final class Execution extends DeploymentStepExecution {
        private static final long serialVersionUID = 1L;

        private final String message;
        private final String ok;
        private final String submitter;
        private final boolean returnSubmitter;
        private final int timeoutMinutes;
        private final int required;
        private final String notBy;
        private final String rollbackBy;
        /** How often the input was asked again at a gate that needs several approvals (its id then gets "-2", "-3", …). */
        private volatile int round;
        /** The gate's hook id once offered (saved with saveState(): it is learnt off the CPS VM thread). */
        private volatile String hookId;
        private volatile String inputId;
        /** Engine-clock epoch ms after which the gate is rolled back by Jenkins (0 = none). */
        private long deadline;
        private volatile boolean timedOut;
        private volatile boolean bodyStarted;
        /** Set (and saved) when the body ended, before the decision is sent: a restart then sends it again. */
        private volatile Boolean bodySucceeded;
        private volatile Object bodyResult;
        private volatile Throwable bodyFailure;

        private transient EcsApproveStep step;
        private transient volatile Cancellable timer;
        private transient volatile Consumer<GateRecord> watcher;
        private transient volatile BodyExecution body;

        Execution(StepContext context, EcsApproveStep step) {
            super(context);
            this.step = step;
            this.message = step.message;
            this.ok = step.ok;
            this.submitter = step.submitter;
            this.returnSubmitter = step.submitterParameter != null;
            this.timeoutMinutes = step.timeout;
            this.required = step.required;
            this.notBy = step.notBy;
            this.rollbackBy = step.rollbackBy;
        }

        @Override
        protected String functionName() {
            return "ecsApprove";
        }

        @Override
        public boolean start() throws Exception {
            if (timeoutMinutes < 0 || timeoutMinutes > DeployStepBase.MAX_PAUSE_MINUTES) {
                throw new AbortException("ecsApprove: " + Values.problem("timeout", timeoutMinutes,
                        "minutes between 1 and " + DeployStepBase.MAX_PAUSE_MINUTES + ", or 0 for the gate's own timeout"));
            }
            java.util.List<io.jenkins.plugins.ecsdeploy.engine.ValidationProblem> problems = step.policy().validate();
            if (!problems.isEmpty()) {
                // before anything is offered or sent (docs/approvals.md "Approval policy")
                throw new AbortException("ecsApprove: " + String.join("; ", problems.stream()
                        .map(io.jenkins.plugins.ecsdeploy.engine.ValidationProblem::message).toList()));
            }
            bind(step);
            if (timeoutMinutes > 0) {
                deadline = EngineRegistry.get().clock().millis() + timeoutMinutes * 60_000L;
            }
            log("waiting for an approval" + (submitter == null ? "" : " by " + submitter));
            startPause();
            followOnTimer();
            return false;
        }

        @Override
        protected void follow() throws Exception {
            Run<?, ?> run = run();
            EcsApprovalAction a = run == null ? null : EcsApprovalAction.of(run);
            if (bodyStarted && a != null) {
                if (bodySucceeded != null) {
                    afterBody();   // the body ended before a restart; its decision may not have reached ECS
                    return;
                }
                // after a restart with the input still waiting (it resumes with the program): watch the gate again
                GateRecord g = a.gate(hookId);
                if (g != null && !g.isWaiting()) {
                    cancelBody(g);
                    return;
                }
                watchGate(a);
                armTimeout();
                startFollower(null, this::ended, this::onGate);
                return;
            }
            if (a != null) {
                // a gate still waiting in this build (offered by the deploy step), or one decided on the build page
                // before this step was reached (an earlier gate of the same deployment is not this step's decision)
                GateRecord g = hookId != null ? a.gate(hookId) : waitingGateOf(a);
                if (g != null && !g.isWaiting()) {
                    hookId = g.hookId;
                    decided(g);
                    return;
                }
                if (g != null) {
                    startBody(g, null);
                }
            }
            armTimeout();
            startFollower(null, this::ended, this::onGate);
        }

        /** The gate of the deployment that waits for a decision in this build (null if none yet). */
        private GateRecord waitingGateOf(EcsApprovalAction a) {
            for (GateRecord g : a.getWaitingGates()) {
                if (ref.deploymentArn.equals(g.deploymentArn)) {
                    return g;
                }
            }
            return null;
        }

        private void armTimeout() {
            if (deadline <= 0 || timer != null) {
                return;
            }
            long left = Math.max(0, deadline - EngineRegistry.get().clock().millis());
            // the scheduler's thread only hands over: the decision waits for ECS, on the plugin's own executor
            timer = EngineRegistry.get().scheduler().schedule(Duration.ofMillis(left),
                    () -> PluginExecutors.run("ecsApprove timeout", this::timeoutFired));
        }

        private void onGate(PendingGate gate) {
            if (completed) {
                return;
            }
            Follower f = follower;
            GateRecord g = f.offer(gate, submitter != null ? submitter : ref.submitter, message, ok);
            startBody(g, gate);
        }

        /** Offers the gate as this step's and runs the body (the input) while ECS holds the deployment there. */
        private synchronized void startBody(GateRecord g, PendingGate pending) {
            if (bodyStarted || completed) {
                return;
            }
            bodyStarted = true;
            hookId = g.hookId;
            inputId = inputIdOf(g.hookId) + (round == 0 ? "" : "-" + (round + 1));
            EcsApprovalAction a = EcsApprovalAction.of(run());
            GateRecord update = new GateRecord();
            update.hookId = g.hookId;
            update.submitter = submitter != null ? submitter : g.submitter;
            update.message = message;
            update.ok = ok;
            update.inputId = inputId;
            update.required = required;
            update.notBy = notBy;
            update.rollbackBy = rollbackBy;
            update.starter = Follower.starterOf(run());
            g = a.offer(update, listener());
            saveState();
            if (watcher == null) {
                watchGate(a);
            }
            Map<String, String> env = EcsAtGateStep.environment(ref, g.stage, g.hookId, pending == null ? null : pending.snapshot());
            env.put("ECS_INPUT_ID", inputId);
            String tally = g.getTallyText();
            env.put("ECS_INPUT_MESSAGE", tally == null ? g.getMessage() : g.getMessage() + " (" + tally + ")");
            env.put("ECS_INPUT_OK", g.getOk());
            if (g.submitter != null) {
                env.put("ECS_INPUT_SUBMITTER", g.submitter);
            }
            log("the gate at " + g.stage + " waits for an approval (input " + inputId + ")");
            try {
                StepContext ctx = getContext();
                EnvironmentExpander outer = ctx.get(EnvironmentExpander.class);
                body = ctx.newBodyInvoker()
                        .withContext(EnvironmentExpander.merge(outer, EnvironmentExpander.constant(env)))
                        .withCallback(new Callback(this))
                        .start();
                saveState();   // the running body and its callback are part of the program now
            } catch (Exception e) {
                fail(explain(e, "ecsApprove: could not wait for the input"));
            }
        }

        private void watchGate(EcsApprovalAction a) {
            Consumer<GateRecord> w = this::gateChanged;
            watcher = w;
            a.watch(hookId, w);
        }

        /** The gate left WAITING. Decided outside the input (CLI, ECS timeout, Roll back now…): the input is withdrawn. */
        private void gateChanged(GateRecord g) {
            if (completed || bodySucceeded != null) {
                return;
            }
            cancelBody(g);
        }

        private void cancelBody(GateRecord g) {
            FlowInterruptedException why = new FlowInterruptedException(Result.NOT_BUILT, true,
                    new GateClosed(g.stage + " " + g.getStatusText()));
            if (withdraw(g, why)) {
                return;   // the body's failure reaches the callback, which ends the step with the gate's state
            }
            decided(g);   // no body to withdraw: the gate's state is the result
        }

        /**
         * Stops the body: through its BodyExecution, or — after a restart, when that handle is gone — by stopping the
         * gate's input found in the run's InputAction (the body then fails with {@code why}).
         */
        private boolean withdraw(GateRecord g, FlowInterruptedException why) {
            BodyExecution b = body;
            if (b != null) {
                return b.cancel(why);
            }
            InputStepExecution ie = g == null ? null : EcsApprovalAction.of(run()).inputOf(g);
            if (ie != null && !ie.isSettled()) {
                try {
                    ie.stop(why);
                    return true;
                } catch (Exception e) {
                    java.util.logging.Logger.getLogger(EcsApproveStep.class.getName()).log(java.util.logging.Level.WARNING, "withdrawing " + ie.getId(), e);
                }
            }
            return false;
        }

        /**
         * The hook id and the body's state change off the CPS VM thread: saved at once, or a restart before the next
         * checkpoint would lose them (a found defect of the first ecsApprove).
         */
        private void saveState() {
            try {
                getContext().saveState();
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(EcsApproveStep.class.getName()).log(java.util.logging.Level.FINE, "saveState", e);
            }
        }

        /** Stage View and Pipeline Graph View show the step as paused while it waits (workflow-support PauseAction). */
        private void startPause() {
            try {
                FlowNode node = getContext().get(FlowNode.class);
                if (node != null && !PauseAction.isPaused(node)) {
                    node.addAction(new PauseAction(PAUSE_CAUSE));
                }
            } catch (Exception e) {
                java.util.logging.Logger.getLogger(EcsApproveStep.class.getName()).log(java.util.logging.Level.FINE, "no flow node", e);
            }
        }

        @Override
        protected void afterComplete() {
            // endCurrentPause saves the node (disk I/O): not on the caller's (possibly the CPS VM) thread
            PluginExecutors.run("ending the pause of ecsApprove", () -> {
                try {
                    FlowNode node = getContext().get(FlowNode.class);
                    if (node != null) {
                        PauseAction.endCurrentPause(node);
                    }
                } catch (Exception e) {
                    java.util.logging.Logger.getLogger(EcsApproveStep.class.getName()).log(java.util.logging.Level.FINE, "ending a pause", e);
                }
            });
        }

        /** Jenkins' own ecsApprove timeout: withdraw the input; the body's failure then rolls the gate back. */
        private void timeoutFired() {
            if (completed) {
                return;
            }
            timedOut = true;
            saveState();
            if (hookId == null || !bodyStarted) {
                fail(new AbortException("ecsApprove: no gate was offered within " + timeoutMinutes + " minutes"));
                return;
            }
            GateRecord g = EcsApprovalAction.of(run()).gate(hookId);
            if (!withdraw(g, new FlowInterruptedException(Result.NOT_BUILT, true,
                    new GateClosed("no decision within " + timeoutMinutes + " minutes (ecsApprove timeout)")))) {
                if (bodySucceeded == null) {
                    bodyEnded(false, null, null);
                }
            }
        }

        /** Called by the body's callback: remembered and saved BEFORE the decision is sent, then decided off-thread. */
        void bodyEnded(boolean success, Object result, Throwable failure) {
            synchronized (this) {
                if (bodySucceeded != null) {
                    return;
                }
                bodySucceeded = success;
                bodyResult = result instanceof String ? result : null;
                bodyFailure = failure;
            }
            saveState();
            PluginExecutors.run("deciding at the gate after the approval", this::afterBody);
        }

        /** Turns the body's outcome into the gate's decision (on the plugin's executor: it waits for ECS). */
        private void afterBody() {
            if (completed) {
                return;
            }
            Run<?, ?> run = run();
            EcsApprovalAction a = EcsApprovalAction.of(run);
            GateRecord g = a.gate(hookId);
            if (g == null) {
                fail(new AbortException("ecsApprove: the gate " + hookId + " is not recorded in this build"));
                return;
            }
            Throwable t = bodyFailure;
            if (Boolean.TRUE.equals(bodySucceeded)) {
                String approver = bodyResult != null ? (String) bodyResult : lastApprover(run);
                if (g.isWaiting() && g.isPolicy()) {
                    String notYet = a.countInputApproval(hookId, approver);
                    if (notYet != null) {
                        askAgain(a.gate(hookId), notYet);   // refused (four eyes) or not enough yet: the input again
                        return;
                    }
                }
                if (g.isWaiting()) {
                    EcsApprovalAction.Reply r = a.recordInputDecision(hookId, HookAction.CONTINUE, approver);
                    if (!r.ok()) {
                        // the gate stays open: ECS's own timeout (or a retry on the build page) decides, and the
                        // follower ends this step with that
                        log("the approval by " + SafeText.line(String.valueOf(approver)) + " did not reach ECS: " + r.message());
                    }
                }
                decided(a.gate(hookId));
                return;
            }
            if (timedOut && g.isWaiting()) {
                a.recordInputDecision(hookId, HookAction.ROLLBACK, "SYSTEM",
                        "no decision within " + timeoutMinutes + " minutes (ecsApprove timeout)");
                decided(a.gate(hookId));
                return;
            }
            Rejection rejection = causeOf(t, Rejection.class);
            if (rejection != null && g.isWaiting()) {
                hudson.model.User u = rejection.getUser();
                a.recordInputDecision(hookId, HookAction.ROLLBACK, u == null ? null : u.getId());
                decided(a.gate(hookId));
                return;
            }
            if (!g.isWaiting()) {
                decided(g);   // decided elsewhere (the input was withdrawn), or by the input just above
                return;
            }
            if (t instanceof FlowInterruptedException) {
                // the build was aborted or a timeout around ecsApprove expired: onAbort decides, the step ends with it
                stopping = true;
                applyOnAbort(Interruption.classify(t), t);
                return;
            }
            a.closed(hookId, GateRecord.Status.CLOSED, "the approval block failed: " + Interruption.classify(t).text());
            rollbackFor(Interruption.classify(t), () -> fail(t == null ? new AbortException("ecsApprove failed") : t));
        }

        /**
         * A gate with a policy still needs approvals: the body (the input) runs again with a new input id, as {@code retry}
         * runs its body again (a new newBodyInvoker() from the body's callback or a timer:
         * jenkinsci/workflow-basic-steps-plugin@02cc317fe924c1e1efbfe6c0e8d93ecca0b2a492:src/main/java/org/jenkinsci/plugins/workflow/steps/RetryStepExecution.java).
         */
        private void askAgain(GateRecord g, String why) {
            log(why);
            synchronized (this) {
                if (completed) {
                    return;
                }
                bodyStarted = false;
                bodySucceeded = null;
                bodyResult = null;
                bodyFailure = null;
                body = null;
                round++;
            }
            saveState();
            if (g != null && g.isWaiting()) {
                startBody(g, null);
            } else if (g != null) {
                decided(g);
            }
        }

        private static String lastApprover(Run<?, ?> run) {
            if (run == null) {
                return null;
            }
            List<ApproverAction> l = run.getActions(ApproverAction.class);
            return l.isEmpty() ? null : l.get(l.size() - 1).getUserId();
        }

        private static <C> C causeOf(Throwable t, Class<C> type) {
            if (t instanceof FlowInterruptedException fie) {
                for (Object c : fie.getCauses()) {
                    if (type.isInstance(c)) {
                        return type.cast(c);
                    }
                }
            }
            return null;
        }

        private void decided(GateRecord g) {
            if (completed || stopping || g == null) {
                // stopping: the build was aborted or a timeout expired; that interruption is this step's result, not
                // the gate's "closed: build aborted" (a found defect: FAILURE instead of ABORTED)
                return;
            }
            String stage = g.stage;
            switch (g.status) {
                case WAITING:
                    return;
                case APPROVED:
                    log("approved by " + SafeText.line(String.valueOf(g.decidedBy)) + " at " + stage);
                    finish();
                    succeed(returnSubmitter ? g.decidedBy : null);
                    break;
                case ROLLED_BACK:
                    finish();
                    if (timedOut) {
                        fail(new AbortException("ecsApprove: nobody decided within " + timeoutMinutes
                                + " minutes — the deployment of " + ref.label() + " is rolled back"));
                    } else {
                        fail(new FlowInterruptedException(Result.ABORTED, true, new GateRejection(g.decidedBy, stage)));
                    }
                    break;
                case TIMED_OUT:
                    finish();
                    if ("CONTINUE".equals(g.timeoutAction)) {
                        log("the gate at " + stage + " timed out — continued by ECS");
                        succeed(null);
                    } else {
                        fail(new AbortException("ecsApprove: the gate at " + stage + " timed out — rolled back by ECS"));
                    }
                    break;
                case DECIDED_ELSEWHERE:
                    finish();
                    log("the gate at " + stage + " was " + g.getStatusText());
                    if ("CONTINUE".equals(g.decidedAction)) {
                        succeed(returnSubmitter ? g.decidedBy : null);
                    } else {
                        fail(new FlowInterruptedException(Result.ABORTED, true, new GateRejection(g.decidedBy, stage)));
                    }
                    break;
                default:
                    finish();
                    fail(new AbortException("ecsApprove: the gate at " + stage + " was " + g.getStatusText()));
                    break;
            }
        }

        /** The deployment ended while we waited (e.g. decided from the CLI, then finished). */
        private void ended(Follower.Result r) {
            if (completed || stopping) {
                return;
            }
            GateRecord g = bodyStarted && hookId != null ? EcsApprovalAction.of(run()).gate(hookId) : null;
            if (g != null) {
                // the input went out: the gate's state, not the follower, ends the step (through the body's outcome)
                if (bodySucceeded == null) {
                    if (g.isWaiting()) {
                        EcsApprovalAction.of(run()).closed(hookId, GateRecord.Status.CLOSED, "the deployment ended");
                    } else {
                        cancelBody(g);
                    }
                    return;   // the withdrawn body's failure reaches afterBody(), which ends the step with the gate's state
                }
                if (!g.isWaiting()) {
                    decided(g);
                    return;
                }
            }
            deploymentFinished = r.finished();
            finish();
            if (r.failed() && r.outcome() != null && r.outcome().cause() == io.jenkins.plugins.ecsdeploy.engine.RollbackCause.GATE_REJECTED) {
                // someone chose "Roll back" before this step took the gate over: the same result as a click now
                fail(new FlowInterruptedException(Result.ABORTED, true, new GateRejection(r.outcome().decidedBy(),
                        ref.gateStage == null ? "the gate" : ref.gateStage)));
            } else if (r.failed()) {
                fail(new AbortException("ecsApprove: " + r.failureText(ref.label())));
            } else {
                succeed(returnSubmitter ? r.approvedBy() : null);
            }
        }

        private void finish() {
            Cancellable t = timer;
            if (t != null) {
                t.cancel();
            }
            Follower f = follower;
            if (f != null) {
                f.close();
            }
            Consumer<GateRecord> w = watcher;
            Run<?, ?> run = run();
            if (w != null && hookId != null && run != null) {
                EcsApprovalAction.of(run).unwatch(hookId, w);
            }
        }

        @Override
        protected void applyOnAbort(Interruption why, Throwable cause) {
            Cancellable t = timer;
            if (t != null) {
                t.cancel();
            }
            super.applyOnAbort(why, cause);
        }

        @Override
        public String getStatus() {
            return "waiting for an approval at " + (hookId == null ? "the deployment's gate" : "hook " + hookId
                    + (inputId == null ? "" : " (input " + inputId + ")"));
        }
    }

    /** Why ecsApprove withdrew its input: the gate was decided elsewhere, or its own timeout expired. */
    static final class GateClosed extends jenkins.model.CauseOfInterruption {
        private static final long serialVersionUID = 1L;
        private final String what;

        GateClosed(String what) {
            this.what = what;
        }

        @Override
        public String getShortDescription() {
            return "The ECS gate at " + what;
        }
    }

    /** Hands the body's outcome to the step (serialized with the program while the body runs, as in program.dat). */
    static final class Callback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final Execution owner;

        Callback(Execution owner) {
            this.owner = owner;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            owner.bodyEnded(true, result, null);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            owner.bodyEnded(false, null, t);
        }
    }

    /**
     * The block step's name is {@code ecsApprovalGate}; Jenkinsfiles call the global variable {@code ecsApprove}
     * ({@link EcsApproveVariable}), which passes its arguments here with an {@code input} as the body. The symbol equals
     * the function name (a different one would make a call do nothing, docs/jenkins-behaviour.md "Binding a step call").
     */
    @Extension
    @Symbol("ecsApprovalGate")
    public static class DescriptorImpl extends DeploymentStepDescriptor {
        @Override public String getFunctionName() { return "ecsApprovalGate"; }
        @Override public String getDisplayName() { return "Approve an Amazon ECS deployment at its gate (the block behind ecsApprove)"; }
        @Override public boolean takesImplicitBlockArgument() { return true; }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return DeployStepDescriptor.checkRange(value, 0, DeployStepBase.MAX_PAUSE_MINUTES, "minutes");
        }
    }
}
