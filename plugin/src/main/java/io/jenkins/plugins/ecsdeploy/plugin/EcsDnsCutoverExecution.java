package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverCheckpoint;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverEngine;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverEvent;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverRun;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.cutover.DnsCutoverRequest;
import io.jenkins.plugins.ecsdeploy.engine.cutover.PendingCutoverGate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import hudson.model.Result;
import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.support.steps.input.ApproverAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.jenkinsci.plugins.workflow.support.steps.input.Rejection;

/**
 * The execution of {@code ecsDnsCutover}: validate on the CPS thread (no I/O) → start the cutover on the plugin's
 * executor → follow it through its events (console lines, the build's "ECS cutovers" page) to its outcome. Nothing
 * waits on a thread: the engine's scheduler drives it. Persisted: the step's parameters (Strings and numbers), the
 * section id and the cutover's checkpoint (its id, the last step asked for, the awaiting gate and its timeout, a
 * rollback under way) — never the engine. After a restart {@code onResume()} resumes the cutover from what Route 53
 * holds (docs/cutovers.md "Restarts"). An abort or a {@code timeout} rolls the weights back to blue (cause
 * BUILD_ABORTED) and fails the step with the interruption.
 *
 * <p>Called as {@code ecsDnsCutover} (the global variable, {@link EcsDnsCutoverBlockStep}) the step has a body, an
 * {@code input}: at each gate it runs the body once — Proceed → CONTINUE by the approver, Abort → ROLLBACK by the
 * rejecting user — and withdraws it when the gate is decided elsewhere (the cutover's page, its timeout). The gate whose
 * input runs and the input's answer are persisted before the decision is sent, so a restart sends it again; the input
 * itself is part of the program and resumes with it. Without a body the gates are decided on the cutover's page.
 */
public class EcsDnsCutoverExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(EcsDnsCutoverExecution.class.getName());

    private final EcsDnsCutoverStep step;
    private String recordId;
    private String region;
    // the cutover's checkpoint, as plain fields
    private String cutoverId;
    private int cpStep;
    private String cpGateId;
    private long cpGateExpires;
    private boolean cpRollingBack;
    private String cpCause;
    private String cpReason;
    private long cpWaitUntil;
    private volatile boolean completed;
    private volatile Throwable pendingStop;

    // the gate's input (with a body): which gate it answers, and its answer once given
    private volatile String bodyGateId;
    private volatile String bodyInputId;
    private volatile Boolean bodySucceeded;
    private volatile boolean bodyRejected;
    private volatile String bodyDecider;
    private volatile String withdrawnGateId;
    private volatile boolean finishAfterBody;
    private transient volatile Throwable bodyFailure;
    private transient volatile BodyExecution body;

    private transient volatile CutoverRun cutover;
    private transient volatile EngineRegistry.Lease lease;
    private transient volatile boolean resumed;

    EcsDnsCutoverExecution(StepContext context, EcsDnsCutoverStep step) {
        super(context);
        this.step = step;
    }

    private Run<?, ?> run() {
        try {
            return getContext().get(Run.class);
        } catch (Exception e) {
            return null;
        }
    }

    private void log(String text) {
        if (completed) {
            return;
        }
        try {
            Console.line(getContext().get(TaskListener.class), step.label(), text);
        } catch (Exception e) {
            LOGGER.log(Level.FINE, "console", e);
        }
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        DnsCutoverRequest r = step.toRequest(EcsGlobalConfiguration.defaultRegionOrNull()); // every check, no AWS call
        region = r.region();
        recordId = EcsCutoverAction.of(run).newRecord(step.label(), region, step.submitter());
        log("starting a DNS cutover of " + r.normalizedRecordName() + " from " + r.blue().describe() + " to " + r.green().describe()
                + " in steps " + r.effectiveSteps() + " % " + Console.link(run, EcsCutoverAction.URL_NAME + "/", "(live progress)"));
        // the plan (offline): steps, waits, the TTL-bound minimum duration, as `ecs-deploy cutover --plan` prints it
        for (String line : io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverPlan.of(r).toText().split("\n")) {
            log(Console.safe(line));
        }
        PluginExecutors.io().submit(() -> launch(r, null));
        return false;
    }

    /** On the plugin's executor: an engine for the step's credentials, then start (or resume) the cutover. */
    private void launch(DnsCutoverRequest r, CutoverCheckpoint from) {
        Run<?, ?> run = run();
        try {
            lease = EngineRegistry.get().acquire(run, step.getCredentialsId(), region, step.getRoleArn());
            CutoverEngine engine = CutoverEngines.of(lease.engine());
            CutoverRun c = from == null ? engine.start(r, this::onEvent, this::onGate) : engine.resume(r, from, this::onEvent, this::onGate);
            cutover = c;
            cutoverId = c.id();
            EcsCutoverAction.of(run).attach(recordId, c);
            saveCheckpoint(c);
            c.outcome().whenComplete((o, e) -> finished(o));
            Throwable stop = pendingStop;
            if (stop != null) {
                abort(stop);
            }
        } catch (Exception | LinkageError e) {
            if (lease != null) {
                lease.close();
            }
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            if (run != null) {
                EcsCutoverAction.of(run).failedToStart(recordId, m);
            }
            fail(e instanceof AbortException ? e : new AbortException(EcsDnsCutoverStep.FUNCTION + ": could not start the cutover of "
                    + step.label() + ": " + m));
        }
    }

    private void onEvent(CutoverEvent e, CutoverSnapshot s) {
        Run<?, ?> run = run();
        boolean transition = !(e instanceof CutoverEvent.HealthChecked h && h.ok());
        if (run != null) {
            EcsCutoverAction.of(run).update(recordId, s, transition);
        }
        if (!resumed || !(e instanceof CutoverEvent.Started)) {
            log(Console.safe(e.describe()));   // a gate comment or a Route 53 message is untrusted text
        }
        if (e instanceof CutoverEvent.GateDecided d && d.gateId().equals(bodyGateId) && bodySucceeded == null) {
            // decided on the cutover's page or by its timeout: the input is withdrawn (its failure is then ignored)
            withdraw("after step " + d.afterStep() + " was " + (d.timedOut() ? "timed out: " + d.action()
                    : "decided elsewhere: " + d.action() + (d.by() == null ? "" : " by " + SafeText.line(d.by()))));
        }
        CutoverRun c = cutover;
        if (c != null && transition) {
            saveCheckpoint(c);
        }
    }

    private void onGate(PendingCutoverGate g) {
        Run<?, ?> run = run();
        if (hasBody()) {
            startBody(g);
            return;
        }
        log("gate after step " + g.afterStep() + " (green " + g.greenPercent() + " %): Approve or Roll back "
                + Console.link(run, EcsCutoverAction.URL_NAME + "/", "on the cutover's page")
                + (step.submitter() == null ? "" : " (approvers: " + Console.safe(step.submitter()) + ")") + "; held by Jenkins until " + g.expiresAt()
                + ", then " + step.getApprovalTimeoutAction());
    }

    private boolean hasBody() {
        try {
            return getContext().hasBody();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The gate as a Jenkins input: the body (the input of EcsDnsCutover.groovy) runs with the input's id and question. */
    private synchronized void startBody(PendingCutoverGate g) {
        if (completed) {
            return;
        }
        if (g.gateId().equals(bodyGateId)) {
            // offered again after a restart: the input resumed with the program, or its answer still has to be sent
            if (bodySucceeded != null) {
                PluginExecutors.run("deciding at a cutover gate after a restart", this::afterBody);
            }
            return;
        }
        bodyGateId = g.gateId();
        bodyInputId = EcsApproveStep.inputIdOf(g.gateId());
        bodySucceeded = null;
        bodyRejected = false;
        bodyDecider = null;
        bodyFailure = null;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ECS_INPUT_ID", bodyInputId);
        env.put("ECS_INPUT_MESSAGE", "Continue the DNS cutover of " + SafeText.line(step.label()) + "? Green has " + g.greenPercent()
                + " % of the answers (after step " + g.afterStep() + ").");
        env.put("ECS_INPUT_OK", "Continue");
        if (step.submitter() != null) {
            env.put("ECS_INPUT_SUBMITTER", step.submitter());
        }
        env.put("ECS_CUTOVER_ID", g.cutoverId());
        env.put("ECS_CUTOVER_GATE_ID", g.gateId());
        env.put("ECS_CUTOVER_STEP", String.valueOf(g.afterStep()));
        env.put("ECS_CUTOVER_GREEN_PERCENT", String.valueOf(g.greenPercent()));
        log("gate after step " + g.afterStep() + " (green " + g.greenPercent() + " %) waits for the input " + bodyInputId
                + (step.submitter() == null ? "" : " (approvers: " + Console.safe(step.submitter()) + ")") + ": Proceed continues, Abort sets the "
                + "weights back to blue; held by Jenkins until " + g.expiresAt() + ", then " + step.getApprovalTimeoutAction());
        saveState();
        try {
            StepContext ctx = getContext();
            EnvironmentExpander outer = ctx.get(EnvironmentExpander.class);
            body = ctx.newBodyInvoker().withContext(EnvironmentExpander.merge(outer, EnvironmentExpander.constant(env)))
                    .withCallback(new Callback(this, g.gateId())).start();
            saveState();   // the running body and its callback are part of the program now
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, "starting the gate's input", e);
            bodyEnded(g.gateId(), false, null, e);
        }
    }

    /** Called by the body's callback: the answer is kept (and saved) before the decision goes to the engine. */
    void bodyEnded(String gateId, boolean success, Object result, Throwable failure) {
        synchronized (this) {
            if (bodySucceeded != null || gateId != null && !gateId.equals(bodyGateId)) {
                return;   // answered already, or a withdrawn input of an earlier gate ending late
            }
            Rejection rejection = rejectionOf(failure);
            bodySucceeded = success;
            bodyRejected = rejection != null;
            bodyDecider = success ? (result instanceof String s ? s : lastApprover(run()))
                    : rejection == null || rejection.getUser() == null ? null : rejection.getUser().getId();
            bodyFailure = failure;
            body = null;
        }
        saveState();
        PluginExecutors.run("deciding at a cutover gate", this::afterBody);
    }

    /** The input's answer → the gate's decision (on the plugin's executor). */
    private void afterBody() {
        String gate = bodyGateId;
        if (completed || gate == null) {
            return;
        }
        if (gate.equals(withdrawnGateId)) {
            if (finishAfterBody) {
                CutoverRun c = cutover;
                finished(c == null ? null : c.outcome().getNow(null));
            }
            return;   // withdrawn by us: the gate was decided elsewhere, the cutover goes on (or ended)
        }
        CutoverRun c = cutover;
        if (c == null) {
            return;   // not resumed yet: the re-offered gate sends it (startBody)
        }
        if (Boolean.TRUE.equals(bodySucceeded) || bodyRejected) {
            HookAction action = Boolean.TRUE.equals(bodySucceeded) ? HookAction.CONTINUE : HookAction.ROLLBACK;
            String comment = "input " + bodyInputId + (action == HookAction.CONTINUE ? " proceeded" : " aborted");
            c.decide(gate, new GateDecision(action, bodyDecider, comment)).whenComplete((res, err) -> {
                if (res == DecisionResult.APPLIED) {
                    Run<?, ?> run = run();
                    if (run != null) {
                        EcsCutoverAction.of(run).auditInput(bodyDecider, action.name(), comment, gate, step.label());
                    }
                } else {
                    log("the input's " + action + (bodyDecider == null ? "" : " by " + SafeText.line(bodyDecider)) + " was not applied: "
                            + (err != null ? err : res));
                }
            });
            return;
        }
        Throwable t = bodyFailure;
        if (t != null && !(t instanceof FlowInterruptedException)) {
            // a block of the user's own failed (its checks said no): a rejection of this gate, the weights go back
            String why = "the gate's block failed: " + SafeText.line(String.valueOf(t.getMessage() == null ? t : t.getMessage()));
            log(why);
            c.decide(gate, new GateDecision(HookAction.ROLLBACK, null, why));
            return;
        }
        // the build was aborted (or a timeout around the step expired) while the input waited: the weights go back
        abort(t != null ? t : new FlowInterruptedException(Result.ABORTED, true));
    }

    /** Stops the gate's input: through its BodyExecution, or after a restart through the run's InputAction. */
    private void withdraw(String why) {
        String gate = bodyGateId;
        if (gate == null || bodySucceeded != null) {
            return;
        }
        withdrawnGateId = gate;
        saveState();
        FlowInterruptedException cause = new FlowInterruptedException(Result.NOT_BUILT, true, new EcsApproveStep.GateClosed(why));
        BodyExecution b = body;
        if (b != null) {
            b.cancel(cause);
            return;
        }
        try {
            Run<?, ?> run = run();
            InputAction ia = run == null ? null : run.getAction(InputAction.class);
            InputStepExecution ie = ia == null ? null : ia.getExecution(bodyInputId);
            if (ie != null && !ie.isSettled()) {
                ie.stop(cause);
            }
        } catch (Exception e) {
            LOGGER.log(Level.FINE, "withdrawing " + bodyInputId, e);
        }
    }

    private boolean bodyRunning() {
        return bodyGateId != null && bodySucceeded == null && !bodyGateId.equals(withdrawnGateId) && hasBody();
    }

    private static String lastApprover(Run<?, ?> run) {
        if (run == null) {
            return null;
        }
        List<ApproverAction> l = run.getActions(ApproverAction.class);
        return l.isEmpty() ? null : l.get(l.size() - 1).getUserId();
    }

    private static Rejection rejectionOf(Throwable t) {
        if (t instanceof FlowInterruptedException fie) {
            for (Object c : fie.getCauses()) {
                if (c instanceof Rejection r) {
                    return r;
                }
            }
        }
        return null;
    }

    private void saveState() {
        try {
            getContext().saveState();
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "saveState", e);
        }
    }

    /** Hands the body's outcome to the execution (serialized with the program while the body runs). */
    static final class Callback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final EcsDnsCutoverExecution owner;
        private final String gateId;

        Callback(EcsDnsCutoverExecution owner, String gateId) {
            this.owner = owner;
            this.gateId = gateId;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            owner.bodyEnded(gateId, true, result, null);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            owner.bodyEnded(gateId, false, null, t);
        }
    }

    private void saveCheckpoint(CutoverRun c) {
        CutoverCheckpoint cp = c.checkpoint();
        cutoverId = cp.cutoverId();
        cpStep = cp.step();
        cpGateId = cp.gateId();
        cpGateExpires = cp.gateExpiresAtMillis();
        cpRollingBack = cp.rollingBack();
        cpCause = cp.rollbackCause();
        cpReason = cp.rollbackReason();
        cpWaitUntil = cp.waitUntilMillis();
        try {
            getContext().saveState();
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "saveState", e);
        }
    }

    private void finished(Outcome o) {
        EngineRegistry.Lease l = lease;
        if (l != null) {
            l.close();
        }
        if (o == null) {
            return;
        }
        if (bodyRunning()) {
            // the cutover ended while its gate's input waited (Roll back now, an INSYNC failure): withdraw the input
            // first; the body's end completes the step, so the block never ends before its body
            finishAfterBody = true;
            withdraw("the cutover ended: " + o.kind());
            return;
        }
        CutoverRun c = cutover;
        CutoverSnapshot s = c == null ? null : c.snapshot();
        if (o.succeeded()) {
            succeed(result(o, s));
        } else {
            fail(new AbortException(EcsDnsCutoverStep.FUNCTION + ": " + Console.safe(o.plainWords())));
        }
    }

    /** What the step returns: the outcome, the final weights and until when clients may resolve the old side. */
    static Map<String, Object> result(Outcome o, CutoverSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cutoverId", s == null ? null : s.cutoverId());
        m.put("record", s == null ? null : s.record());
        m.put("outcome", o.kind().name());
        m.put("plainWords", o.plainWords());
        m.put("blueWeight", s == null || s.blue() == null ? null : s.blue().weight());
        m.put("greenWeight", s == null || s.green() == null ? null : s.green().weight());
        m.put("clientsMayResolveOldUntil", s == null || s.clientsMayResolveOldUntil() == null ? null : s.clientsMayResolveOldUntil().toString());
        return m;
    }

    private synchronized boolean complete() {
        if (completed) {
            return false;
        }
        completed = true;
        return true;
    }

    private void succeed(Object v) {
        if (complete()) {
            getContext().onSuccess(v);
        }
    }

    private void fail(Throwable t) {
        if (complete()) {
            getContext().onFailure(t);
        }
    }

    /** A restart: the cutover is resumed from Route 53's weights and the kept checkpoint; an abort before it is applied. */
    @Override
    public void onResume() {
        if (completed) {
            return;
        }
        resumed = true;
        DnsCutoverRequest r;
        try {
            r = step.toRequest(region);
        } catch (AbortException e) {
            fail(e);
            return;
        }
        CutoverCheckpoint cp = new CutoverCheckpoint(cutoverId == null ? (r.id() == null ? "cutover-" + recordId : r.id()) : cutoverId,
                cpStep, cpGateId, cpGateExpires, cpRollingBack, cpCause, cpReason, cpWaitUntil);
        log("Jenkins restarted; resuming the cutover from the weights Route 53 holds");
        PluginExecutors.io().submit(() -> launch(r, cp));
    }

    @Override
    public void stop(Throwable cause) {
        pendingStop = cause;
        try {
            getContext().saveState();
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "saveState", e);
        }
        PluginExecutors.run("rolling a cutover back after an abort", () -> abort(cause));
    }

    /** Weights back to blue (BUILD_ABORTED, by whoever aborted), then the step fails with the interruption. */
    private void abort(Throwable cause) {
        CutoverRun c = cutover;
        Interruption why = Interruption.classify(cause);
        if (c != null && !c.outcome().isDone()) {
            log("build " + why.text() + "; the weights go back to blue");
            c.rollback(RollbackCause.BUILD_ABORTED, why.text(), why.userId());
        }
        fail(cause);
    }

    @Override
    public String getStatus() {
        CutoverRun c = cutover;
        return c == null ? "starting a DNS cutover of " + step.label()
                : "DNS cutover of " + step.label() + ": " + c.snapshot().phase();
    }
}
