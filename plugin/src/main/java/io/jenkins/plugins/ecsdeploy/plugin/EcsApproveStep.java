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
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code ecsApprove(deployment: d, message:, ok:, submitter:, submitterParameter:, timeout:)}: pauses the
 * build until an allowed user decides at the gate ECS holds the deployment at. Approve → CONTINUE (the
 * step returns, with the approver's id when {@code submitterParameter} is set, like {@code input});
 * Roll back → ROLLBACK (the step ends the build ABORTED with "Rolled back at … by …"). Holds no executor
 * and no thread; survives a restart (the gate is offered again).
 */
public class EcsApproveStep extends DeploymentAccessStep {
    private static final long serialVersionUID = 1L;

    private String message;
    private String ok;
    private String submitter;
    private String submitterParameter;
    private int timeout;

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

    static final class Execution extends DeploymentStepExecution {
        private static final long serialVersionUID = 1L;

        private final String message;
        private final String ok;
        private final String submitter;
        private final boolean returnSubmitter;
        private final int timeoutMinutes;
        /** The gate's hook id once offered (persisted: after a restart, a decision taken meanwhile is found by it). */
        private String hookId;
        /** Engine-clock epoch ms after which ecsApprove rolls the gate back itself (0 = none). */
        private long deadline;
        private volatile boolean timedOut;

        private transient EcsApproveStep step;
        private transient volatile Cancellable timer;
        private transient volatile Consumer<GateRecord> watcher;

        Execution(StepContext context, EcsApproveStep step) {
            super(context);
            this.step = step;
            this.message = step.message;
            this.ok = step.ok;
            this.submitter = step.submitter;
            this.returnSubmitter = step.submitterParameter != null;
            this.timeoutMinutes = step.timeout;
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
            if (run != null) {
                EcsApprovalAction a = EcsApprovalAction.of(run);
                // after a restart: our own gate, whatever became of it; on the first call: a gate still waiting
                // (an earlier gate of the same deployment, e.g. canary's first shift, is not this step's decision)
                GateRecord g = hookId != null ? a.gate(hookId) : waitingGateOf(a);
                if (g != null && !g.isWaiting()) {
                    // decided while Jenkins was down, or on the build page before this step was reached
                    hookId = g.hookId;
                    decided(g);
                    return;
                }
                if (g != null) {
                    // already offered by the deploy step: take it over now (message, submitter), don't wait for a re-offer
                    GateRecord update = new GateRecord();
                    update.hookId = g.hookId;
                    update.submitter = submitter;
                    update.message = message;
                    update.ok = ok;
                    a.offer(update, listener());
                    hookId = g.hookId;
                    saveHookId();
                    Consumer<GateRecord> w = this::decided;
                    watcher = w;
                    a.watch(g.hookId, w);
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
            if (deadline <= 0) {
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
            if (g.hookId.equals(hookId) && watcher != null) {
                return; // already watching it (taken over from the deploy step's offer)
            }
            hookId = g.hookId;
            saveHookId();
            Consumer<GateRecord> w = this::decided;
            watcher = w;
            EcsApprovalAction.of(run()).watch(g.hookId, w);
        }

        /**
         * The hook id is learnt on an engine thread, not the CPS VM thread: without saveState() it would be lost by a
         * restart before the next checkpoint, and a gate decided meanwhile would not be found (a found defect).
         */
        private void saveHookId() {
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

        /** Jenkins' own ecsApprove timeout: roll the gate back, like a rejection by nobody. */
        private void timeoutFired() {
            if (completed || hookId == null) {
                if (!completed && hookId == null) {
                    timedOut = true;
                    fail(new AbortException("ecsApprove: no gate was offered within " + timeoutMinutes + " minutes"));
                }
                return;
            }
            timedOut = true;
            EcsApprovalAction.Reply r = EcsApprovalAction.of(run()).decide(hookId, HookAction.ROLLBACK,
                    "no decision within " + timeoutMinutes + " minutes (ecsApprove timeout)",
                    new SubmitterRules.Decider("SYSTEM", "ecsApprove timeout", List.of(), true, true),
                    SubmitterRules.Ids.CASE_INSENSITIVE);
            if (!r.ok()) {
                log("ecsApprove timeout: " + r.message());
            }
        }

        private void decided(GateRecord g) {
            if (completed || stopping) {
                // stopping: the build was aborted or a timeout expired; that interruption is this step's result, not
                // the gate's "closed: build aborted" (a found defect: FAILURE instead of ABORTED)
                return;
            }
            String stage = g.stage;
            switch (g.status) {
                case APPROVED:
                    log("approved by " + g.decidedBy + " at " + stage);
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
            return "waiting for an approval at " + (hookId == null ? "the deployment's gate" : "hook " + hookId);
        }
    }

    @Extension
    @Symbol("ecsApprove")
    public static class DescriptorImpl extends DeploymentStepDescriptor {
        @Override public String getFunctionName() { return "ecsApprove"; }
        @Override public String getDisplayName() { return "Approve an Amazon ECS deployment at its gate"; }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return DeployStepDescriptor.checkRange(value, 0, DeployStepBase.MAX_PAUSE_MINUTES, "minutes");
        }
    }
}
