package io.jenkins.plugins.ecsdeploy.engine.time;

import java.time.Clock;
import java.time.Duration;

/**
 * The engine's only source of time and of waiting (architecture.md D1). The engine never sleeps:
 * every wait is a task scheduled here, so the same code runs against wall time in Jenkins and
 * against a scaled virtual clock in tests and the sandbox.
 */
public interface Scheduler {
    /** "Now" for the engine. */
    Clock clock();

    /** Runs {@code task} once after {@code delay}, measured in this scheduler's clock. */
    Cancellable schedule(Duration delay, Runnable task);
}
