package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ecs-deploy rollback ARN}: reject the gate waiting now, or roll the deployment back when none waits. */
@Command(name = "rollback", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Roll back: rejects the gate waiting now (ContinueServiceDeployment ROLLBACK); when no gate waits, "
                + "stops the deployment with a rollback (StopServiceDeployment ROLLBACK).")
final class RollbackCommand extends ArnCommand implements Callable<Integer> {
    @Mixin
    DecisionOptions decision = new DecisionOptions();

    @Mixin
    PolicyOptions policy = new PolicyOptions();

    @Override
    public Integer call() throws Exception {
        return ApproveCommand.decide(this, HookAction.ROLLBACK, decision.comment, decision.user, decision.hookId, true, policy);
    }
}
