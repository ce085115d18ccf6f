package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.HookAction;

/**
 * A decision between two shifts of a DNS cutover: after a step's weights are INSYNC and its wait (TTL, bake) has
 * passed, the cutover stops and offers the gate to its {@link CutoverGateHandler}; CONTINUE goes on to the next step,
 * ROLLBACK sets the weights back to blue. Unlike a native gate (an ECS PAUSE hook), this gate is held by the engine:
 * ECS knows nothing of it. Its timeout is a task on the engine's scheduler; when it fires, {@code timeoutAction}
 * is applied as if decided (ROLLBACK = weights back to blue, cause GATE_TIMED_OUT; CONTINUE = the next step). While no
 * engine runs (a Jenkins restart), nothing moves: the weights stay where they are and the timeout is applied when the
 * cutover is resumed, at once if it has passed (docs/cutovers.md "Gates"). A null timeoutAction means ROLLBACK.
 */
public record CutoverGate(int timeoutMinutes, HookAction timeoutAction) {
    /** As native gates: at most 14 days (the PAUSE hook limit, kept for one rule across the product). */
    public static final int MAX_TIMEOUT_MINUTES = 20160;

    public CutoverGate {
        if (timeoutAction == null) {
            timeoutAction = HookAction.ROLLBACK;
        }
    }

    public String describe() {
        return "gate (held by the engine, timeout " + timeoutMinutes + " min -> " + timeoutAction + ")";
    }
}
