package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy;
import io.jenkins.plugins.ecsdeploy.engine.approval.IdMatcher;
import io.jenkins.plugins.ecsdeploy.engine.approval.Tally;
import io.jenkins.plugins.ecsdeploy.engine.approval.Voter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ecs-deploy approve ARN}: continue the gate waiting now (ContinueServiceDeployment CONTINUE). */
@Command(name = "approve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Approve the gate the deployment is waiting at now, so it continues.")
final class ApproveCommand extends ArnCommand implements Callable<Integer> {
    @Mixin
    DecisionOptions decision = new DecisionOptions();

    @Mixin
    PolicyOptions policy = new PolicyOptions();

    @Override
    public Integer call() throws Exception {
        return decide(this, HookAction.CONTINUE, decision.comment, decision.user, decision.hookId, false, policy);
    }

    static int decide(ArnCommand c, HookAction action, String comment, String user, String hookId, boolean rollbackWithoutGate)
            throws Exception {
        return decide(c, action, comment, user, hookId, rollbackWithoutGate, null);
    }

    /** approve and rollback: find the waiting gate, decide it, report; rollback without a gate stops the deployment. */
    static int decide(ArnCommand c, HookAction action, String comment, String user, String hookId, boolean rollbackWithoutGate,
                      PolicyOptions policyFlags) throws Exception {
        Cli cli = c.main.cli;
        DecisionOptions flags = new DecisionOptions();
        flags.comment = comment;
        flags.user = user;
        flags.hookId = hookId;
        flags.check(); // exit 2 before any call
        String who = user == null ? cli.userName : user;
        ApprovalPolicy policy = policyFlags == null || !policyFlags.given() ? null : policyFlags.policy();   // exit 2 before any call
        if (policy != null) {
            // the CLI's caller is like a Jenkins user with Job/Build: anyone who may call ECS for this deployment
            Voter v = new Voter(who, who, java.util.List.of(), false, true, true);
            String refusal = action == HookAction.CONTINUE ? policy.continueRefusal(v, policyFlags.startedBy, IdMatcher.CASE_INSENSITIVE)
                    : policy.rollbackRefusal(v, IdMatcher.CASE_INSENSITIVE);
            if (refusal != null) {
                throw new CliException(ExitCodes.NOT_ALLOWED, refusal);
            }
        }
        try (Session session = c.open()) {
            DeploymentHandle h = session.engine.attach(c.arn).get();
            DeploymentSnapshot s = session.engine.describe(h).get();
            if (s.finished()) {
                throw new CliException(ExitCodes.NOTHING_TO_DECIDE, "ARN: '" + c.arn + "' has already finished: " + s.outcome().describe());
            }
            List<String[]> waiting = ArnCommand.awaiting(s);
            String[] gate = null;
            if (hookId != null) {
                for (String[] g : waiting) {
                    if (g[0].equals(hookId)) {
                        gate = g;
                    }
                }
                if (gate == null) {
                    throw new CliException(ExitCodes.NOTHING_TO_DECIDE, new ValidationProblem("--hook-id", hookId,
                            waiting.isEmpty() ? "no gate is waiting now" : "one of the waiting gates: " + list(waiting)).message());
                }
            } else if (waiting.size() == 1) {
                gate = waiting.get(0);
            } else if (waiting.size() > 1) {
                throw new CliException(ExitCodes.USAGE, new ValidationProblem("--hook-id", "",
                        "several gates wait, name one: " + list(waiting)).message());
            }
            if (gate == null) {
                if (rollbackWithoutGate) {
                    // the engine words the reason ("rolled back by <who>: <comment>"): the comment alone, said once
                    DecisionResult rr = session.engine.requestRollback(h, io.jenkins.plugins.ecsdeploy.engine.RollbackCause.MANUAL,
                            comment == null || comment.isBlank() ? null : comment, who).get();
                    if (rr != DecisionResult.APPLIED) {
                        // what really happened (issue 10): nothing was rolled back by this command
                        throw new CliException(ExitCodes.NOTHING_TO_DECIDE, "ARN: '" + c.arn + "' was not rolled back: "
                                + (rr == DecisionResult.DEPLOYMENT_FINISHED ? "the deployment has already finished"
                                : "it is already rolling back or stopping"));
                    }
                    cli.out.println("Rollback requested for " + c.arn + " by " + SafeText.line(who, 200) + ".");
                    return ExitCodes.OK;
                }
                throw new CliException(ExitCodes.NOTHING_TO_DECIDE, "ARN: '" + c.arn + "' has no gate waiting now (stage "
                        + SafeText.line(s.lifecycleStage(), 100) + ", status " + SafeText.line(s.status(), 100) + ")");
            }
            String decisionComment = comment;
            if (policy != null && action == HookAction.CONTINUE && policy.required() > 1) {
                Tally before = session.engine.approvals(h, gate[0]).get();
                if (before.contains(who, IdMatcher.CASE_INSENSITIVE)) {
                    cli.out.println("You (" + SafeText.line(who, 200) + ") have already approved; each person counts once: "
                            + before.describe(policy) + ".");
                    return ExitCodes.OK;
                }
                Tally after = session.engine.recordApproval(h, gate[0], who).get();
                if (!after.met(policy)) {
                    cli.out.println("Your approval is recorded: " + after.describe(policy) + ". Approve with 'ecs-deploy approve "
                            + c.arn + "' as another approver.");
                    return ExitCodes.OK;
                }
                String t = "[" + after.count() + " of " + policy.required() + ": " + after.names() + "]";
                decisionComment = comment == null || comment.isBlank() ? t : comment + " " + t;
            }
            DecisionResult r = session.engine.decide(h, gate[0], new GateDecision(action, who, decisionComment)).get();
            String verb = action == HookAction.CONTINUE ? "Approved" : "Rolled back";
            if (r == DecisionResult.APPLIED) {
                cli.out.println(verb + " the gate at " + SafeText.line(gate[1], 100) + " (hook " + SafeText.line(gate[0], 200)
                        + ") as " + SafeText.line(who, 200) + ".");
                return ExitCodes.OK;
            }
            throw new CliException(ExitCodes.NOTHING_TO_DECIDE, new ValidationProblem("--hook-id", gate[0],
                    "a gate that still waits; this one could not be decided: " + r).message());
        }
    }

    private static String list(List<String[]> gates) {
        StringBuilder b = new StringBuilder();
        for (String[] g : gates) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(g[0]).append(" (").append(g[1]).append(')');
        }
        return b.toString();
    }
}
