package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Follows one deployment with a {@link Progress} until it ends, or until it reaches the --wait-until stage.
 * The calling (main) thread blocks on a future; the engine's threads only complete it.
 */
final class Follow implements DeploymentListener {
    private final Progress progress;
    private final String waitUntil;
    private final CompletableFuture<String> reached = new CompletableFuture<>();
    private volatile DeploymentSnapshot latest;
    private final List<DeploymentListener> extra;

    Follow(Progress progress, String waitUntil, List<DeploymentListener> extra) {
        this.progress = progress;
        this.waitUntil = waitUntil == null ? RequestOptions.COMPLETED : waitUntil;
        this.extra = extra;
    }

    @Override
    public void onEvent(DeploymentEvent e, DeploymentSnapshot s) {
        latest = s;
        progress.onEvent(e, s);
        for (DeploymentListener l : extra) {
            l.onEvent(e, s);
        }
        if (!waitUntil.equals(RequestOptions.COMPLETED) && s.outcome() == null && reachedStage(s)) {
            reached.complete(s.lifecycleStage());
        }
    }

    /** The current stage is the target or comes after it in the strategy's order. */
    private boolean reachedStage(DeploymentSnapshot s) {
        String cur = s.lifecycleStage();
        if (cur == null) {
            return false;
        }
        if (cur.equals(waitUntil)) {
            return true;
        }
        List<String> order = RequestOptions.REPORTED_STAGES;
        int c = order.indexOf(cur);
        int t = order.indexOf(waitUntil);
        // Only forward progress counts: a rollback walks stages again but never "reaches" the target for us.
        return c >= 0 && t >= 0 && c > t && s.rollbackCause() == null;
    }

    /** Result of a follow: the outcome, or null when we returned at --wait-until. */
    record Result(Outcome outcome, String reachedStage, DeploymentSnapshot snapshot) {}

    Result run(Session session, DeploymentHandle h, GateHandler gates) throws InterruptedException {
        try (Subscription sub = session.engine.follow(h, this, gates)) {
            CompletableFuture<Object> any = CompletableFuture.anyOf(sub.outcome(), reached);
            Object r;
            try {
                r = any.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
            DeploymentSnapshot snap = latest != null ? latest : sub.snapshot();
            if (r instanceof Outcome o) {
                return new Result(o, null, sub.snapshot() != null ? sub.snapshot() : snap);
            }
            return new Result(null, (String) r, snap);
        } finally {
            progress.close();
        }
    }
}
