package io.jenkins.plugins.ecsdeploy.engine.release;

/** Called once per wave gate and run when every service of the wave waits; answers later through {@link ReleaseRun#decide}. */
public interface ReleaseGateHandler {
    void onGate(PendingWaveGate gate);
}
