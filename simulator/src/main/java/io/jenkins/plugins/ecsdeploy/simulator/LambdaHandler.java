package io.jenkins.plugins.ecsdeploy.simulator;

/**
 * An in-process stand-in for a Lambda lifecycle-hook function (Lambda-hook page). Called on the simulator's
 * controller thread, outside the simulator's lock (it may call the simulator's API). A thrown exception
 * counts as a function error: the hook fails and the deployment rolls back.
 */
@FunctionalInterface
public interface LambdaHandler {
    HookResponse handle(LambdaEvent event) throws Exception;
}
