package io.jenkins.plugins.ecsdeploy.engine.time;

/** A scheduled task that can be cancelled. Cancelling twice, or after the task ran, is harmless. */
@FunctionalInterface
public interface Cancellable {
    void cancel();
}
