package io.jenkins.plugins.ecsdeploy.plugin;

import jenkins.model.CauseOfInterruption;

/**
 * Why {@code ecsApprove} ended the build as ABORTED: someone chose "Roll back" at the gate, like the
 * {@code input} step's {@code Rejection} (docs/jenkins-behaviour.md "Paused in the UI").
 */
public final class GateRejection extends CauseOfInterruption {
    private static final long serialVersionUID = 1L;

    private final String userId;
    private final String stage;

    public GateRejection(String userId, String stage) {
        this.userId = userId;
        this.stage = stage;
    }

    public String getUserId() {
        return userId;
    }

    @Override
    public String getShortDescription() {
        return "Rolled back at " + stage + " by " + (userId == null ? "an unknown user" : userId);
    }
}
