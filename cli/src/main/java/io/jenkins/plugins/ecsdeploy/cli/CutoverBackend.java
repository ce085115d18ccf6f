package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverRun;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The progress page's view of a DNS cutover (docs/cutovers.md "Progress"): the cutover snapshot's JSON (rendered by
 * web/cutover.js; the page's own gate box answers the cutover's gates, whose {@code hookId} is the gate's id) and the
 * decisions, which go to the run under the configured user id.
 */
final class CutoverBackend implements ProgressServer.Backend {
    private final CutoverRun run;
    private final String user;
    private final Clock clock;

    CutoverBackend(CutoverRun run, String user, Clock clock) {
        this.run = run;
        this.user = user;
        this.clock = clock;
    }

    @Override
    public String snapshotJson() {
        ObjectNode n = run.snapshot().toJsonNode();
        n.put("now", io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson.iso(clock.instant()));
        return n.toString();
    }

    @Override
    public CompletableFuture<ProgressServer.Decision> approve(String gateId, String comment) {
        return run.decide(gateId, new GateDecision(HookAction.CONTINUE, user, blankToNull(comment)))
                .thenApply(r -> decision(r, "Approved by " + user + "; the next step follows its health check."));
    }

    @Override
    public CompletableFuture<ProgressServer.Decision> rollback(String gateId, String comment) {
        if (gateId != null) {
            return run.decide(gateId, new GateDecision(HookAction.ROLLBACK, user, blankToNull(comment)))
                    .thenApply(r -> decision(r, "Rolled back by " + user + ": the weights go back to blue."));
        }
        return run.rollback(RollbackCause.MANUAL, blankToNull(comment), user)
                .thenApply(r -> switch (r) {
                    case APPLIED -> new ProgressServer.Decision(true, "ROLLBACK_REQUESTED", "Rollback requested by " + user
                            + ": the weights go back to blue.");
                    case ALREADY_DECIDED -> new ProgressServer.Decision(false, "ALREADY_ROLLING_BACK",
                            "The cutover is already rolling back; this request changed nothing.");
                    default -> new ProgressServer.Decision(false, r.name(), "The cutover has already finished; there is nothing to roll back.");
                });
    }

    private static ProgressServer.Decision decision(DecisionResult r, String ok) {
        return switch (r) {
            case APPLIED -> new ProgressServer.Decision(true, r.name(), ok);
            case ALREADY_DECIDED -> new ProgressServer.Decision(false, r.name(), "This gate was already decided (or timed out).");
            case EXPIRED -> new ProgressServer.Decision(false, r.name(), "This gate timed out before the decision arrived.");
            case DEPLOYMENT_FINISHED -> new ProgressServer.Decision(false, r.name(), "The cutover has already finished.");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
