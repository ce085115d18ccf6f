package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.EcsStages;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Follows one deployment with a {@link Progress} until it ends, or until it reaches the --wait-until stage by the
 * engine's rule ({@link EcsStages#waitState}: the same one the Jenkins plugin uses). A deployment that rolls back or
 * stops before the stage is followed to its outcome. The calling (main) thread blocks on a future; the engine's
 * threads only complete it.
 */
final class Follow implements DeploymentListener {
    private final Progress progress;
    private final String waitUntil;
    private final CompletableFuture<String> reached = new CompletableFuture<>();
    private volatile DeploymentSnapshot latest;
    private volatile List<String> gateStages = List.of();
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
        if (!waitUntil.equals(RequestOptions.COMPLETED) && s.outcome() == null
                && EcsStages.waitState(s, waitUntil, gateStages) == EcsStages.WaitState.REACHED) {
            reached.complete(waitUntil);
        }
    }

    /** Result of a follow: the outcome, or null when we returned at --wait-until. */
    record Result(Outcome outcome, String reachedStage, DeploymentSnapshot snapshot) {}

    Result run(Session session, DeploymentHandle h, GateHandler gates) throws InterruptedException {
        gateStages = h.gateStages() == null ? List.of() : h.gateStages();
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
