package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.approval.Approval;
import io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy;
import io.jenkins.plugins.ecsdeploy.engine.approval.IdMatcher;
import io.jenkins.plugins.ecsdeploy.engine.approval.Tally;
import io.jenkins.plugins.ecsdeploy.engine.approval.Voter;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseRun;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
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
 * The releases of one build ({@code /job/<job>/<n>/ecs-release/}): the group page (waves, each service's stages and
 * traffic, the wave's gate) and the wave gates' Approve / Roll back, with the approval policy (docs/releases.md,
 * docs/approvals.md "Approval policy"). Persisted in build.xml: the last snapshot JSON of each release, its wave gates and
 * their partial approvals; the live {@link ReleaseRun} a decision goes to is held by the running step.
 */
public class EcsReleaseAction implements RunAction2, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(EcsReleaseAction.class.getName());
    static final String URL_NAME = "ecs-release";
    /** The running releases of every build in this JVM, by build and release id (set by the step, gone on restart until it resumes). */
    private static final Map<String, ReleaseRun> LIVE = new ConcurrentHashMap<>();

    private List<Record> releases = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;
    private transient Map<String, TaskListener> consoles;

    /** One release of the build. */
    public static final class Record implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        String id;
        String name;
        String snapshotJson;
        String approvers;
        int required;
        String notBy;
        String rollbackBy;
        String starter;
        List<WaveGateRecord> gates = new CopyOnWriteArrayList<>();

        public String getId() { return id; }
        public String getName() { return name; }
        public List<WaveGateRecord> getGates() { return gates == null ? List.of() : List.copyOf(gates); }

        ApprovalPolicy policy() {
            return ApprovalPolicy.of(approvers, required <= 0 ? 1 : required, notBy, rollbackBy);
        }

        WaveGateRecord gate(int wave) {
            for (WaveGateRecord g : getGates()) {
                if (g.wave == wave) {
                    return g;
                }
            }
            return null;
        }
    }

    /** The gate of one wave: WAITING until CONTINUED or ROLLED_BACK (or CLOSED: the release ended otherwise). */
    public static final class WaveGateRecord implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        int wave;
        String services;
        String state = "WAITING";
        String decidedBy;
        String comment;
        List<GateVote> votes;

        public int getWave() { return wave; }
        public String getServices() { return services; }
        public String getState() { return state; }
        public String getDecidedBy() { return decidedBy; }
        public List<GateVote> getVotes() { return votes == null ? List.of() : List.copyOf(votes); }

        synchronized Tally tally() {
            Tally t = Tally.EMPTY;
            for (GateVote v : getVotes()) {
                t = t.with(new Approval(v.userId, Instant.ofEpochMilli(v.at), v.comment), IdMatcher.CASE_INSENSITIVE);
            }
            return t;
        }
    }

    static EcsReleaseAction of(Run<?, ?> run) {
        synchronized (run) {
            EcsReleaseAction a = run.getAction(EcsReleaseAction.class);
            if (a == null) {
                a = new EcsReleaseAction();
                run.addAction(a);
                a.run = run;
            }
            return a;
        }
    }

    @Override public void onAttached(Run<?, ?> r) { this.run = r; }
    @Override public void onLoad(Run<?, ?> r) { this.run = r; if (releases == null) { releases = new CopyOnWriteArrayList<>(); } }
    @Override public String getIconFileName() { return "symbol-layers"; }
    @Override public String getDisplayName() { return "ECS release"; }
    @Override public String getUrlName() { return URL_NAME; }
    public Run<?, ?> getRun() { return run; }
    public List<Record> getReleases() { return List.copyOf(releases); }

    Record record(String id) {
        for (Record r : releases) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }

    private String liveKey(String id) {
        return (run == null ? "?" : run.getExternalizableId()) + "|" + id;
    }

    /** Registers (or re-registers after a restart) a release of this build. */
    synchronized Record register(String id, String name, ApprovalPolicy policy, String starter, ReleaseRun live, TaskListener console) {
        Record r = record(id);
        if (r == null) {
            r = new Record();
            r.id = id;
            r.name = name;
            if (policy != null) {
                r.approvers = policy.approvers().isEmpty() ? null : String.join(", ", policy.approvers());
                r.required = policy.required();
                r.notBy = policy.notBy().isEmpty() ? null : String.join(", ", policy.notBy());
                r.rollbackBy = policy.rollbackBy().isEmpty() ? null : String.join(", ", policy.rollbackBy());
            }
            r.starter = starter;
            releases.add(r);
        }
        if (live != null) {
            LIVE.put(liveKey(id), live);
        }
        if (console != null) {
            consoles().put(id, console);
        }
        save();
        return r;
    }

    /** The release as it runs in this JVM now (a decision reaches it), or null. */
    ReleaseRun liveFor(String id) {
        return LIVE.get(liveKey(id));
    }

    void unregister(String id) {
        LIVE.remove(liveKey(id));
    }

    private synchronized Map<String, TaskListener> consoles() {
        if (consoles == null) {
            consoles = new ConcurrentHashMap<>();
        }
        return consoles;
    }

    void snapshot(String id, String json, boolean persist) {
        Record r = record(id);
        if (r != null) {
            r.snapshotJson = json;
            if (persist) {
                save();
            }
        }
    }

    /** The wave's gate waits (offered once per run and after a restart). */
    void gateOffered(String id, int wave, List<String> services) {
        Record r = record(id);
        if (r == null) {
            return;
        }
        synchronized (r) {
            WaveGateRecord g = r.gate(wave);
            if (g == null) {
                g = new WaveGateRecord();
                g.wave = wave;
                g.services = String.join(", ", services);
                r.gates.add(g);
            }
        }
        save();
    }

    /** The release ended: its gates still waiting are closed. */
    void ended(String id) {
        Record r = record(id);
        if (r != null) {
            for (WaveGateRecord g : r.getGates()) {
                if ("WAITING".equals(g.state)) {
                    g.state = "CLOSED";
                }
            }
        }
        unregister(id);
        save();
    }

    /**
     * A click at a wave's gate: the policy (who may approve, four eyes, how many distinct people, who may roll back),
     * then the decision for every service of the wave. Same rules and same authentication as a single gate
     * ({@link EcsApprovalAction}).
     */
    EcsApprovalAction.Reply decide(String id, String waveText, HookAction action, String comment, SubmitterRules.Decider who,
                                   SubmitterRules.Ids ids) {
        Record r = id == null ? null : record(id);
        if (r == null) {
            return new EcsApprovalAction.Reply(404, "There is no release " + SafeText.line(String.valueOf(id), 100) + " in this build.");
        }
        int wave;
        try {
            wave = Integer.parseInt(String.valueOf(waveText).trim()) - 1;
        } catch (NumberFormatException e) {
            return new EcsApprovalAction.Reply(400, "wave '" + SafeText.line(String.valueOf(waveText), 20) + "': the wave's number, 1 for the first");
        }
        WaveGateRecord g = r.gate(wave);
        if (g == null) {
            return new EcsApprovalAction.Reply(409, "The gate of wave " + (wave + 1) + " is not waiting.");
        }
        String clean = comment == null || comment.isBlank() ? null : (comment.length() > 1000 ? comment.substring(0, 1000) : comment.trim());
        ApprovalPolicy p = r.policy();
        IdMatcher m = EcsApprovalAction.matcher(ids);
        Voter v = EcsApprovalAction.voter(who);
        String refusal = action == HookAction.ROLLBACK ? p.rollbackRefusal(v, m) : p.continueRefusal(v, r.starter, m);
        if (refusal != null) {
            return new EcsApprovalAction.Reply(403, refusal);
        }
        ReleaseRun live = LIVE.get(liveKey(id));
        synchronized (g) {
            if (!"WAITING".equals(g.state)) {
                return new EcsApprovalAction.Reply(409, "The gate of wave " + (wave + 1) + " was already decided: " + g.state.toLowerCase()
                        + (g.decidedBy == null ? "" : " by " + g.decidedBy) + ".");
            }
            if (live == null) {
                return new EcsApprovalAction.Reply(409, "The release is not running in this Jenkins now; if Jenkins has just restarted, try again once the build has resumed.");
            }
            String decisionComment = clean;
            if (action == HookAction.CONTINUE) {
                Tally before = g.tally();
                if (before.contains(who.userId(), m)) {
                    return new EcsApprovalAction.Reply(409, "You (" + SafeText.line(String.valueOf(who.userId())) + ") have already approved"
                            + " this gate; each person counts once: " + before.describe(p) + ".");
                }
                List<GateVote> l = new ArrayList<>(g.getVotes());
                l.add(new GateVote(who.userId(), who.displayName(), EngineRegistry.get().clock().millis(), clean));
                g.votes = l;
                Tally after = g.tally();
                if (!after.met(p)) {
                    save();
                    console(id, "wave " + (wave + 1) + " approval " + after.describe(p));
                    return new EcsApprovalAction.Reply(200, "Your approval is recorded: " + after.describe(p) + ".");
                }
                if (p.isPolicy()) {
                    String t = "[" + after.count() + " of " + p.required() + ": " + after.names() + "]";
                    decisionComment = clean == null ? t : clean + " " + t;
                }
            }
            DecisionResult result;
            try {
                result = live.decide(wave, new GateDecision(action, who.userId(), decisionComment)).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOGGER.log(Level.WARNING, "wave gate decision failed", e);
                return new EcsApprovalAction.Reply(502, "ECS did not take the decision: " + e.getMessage());
            }
            if (result != DecisionResult.APPLIED) {
                return new EcsApprovalAction.Reply(409, "The gate of wave " + (wave + 1) + " could not be decided: " + result);
            }
            g.state = action == HookAction.CONTINUE ? "CONTINUED" : "ROLLED_BACK";
            g.decidedBy = who.userId();
            g.comment = decisionComment;
        }
        if (run != null) {
            run.addAction(new EcsDecisionAction(who.userId(), who.displayName(), EngineRegistry.get().clock().millis(), action.name(),
                    g.comment, "wave " + (wave + 1), null, null, r.name + ": " + g.services));
        }
        console(id, (action == HookAction.CONTINUE ? "wave " + (wave + 1) + " approved by " : "the release is rolled back by ")
                + SafeText.line(String.valueOf(who.userId())) + (g.comment == null ? "" : ": " + SafeText.line(g.comment, 300)));
        save();
        return action == HookAction.CONTINUE
                ? new EcsApprovalAction.Reply(200, "Approved: wave " + (wave + 1) + " (" + g.services + ") continues.")
                : new EcsApprovalAction.Reply(200, "Rolling back the release: wave " + (wave + 1) + " is rolled back and earlier waves reverted.");
    }

    private void console(String id, String text) {
        TaskListener c = consoles().get(id);
        if (c != null) {
            Console.line(c, "release", text);
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
        DecisionRequests.answer(run, URL_NAME + "/" + (action == HookAction.CONTINUE ? "approve" : "rollback"), req, rsp,
                new String[] {"id", "wave", "comment"},
                f -> decide(f.get("id"), f.get("wave"), action, f.get("comment"), SubmitterRules.Decider.current(run.getParent()),
                        SubmitterRules.Ids.ofRealm()), true);
    }

    /** The shared assets' version (the same hash the ECS deployments page uses). */
    public String getAssetVersion() {
        return new EcsProgressAction().getAssetVersion();
    }

    /** GET {@code asset/<version>/release.js} or {@code .css}: the engine jar's shared assets, as the deployments page serves them. */
    public void doAsset(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        new EcsProgressAction().doAsset(req, rsp);
    }

    /** GET {@code snapshot?id=r1}: the release's snapshot JSON (the group page polls it). */
    public void doSnapshot(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        if (run == null || !run.getParent().hasPermission(hudson.model.Item.READ)) {
            rsp.sendError(403);
            return;
        }
        Record r = record(String.valueOf(req.getParameter("id")));
        if (r == null || r.snapshotJson == null) {
            rsp.sendError(404);
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode) EcsReleaseStep.JSON.readTree(r.snapshotJson);
        com.fasterxml.jackson.databind.node.ArrayNode gates = o.putArray("waveGates");
        for (WaveGateRecord g : r.getGates()) {
            com.fasterxml.jackson.databind.node.ObjectNode n = gates.addObject();
            n.put("wave", g.wave + 1);
            n.put("state", g.state);
            n.put("decidedBy", g.decidedBy);
            n.put("tally", g.getVotes().isEmpty() && r.required <= 1 ? null : g.tally().describe(r.policy()));
        }
        o.put("now", Instant.ofEpochMilli(EngineRegistry.get().clock().millis()).toString());
        DecisionRequests.sendJson(rsp, o.toString());
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
