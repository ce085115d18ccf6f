package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.EcsStages;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows one deployment on behalf of one waiting step (or freestyle build): prints a console line at
 * every transition, keeps the progress page's snapshot current, keeps the build's gate records in step
 * with ECS (timeouts, decisions taken elsewhere), hands awaiting gates to the step's gate policy, and
 * reports once — when {@code until} is reached or the deployment finishes.
 *
 * <p>Engine callbacks arrive on an engine thread, never under the engine's lock, and must not block (architecture.md):
 * everything here is bookkeeping; completion goes to the step's context, which never blocks.
 *
 * <p>After an early return ({@code until} a stage) the follower keeps the page and the gate records
 * current, but writes no more console lines (the step's log node is finished). It keeps following until ECS
 * reports the end even when the build finishes first, so every deployment a build started ends on that build's
 * page with its outcome ("nothing is lost"); it closes itself then. (A controller restart ends this for
 * builds that are already over: no step execution is left to resume it — docs/pipeline-steps.md.)
 */
final class Follower implements DeploymentListener, GateHandler {
    private static final Logger LOGGER = Logger.getLogger(Follower.class.getName());

    /** What the waiting step gets: the latest snapshot, and whether the deployment finished. */
    record Result(DeploymentSnapshot snapshot, boolean finished, Outcome outcome, String approvedBy) {
        boolean failed() {
            return finished && (outcome == null || !outcome.succeeded());
        }

        /** The failure text for the step, e.g. "timed out — rolled back by ECS". */
        String failureText(String label) {
            if (outcome == null) {
                return "ECS deployment of " + label + " ended without an outcome";
            }
            if (outcome.cause() == RollbackCause.GATE_TIMED_OUT || gateTimedOut(snapshot)) {
                return "ECS deployment of " + label + ": the approval gate timed out — rolled back by ECS"
                        + (snapshot != null && snapshot.deploymentArn() != null ? " (" + snapshot.deploymentArn() + ")" : "");
            }
            return "ECS deployment of " + label + " " + Console.safe(outcome.describe())
                    + (snapshot != null && snapshot.deploymentArn() != null ? " (" + snapshot.deploymentArn() + ")" : "");
        }
    }

    /** A gate of this deployment expired (the engine's snapshot says TIMED_OUT). */
    static boolean gateTimedOut(DeploymentSnapshot s) {
        if (s == null) {
            return false;
        }
        for (DeploymentSnapshot.GateState g : s.gates()) {
            if ("TIMED_OUT".equals(g.state())) {
                return true;
            }
        }
        return false;
    }

    private final Run<?, ?> run;
    private final TaskListener listener;
    private final DeploymentRef ref;
    private final String until;
    private final Consumer<Result> done;
    private final Consumer<PendingGate> gatePolicy;
    private final EngineRegistry.Lease lease;

    private volatile Subscription subscription;
    private volatile boolean reported;
    private volatile boolean closed;
    private volatile String lastStage;
    /** After a restart: console texts this deployment's record already holds, not printed a second time. */
    private volatile java.util.Set<String> alreadyLogged = java.util.Set.of();

    /**
     * @param until null or COMPLETED: report when the deployment finishes; a stage: report as soon as the
     *        deployment is in it (or past it), or, when the deployment holds a gate at that stage, as soon as
     *        the gate awaits a decision
     * @param gatePolicy what to do with an awaiting gate; null = offer it for approval when the deployment asked
     */
    Follower(Run<?, ?> run, TaskListener listener, DeploymentRef ref, String until, Consumer<Result> done,
             Consumer<PendingGate> gatePolicy, EngineRegistry.Lease lease) {
        this.run = run;
        this.listener = listener;
        this.ref = ref;
        this.until = until == null || until.equals(Values.COMPLETED) ? null : until;
        this.done = done;
        this.gatePolicy = gatePolicy != null ? gatePolicy : this::offerIfApproval;
        this.lease = lease;
    }

    /**
     * After a restart: the lines this deployment's record shows already (its persisted events) are not printed again;
     * the engine re-observes the deployment and would otherwise repeat "following", revisions, tasks and traffic.
     */
    Follower resumed() {
        if (run != null && ref.recordId != null) {
            alreadyLogged = EcsProgressAction.of(run).loggedTexts(ref.recordId);
        }
        return this;
    }

    Follower start() {
        DeploymentEngine engine = lease.engine();
        // decisions taken in Jenkins (kept in build.xml) go to the engine, so a re-follow after a restart never offers
        // those hooks again and its snapshot knows who decided
        Map<String, GateDecision> decided = new HashMap<>();
        if (run != null) {
            EcsApprovalAction a = run.getAction(EcsApprovalAction.class);
            if (a != null) {
                for (GateRecord g : a.getGates()) {
                    if (ref.deploymentArn != null && ref.deploymentArn.equals(g.deploymentArn) && g.decidedAction != null
                            && (g.status == GateRecord.Status.APPROVED || g.status == GateRecord.Status.ROLLED_BACK)) {
                        decided.put(g.hookId, new GateDecision(HookAction.valueOf(g.decidedAction), g.decidedBy, g.comment));
                    }
                }
            }
        }
        // the canary analysis decides the gates it owns and hands them here only when inconclusive (docs/analysis.md)
        io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition analysis = ref.analysisDefinition();
        GateHandler gates = analysis == null ? this : engine.analyses().gateHandler(analysis, this);
        io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover sw = ref.switchover();
        // a switchover answers the gate at its stage itself (flag → green, CONTINUE) and flips back on rollback; the
        // other gates come here as before (docs/cutovers.md "2. Switchover flag")
        Subscription s = sw != null ? Switchovers.follower(engine).follow(ref.handle(), sw, this, gates, this::switchoverChanged, decided)
                : decided.isEmpty() ? engine.follow(ref.handle(), this, gates)
                : engine.follow(ref.handle(), this, gates, decided);
        subscription = s;
        if (closed) {
            s.close();
            return this;
        }
        s.outcome().whenComplete((o, err) -> finished(o));
        return this;
    }

    /** The switchover flag changed state: a console line, and a flip or flip back in the build's audit trail. */
    private void switchoverChanged(io.jenkins.plugins.ecsdeploy.engine.switchover.SwitchoverState st) {
        try {
            if (console()) {
                Console.line(listener, ref.label(), Console.safe(st.describe()));
            }
            if (run != null && ref.recordId != null) {
                EcsProgressAction.of(run).switchover(ref.recordId, st.toJsonNode());   // the page's "Switchover flag" panel
            }
            if (run != null && ("FLIPPED".equals(st.status()) || "FLIPPED_BACK".equals(st.status()))) {
                String value = "FLIPPED".equals(st.status()) ? st.greenValue() : st.blueValue();
                run.addAction(new EcsDecisionAction(io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover.DECIDED_BY,
                        "Switchover flag", lease.engine().scheduler().clock().millis(), "FLIPPED".equals(st.status()) ? "CONTINUE" : "ROLLBACK",
                        st.parameter() + " set to '" + value + "'", st.stage(), null, ref.deploymentArn, ref.label()));
            }
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "switchover state", e);
        }
    }

    Subscription subscription() {
        return subscription;
    }

    DeploymentSnapshot snapshot() {
        Subscription s = subscription;
        return s == null ? null : s.snapshot();
    }

    /** Stops following (the deployment goes on in ECS). Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        Subscription s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "closing a subscription", e);
            }
        }
        lease.close();
    }

    private boolean console() {
        return !reported && !closed;
    }

    @Override
    public void onEvent(DeploymentEvent e, DeploymentSnapshot s) {
        try {
            boolean transition = !(e instanceof DeploymentEvent.TasksChanged) && !(e instanceof DeploymentEvent.TrafficChanged);
            if (console() && !(e instanceof DeploymentEvent.TasksChanged && !taskMilestone((DeploymentEvent.TasksChanged) e))) {
                // printed in people's words with the plan's step (ConsoleText); lines already in the log before a
                // restart are known by the event's own text (what the persisted snapshot keeps)
                String text = Console.safe(ConsoleText.line(e, s));
                if (!alreadyLogged.contains(Console.safe(e.describe()))) {
                    if (e instanceof DeploymentEvent.Observed) {
                        text += " " + Console.link(run, EcsProgressAction.URL_NAME + "/", "(live progress)");
                    }
                    Console.line(listener, ref.label(), text);
                }
            }
            if (ref.recordId != null && run != null) {
                EcsProgressAction.of(run).update(ref.recordId, s, transition);
            }
            if (e instanceof DeploymentEvent.AnalysisConcluded c && run != null && !c.dryRun()
                    && ("CONTINUE".equals(c.action()) || "ROLLBACK".equals(c.action()))) {
                // the analysis's decision in the build's audit trail, like a person's (docs/analysis.md)
                run.addAction(new EcsDecisionAction(io.jenkins.plugins.ecsdeploy.engine.analysis.Analyses.DECIDED_BY,
                        "Canary analysis", c.at().toEpochMilli(), c.action(), c.reason(), c.stage(), c.hookId(),
                        ref.deploymentArn, ref.label()));
            }
            syncGates(s);
            String stage = DeploymentRef.lastStage(s);
            if (stage != null) {
                lastStage = stage;
            }
            if (until != null && !reported && !s.finished() && reached(s)) {
                report(new Result(s, false, null, approvedBy(s)));
            }
        } catch (RuntimeException ex) {
            LOGGER.log(Level.WARNING, "handling an event of " + ref.deploymentArn, ex);
        }
    }

    /**
     * Keeps the build's gate records in step with ECS, from the engine's snapshot: a gate that timed out, or
     * that was decided outside Jenkins (CLI, console), is closed here and whoever waits on it is woken.
     */
    private void syncGates(DeploymentSnapshot s) {
        if (run == null) {
            return;
        }
        EcsApprovalAction a = run.getAction(EcsApprovalAction.class);
        if (a == null) {
            return;
        }
        for (DeploymentSnapshot.GateState g : s.gates()) {
            GateRecord r = a.gate(g.hookId());
            if (r == null || !r.isWaiting() || g.state() == null) {
                continue;
            }
            switch (g.state()) {
                case "TIMED_OUT":
                    a.closed(g.hookId(), GateRecord.Status.TIMED_OUT, null);
                    break;
                case "CONTINUED":
                case "ROLLED_BACK":
                    a.closed(g.hookId(), GateRecord.Status.DECIDED_ELSEWHERE,
                            g.state().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + (g.decidedBy() == null ? " outside Jenkins" : " by " + g.decidedBy()),
                            g.state().equals("CONTINUED") ? "CONTINUE" : "ROLLBACK", g.decidedBy());
                    break;
                default:
                    break;
            }
        }
    }

    /** Task counts change often; print only when a side is complete or empty, so the log stays readable. */
    private static boolean taskMilestone(DeploymentEvent.TasksChanged t) {
        return t.running() == t.requested() || t.running() == 0;
    }

    /**
     * "Wait until X" as the engine defines it (EcsStages.waitState, /tmp/coord stages-api of issue 9): reached when the
     * deployment is in X or past it going forward; at a gate stage only once ECS holds it there (the gate awaits a
     * decision or was continued); stages entered while rolling back never count (then the follower goes on to the
     * outcome).
     */
    private boolean reached(DeploymentSnapshot s) {
        List<String> gates = ref.gateStage == null ? List.of() : List.of(ref.gateStage);
        return EcsStages.waitState(s, until, gates) == EcsStages.WaitState.REACHED;
    }

    @Override
    public void onGate(PendingGate gate) {
        try {
            if (console()) {
                Console.line(listener, ref.label(), "ECS holds the deployment at " + gate.stage() + " (hook " + gate.hookId()
                        + ") until a decision, at the latest " + gate.expiresAt());
            }
            gatePolicy.accept(gate);
            if (until != null && !reported && until.equals(gate.stage())) {
                report(new Result(gate.snapshot(), false, null, approvedBy(gate.snapshot())));
            }
        } catch (RuntimeException ex) {
            LOGGER.log(Level.WARNING, "handling gate " + gate.hookId(), ex);
        }
    }

    /** The default gate policy: offer Approve / Roll back when the deployment asked for an approval. */
    void offerIfApproval(PendingGate gate) {
        io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition a = ref.analysisDefinition();
        if (a != null && ref.strategy != null && a.stagesFor(ref.strategy).contains(gate.stage())) {
            // the analysis was inconclusive and asks a person (docs/analysis.md "How a gate is judged"): Approve /
            // Roll back on the build, with the measurements on the progress page
            offer(gate, ref.submitter, "The canary analysis was inconclusive: continue or roll back?", null);
        } else if (ref.approval) {
            offer(gate, ref.submitter, null, null);
        } else if (console()) {
            Console.line(listener, ref.label(), "no approval was asked for: decide with ecsAtGate or ecsApprove, "
                    + "or ECS applies the gate's timeout action (" + ref.approvalTimeoutAction + ")");
        }
    }

    /** The user who started the build (Cause.UserIdCause), for the policy's notBy: 'starter'; null when none did. */
    static String starterOf(hudson.model.Run<?, ?> run) {
        hudson.model.Cause.UserIdCause c = run == null ? null : run.getCause(hudson.model.Cause.UserIdCause.class);
        return c == null ? null : c.getUserId();
    }

    /** Registers the gate in the build's approval action and prints the link to it. */
    GateRecord offer(PendingGate gate, String submitter, String message, String ok) {
        GateRecord g = new GateRecord();
        g.hookId = gate.hookId();
        g.stage = gate.stage();
        g.deploymentArn = ref.deploymentArn;
        g.region = ref.region;
        g.accountId = ref.accountId;
        g.cluster = ref.cluster;
        g.service = ref.service;
        g.credentialsId = ref.credentialsId;
        g.roleArn = ref.roleArn;
        g.recordId = ref.recordId;
        g.submitter = submitter;
        g.message = message;
        g.ok = ok;
        g.required = ref.approvalRequired;
        g.notBy = ref.approvalNotBy;
        g.rollbackBy = ref.rollbackBy;
        g.starter = starterOf(run);
        g.timeoutAction = ref.approvalTimeoutAction;
        if (gate.expiresAt() != null) {
            g.ecsExpiresAt = gate.expiresAt().toEpochMilli();
            g.decideBy = g.ecsExpiresAt - DeployStepBase.APPROVAL_TIMEOUT_MARGIN * 60_000L;
        }
        GateRecord r = EcsApprovalAction.of(run).offer(g, console() ? listener : null);
        if (console() && r.isWaiting()) {
            Console.line(listener, ref.label(), "waiting for approval at " + gate.stage()
                    + (r.submitter == null ? "" : " by " + r.submitter) + ": "
                    + Console.link(run, EcsApprovalAction.URL_NAME + "/", "Approve or roll back"));
        }
        return r;
    }

    /**
     * The decisions recorded on the ECS service (DecisionLedger tags), read once when the deployment ends with a gate
     * whose decision this build does not know — after a crash, build.xml may predate the click (Jenkins saves a run
     * only on Run.save(); docs/jenkins-stand-in.md), while the engine that applied it also tagged the service
     * (docs/reliability.md "Decisions on the service"). Null until read.
     */
    private volatile List<io.jenkins.plugins.ecsdeploy.engine.RecordedDecision> ledger;
    private volatile boolean ledgerAsked;

    private boolean decisionUnknownHere(Outcome o) {
        if (run == null || o == null || ref.deploymentArn == null || approvedBy(snapshot()) != null) {
            return false;
        }
        EcsApprovalAction a = run.getAction(EcsApprovalAction.class);
        return a != null && a.getWaitingGates().stream().anyMatch(g -> ref.deploymentArn.equals(g.deploymentArn));
    }

    /** Who decided {@code hookId} with {@code action}, as recorded on the service; null when unknown. */
    private String recordedBy(String hookId, String action) {
        List<io.jenkins.plugins.ecsdeploy.engine.RecordedDecision> l = ledger;
        String by = null;
        if (l != null) {
            for (io.jenkins.plugins.ecsdeploy.engine.RecordedDecision d : l) {
                if (ref.deploymentArn.equals(d.deploymentArn()) && action.equals(d.action())
                        && (hookId == null || hookId.equals(d.hookId()))) {
                    by = d.by();
                }
            }
        }
        return by;
    }

    private void finished(Outcome o) {
        if (!ledgerAsked && decisionUnknownHere(o)) {
            ledgerAsked = true;
            // one ListTagsForResource, off this thread; whatever it answers, the deployment is then reported
            lease.engine().recordedDecisions(ref.handle()).whenComplete((l, err) -> {
                ledger = l;
                finished(o);
            });
            return;
        }
        DeploymentSnapshot s = snapshot();
        if (run != null) {
            if (s != null) {
                syncGates(s);
            }
            EcsApprovalAction a = run.getAction(EcsApprovalAction.class);
            if (a != null) {
                for (GateRecord g : a.getWaitingGates()) {
                    if (g.deploymentArn != null && g.deploymentArn.equals(ref.deploymentArn)) {
                        String text = "the deployment finished: " + (o == null ? "?" : o.describe());
                        if (o != null && o.cause() == RollbackCause.GATE_TIMED_OUT) {
                            a.closed(g.hookId, GateRecord.Status.TIMED_OUT, text);
                        } else if (o != null && o.succeeded() && recordedBy(g.hookId, "CONTINUE") != null) {
                            // decided here before a crash lost build.xml's copy; the service's record names who
                            a.closed(g.hookId, GateRecord.Status.DECIDED_ELSEWHERE, "continued by "
                                    + recordedBy(g.hookId, "CONTINUE") + " (as recorded on the ECS service); " + text,
                                    "CONTINUE", recordedBy(g.hookId, "CONTINUE"));
                        } else if (o != null && o.succeeded()) {
                            // a deployment only gets past its gate when the gate was continued: outside Jenkins, then
                            a.closed(g.hookId, GateRecord.Status.DECIDED_ELSEWHERE, "continued outside Jenkins; " + text, "CONTINUE", null);
                        } else if (o != null && o.cause() == RollbackCause.GATE_REJECTED) {
                            a.closed(g.hookId, GateRecord.Status.DECIDED_ELSEWHERE, "rolled back outside Jenkins; " + text, "ROLLBACK", o.decidedBy());
                        } else {
                            a.closed(g.hookId, GateRecord.Status.CLOSED, text);
                        }
                    }
                }
            }
            if (ref.recordId != null && s != null) {
                EcsProgressAction.of(run).update(ref.recordId, s, true);
            }
        }
        if (!reported) {
            report(new Result(s, true, o, approvedBy(s)));
        }
        close();
    }

    private synchronized void report(Result r) {
        if (reported) {
            return;
        }
        if (!r.finished() && console()) {
            Console.line(listener, ref.label(), "reached " + until + "; the pipeline goes on while ECS continues "
                    + Console.link(run, EcsProgressAction.URL_NAME + "/", "(live progress)"));
        }
        reported = true;
        try {
            done.accept(r);
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "completing a step", e);
        }
    }

    String lastStage() {
        return lastStage;
    }

    /**
     * Who approved: from the engine's snapshot, else from this build's gate records (build.xml) — after a restart the
     * engine's new snapshot starts afresh, and the returned deployment must still name the approver.
     */
    String approvedBy(DeploymentSnapshot s) {
        String by = approvedByInSnapshot(s);
        if (by == null && ref.deploymentArn != null) {
            by = recordedBy(null, "CONTINUE");
        }
        if (by == null && run != null && ref.deploymentArn != null) {
            EcsApprovalAction a = run.getAction(EcsApprovalAction.class);
            if (a != null) {
                for (GateRecord g : a.getGates()) {
                    if (ref.deploymentArn.equals(g.deploymentArn) && "CONTINUE".equals(g.decidedAction) && g.decidedBy != null) {
                        by = g.decidedBy;
                    }
                }
            }
        }
        return by;
    }

    /** Who approved the deployment's gate(s): the last person who continued one, from the engine's snapshot. */
    static String approvedByInSnapshot(DeploymentSnapshot s) {
        if (s == null) {
            return null;
        }
        String by = null;
        List<DeploymentSnapshot.GateState> gates = s.gates();
        for (DeploymentSnapshot.GateState g : gates) {
            if ("CONTINUED".equals(g.state()) && g.decidedBy() != null) {
                by = g.decidedBy();
            }
        }
        return by;
    }
}
