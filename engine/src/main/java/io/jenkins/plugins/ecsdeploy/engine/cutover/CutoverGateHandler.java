package io.jenkins.plugins.ecsdeploy.engine.cutover;

/**
 * Asked once per gate of a cutover run (as {@link io.jenkins.plugins.ecsdeploy.engine.GateHandler} is for a native
 * gate); must not block: answer later through {@link CutoverRun#decide} with the same
 * {@link io.jenkins.plugins.ecsdeploy.engine.GateDecision} a native gate takes.
 */
@FunctionalInterface
public interface CutoverGateHandler {
    void onGate(PendingCutoverGate gate);
}
