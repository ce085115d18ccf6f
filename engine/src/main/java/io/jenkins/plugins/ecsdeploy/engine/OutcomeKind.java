package io.jenkins.plugins.ecsdeploy.engine;

/** How a deployment ended. */
public enum OutcomeKind {
    /** The new revision is live (ECS status SUCCESSFUL). */
    SUCCEEDED,
    /** ECS rolled back to the previous revision (ROLLBACK_SUCCESSFUL); see {@link RollbackCause}. */
    ROLLED_BACK,
    /** A rollback was attempted and failed (ROLLBACK_FAILED): the service needs attention. */
    ROLLBACK_FAILED,
    /** The deployment was stopped without a rollback (ECS status STOPPED). */
    STOPPED,
    /** The engine could not start or follow the deployment (an AWS error, no deployment found, ...). */
    FAILED
}
