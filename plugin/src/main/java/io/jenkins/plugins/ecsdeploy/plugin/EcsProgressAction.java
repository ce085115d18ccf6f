package io.jenkins.plugins.ecsdeploy.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

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
 * <p>Persistence: the latest snapshot JSON is kept in memory on every event and written to build.xml at
 * every transition (stage, gate, rollback, outcome), so a finished build shows its final picture without
 * any AWS call.
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

    private final List<DeploymentRecord> deployments = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;
    private transient Map<String, String> live;

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
    @Override public void onLoad(Run<?, ?> r) { this.run = r; }

    public Run<?, ?> getRun() { return run; }

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

    /** A new snapshot; persisted when {@code transition} (not for every task-count change). */
    void update(String id, DeploymentSnapshot s, boolean transition) {
        String json = s.toJson();
        live().put(id, json);
        DeploymentRecord r = record(id);
        if (r != null && transition) {
            r.snapshotJson = json;
            r.stage = DeploymentRef.lastStage(s);
            if (s.outcome() != null) {
                r.outcome = s.outcome().describe();
            }
            if (r.deploymentArn == null) {
                r.deploymentArn = s.deploymentArn();
            }
            save();
        }
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
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setHeader("Cache-Control", "no-store");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = rsp.getOutputStream()) {
            out.write(bytes);
        }
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
     * GET {@code asset/progress.js} or {@code asset/progress.css}: the shared assets from the engine jar.
     * Only plain file names ending in .js or .css are served, so nothing else on the class path leaks.
     */
    public void doAsset(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        String rest = req.getRestOfPath();
        String name = rest == null ? "" : rest.startsWith("/") ? rest.substring(1) : rest;
        byte[] bytes = asset(name);
        if (bytes == null) {
            rsp.sendError(404, "No such asset.");
            return;
        }
        rsp.setContentType(name.endsWith(".js") ? "text/javascript;charset=UTF-8" : "text/css;charset=UTF-8");
        rsp.setHeader("Cache-Control", "max-age=3600");
        try (OutputStream out = rsp.getOutputStream()) {
            out.write(bytes);
        }
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
