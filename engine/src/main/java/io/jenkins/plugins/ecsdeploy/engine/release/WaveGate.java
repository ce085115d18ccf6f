package io.jenkins.plugins.ecsdeploy.engine.release;

import io.jenkins.plugins.ecsdeploy.engine.HookAction;

/**
 * One approval gate per wave: every service of the wave gets an ECS PAUSE hook at its strategy's gate stage
 * ({@code POST_TEST_TRAFFIC_SHIFT} for blue/green, canary and linear, {@code POST_SCALE_UP} for rolling); when all of
 * them wait, the wave's gate is offered once, and its decision is sent to every one of them (docs/releases.md).
 * {@code timeoutMinutes} is each hook's ECS timeout; {@code timeoutAction} null = ROLLBACK.
 */
public record WaveGate(int timeoutMinutes, HookAction timeoutAction) {
    public static final int DEFAULT_TIMEOUT_MINUTES = 60;

    public HookAction timeoutActionOrDefault() {
        return timeoutAction == null ? HookAction.ROLLBACK : timeoutAction;
    }
}
