package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The approval policy of {@code approve} and {@code rollback} (docs/approvals.md "Approval policy", docs/cli.md): the
 * engine's {@link ApprovalPolicy}, with the caller known by id only ({@code --user} or the OS user name) — the CLI knows
 * no groups, so list users. Partial approvals are kept as tags on the ECS service, so several people, each running
 * {@code approve} on their own machine, make up the quorum.
 */
final class PolicyOptions {
    @Option(order = 70, names = "--approvers", paramLabel = "IDS",
            description = "Who may approve: comma-separated user ids (default: anyone who can call ECS).")
    String approvers;

    @Option(order = 71, names = "--required", paramLabel = "N",
            description = "Distinct people who must approve before the gate continues (1-10, default 1); approvals are kept on the service.")
    Integer required;

    @Option(order = 72, names = "--not-by", paramLabel = "IDS",
            description = "Who may not approve: user ids, and 'starter' (with --started-by) for four eyes.")
    String notBy;

    @Option(order = 73, names = "--started-by", paramLabel = "ID",
            description = "Who started the deployment, for --not-by starter (ECS does not record it).")
    String startedBy;

    @Option(order = 74, names = "--rollback-by", paramLabel = "IDS",
            description = "Who may roll back at the gate: user ids (default: anyone).")
    String rollbackBy;

    boolean given() {
        return approvers != null || required != null || notBy != null || rollbackBy != null || startedBy != null;
    }

    /** The policy, checked before any call (exit 2 naming the flag). */
    ApprovalPolicy policy() {
        ApprovalPolicy p = ApprovalPolicy.of(approvers, required, notBy, rollbackBy);
        List<ValidationProblem> problems = new ArrayList<>(p.validate("--approvers", "--required", "--not-by", "--rollback-by"));
        if (p.excludesStarter() && (startedBy == null || startedBy.isBlank())) {
            problems.add(new ValidationProblem("--not-by", notBy,
                    "'starter' needs --started-by ID: ECS does not record who started a deployment"));
        }
        if (startedBy != null) {
            DecisionOptions.checkUser("--started-by", startedBy);
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems.stream().map(ValidationProblem::message).toList());
        }
        return p;
    }
}
