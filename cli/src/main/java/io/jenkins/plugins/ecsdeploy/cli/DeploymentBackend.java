package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The progress page's view of one followed deployment: the latest snapshot (kept from the listener) and the
 * decisions, which go to the engine under the configured user id.
 */
final class DeploymentBackend implements ProgressServer.Backend, DeploymentListener {
    private final Session session;
    private final DeploymentHandle handle;
    private final String user;
    private final Map<String, String> images;
    private final Map<String, String> blueImages;
    private volatile DeploymentSnapshot latest;

    DeploymentBackend(Session session, DeploymentHandle handle, String user, Map<String, String> images) {
        this(session, handle, user, images, Map.of());
    }

    DeploymentBackend(Session session, DeploymentHandle handle, String user, Map<String, String> images,
                      Map<String, String> blueImages) {
        this.blueImages = blueImages;
        this.session = session;
        this.handle = handle;
        this.user = user;
        this.images = images;
        this.latest = DeploymentSnapshot.initial(handle);
    }

    @Override
    public void onEvent(DeploymentEvent e, DeploymentSnapshot s) {
        latest = s;
    }

    DeploymentSnapshot latest() {
        return latest;
    }

    /**
     * The engine's snapshot JSON plus two host members the schema allows readers to ignore: {@code now} (the
     * deployment clock, which in the sandbox is virtual time, so "time in stage" is right) and
     * {@code green.images} / {@code blue.images} (container → image, as far as this CLI knows them; the snapshot has
     * only revision ARNs).
     */
    @Override
    public String snapshotJson() {
        ObjectNode n = latest.toJsonNode();
        n.put("now", session.clock().instant().toString());
        if (!images.isEmpty() && n.get("green") instanceof ObjectNode g) {
            ObjectNode im = g.putObject("images");
            images.forEach(im::put);
        }
        if (!blueImages.isEmpty() && n.get("blue") instanceof ObjectNode b) {
            ObjectNode im = b.putObject("images");
            blueImages.forEach(im::put);
        }
        return n.toString();
    }

    @Override
    public CompletableFuture<ProgressServer.Decision> approve(String hookId, String comment) {
        return session.engine.decide(handle, hookId, new GateDecision(HookAction.CONTINUE, user, blankToNull(comment)))
                .thenApply(r -> decision(r, "Approved by " + user + "."));
    }

    @Override
    public CompletableFuture<ProgressServer.Decision> rollback(String hookId, String comment) {
        if (hookId != null) {
            return session.engine.decide(handle, hookId, new GateDecision(HookAction.ROLLBACK, user, blankToNull(comment)))
                    .thenApply(r -> decision(r, "Rollback requested by " + user + "."));
        }
        return session.engine.rollback(handle, RollbackCause.MANUAL,
                        "rolled back by " + user + (comment == null || comment.isBlank() ? "" : ": " + comment), user)
                .thenApply(v -> new ProgressServer.Decision(true, "ROLLBACK_REQUESTED", "Rollback requested by " + user + "."));
    }

    private static ProgressServer.Decision decision(DecisionResult r, String ok) {
        return switch (r) {
            case APPLIED -> new ProgressServer.Decision(true, r.name(), ok);
            case ALREADY_DECIDED -> new ProgressServer.Decision(false, r.name(), "This gate was already decided.");
            case EXPIRED -> new ProgressServer.Decision(false, r.name(), "This gate timed out before the decision arrived.");
            case DEPLOYMENT_FINISHED -> new ProgressServer.Decision(false, r.name(), "The deployment has already finished.");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
