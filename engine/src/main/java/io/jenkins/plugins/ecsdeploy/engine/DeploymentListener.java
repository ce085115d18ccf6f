package io.jenkins.plugins.ecsdeploy.engine;

/**
 * Receives the events of a followed deployment with the snapshot after the event. Called on an engine
 * thread, never concurrently for one deployment, in order, and never under the engine's own lock (so a listener
 * may take its own locks; docs/engine.md "4. Follow", "Callbacks"); must not block.
 */
@FunctionalInterface
public interface DeploymentListener {
    void onEvent(DeploymentEvent e, DeploymentSnapshot s);
}
