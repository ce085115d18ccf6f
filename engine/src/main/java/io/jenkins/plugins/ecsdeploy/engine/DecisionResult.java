package io.jenkins.plugins.ecsdeploy.engine;

/** What became of a gate decision. */
public enum DecisionResult {
    /** ContinueServiceDeployment was accepted. */
    APPLIED,
    /** The hook had already been decided (by someone else, or by an earlier call); nothing was sent. */
    ALREADY_DECIDED,
    /** The hook timed out before the decision; ECS applied its timeout action. */
    EXPIRED,
    /** The deployment had already finished. */
    DEPLOYMENT_FINISHED
}
