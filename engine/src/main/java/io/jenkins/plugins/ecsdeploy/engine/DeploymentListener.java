package io.jenkins.plugins.ecsdeploy.engine;

/**
 * Receives the events of a followed deployment with the snapshot after the event. Called on an engine
 * thread, never concurrently for one subscription, in order; must not block.
 */
@FunctionalInterface
public interface DeploymentListener {
    void onEvent(DeploymentEvent e, DeploymentSnapshot s);
}
