package io.jenkins.plugins.ecsdeploy.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.approval.Approval;
import io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy;
import io.jenkins.plugins.ecsdeploy.engine.approval.IdMatcher;
import io.jenkins.plugins.ecsdeploy.engine.approval.Tally;
import io.jenkins.plugins.ecsdeploy.engine.approval.Voter;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import hudson.model.Failure;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import jenkins.model.Jenkins;
import jenkins.model.RunAction2;
import org.jenkinsci.plugins.workflow.support.steps.input.InputAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * The gates of one build (one action per build, {@code /job/<job>/<n>/ecs-approval/}): lists the gates
 * waiting for a decision with Approve / Roll back, and takes the decision. Modelled on the
 * {@code input} step's InputAction (jenkinsci/pipeline-input-step-plugin; docs/jenkins-behaviour.md "The input step") with one difference that matters: a gate record holds the
 * ids needed to call ContinueServiceDeployment itself, so a decision needs no live step execution —
 * it works while the pipeline runs tests after {@code waitUntil}, in a freestyle build, and after a
 * restart before any step has resumed.
 *
 * <p>Rules (docs/approvals.md): permission checks first; a gate decided, expired or closed is refused
 * with a clear message; two racing clicks give exactly one decision (the whole check-and-call runs
 * under the gate record's lock, and the engine answers ALREADY_DECIDED to anything later); every
 * decision becomes its own {@link EcsDecisionAction} on the run, a console line, and part of the
 * engine snapshot (the engine records who and why with the decision).
 */
public class EcsApprovalAction implements RunAction2, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(EcsApprovalAction.class.getName());
    static final String URL_NAME = "ecs-approval";
    private static final ObjectMapper JSON = new ObjectMapper();

    private List<GateRecord> gates = new CopyOnWriteArrayList<>();

    private transient Run<?, ?> run;
    private transient Map<String, List<Consumer<GateRecord>>> watchers;
    private transient Map<String, TaskListener> consoles;

    /** The build's action, added on first use. */
    static EcsApprovalAction of(Run<?, ?> run) {
        synchronized (run) {
            EcsApprovalAction a = run.getAction(EcsApprovalAction.class);
            if (a == null) {
                a = new EcsApprovalAction();
                run.addAction(a);
                a.run = run; // a stand-in or old core might not call onAttached
            }
            return a;
        }
    }

    @Override public void onAttached(Run<?, ?> r) { this.run = r; }
    @Override public void onLoad(Run<?, ?> r) { this.run = r; readResolve(); }

    public Run<?, ?> getRun() { return run; }

    @Override
    public String getIconFileName() {
        return getWaitingGates().isEmpty() ? null : "symbol-pause";
    }

    @Override
    public String getDisplayName() {
        return getWaitingGates().isEmpty() ? "ECS approvals" : "ECS approval waiting";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    public List<GateRecord> getGates() {
        return List.copyOf(gates);
    }

    public List<GateRecord> getWaitingGates() {
        List<GateRecord> w = new ArrayList<>();
        for (GateRecord g : gates) {
            if (g.isWaiting()) {
                w.add(g);
            }
        }
        return w;
    }

    /** Every decision taken in this build, oldest first (the audit trail). */
    public List<EcsDecisionAction> getDecisions() {
        return run == null ? List.of() : run.getActions(EcsDecisionAction.class);
    }

    GateRecord gate(String hookId) {
        for (GateRecord g : gates) {
            if (g.hookId.equals(hookId)) {
                return g;
            }
        }
        return null;
    }

    private synchronized Map<String, List<Consumer<GateRecord>>> watchers() {
        if (watchers == null) {
            watchers = new ConcurrentHashMap<>();
        }
        return watchers;
    }

    private synchronized Map<String, TaskListener> consoles() {
        if (consoles == null) {
            consoles = new ConcurrentHashMap<>();
        }
        return consoles;
    }

    /**
     * Offers a gate (or refreshes the offer after a restart: the engine offers an awaiting hook again on
     * every new follow). An existing record for the same hookId keeps its state; a message or submitter
     * given by {@code ecsApprove} replaces the deploy step's.
     */
    GateRecord offer(GateRecord candidate, TaskListener console) {
        GateRecord g;
        synchronized (this) {
            g = gate(candidate.hookId);
            if (g == null) {
                g = candidate;
                gates.add(g);
            } else {
                // no lock on g: decide() may hold it during an ECS call, and this runs on engine threads
                if (candidate.submitter != null) {
                    g.submitter = candidate.submitter;
                }
                if (candidate.message != null) {
                    g.message = candidate.message;
                }
                if (candidate.ok != null) {
                    g.ok = candidate.ok;
                }
                if (candidate.inputId != null) {
                    g.inputId = candidate.inputId;
                }
                // ecsApprove's policy replaces the deploy step's (docs/approvals.md "Approval policy")
                if (candidate.required > 0) {
                    g.required = candidate.required;
                }
                if (candidate.notBy != null) {
                    g.notBy = candidate.notBy;
                }
                if (candidate.rollbackBy != null) {
                    g.rollbackBy = candidate.rollbackBy;
                }
                if (candidate.starter != null) {
                    g.starter = candidate.starter;
                }
            }
        }
        if (console != null) {
            consoles().put(g.hookId, console);
        }
        save();
        return g;
    }

    /** Calls {@code w} once when the gate leaves WAITING (at once if it already has). */
    void watch(String hookId, Consumer<GateRecord> w) {
        watchers().computeIfAbsent(hookId, k -> new CopyOnWriteArrayList<>()).add(w);
        GateRecord g = gate(hookId);
        if (g != null && !g.isWaiting()) {
            notifyWatchers(g);
        }
    }

    void unwatch(String hookId, Consumer<GateRecord> w) {
        List<Consumer<GateRecord>> l = watchers().get(hookId);
        if (l != null) {
            l.remove(w);
        }
    }

    private void notifyWatchers(GateRecord g) {
        List<Consumer<GateRecord>> l = watchers().remove(g.hookId);
        if (l != null) {
            for (Consumer<GateRecord> w : l) {
                try {
                    w.accept(g);
                } catch (RuntimeException e) {
                    LOGGER.log(Level.WARNING, "gate watcher failed", e);
                }
            }
        }
    }

    /**
     * The gate ended without a Jenkins click (ECS timeout, a decision from the CLI or console, the
     * deployment finished or the build was aborted): record it and wake whoever waits.
     */
    void closed(String hookId, GateRecord.Status status, String note) {
        closed(hookId, status, note, null, null);
    }

    /** As {@link #closed(String, GateRecord.Status, String)}, with the action and person ECS reports for it. */
    void closed(String hookId, GateRecord.Status status, String note, String action, String by) {
        GateRecord g = gate(hookId);
        if (g == null || g.deciding) {
            return; // decide() records the outcome itself; never block an engine thread on its lock
        }
        synchronized (g) {
            if (!g.isWaiting()) {
                return;
            }
            g.status = status;
            g.note = note;
            g.decidedAction = action;
            if (by != null) {
                g.decidedBy = by;
            }
        }
        save();
        notifyWatchers(g);
    }

    /** The answer to a click: an HTTP status and the text shown to the user. */
    record Reply(int status, String message) {
        boolean ok() { return status == 200; }

        /**
         * Writes this answer as JSON ({@code {"ok","message"}}, what progress.js reads) when the caller accepts
         * JSON, else as text/plain: the message carries user data (ids, comments) and must never be read as HTML.
         */
        void write(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
            String accept = req.getHeader("Accept");
            boolean json = accept != null && accept.contains("application/json");
            rsp.setStatus(status);
            rsp.setCharacterEncoding(StandardCharsets.UTF_8.name());
            PrintWriter w = rsp.getWriter();
            if (json) {
                rsp.setContentType("application/json;charset=UTF-8");
                ObjectNode o = JSON.createObjectNode();
                o.put("ok", ok());
                o.put("message", message);
                w.print(JSON.writeValueAsString(o));
            } else {
                rsp.setContentType("text/plain;charset=UTF-8");
                w.print(message);
            }
            w.flush();
        }
    }

    /**
     * Takes a decision at a gate. Permission first, then the gate's state, then ECS; everything under the
     * gate's lock, so of two racing clicks exactly one reaches ECS and the other is told who won.
     */
    Reply decide(String hookId, HookAction action, String comment, SubmitterRules.Decider who, SubmitterRules.Ids ids) {
        if (hookId == null || hookId.isBlank()) {
            return new Reply(400, "hookId is required: which gate is this decision for?");
        }
        GateRecord g = gate(hookId);
        if (g == null) {
            return new Reply(404, "There is no gate " + hookId + " in this build.");
        }
        String cleanComment = comment == null || comment.isBlank() ? null
                : (comment.length() > 1000 ? comment.substring(0, 1000) : comment.trim());
        if (g.isPolicy() && g.isWaiting()) {
            return decideByPolicy(g, action, cleanComment, who, ids);
        }
        if (g.inputId != null && g.isWaiting()) {
            return decideThroughInput(g, action, cleanComment, who);
        }
        // the rules of input: Proceed needs the submitter check, Abort also passes with Job/Cancel
        String refusal = action == HookAction.ROLLBACK ? SubmitterRules.abortRefusal(g.submitter, who, ids)
                : SubmitterRules.refusal(g.submitter, who, ids);
        if (refusal != null) {
            return new Reply(403, refusal);
        }
        return send(g, action, cleanComment, who);
    }

    /** The realm's id rules as the engine's matcher. */
    static IdMatcher matcher(SubmitterRules.Ids ids) {
        return new IdMatcher() {
            @Override public boolean sameUser(String a, String b) { return a != null && b != null && ids.sameUser(a, b); }
            @Override public boolean sameGroup(String a, String b) { return a != null && b != null && ids.sameGroup(a, b); }
        };
    }

    static Voter voter(SubmitterRules.Decider d) {
        return new Voter(d.userId(), d.displayName(), d.groups(), d.administrator(), d.mayBuild(), d.mayCancel());
    }

    /**
     * A click at a gate with a policy (quorum, four eyes, own rollback rights; docs/approvals.md "Approval policy").
     * Roll back: the policy's rollback rights, then at once (an input answering the gate is withdrawn by ecsApprove when
     * the gate leaves WAITING). Approve: four eyes and the approver list, then the approval is counted, each person once;
     * the approval that completes the quorum continues the deployment (through the gate's input when one answers it).
     */
    private Reply decideByPolicy(GateRecord g, HookAction action, String comment, SubmitterRules.Decider who,
                                 SubmitterRules.Ids ids) {
        ApprovalPolicy p = g.policy();
        IdMatcher m = matcher(ids);
        Voter v = voter(who);
        if (action == HookAction.ROLLBACK) {
            String refusal = p.rollbackRefusal(v, m);
            return refusal != null ? new Reply(403, refusal) : send(g, HookAction.ROLLBACK, comment, who);
        }
        String refusal = p.continueRefusal(v, g.starter, m);
        if (refusal != null) {
            return new Reply(403, refusal);
        }
        Tally after;
        synchronized (g) {
            if (!g.isWaiting()) {
                return new Reply(409, "This gate at " + g.stage + " was already decided: " + g.getStatusText() + ".");
            }
            Tally before = g.tally();
            if (before.contains(who.userId(), m)) {
                return new Reply(409, "You (" + SafeText.line(String.valueOf(who.userId())) + ") have already approved"
                        + " this gate; each person counts once: " + before.describe(p) + ".");
            }
            after = before.with(new Approval(who.userId(), Instant.ofEpochMilli(EngineRegistry.get().clock().millis()), comment), m);
            if (!after.met(p) || g.inputId == null) {
                addVote(g, who.userId(), who.displayName(), comment);
            }
        }
        if (!after.met(p)) {
            save();
            console(g, "approval " + after.describe(p));
            return new Reply(200, "Your approval is recorded: " + after.describe(p) + ".");
        }
        // the approval that completes the quorum: through the gate's input (ecsApprove counts it when the input
        // returns, then continues), or straight to ECS
        return g.inputId != null ? decideThroughInput(g, HookAction.CONTINUE, comment, who)
                : send(g, HookAction.CONTINUE, comment, who);
    }

    private static void addVote(GateRecord g, String userId, String displayName, String comment) {
        synchronized (g) {
            List<GateVote> l = new ArrayList<>(g.getVotes());
            l.add(new GateVote(userId, displayName, EngineRegistry.get().clock().millis(), comment));
            g.votes = l;
        }
    }

    private void console(GateRecord g, String text) {
        TaskListener console = consoles().get(g.hookId);
        if (console != null) {
            Console.line(console, g.getLabel(), text);
        }
    }

    /**
     * An {@code ecsApprove} input proceeded at a gate with a policy (from wherever it was clicked): the input checked
     * the approver list; here four eyes and the count. Null when the quorum is met now (the caller sends CONTINUE);
     * otherwise what to log before the gate asks again (a refusal, or "approval 1 of 2: …").
     */
    String countInputApproval(String hookId, String userId) {
        GateRecord g = gate(hookId);
        if (g == null || !g.isPolicy()) {
            return null;
        }
        ApprovalPolicy p = g.policy();
        IdMatcher m = matcher(SubmitterRules.Ids.ofRealm());
        // the input has already checked the approver list (with the user's groups): only the exclusions are left
        Voter v = new Voter(userId, userId, List.of(), true, true, true);
        String refusal = p.continueRefusal(v, g.starter, m);
        if (refusal != null) {
            String text = "the approval by " + SafeText.line(String.valueOf(userId)) + " is not counted: " + refusal;
            console(g, text);
            return text;
        }
        String text;
        synchronized (g) {
            Tally before = g.tally();
            if (before.contains(userId, m)) {
                text = SafeText.line(String.valueOf(userId)) + " has already approved; each person counts once: " + before.describe(p);
            } else {
                hudson.model.User u = userId == null ? null : hudson.model.User.getById(userId, false);
                addVote(g, userId, u == null ? userId : u.getDisplayName(), g.pendingComment);
                Tally after = g.tally();
                text = after.met(p) ? null : "approval " + after.describe(p);
            }
        }
        save();
        if (text != null) {
            console(g, text);
        }
        return text;
    }

    /** The input execution that answers {@code g} now, or null (none, settled, or not resumed yet). */
    InputStepExecution inputOf(GateRecord g) {
        if (run == null || g.inputId == null) {
            return null;
        }
        try {
            InputAction ia = run.getAction(InputAction.class);
            return ia == null ? null : ia.getExecution(g.inputId);
        } catch (Exception e) {
            LOGGER.log(Level.FINE, "no input " + g.inputId, e);
            return null;
        }
    }

    /**
     * A click on our page for a gate an {@code ecsApprove} input answers: the SAME input is proceeded or aborted, with
     * the input's own rights check run in this request (pipeline-input-step's preSubmissionCheck/doAbort:
     * Jenkins.getAuthentication2()'s name and authorities against the submitter list, the realm's id strategies,
     * administrators, Job/Build without a list; abort also with Job/Cancel —
     * jenkinsci/pipeline-input-step-plugin@560.v56198a_642157:src/main/java/org/jenkinsci/plugins/workflow/support/steps/input/InputStepExecution.java:284-396).
     * The comment is kept on the gate for the decision ecsApprove records when the input's outcome reaches it.
     */
    private Reply decideThroughInput(GateRecord g, HookAction action, String comment, SubmitterRules.Decider who) {
        synchronized (g) {
            InputStepExecution ie = inputOf(g);
            if (ie == null) {
                return new Reply(409, "The approval input of the gate at " + g.stage + " is not waiting (" + g.getStatusText()
                        + "); if Jenkins has just restarted, try again once the build has resumed.");
            }
            g.pendingComment = comment;
            g.pendingBy = Jenkins.getAuthentication2().getName();
            try {
                if (action == HookAction.CONTINUE) {
                    ie.preSubmissionCheck();
                    String p = ie.getInput().getSubmitterParameter();
                    ie.proceed(p == null ? null : new java.util.HashMap<>(Map.of(p, Jenkins.getAuthentication2().getName())));
                } else {
                    ie.doAbort();
                }
            } catch (Failure f) {
                g.pendingComment = null;
                g.pendingBy = null;
                boolean given = String.valueOf(f.getMessage()).contains("already given");
                return new Reply(given ? 409 : 403, given ? "This gate at " + g.stage + " was already decided."
                        : "You (" + SafeText.line(String.valueOf(who.userId())) + ") may not decide at this gate: " + f.getMessage());
            } catch (Exception e) {
                g.pendingComment = null;
                g.pendingBy = null;
                LOGGER.log(Level.WARNING, "answering input " + g.inputId + " failed", e);
                return new Reply(502, "The approval input did not take the decision: " + e.getMessage());
            }
        }
        save();
        return action == HookAction.CONTINUE
                ? new Reply(200, "Approved: the deployment of " + g.getLabel() + " continues.")
                : new Reply(200, "Rolling back the deployment of " + g.getLabel() + ".");
    }

    /**
     * The decision an {@code ecsApprove} input reached (its Proceed or Abort, from wherever it was clicked) goes to ECS
     * and into the audit, by {@code userId} (the input checked the rights), with the comment typed on our page for that
     * click, if any.
     */
    Reply recordInputDecision(String hookId, HookAction action, String userId) {
        return recordInputDecision(hookId, action, userId, null);
    }

    Reply recordInputDecision(String hookId, HookAction action, String userId, String comment) {
        GateRecord g = gate(hookId);
        if (g == null) {
            return new Reply(404, "There is no gate " + hookId + " in this build.");
        }
        String c = comment;
        String by = userId == null ? "unknown" : userId;
        synchronized (g) {
            if (c == null && g.pendingComment != null && (g.pendingBy == null || g.pendingBy.equals(userId))) {
                c = g.pendingComment;
            }
            g.pendingComment = null;
            g.pendingBy = null;
        }
        hudson.model.User u = hudson.model.User.getById(by, false);
        return send(g, action, c, new SubmitterRules.Decider(by, u == null ? by : u.getDisplayName(), List.of(), true, true));
    }

    /** Sends the decision to ECS under the gate's lock and records it (audit action, console line, watchers). */
    private Reply send(GateRecord g, HookAction action, String cleanComment, SubmitterRules.Decider who) {
        String hookId = g.hookId;
        synchronized (g) {
            if (!g.isWaiting()) {
                return new Reply(409, "This gate at " + g.stage + " was already decided: " + g.getStatusText() + ".");
            }
            long now = EngineRegistry.get().clock().millis();
            if (g.decideBy > 0 && now > g.decideBy) {
                return new Reply(409, "The approval window for the gate at " + g.stage + " closed at "
                        + Instant.ofEpochMilli(g.decideBy) + "; ECS applies its timeout action ("
                        + g.timeoutAction + ") at " + Instant.ofEpochMilli(g.ecsExpiresAt) + ".");
            }
            if (action == HookAction.CONTINUE && g.isPolicy() && !g.getVotes().isEmpty()) {
                // who approved goes to ECS with the decision (and the decision tag): "[2 of 2: alice, bob]"
                String t = "[" + g.tally().count() + " of " + g.getRequired() + ": " + g.tally().names() + "]";
                cleanComment = cleanComment == null ? t : cleanComment + " " + t;
            }
            DecisionResult result;
            EngineRegistry.Lease lease = null;
            g.deciding = true;
            try {
                lease = EngineRegistry.get().acquire(run, g.credentialsId, g.region, g.roleArn);
                DeploymentEngine engine = lease.engine();
                result = engine.decide(g.handle(), hookId, new GateDecision(action, who.userId(), cleanComment))
                        .get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Reply(503, "Interrupted while sending the decision to ECS; try again.");
            } catch (ExecutionException | TimeoutException | IOException | RuntimeException e) {
                Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                LOGGER.log(Level.WARNING, "decision at " + hookId + " failed", c);
                return new Reply(502, "ECS did not take the decision: " + c.getMessage());
            } finally {
                g.deciding = false;
                if (lease != null) {
                    lease.close();
                }
            }
            switch (result) {
                case APPLIED:
                    g.status = action == HookAction.CONTINUE ? GateRecord.Status.APPROVED : GateRecord.Status.ROLLED_BACK;
                    g.decidedAction = action.name();
                    g.decidedBy = who.userId();
                    g.comment = cleanComment;
                    g.decidedAt = now;
                    break;
                case ALREADY_DECIDED:
                    g.status = GateRecord.Status.DECIDED_ELSEWHERE;
                    g.note = "ECS reports the hook is no longer waiting";
                    break;
                case EXPIRED:
                    g.status = GateRecord.Status.TIMED_OUT;
                    break;
                default:
                    g.status = GateRecord.Status.CLOSED;
                    g.note = "the deployment had already finished";
                    break;
            }
        }
        if (g.status == GateRecord.Status.APPROVED || g.status == GateRecord.Status.ROLLED_BACK) {
            EcsDecisionAction audit = new EcsDecisionAction(who.userId(), who.displayName(), g.decidedAt, action.name(),
                    g.comment, g.stage, g.hookId, g.deploymentArn, g.getLabel());
            if (run != null) {
                run.addAction(audit);
            }
            TaskListener console = consoles().get(g.hookId);
            if (console != null) {
                Console.line(console, g.getLabel(), audit + " " + Console.link(run, URL_NAME + "/", "(decisions)"));
            }
        }
        save();
        notifyWatchers(g);
        switch (g.status) {
            case APPROVED: return new Reply(200, "Approved: the deployment of " + g.getLabel() + " continues.");
            case ROLLED_BACK: return new Reply(200, "Rolling back the deployment of " + g.getLabel() + ".");
            case TIMED_OUT: return new Reply(409, "This gate timed out: " + g.getStatusText() + ".");
            case DECIDED_ELSEWHERE: return new Reply(409, "This gate was already decided outside Jenkins.");
            default: return new Reply(409, "The deployment of " + g.getLabel() + " has already finished.");
        }
    }

    // ---- HTTP ----

    @RequirePOST
    public void doApprove(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException, ServletException {
        answer(req, rsp, HookAction.CONTINUE);
    }

    @RequirePOST
    public void doRollback(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException, ServletException {
        answer(req, rsp, HookAction.ROLLBACK);
    }

    private void answer(StaplerRequest2 req, StaplerResponse2 rsp, HookAction action) throws IOException {
        // progress.js posts {hookId, stage, comment} as JSON (engine web assets, D4); the page posts a form
        DecisionRequests.answer(run, URL_NAME + "/" + (action == HookAction.CONTINUE ? "approve" : "rollback"), req, rsp,
                new String[] {"hookId", "comment"},
                f -> decide(f.get("hookId"), action, f.get("comment"), SubmitterRules.Decider.current(run.getParent()),
                        SubmitterRules.Ids.ofRealm()), true);
    }

    /**
     * Whether the current user may decide at {@code g}: the page shows Approve / Roll back only then (the same rule
     * the POST applies, {@link SubmitterRules}), and otherwise says who may.
     */
    public boolean canDecide(GateRecord g) {
        if (run == null || g == null) {
            return false;
        }
        SubmitterRules.Decider d = SubmitterRules.Decider.current(run.getParent());
        if (g.isPolicy()) {
            // Approve or Roll back: the form shows both; the POST applies each one's rule
            IdMatcher m = matcher(SubmitterRules.Ids.ofRealm());
            return g.policy().continueRefusal(voter(d), g.starter, m) == null || g.policy().rollbackRefusal(voter(d), m) == null;
        }
        return SubmitterRules.refusal(g.submitter, d, SubmitterRules.Ids.ofRealm()) == null;
    }

    /** XStream runs no initialiser: a build.xml without {@code <gates>} loads as null. */
    protected Object readResolve() {
        if (gates == null) {
            gates = new CopyOnWriteArrayList<>();
        } else if (!(gates instanceof CopyOnWriteArrayList)) {
            gates = new CopyOnWriteArrayList<>(gates);
        }
        return this;
    }

    private void save() {
        if (run != null) {
            try {
                run.save();
            } catch (IOException e) {
                LOGGER.log(Level.WARNING, "could not save " + run, e);
            }
        }
    }
}
