package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** One follow(): its listener, gate handler, the gates offered to it, and its outcome future. */
final class FollowSubscription implements Subscription {
    final Tracked t;
    final DeploymentListener listener;
    final GateHandler gates;
    /** hookIds offered (or given as already decided), guarded by the watcher's lock. */
    final Set<String> offered = new HashSet<>();
    final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    volatile boolean closed;
    private final Registry registry;

    FollowSubscription(Registry registry, Tracked t, DeploymentListener listener, GateHandler gates) {
        this.registry = registry;
        this.t = t;
        this.listener = listener;
        this.gates = gates;
    }

    @Override
    public void close() {
        registry.unsubscribe(this);
    }

    @Override
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    /**
     * Reads the Tracked's snapshot: the subscription keeps its Tracked, so after the watcher dropped a finished
     * deployment the final snapshot stays readable here (and outcome() stays completed) for as long as the caller
     * holds it.
     */
    @Override
    public DeploymentSnapshot snapshot() {
        synchronized (registry.lock) {
            return t.snapshot;
        }
    }
}
