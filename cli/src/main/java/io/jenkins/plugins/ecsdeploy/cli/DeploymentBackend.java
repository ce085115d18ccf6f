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
import java.util.concurrent.CompletableFuture;

/**
 * The progress page's view of one followed deployment: the latest snapshot (kept from the listener) and the
 * decisions, which go to the engine under the configured user id.
 */
final class DeploymentBackend implements ProgressServer.Backend, DeploymentListener {
    private final Session session;
    private final DeploymentHandle handle;
    private final String user;
    private volatile DeploymentSnapshot latest;
    /** The switchover flag's state for the page (docs/snapshot-schema.md "switchover"), or null. */
    volatile com.fasterxml.jackson.databind.JsonNode switchover;

    DeploymentBackend(Session session, DeploymentHandle handle, String user) {
        this.session = session;
        this.handle = handle;
        this.user = user;
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
     * The engine's snapshot JSON plus the host member {@code now} (the deployment clock, which in the sandbox is
     * virtual time, so "time in stage" is right). {@code green.images} / {@code blue.images} and the task
     * definitions come from the engine itself (DescribeServiceRevisions, docs/snapshot-schema.md).
     */
    @Override
    public String snapshotJson() {
        ObjectNode n = latest.toJsonNode();
        if (switchover != null) {
            n.set("switchover", switchover);
        }
        n.put("now", io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson.iso(session.clock().instant()));
        if (session.sandbox != null) {
            // the sandbox's clock is the simulator's: the page says its times are virtual (docs/cli.md "The progress page")
            n.putObject("virtualTime").put("speed", session.sandbox.speed());
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
        // The engine words the reason itself ("rolled back by <user>: <comment>"): pass the comment alone, so the
        // outcome does not say "rolled back by demo-user" twice. The answer says what ECS did (issue 10): a finished
        // deployment is not "rolled back", and one already rolling back was not rolled back by this click.
        return session.engine.requestRollback(handle, RollbackCause.MANUAL, blankToNull(comment), user)
                .thenApply(r -> switch (r) {
                    case APPLIED -> new ProgressServer.Decision(true, "ROLLBACK_REQUESTED", "Rollback requested by " + user + ".");
                    case DEPLOYMENT_FINISHED -> new ProgressServer.Decision(false, r.name(),
                            "The deployment has already finished" + finished() + "; there is nothing to roll back.");
                    case ALREADY_DECIDED -> new ProgressServer.Decision(false, "ALREADY_ROLLING_BACK",
                            "The deployment is already rolling back or stopping; this request changed nothing.");
                    case EXPIRED -> new ProgressServer.Decision(false, r.name(), "Nothing to roll back.");
                });
    }

    private String finished() {
        DeploymentSnapshot s = latest;
        return s.outcome() == null ? "" : " (" + s.outcome().describe() + ")";
    }

    /** "Roll back now" from the page: refused (409) once the deployment finished or is already rolling back. */
    @Override
    public CompletableFuture<ProgressServer.Decision> rollbackNow(String comment) {
        DeploymentSnapshot s = latest;
        if (s.finished()) {
            return CompletableFuture.completedFuture(new ProgressServer.Decision(false, "DEPLOYMENT_FINISHED",
                    "The deployment has already finished (" + s.outcome().describe() + "); there is nothing to roll back."));
        }
        if (s.rollbackCause() != null) {
            return CompletableFuture.completedFuture(new ProgressServer.Decision(false, "ALREADY_ROLLING_BACK",
                    "The deployment is already rolling back (" + s.rollbackCause() + ")."));
        }
        return rollback(null, comment);
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
