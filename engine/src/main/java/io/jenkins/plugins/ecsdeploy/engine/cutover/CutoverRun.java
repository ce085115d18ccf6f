package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.util.concurrent.CompletableFuture;

/** A running DNS cutover (from {@link CutoverEngine#start} or {@link CutoverEngine#resume}). */
public interface CutoverRun extends AutoCloseable {
    String id();

    /** The latest snapshot, never null. */
    CutoverSnapshot snapshot();

    /** Completes with the outcome (never exceptionally): SUCCEEDED, ROLLED_BACK (cause, reason), FAILED. */
    CompletableFuture<Outcome> outcome();

    /**
     * Decides the gate awaiting a decision now: CONTINUE goes on to the next step, ROLLBACK sets the weights back to
     * blue. APPLIED, or ALREADY_DECIDED (another decision or the timeout came first, or no such gate awaits),
     * DEPLOYMENT_FINISHED.
     */
    CompletableFuture<DecisionResult> decide(String gateId, GateDecision decision);

    /**
     * Rolls back now, whatever the step (weights back to blue): APPLIED, ALREADY_DECIDED (already rolling back),
     * DEPLOYMENT_FINISHED. {@code cause} MANUAL or BUILD_ABORTED.
     */
    CompletableFuture<DecisionResult> rollback(RollbackCause cause, String reason, String by);

    /** What to persist to resume after a restart. */
    CutoverCheckpoint checkpoint();

    /** Stops following (timers cancelled, no more events); Route 53 keeps the weights it has. */
    @Override
    void close();
}
