package io.jenkins.plugins.ecsdeploy.engine.release;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;

/**
 * Releases several deployments as one, in waves (docs/releases.md). It owns no threads and no AWS client: each service's
 * deployment runs on the {@link DeploymentEngine} the caller gives for it (one per region, account and role), so the
 * services of a release may live in different clusters, regions and accounts.
 */
public final class ReleaseEngine {
    /** The engine for one service of a release (its region and role). */
    @FunctionalInterface
    public interface Engines {
        DeploymentEngine engineFor(ReleaseService service);
    }

    private final Engines engines;

    public ReleaseEngine(Engines engines) {
        this.engines = engines;
    }

    /**
     * Checks the release (throws {@code InvalidRequestException} naming every problem, nothing written), then runs the
     * read-only preflight of every service before the first wave starts: a problem found there ends the release FAILED
     * with nothing deployed. {@code gates} may be null when the release has no wave gates.
     */
    public ReleaseRun start(ReleaseRequest r, ReleaseListener listener, ReleaseGateHandler gates) {
        ReleaseValidator.check(r);
        ReleaseRunner run = new ReleaseRunner(r, engines, listener, gates);
        run.start();
        return run;
    }

    /** Takes a release over again after a restart, from the ids of its last checkpoint; never starts a wave twice. */
    public ReleaseRun resume(ReleaseRequest r, ReleaseCheckpoint checkpoint, ReleaseListener listener, ReleaseGateHandler gates) {
        ReleaseValidator.check(r);
        ReleaseRunner run = new ReleaseRunner(r, engines, listener, gates);
        run.resume(checkpoint);
        return run;
    }
}
