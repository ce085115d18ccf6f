package io.jenkins.plugins.ecsdeploy.engine.release;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import java.util.concurrent.CompletableFuture;

/** A release under way (docs/releases.md). */
public interface ReleaseRun extends AutoCloseable {
    ReleaseSnapshot snapshot();

    /** Completes once, never exceptionally. */
    CompletableFuture<ReleaseOutcome> outcome();

    /**
     * Decides the gate of {@code wave} (0-based) for all its services: CONTINUE continues each service's hook; ROLLBACK
     * rolls back this wave and reverts every earlier wave. ALREADY_DECIDED when that gate is not waiting (decided,
     * another wave, or not every service waits yet), DEPLOYMENT_FINISHED when the release has ended.
     */
    CompletableFuture<DecisionResult> decide(int wave, GateDecision decision);

    /** Rolls the whole release back now (this wave rolled back, earlier waves reverted). */
    CompletableFuture<DecisionResult> rollback(String reason, String by);

    /** The ids a restart needs; changes are told to the listener ("checkpoint"). */
    ReleaseCheckpoint checkpoint();

    /** Stops following (the deployments go on in ECS). */
    @Override
    void close();
}
