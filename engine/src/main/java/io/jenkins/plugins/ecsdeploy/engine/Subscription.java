package io.jenkins.plugins.ecsdeploy.engine;

import java.util.concurrent.CompletableFuture;

/** A follow registration. close() stops the events (the deployment itself goes on in ECS). */
public interface Subscription extends AutoCloseable {
    @Override
    void close();

    /** Completes with the outcome when the deployment reaches a terminal state (never exceptionally). */
    CompletableFuture<Outcome> outcome();

    /** The latest snapshot (never null). */
    DeploymentSnapshot snapshot();
}
