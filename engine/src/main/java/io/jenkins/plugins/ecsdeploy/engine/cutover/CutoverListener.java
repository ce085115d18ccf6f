package io.jenkins.plugins.ecsdeploy.engine.cutover;

/**
 * Gets every event of a cutover with the snapshot after it: in order, never concurrently for one cutover, never on
 * the scheduler thread, never under the engine's locks. Must not block (calling back into the run is fine).
 */
@FunctionalInterface
public interface CutoverListener {
    void onEvent(CutoverEvent event, CutoverSnapshot snapshot);
}
