package io.jenkins.plugins.ecsdeploy.engine;

/**
 * Asked once per hookId (per follow subscription) when a gate awaits a decision. Must not block: answer
 * later through {@link DeploymentEngine#decide}.
 */
@FunctionalInterface
public interface GateHandler {
    void onGate(PendingGate gate);
}
