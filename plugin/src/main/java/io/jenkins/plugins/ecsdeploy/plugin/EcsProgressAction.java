package io.jenkins.plugins.ecsdeploy.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * The ECS deployments of one build ({@code /job/<job>/<n>/ecs-deployments/}): the live page, the snapshot
 * JSON it polls, the shared web assets, and the summary on the build page. Several deployments in one
 * build each get a record and a section.
 *
 * <p>The page's script and styles are the engine jar's {@code io/jenkins/plugins/ecsdeploy/web/}
 * assets (decision D4), served by {@link #doAsset} from the plugin's class loader, so the Jenkins page
 * and the CLI's demo page run the very same files. Each section is a {@code <div class="ecsd">} whose
 * data attributes give progress.js the snapshot URL, the approval endpoints and the CSRF crumb.
 *
 * <p>Persistence: the latest snapshot JSON is kept in memory on every event; build.xml is written at once for the
 * ARN, a rollback and the outcome, and within {@link #SAVE_WITHIN} for other transitions (coalesced), so a finished
 * build shows its final picture without any AWS call and a deployment costs a bounded number of writes.
 */
public class EcsProgressAction implements RunAction2, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(EcsProgressAction.class.getName());
    static final String URL_NAME = "ecs-deployments";
    static final String ASSET_ROOT = "/io/jenkins/plugins/ecsdeploy/web/";
    private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*\\.(js|css)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One deployment of this build. */
    public static final class DeploymentRecord implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        String id;
        String label;
        String region;
        String strategy;
        String deploymentArn;
        String snapshotJson;
        String outcome;
        String stage;
        // what "Roll back now" needs (docs/approvals.md): the AWS access and who may decide for this deployment
        String credentialsId;
        String roleArn;
        String submitter;
        /** A write of this record's latest picture is scheduled ({@link #saveWithin}); not persisted. */
        transient boolean savePending;
        /** The rollback was written already (it is written at once, once). */
        transient boolean rollbackSaved;
        /** {@link #hooksDone} when last written. */
        transient String hooksSaved;
        /** The scheduled write of {@link #savePending}, cancelled when an immediate write comes first. */
        transient io.jenkins.plugins.ecsdeploy.engine.time.Cancellable pendingSave;

        public String getId() { return id; }
        public String getLabel() { return label; }
        public String getRegion() { return region; }
        public String getStrategy() { return strategy; }
        public String getDeploymentArn() { return deploymentArn; }
        /** Current stage, or the outcome once finished: one line for the build page summary. */
        public String getState() {
            return outcome != null ? outcome : stage != null ? stage : deploymentArn == null ? "starting" : "in progress";
        }
    }

    /** Events kept in the snapshot written to build.xml: the latest ones only, so build.xml stays small. */
    static final int PERSISTED_EVENTS = 40;

    private List<DeploymentRecord> deployments = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;
    private transient Map<String, String> live;
    /** (issue 15) The switchover flag's latest state per record, added to its snapshot as "switchover" (docs/cutovers.md). */
    private transient Map<String, ObjectNode> switchovers;
    /** Per record: the picture saved before a restart, merged under every snapshot of the re-follow (see {@link #update}). */
    private transient Map<String, String> before;

    /** XStream runs no initialiser: a build.xml written without {@code <deployments>} loads as null. */
    protected Object readResolve() {
        if (deployments == null) {
            deployments = new CopyOnWriteArrayList<>();
        } else if (!(deployments instanceof CopyOnWriteArrayList)) {
            deployments = new CopyOnWriteArrayList<>(deployments);
        }
        return this;
    }

    static EcsProgressAction of(Run<?, ?> run) {
        synchronized (run) {
            EcsProgressAction a = run.getAction(EcsProgressAction.class);
            if (a == null) {
                a = new EcsProgressAction();
                run.addAction(a);
                a.run = run;
            }
            return a;
        }
    }

    @Override public void onAttached(Run<?, ?> r) { this.run = r; }
    @Override public void onLoad(Run<?, ?> r) {
        this.run = r;
        readResolve();
        // Loaded from build.xml (a restart): the engine will re-observe every unfinished deployment from scratch; keep
        // what was known, so the record does not forget gates, hooks, decisions and stages seen before.
        Map<String, String> b = new ConcurrentHashMap<>();
        for (DeploymentRecord d : deployments) {
            if (d.snapshotJson != null && d.outcome == null) {
                b.put(d.id, d.snapshotJson);
            }
        }
        before = b;
    }

    public Run<?, ?> getRun() { return run; }

    /**
     * The build page's summary: the revision of a deployment as people name it, " · web:2 (nginx:1.27 → nginx:1.28)",
     * from its latest picture; "" while it is not known yet.
     */
    public String revisionOf(DeploymentRecord d) {
        String json = d == null ? null : snapshotJson(d.id);
        if (json == null) {
            return "";
        }
        try {
            String r = DeploymentSnapshot.fromJson(json).revisionDescription();
            return r == null ? "" : " · " + r;
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * The build page's summary: the latest canary analysis of a deployment (docs/analysis.md), e.g. " · canary analysis at
     * PRE_PRODUCTION_TRAFFIC_SHIFT: FAIL, ROLLBACK after 1/3 measurement(s): 5xx-rate: green 2 vs blue 1, …"; the
     * measurements themselves are on the progress page. "" without analysis. Text only: Jelly escapes it.
     */
    public String analysisOf(DeploymentRecord d) {
        String json = d == null ? null : snapshotJson(d.id);
        if (json == null) {
            return "";
        }
        try {
            List<io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisRun> runs = DeploymentSnapshot.fromJson(json).analyses();
            if (runs.isEmpty()) {
                return "";
            }
            io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisRun a = runs.get(runs.size() - 1);
            String what = a.verdict() == null ? "measuring, " + a.measurements().size() + "/" + a.measurementsPlanned()
                    : a.verdict() + (a.dryRun() ? " (dry run)" : "") + ", " + a.action() + " after "
                    + a.measurements().size() + "/" + a.measurementsPlanned() + " measurement(s)"
                    + (a.reason() == null ? "" : ": " + a.reason());
            return io.jenkins.plugins.ecsdeploy.engine.SafeText.line(" · canary analysis at " + a.stage() + ": " + what, 300);
        } catch (RuntimeException e) {
            return "";
        }
    }

    @Override public String getIconFileName() { return "symbol-cloud"; }
    @Override public String getDisplayName() { return "ECS deployments"; }
    @Override public String getUrlName() { return URL_NAME; }

    public List<DeploymentRecord> getDeployments() { return List.copyOf(deployments); }

    private synchronized Map<String, String> live() {
        if (live == null) {
            live = new ConcurrentHashMap<>();
        }
        return live;
    }

    /** A new section for a deployment about to start; returns its id (d1, d2, … in this build). */
    synchronized String newRecord(String label, String region, String strategy) {
        DeploymentRecord r = new DeploymentRecord();
        r.id = "d" + (deployments.size() + 1);
        r.label = label;
        r.region = region;
        r.strategy = strategy;
        deployments.add(r);
        save();
        return r.id;
    }

    /** As {@link #newRecord(String, String, String)}, keeping the ref's credentials, role and approvers for "Roll back now". */
    synchronized String newRecord(DeploymentRef ref, String strategy) {
        String id = newRecord(ref.label(), ref.region, strategy);
        DeploymentRecord r = record(id);
        r.credentialsId = ref.credentialsId;
        r.roleArn = ref.roleArn;
        r.submitter = ref.submitter;
        return id;
    }

    DeploymentRecord record(String id) {
        for (DeploymentRecord r : deployments) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }

    void started(String id, String deploymentArn) {
        DeploymentRecord r = record(id);
        if (r != null) {
            r.deploymentArn = deploymentArn;
            save();
        }
    }

    /** The deployment could not start (validation, credentials, AWS refusal): show why. */
    void failedToStart(String id, String message) {
        DeploymentRecord r = record(id);
        if (r != null) {
            r.outcome = "FAILED: " + message;
            save();
        }
    }

    /**
     * A new snapshot; persisted when {@code transition} (not for every task-count change), with only the latest
     * {@link #PERSISTED_EVENTS} events (the live page gets all the engine keeps). After a restart the snapshot of the
     * new follow is merged over the one saved before ({@link SnapshotHistory}).
     */
    /** The switchover flag of a record changed: the next snapshot of it carries the state (web/cutover.js shows it). */
    void switchover(String id, ObjectNode state) {
        if (id == null || state == null) {
            return;
        }
        synchronized (this) {
            if (switchovers == null) {
                switchovers = new ConcurrentHashMap<>();
            }
        }
        switchovers.put(id, state);
    }

    private String withSwitchover(String id, String json) {
        Map<String, ObjectNode> m = switchovers;
        ObjectNode st = m == null || id == null ? null : m.get(id);
        if (st == null) {
            return json;
        }
        try {
            ObjectNode o = (ObjectNode) JSON.readTree(json);
            o.set("switchover", st);
            return JSON.writeValueAsString(o);
        } catch (IOException | ClassCastException e) {
            LOGGER.log(Level.FINE, "switchover state", e);
            return json;
        }
    }

    void update(String id, DeploymentSnapshot s, boolean transition) {
        String json = withSwitchover(id, s.toJson());
        Map<String, String> b = before;
        String old = b == null ? null : b.get(id);
        if (old != null && live().get(id) != null) {
            // after a restart several followers report this deployment in turn (the resumed gate step's, then a new
            // one for ecsWait): merge with the latest picture, which already holds the one from before the restart,
            // so a decision the first one saw is not lost when the second one starts from scratch (found in a real
            // Jenkins: issue 16, docs/approvals.md "Restarts and aborts")
            old = live().get(id);
        }
        if (old != null) {
            json = SnapshotHistory.merge(old, json);
        }
        live().put(id, json);
        DeploymentRecord r = record(id);
        if (r != null && transition) {
            String persisted = SnapshotHistory.trimEvents(json, PERSISTED_EVENTS);
            if (persisted.equals(r.snapshotJson)) {
                return; // e.g. the follower's final update after the Finished event: nothing new to write
            }
            String hooksDone = hooksDone(s);
            boolean urgent = (s.outcome() != null && r.outcome == null)
                    || (s.rollbackCause() != null && !r.rollbackSaved)
                    || (r.deploymentArn == null && s.deploymentArn() != null)
                    || !hooksDone.equals(r.hooksSaved == null ? "" : r.hooksSaved);
            r.snapshotJson = persisted;
            r.stage = DeploymentRef.lastStage(s);
            if (s.outcome() != null) {
                r.outcome = s.outcome().describe();
            }
            if (r.deploymentArn == null) {
                r.deploymentArn = s.deploymentArn();
            }
            if (urgent) {
                r.rollbackSaved = s.rollbackCause() != null;
                r.hooksSaved = hooksDone;
                cancelPendingSave(r); // this write carries what the pending one would have
                save();
            } else {
                saveWithin(r);
            }
        }
    }

    /**
     * Engine time a change that can wait (a stage, a hook, a traffic step) stays unwritten at most. A build.xml write
     * rewrites the whole file, and one per engine event was 24 writes for one canary deployment and 60 for a linear
     * one (docs/performance.md "The Jenkins side"). What cannot wait is written at once: the ARN, a rollback, the
     * outcome and a hook ECS finished (here), and every gate offer and decision ({@link EcsApprovalAction}, whose writes
     * carry this record's latest picture too). A crash loses at most this much of the stage history; the engine re-observes the rest.
     */
    static final java.time.Duration SAVE_WITHIN = java.time.Duration.ofMinutes(10);

    /**
     * The hooks ECS has finished (a gate continued or rolled back, a Lambda hook done), as one key. Written at once: it
     * is seen on the look after a decision, so this write also carries the gate record the decision updated moments
     * before; a crash right after a click then still finds who decided in build.xml (RestartMatrixTest, DECIDING).
     */
    static String hooksDone(DeploymentSnapshot s) {
        StringBuilder b = new StringBuilder();
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            if (h.status() != null && !"AWAITING_ACTION".equals(h.status()) && !"IN_PROGRESS".equals(h.status())) {
                b.append(h.hookId()).append('=').append(h.status()).append(';');
            }
        }
        return b.toString();
    }

    private void saveWithin(DeploymentRecord r) {
        synchronized (r) {
            if (r.savePending) {
                return;
            }
            r.savePending = true;
        }
        Runnable flush = () -> {
            synchronized (r) {
                if (!r.savePending) {
                    return; // an immediate write came first
                }
                r.savePending = false;
                r.pendingSave = null;
            }
            save();
        };
        try {
            io.jenkins.plugins.ecsdeploy.engine.time.Cancellable c = EngineRegistry.get().scheduler().schedule(SAVE_WITHIN, flush);
            synchronized (r) {
                if (r.savePending) {
                    r.pendingSave = c;
                }
            }
        } catch (RuntimeException e) { // the scheduler is shutting down: write now rather than never
            flush.run();
        }
    }

    private static void cancelPendingSave(DeploymentRecord r) {
        io.jenkins.plugins.ecsdeploy.engine.time.Cancellable c;
        synchronized (r) {
            r.savePending = false;
            c = r.pendingSave;
            r.pendingSave = null;
        }
        if (c != null) {
            c.cancel();
        }
    }

    /** The console texts of this record's persisted events (what a resumed follower need not print again). */
    /** Whether this record was loaded from build.xml with its deployment unfinished (Jenkins restarted since it began). */
    boolean knownBeforeRestart(String id) {
        Map<String, String> b = before;
        return b != null && id != null && b.containsKey(id);
    }

    java.util.Set<String> loggedTexts(String id) {
        DeploymentRecord r = record(id);
        return r == null || r.snapshotJson == null ? java.util.Set.of() : SnapshotHistory.eventTexts(r.snapshotJson);
    }

    /** The latest snapshot JSON of one deployment (null if none yet). */
    String snapshotJson(String id) {
        String j = live().get(id);
        if (j == null) {
            DeploymentRecord r = record(id);
            j = r == null ? null : r.snapshotJson;
        }
        return j;
    }

    // ---- Roll back now ----

    /**
     * Rolls a running deployment of this build back now, with no gate involved (Argo Rollouts' "abort"):
     * StopServiceDeployment(ROLLBACK) through the engine, cause MANUAL, by the current user; valid while the
     * deployment is PENDING or IN_PROGRESS (docs/ecs-facts.md "Stopping a deployment"). Same permission rule as a gate decision: the
     * deployment's approvers (its {@code approvalSubmitter}/{@code approval} list), administrators, else Job/Build
     * ({@link SubmitterRules}). Recorded like a gate decision ({@link EcsDecisionAction}, decision ROLLBACK, no hook).
     */
    EcsApprovalAction.Reply rollbackNow(String id, String comment, SubmitterRules.Decider who, SubmitterRules.Ids ids) {
        if (id == null || id.isBlank()) {
            return new EcsApprovalAction.Reply(400, "id is required: which deployment of this build is to be rolled back?");
        }
        DeploymentRecord r = record(id);
        if (r == null) {
            return new EcsApprovalAction.Reply(404, "There is no deployment " + id + " in this build.");
        }
        String refusal = SubmitterRules.refusal(r.submitter, who, ids, "roll back this deployment");
        if (refusal != null) {
            return new EcsApprovalAction.Reply(403, refusal);
        }
        String cleanComment = comment == null || comment.isBlank() ? null
                : (comment.length() > 1000 ? comment.substring(0, 1000) : comment.trim());
        synchronized (r) { // two racing clicks: one request to ECS, the other is told it is already rolling back
            if (r.deploymentArn == null) {
                return new EcsApprovalAction.Reply(409, "The deployment of " + r.label + " has not started yet; there is nothing to roll back.");
            }
            DeploymentSnapshot s = latest(r);
            if (r.outcome != null || (s != null && s.finished())) {
                String o = s != null && s.outcome() != null ? s.outcome().describe() : r.outcome;
                return new EcsApprovalAction.Reply(409, "The deployment of " + r.label + " has already finished ("
                        + o + "); there is nothing to roll back.");
            }
            if (s != null && s.rollbackCause() != null) {
                return new EcsApprovalAction.Reply(409, "The deployment of " + r.label + " is already rolling back ("
                        + s.rollbackCause() + ").");
            }
            EngineRegistry.Lease lease = null;
            try {
                lease = EngineRegistry.get().acquire(run, r.credentialsId, r.region, r.roleArn);
                lease.engine().rollback(DeploymentHandle.fromArn(r.deploymentArn), RollbackCause.MANUAL, cleanComment,
                        who.userId()).get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new EcsApprovalAction.Reply(503, "Interrupted while asking ECS to roll back; try again.");
            } catch (ExecutionException | TimeoutException | IOException | RuntimeException e) {
                Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                LOGGER.log(Level.WARNING, "rolling back " + r.deploymentArn + " failed", c);
                return new EcsApprovalAction.Reply(502, "ECS did not roll back the deployment: " + c.getMessage());
            } finally {
                if (lease != null) {
                    lease.close();
                }
            }
            EcsDecisionAction audit = new EcsDecisionAction(who.userId(), who.displayName(),
                    EngineRegistry.get().clock().millis(), "ROLLBACK", cleanComment,
                    s == null ? null : s.lifecycleStage(), null, r.deploymentArn, r.label);
            if (run != null) {
                run.addAction(audit);
            }
            save();
        }
        return new EcsApprovalAction.Reply(200, "Rolling back the deployment of " + r.label + " (requested by "
                + who.userId() + ").");
    }

    private DeploymentSnapshot latest(DeploymentRecord r) {
        String json = snapshotJson(r.id);
        if (json == null) {
            return null;
        }
        try {
            return DeploymentSnapshot.fromJson(json);
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "unreadable snapshot of " + r.id, e);
            return null;
        }
    }

    /**
     * POST {@code rollbackNow?id=d1} (JSON {@code {"comment"}} from progress.js, or a form parameter): see
     * {@link #rollbackNow}. Answers JSON {@code {"ok","message"}} when asked for JSON, else text/plain (the message
     * holds user text and is never served as HTML).
     */
    @RequirePOST
    public void doRollbackNow(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        DecisionRequests.answer(run, URL_NAME + "/rollbackNow", req, rsp, new String[] {"id", "comment"},
                f -> rollbackNow(f.get("id"), f.get("comment"), SubmitterRules.Decider.current(run.getParent()),
                        SubmitterRules.Ids.ofRealm()), false);
    }

    /**
     * POST {@code redeploy?id=d1}: "Redeploy this revision" — queues a new build of this job that deploys the revision
     * of that (succeeded) deployment again, through the job's own deploy step and gates ({@link Redeploys}).
     */
    @RequirePOST
    public void doRedeploy(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        DecisionRequests.answer(run, URL_NAME + "/redeploy", req, rsp, new String[] {"id"}, f -> {
            String id = f.get("id");
            DeploymentRecord r = id == null ? null : record(id);
            if (r == null) {
                return new EcsApprovalAction.Reply(404, "There is no deployment " + (id == null ? "" : id + " ") + "in this build.");
            }
            return Redeploys.request(run, r, latest(r), SubmitterRules.Decider.current(run.getParent()).userId());
        }, false);
    }

    // ---- HTTP ----

    /**
     * GET {@code snapshot?id=d1}: one deployment's snapshot (docs/snapshot-schema.md) plus
     * {@code "jenkins": {"id", "label"}}; GET {@code snapshot}: {@code {"deployments": [...]}}.
     */
    public void doSnapshot(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        if (run == null || !run.getParent().hasPermission(Item.READ)) {
            rsp.sendError(403, "You may not see this build.");
            return;
        }
        String id = req.getParameter("id");
        String body;
        if (id != null) {
            DeploymentRecord r = record(id);
            if (r == null) {
                rsp.sendError(404, "No deployment " + id + " in this build.");
                return;
            }
            body = JSON.writeValueAsString(section(r));
        } else {
            ObjectNode o = JSON.createObjectNode();
            ArrayNode a = o.putArray("deployments");
            for (DeploymentRecord r : deployments) {
                a.add(section(r));
            }
            body = JSON.writeValueAsString(o);
        }
        DecisionRequests.sendJson(rsp, body);
    }

    private ObjectNode section(DeploymentRecord r) throws IOException {
        String json = snapshotJson(r.id);
        ObjectNode o = json == null ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(json);
        ObjectNode j = o.putObject("jenkins");
        j.put("id", r.id);
        j.put("label", r.label);
        j.put("state", r.getState());
        if (json == null) {
            o.put("status", r.outcome != null ? "FAILED" : "PENDING");
            if (r.outcome != null) {
                o.putObject("outcome").put("kind", "FAILED").put("reason", r.outcome);
            }
        }
        return o;
    }

    /**
     * GET {@code asset/<version>/progress.js} or {@code .css}: the shared assets from the engine jar. The version in the
     * URL is a hash of the assets' bytes ({@link #getAssetVersion}), so a URL names one content and may be cached for a
     * year; an old or missing version (a page rendered before an upgrade) is served, not cached. Only plain file names
     * ending in .js or .css are served, so nothing else on the class path leaks.
     */
    public void doAsset(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        String rest = req.getRestOfPath();
        String path = rest == null ? "" : rest.startsWith("/") ? rest.substring(1) : rest;
        int slash = path.indexOf('/');
        String version = slash < 0 ? null : path.substring(0, slash);
        String name = slash < 0 ? path : path.substring(slash + 1);
        byte[] bytes = asset(name);
        if (bytes == null) {
            rsp.sendError(404, "No such asset.");
            return;
        }
        rsp.setContentType(name.endsWith(".js") ? "text/javascript;charset=UTF-8" : "text/css;charset=UTF-8");
        rsp.setHeader("Cache-Control", getAssetVersion().equals(version) ? "public, max-age=31536000, immutable" : "no-cache");
        try (OutputStream out = rsp.getOutputStream()) {
            out.write(bytes);
        }
    }

    private static volatile String assetVersion;

    /**
     * The files the asset version covers: progress.js/.css and the panels progress.js loads from the same versioned
     * directory (its EXTENSION_FILES: the canary analysis, the DNS cutover), which are cached for a year too.
     */
    static final List<String> VERSIONED_ASSETS = List.of("progress.js", "progress.css", "analysis.js", "analysis.css",
            "cutover.js", "cutover.css", "release.js", "release.css");

    /** The first 12 hex digits of a SHA-256 over {@link #VERSIONED_ASSETS}: changes whenever one of them does. */
    public String getAssetVersion() {
        String v = assetVersion;
        if (v == null) {
            try {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                for (String n : VERSIONED_ASSETS) {
                    byte[] b = asset(n);
                    if (b != null) {
                        md.update(b);
                    }
                }
                v = java.util.HexFormat.of().formatHex(md.digest()).substring(0, 12);
            } catch (java.security.NoSuchAlgorithmException | IOException e) {
                v = "0";
            }
            assetVersion = v;
        }
        return v;
    }

    /** The bytes of a shared asset, or null when the name is not a plain .js/.css file that exists. */
    static byte[] asset(String name) throws IOException {
        if (name == null || !ASSET_NAME.matcher(name).matches()) {
            return null;
        }
        try (InputStream in = EcsProgressAction.class.getResourceAsStream(ASSET_ROOT + name)) {
            return in == null ? null : in.readAllBytes();
        }
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
