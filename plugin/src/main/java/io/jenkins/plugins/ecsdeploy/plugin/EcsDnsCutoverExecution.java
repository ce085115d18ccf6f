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
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The execution of {@code ecsDnsCutover}: validate on the CPS thread (no I/O) → start the cutover on the plugin's
 * executor → follow it through its events (console lines, the build's "ECS cutovers" page) to its outcome. Nothing
 * waits on a thread: the engine's scheduler drives it. Persisted: the step's parameters (Strings and numbers), the
 * section id and the cutover's checkpoint (its id, the last step asked for, the awaiting gate and its timeout, a
 * rollback under way) — never the engine. After a restart {@code onResume()} resumes the cutover from what Route 53
 * holds (docs/cutovers.md "Restarts"). An abort or a {@code timeout} rolls the weights back to blue (cause
 * BUILD_ABORTED) and fails the step with the interruption.
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
            log(e.describe());
        }
        CutoverRun c = cutover;
        if (c != null && transition) {
            saveCheckpoint(c);
        }
    }

    private void onGate(PendingCutoverGate g) {
        Run<?, ?> run = run();
        log("gate after step " + g.afterStep() + " (green " + g.greenPercent() + " %): Approve or Roll back "
                + Console.link(run, EcsCutoverAction.URL_NAME + "/", "on the cutover's page")
                + (step.submitter() == null ? "" : " (approvers: " + step.submitter() + ")") + "; held by Jenkins until " + g.expiresAt()
                + ", then " + step.getApprovalTimeoutAction());
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
