package io.jenkins.plugins.ecsdeploy.simulator;

/**
 * Where the controller reports the state changes ECS publishes to Amazon EventBridge (docs/simulator.md "EventBridge
 * events"). Called under the controller's lock; must not block and must not call back into the controller's API.
 */
interface EcsEventSink {
    /** A service deployment's new status (the reason, when given, as the controller set it). */
    void deploymentStatus(Model.Deployment d, String status, String reason);

    /** A lifecycle hook appeared (AWAITING_ACTION / IN_PROGRESS) or ended ({@code status} SUCCEEDED, FAILED, TIMED_OUT). */
    void hookStatus(Model.Deployment d, Model.HookExec h, String status);

    EcsEventSink NONE = new EcsEventSink() {
        @Override
        public void deploymentStatus(Model.Deployment d, String status, String reason) {}

        @Override
        public void hookStatus(Model.Deployment d, Model.HookExec h, String status) {}
    };
}
