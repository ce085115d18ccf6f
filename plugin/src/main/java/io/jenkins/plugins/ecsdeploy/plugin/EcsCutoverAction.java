package io.jenkins.plugins.ecsdeploy.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverRun;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverSnapshot;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * The DNS cutovers of one build ({@code /job/<job>/<n>/ecs-cutovers/}, docs/cutovers.md "Progress"): the live page
 * (the shared progress.js with web/cutover.js, one section per cutover), the snapshot JSON it polls, and the decisions
 * — Approve / Roll back at a cutover gate, Roll back now — with the same rights (the step's {@code approval} list,
 * administrators, else Job/Build: {@link SubmitterRules}) and the same audit record ({@link EcsDecisionAction}, stage
 * {@code AFTER_STEP_n}, the gate's id as hook id) as native gates. A cutover gate is held by the engine, so a decision
 * goes to the running step's {@link CutoverRun}; the latest snapshot is written to build.xml at every transition.
 */
public class EcsCutoverAction implements RunAction2, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(EcsCutoverAction.class.getName());
    static final String URL_NAME = "ecs-cutovers";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One cutover of this build. */
    public static final class CutoverRecord implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        String id;
        String label;
        String region;
        String submitter;
        String snapshotJson;
        String outcome;
        String phase;

        public String getId() { return id; }
        public String getLabel() { return label; }
        public String getRegion() { return region; }
        /** The phase, or the outcome once finished. */
        public String getState() { return outcome != null ? outcome : phase != null ? phase : "starting"; }
    }

    private List<CutoverRecord> cutovers = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;
    private transient Map<String, CutoverRun> runs;
    private transient Map<String, String> live;

    protected Object readResolve() {
        cutovers = cutovers == null ? new CopyOnWriteArrayList<>() : new CopyOnWriteArrayList<>(cutovers);
        return this;
    }

    static EcsCutoverAction of(Run<?, ?> run) {
        synchronized (run) {
            EcsCutoverAction a = run.getAction(EcsCutoverAction.class);
            if (a == null) {
                a = new EcsCutoverAction();
                run.addAction(a);
                a.run = run;
            }
            return a;
        }
    }

    @Override public void onAttached(Run<?, ?> r) { this.run = r; }
    @Override public void onLoad(Run<?, ?> r) { this.run = r; readResolve(); }
    public Run<?, ?> getRun() { return run; }
    @Override public String getIconFileName() { return "symbol-swap-horizontal"; }
    @Override public String getDisplayName() { return "ECS cutovers"; }
    @Override public String getUrlName() { return URL_NAME; }
    public List<CutoverRecord> getCutovers() { return List.copyOf(cutovers); }

    private synchronized Map<String, CutoverRun> runs() {
        if (runs == null) {
            runs = new ConcurrentHashMap<>();
        }
        return runs;
    }

    private synchronized Map<String, String> live() {
        if (live == null) {
            live = new ConcurrentHashMap<>();
        }
        return live;
    }

    /** A new section; its id (c1, c2, … in this build). */
    synchronized String newRecord(String label, String region, String submitter) {
        CutoverRecord r = new CutoverRecord();
        r.id = "c" + (cutovers.size() + 1);
        r.label = label;
        r.region = region;
        r.submitter = submitter;
        cutovers.add(r);
        save();
        return r.id;
    }

    CutoverRecord record(String id) {
        for (CutoverRecord r : cutovers) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }

    /** The running cutover of a section (set again when the step resumes after a restart). */
    void attach(String id, CutoverRun r) {
        runs().put(id, r);
    }

    void failedToStart(String id, String message) {
        CutoverRecord r = record(id);
        if (r != null) {
            r.outcome = "FAILED: " + message;
            save();
        }
    }

    /** A new snapshot; written to build.xml on a transition (a gate, a shift, the end). */
    void update(String id, CutoverSnapshot s, boolean transition) {
        String json = s.toJson();
        live().put(id, json);
        CutoverRecord r = record(id);
        if (r != null && transition) {
            r.snapshotJson = json;
            r.phase = s.lifecycleStage();
            if (s.outcome() != null) {
                r.outcome = s.outcome().describe();
                runs().remove(id);
            }
            save();
        }
    }

    String snapshotJson(String id) {
        String j = live().get(id);
        if (j == null) {
            CutoverRecord r = record(id);
            j = r == null ? null : r.snapshotJson;
        }
        return j;
    }

    /** A click at a cutover gate: Approve (CONTINUE) or Roll back, by {@code who}; audited like a native gate. */
    EcsApprovalAction.Reply decide(String id, String gateId, HookAction action, String comment, SubmitterRules.Decider who,
                                   SubmitterRules.Ids ids) {
        CutoverRecord r = id == null ? null : record(id);
        if (r == null) {
            return new EcsApprovalAction.Reply(404, "There is no cutover " + id + " in this build.");
        }
        if (gateId == null || gateId.isBlank()) {
            return new EcsApprovalAction.Reply(400, "hookId is required: which gate of the cutover is decided?");
        }
        String refusal = action == HookAction.CONTINUE ? SubmitterRules.refusal(r.submitter, who, ids)
                : SubmitterRules.abortRefusal(r.submitter, who, ids);
        if (refusal != null) {
            return new EcsApprovalAction.Reply(403, refusal);
        }
        CutoverRun cr = runs().get(id);
        if (cr == null) {
            return new EcsApprovalAction.Reply(409, "The cutover of " + r.label + " is not running in this Jenkins now"
                    + (r.outcome == null ? " (it resumes when its step does)" : " (" + r.outcome + ")") + ".");
        }
        String c = clean(comment);
        DecisionResult res;
        try {
            res = cr.decide(gateId, new GateDecision(action, who.userId(), c)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOGGER.log(Level.WARNING, "deciding " + gateId, e);
            return new EcsApprovalAction.Reply(503, "The cutover did not take the decision: " + e);
        }
        if (res != DecisionResult.APPLIED) {
            return new EcsApprovalAction.Reply(409, res == DecisionResult.DEPLOYMENT_FINISHED ? "The cutover has already finished."
                    : "This gate was already decided, or timed out.");
        }
        int after = afterStep(gateId);
        audit(who, action.name(), c, after < 0 ? null : "AFTER_STEP_" + after, gateId, r.label);
        return new EcsApprovalAction.Reply(200, (action == HookAction.CONTINUE ? "Approved by " : "Rolled back by ") + who.userId()
                + (action == HookAction.CONTINUE ? "; the next step follows its health check." : "; the weights go back to blue."));
    }

    /** Roll back now: the weights back to blue whatever the step, by {@code who}. */
    EcsApprovalAction.Reply rollbackNow(String id, String comment, SubmitterRules.Decider who, SubmitterRules.Ids ids) {
        CutoverRecord r = id == null ? null : record(id);
        if (r == null) {
            return new EcsApprovalAction.Reply(404, "There is no cutover " + id + " in this build.");
        }
        String refusal = SubmitterRules.refusal(r.submitter, who, ids, "roll back this cutover");
        if (refusal != null) {
            return new EcsApprovalAction.Reply(403, refusal);
        }
        CutoverRun cr = runs().get(id);
        if (cr == null) {
            return new EcsApprovalAction.Reply(409, "The cutover of " + r.label + " is not running now; there is nothing to roll back.");
        }
        String c = clean(comment);
        DecisionResult res;
        try {
            res = cr.rollback(RollbackCause.MANUAL, c, who.userId()).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new EcsApprovalAction.Reply(503, "The cutover did not take the rollback: " + e);
        }
        if (res != DecisionResult.APPLIED) {
            return new EcsApprovalAction.Reply(409, res == DecisionResult.ALREADY_DECIDED ? "The cutover is already rolling back."
                    : "The cutover has already finished; there is nothing to roll back.");
        }
        audit(who, "ROLLBACK", c, null, null, r.label);
        return new EcsApprovalAction.Reply(200, "Rolling the cutover of " + r.label + " back to blue (requested by " + who.userId() + ").");
    }

    /** A decision taken through the gate's Jenkins input (ecsDnsCutover's block), in the audit trail like a click here. */
    void auditInput(String userId, String decision, String comment, String gateId, String label) {
        int after = gateId == null ? -1 : afterStep(gateId);
        audit(new SubmitterRules.Decider(userId == null ? "unknown" : userId, userId, java.util.List.of(), false, true), decision,
                comment, after < 0 ? null : "AFTER_STEP_" + after, gateId, label);
    }

    private void audit(SubmitterRules.Decider who, String decision, String comment, String stage, String gateId, String label) {
        if (run != null) {
            run.addAction(new EcsDecisionAction(who.userId(), who.displayName(), EngineRegistry.get().clock().millis(), decision,
                    comment, stage, gateId, null, label));
        }
        save();
    }

    static int afterStep(String gateId) {
        int i = gateId.lastIndexOf("-gate-");
        try {
            return i < 0 ? -1 : Integer.parseInt(gateId.substring(i + "-gate-".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String clean(String comment) {
        return comment == null || comment.isBlank() ? null : comment.length() > 1000 ? comment.substring(0, 1000) : comment.trim();
    }

    // ---- HTTP ----

    /** POST {@code approve?id=c1} with {@code {"hookId","comment"}} (the page's gate box): CONTINUE. */
    @RequirePOST
    public void doApprove(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        DecisionRequests.answer(run, URL_NAME + "/approve", req, rsp, new String[] {"id", "hookId", "comment"},
                f -> decide(f.get("id"), f.get("hookId"), HookAction.CONTINUE, f.get("comment"),
                        SubmitterRules.Decider.current(run.getParent()), SubmitterRules.Ids.ofRealm()), false);
    }

    /** POST {@code rollback?id=c1} with {@code {"hookId","comment"}}: ROLLBACK at the gate (without hookId: roll back now). */
    @RequirePOST
    public void doRollback(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        DecisionRequests.answer(run, URL_NAME + "/rollback", req, rsp, new String[] {"id", "hookId", "comment"},
                f -> f.get("hookId") == null || f.get("hookId").isBlank()
                        ? rollbackNow(f.get("id"), f.get("comment"), SubmitterRules.Decider.current(run.getParent()), SubmitterRules.Ids.ofRealm())
                        : decide(f.get("id"), f.get("hookId"), HookAction.ROLLBACK, f.get("comment"),
                        SubmitterRules.Decider.current(run.getParent()), SubmitterRules.Ids.ofRealm()), false);
    }

    /** POST {@code rollbackNow?id=c1} with {@code {"comment"}}: the page's Roll back now. */
    @RequirePOST
    public void doRollbackNow(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        DecisionRequests.answer(run, URL_NAME + "/rollbackNow", req, rsp, new String[] {"id", "comment"},
                f -> rollbackNow(f.get("id"), f.get("comment"), SubmitterRules.Decider.current(run.getParent()),
                        SubmitterRules.Ids.ofRealm()), false);
    }

    /** GET {@code snapshot?id=c1}: one cutover's snapshot (docs/snapshot-schema.md "Cutover snapshot") plus {@code jenkins}. */
    public void doSnapshot(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        if (run == null || !run.getParent().hasPermission(Item.READ)) {
            rsp.sendError(403, "You may not see this build.");
            return;
        }
        String id = req.getParameter("id");
        String body;
        if (id != null) {
            CutoverRecord r = record(id);
            if (r == null) {
                rsp.sendError(404, "No cutover " + id + " in this build.");
                return;
            }
            body = JSON.writeValueAsString(section(r));
        } else {
            ObjectNode o = JSON.createObjectNode();
            ArrayNode a = o.putArray("cutovers");
            for (CutoverRecord r : cutovers) {
                a.add(section(r));
            }
            body = JSON.writeValueAsString(o);
        }
        DecisionRequests.sendJson(rsp, body);
    }

    ObjectNode section(CutoverRecord r) throws IOException {
        String json = snapshotJson(r.id);
        ObjectNode o = json == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(json);
        ObjectNode j = o.putObject("jenkins");
        j.put("id", r.id);
        j.put("label", r.label);
        j.put("state", r.getState());
        if (json == null) {
            o.put("kind", "DNS_CUTOVER");
            o.put("status", r.outcome != null ? "FAILED" : "PENDING");
            if (r.outcome != null) {
                o.putObject("outcome").put("kind", "FAILED").put("reason", r.outcome);
            }
        }
        return o;
    }

    /** The shared web assets (progress.js, cutover.js …), as {@link EcsProgressAction#doAsset} serves them. */
    public void doAsset(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        new EcsProgressAction().doAsset(req, rsp);
    }

    public String getAssetVersion() {
        return new EcsProgressAction().getAssetVersion();
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
