package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.HistoryEntry;
import io.jenkins.plugins.ecsdeploy.engine.RevisionNames;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.validation.Arns;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ecs-deploy redeploy --revision ARN}: deploy an earlier revision again — the undo of a bad deployment — through
 * the same engine, validation, preflight, gates and progress as {@code deploy} (it is {@code deploy} with the revision
 * looked up). The revision is a service revision ARN (as {@code history} prints it: its task definition is deployed,
 * the cluster and service come from the ARN), a task definition ARN or {@code family:revision} (then --service is
 * needed). Without --strategy, the strategy of the service's latest deployment is kept (docs/cli.md "redeploy").
 */
@Command(name = "redeploy", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {"ecs-deploy redeploy --revision SERVICE_REVISION_ARN|TASK_DEFINITION_ARN|FAMILY:REVISION",
                "                    [--service NAME] [--strategy STRATEGY] [deployment flags] [connection flags] [--json | --plain]"},
        description = "Deploy an earlier revision again (e.g. the one 'ecs-deploy history' lists as the last good one), "
                + "with the same gates and progress as deploy.",
        optionListHeading = "%nThe revision, the deployment, this command's own flags, the connection to AWS, the output:%n")
final class RedeployCommand extends DeployCommand {
    @Option(order = 0, names = "--revision", paramLabel = "ARN|FAMILY:REVISION",
            description = "REQUIRED. A service revision ARN (from 'history'), a task definition ARN or family:revision.")
    String revision;

    @Override
    public Integer call() throws Exception {
        Cli cli = main.cli;
        List<ValidationProblem> problems = new ArrayList<>();
        if (revision == null || revision.isBlank()) {
            problems.add(new ValidationProblem("--revision", revision, "a service revision ARN (see 'ecs-deploy history'), "
                    + "a task definition ARN or family:revision is required"));
        }
        if (!request.images.isEmpty() || request.taskDefinition != null || request.taskDefinitionFile != null) {
            problems.add(new ValidationProblem("--image/--task-definition/--task-definition-file", null,
                    "not with redeploy: --revision names what is deployed"));
        }
        if (connection.sandbox) {
            problems.add(new ValidationProblem("--sandbox", null, "not with redeploy: an embedded sandbox has no earlier "
                    + "revisions; run the simulator jar and use --endpoint"));
        }
        boolean serviceRevision = revision != null && revision.contains(":service-revision/");
        if (serviceRevision) {
            Arns.Arn a = Arns.parse(revision);
            String[] parts = a == null ? new String[0] : a.resource().split("/");
            if (a == null || !"ecs".equals(a.service()) || parts.length != 4) {
                problems.add(new ValidationProblem("--revision", revision,
                        "a service revision ARN, arn:aws:ecs:<region>:<account>:service-revision/<cluster>/<service>/<id>"));
            } else {
                if (request.service != null && !request.service.equals(parts[2])) {
                    problems.add(new ValidationProblem("--service", request.service, "the revision's own service, " + parts[2]
                            + " (or leave --service out)"));
                }
                if (request.cluster != null && !request.cluster.equals(parts[1]) && !request.cluster.endsWith("/" + parts[1])) {
                    problems.add(new ValidationProblem("--cluster", request.cluster, "the revision's own cluster, " + parts[1]
                            + " (or leave --cluster out)"));
                }
                request.service = parts[2];
                request.cluster = parts[1];
                if (connection.region == null) {
                    connection.region = a.region();
                }
            }
        } else if (revision != null && !revision.isBlank()) {
            request.taskDefinition = revision; // checked with the rest of the request (family:revision or an ARN)
            if (request.service == null) {
                problems.add(new ValidationProblem("--service", null, "required with a task definition as --revision "
                        + "(a service revision ARN names its service)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems.stream().map(ValidationProblem::message).toList());
        }
        // reads only, before anything is written: the revision's task definition, what the service runs now (its
        // latest deployment's target, or what that deployment rolled back to) and its current strategy
        String region = connection.regionOrEnv(cli.env);
        try (Session s = Session.open(cli, connection, region, null, 1)) {
            if (serviceRevision) {
                request.taskDefinition = s.engine.taskDefinitionOf(revision).get();
            }
            String cl = request.cluster == null ? "default" : request.cluster;
            List<HistoryEntry> latest = s.engine.history(cl, request.service, 1).get();
            if (request.strategy == null) {
                String st = latest.isEmpty() ? null : latest.get(0).strategy();
                if (st != null) {
                    request.strategy = st.toLowerCase(Locale.ROOT).replace('_', '-');
                }
            }
            if (!request.forceNewDeployment && !latest.isEmpty()) {
                String running = runningTaskDefinition(s, latest.get(0));
                if (running != null && RevisionNames.familyRevision(running).equals(RevisionNames.familyRevision(request.taskDefinition))) {
                    // ECS starts no deployment for an unchanged task definition: say so now instead of waiting for one
                    throw new CliException(ExitCodes.USAGE, new ValidationProblem("--revision", revision,
                            "a revision the service does not run already; " + request.service + " runs "
                                    + RevisionNames.familyRevision(running) + " now, so there is nothing to redeploy "
                                    + "(add --force-new-deployment to replace its tasks anyway)").message());
                }
            }
        }
        return super.call();
    }

    /**
     * The task definition the service runs after its latest deployment: that deployment's own when it succeeded, the
     * one its rollback returned to when it rolled back; null when that is not known (still running, stopped, failed).
     */
    private static String runningTaskDefinition(Session s, HistoryEntry latest) throws Exception {
        if ("SUCCESSFUL".equals(latest.status())) {
            return latest.taskDefinition();
        }
        if ("ROLLBACK_SUCCESSFUL".equals(latest.status()) && latest.rolledBackTo() != null) {
            return s.engine.taskDefinitionOf(latest.rolledBackTo()).get();
        }
        return null;
    }
}
