package io.jenkins.plugins.ecsdeploy.engine;

/**
 * A stage where the caller decides: the engine places an ECS PAUSE hook there whose timeout and timeout
 * action are the gate's, and offers the hook to the {@link GateHandler} when it awaits action.
 * A null stage means {@link #DEFAULT_STAGE}.
 */
public record Gate(String stage, int timeoutMinutes, HookAction timeoutAction) {
    public static final String DEFAULT_STAGE = "POST_TEST_TRAFFIC_SHIFT";

    public Gate {
        if (stage == null || stage.isBlank()) {
            stage = DEFAULT_STAGE;
        }
        if (timeoutAction == null) {
            timeoutAction = HookAction.ROLLBACK;
        }
    }
}
