package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentPlan;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.PlanContext;
import io.jenkins.plugins.ecsdeploy.engine.Planner;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ServiceCheckReport;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ecs-deploy plan}: what a deployment with these options would do. Offline unless --check-service. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {"ecs-deploy plan [--service NAME] [--strategy STRATEGY] [deployment flags]",
                "                [--check-service (--image ... | --task-definition ...) [connection flags]] [--json]"},
        optionListHeading = "%nThe deployment, then this command's own flags, the connection to AWS:%n",
        description = "Print the plan of a deployment (stages, production traffic at each step, minimum duration, "
                + "capacity) from the options alone; no AWS access unless --check-service.")
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    RequestOptions request;

    @Option(order = 60, names = "--json", description = "Print the plan as JSON (strategy, stages, steps[].productionTrafficPercent, minimumDurationMinutes, ...).")
    boolean json;

    @Option(order = 61, names = "--check-service", description = "Also run the preflight against the live service (reads only; needs credentials, "
            + "or --sandbox / --endpoint): controller type, load balancer wiring, container names, a deployment in progress.")
    boolean checkService;

    @Override
    public Integer call() throws Exception {
        Cli cli = main.cli;
        DeploymentPlan plan;
        if (checkService) {
            String region = connection.sandbox ? (connection.region == null ? Session.SANDBOX_REGION : connection.region)
                    : connection.regionOrEnv(cli.env);
            if (region == null && connection.endpoint != null) {
                region = Session.SANDBOX_REGION;
            }
            DeploymentRequest r = request.validated(region, true);
            ServiceCheckReport report;
            try (Session s = Session.open(cli, connection, region, Sandbox.Seed.forRequest(r), 60)) {
                report = s.engine.checkService(r).get();
            }
            print(cli, r, report);
            // a failed check means deploy would refuse: exit 2, as deploy would, nothing written
            return report.passed() ? ExitCodes.OK : ExitCodes.USAGE;
        }
        DeploymentRequest r = request.validated(connection.region, false);
        plan = Planner.plan(r, PlanContext.UNKNOWN);
        if (!json && revisionWords(r) != null) {
            cli.out.println("Revision: " + SafeText.line(revisionWords(r), 2000));
        }
        cli.out.println(json ? plan.toJson() : plan.toText().stripTrailing());
        cli.out.flush();
        return ExitCodes.OK;
    }

    /** The revision as the request names it: "a new revision with web=nginx:1.29", "web:42"; null without one. */
    static String revisionWords(DeploymentRequest r) {
        if (r.revision() instanceof io.jenkins.plugins.ecsdeploy.engine.RevisionSource.ImageOverrides over) {
            List<String> parts = new java.util.ArrayList<>();
            over.imagesByContainer().forEach((c, i) -> parts.add(c + " " + io.jenkins.plugins.ecsdeploy.engine.RevisionNames.shortImage(i)));
            return "a new revision of the service's task definition with " + String.join(", ", parts);
        }
        if (r.revision() instanceof io.jenkins.plugins.ecsdeploy.engine.RevisionSource.TaskDefinition td) {
            return io.jenkins.plugins.ecsdeploy.engine.RevisionNames.familyRevision(td.arnOrFamilyRevision());
        }
        if (r.revision() instanceof io.jenkins.plugins.ecsdeploy.engine.RevisionSource.TaskDefinitionJson j) {
            return "a new revision from " + j.origin();
        }
        return null;
    }

    /** The checklist (like ecspresso verify), the diff (like ecspresso diff), then the plan; or all of it as JSON. */
    private void print(Cli cli, DeploymentRequest r, ServiceCheckReport report) throws Exception {
        if (json) {
            ObjectNode n = report.plan() == null ? Progress.JSON.createObjectNode()
                    : (ObjectNode) Progress.JSON.readTree(report.plan().toJson());
            n.put("schemaVersion", DeploymentPlan.SCHEMA_VERSION);
            ArrayNode checks = n.putArray("checks");
            for (ServiceCheckReport.Check c : report.checks()) {
                checks.addObject().put("check", c.name()).put("passed", c.passed()).put("detail", c.detail());
            }
            ArrayNode changes = n.putArray("changes");
            for (ServiceCheckReport.Change c : report.changes()) {
                changes.addObject().put("what", c.what()).put("from", c.from()).put("to", c.to());
            }
            n.put("passed", report.passed());
            cli.out.println(n.toString());
            cli.out.flush();
            return;
        }
        Progress.Style style = Progress.Style.of(cli.env, cli.tty);
        cli.out.println("Checks against " + r.service() + " in cluster " + r.clusterOrDefault() + " (" + r.region() + "):");
        for (ServiceCheckReport.Check c : report.checks()) {
            String mark = c.passed() ? style.paint(Progress.GREEN, style.symbols() ? "✓" : "ok  ")
                    : style.paint(Progress.RED, style.symbols() ? "✗" : "FAIL");
            cli.out.println("  " + mark + " " + SafeText.line(c.name() + ": " + c.detail(), 2000));
        }
        if (report.plan() == null) {
            cli.out.println("Nothing was changed. Fix the failed check" + (report.checks().stream().filter(c -> !c.passed()).count() > 1
                    ? "s" : "") + " and run this again.");
            cli.out.flush();
            return;
        }
        cli.out.println("What the deployment changes:");
        if (report.changes().isEmpty()) {
            cli.out.println("  nothing (the same task definition and settings: use --force-new-deployment to restart the tasks)");
        }
        for (ServiceCheckReport.Change c : report.changes()) {
            cli.out.println(SafeText.line("  " + c.what() + ": " + (c.from() == null ? "(not set)" : c.from()) + " → " + c.to(), 2000));
        }
        cli.out.println(report.plan().toText().stripTrailing());
        cli.out.flush();
    }
}
