package io.jenkins.plugins.ecsdeploy.engine;

/** What ECS does with a lifecycle hook: go on, or roll the deployment back (ECS DeploymentLifecycleHookAction). */
public enum HookAction {
    CONTINUE,
    ROLLBACK
}
