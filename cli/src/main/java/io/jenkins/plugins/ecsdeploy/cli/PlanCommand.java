package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentPlan;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.PlanContext;
import io.jenkins.plugins.ecsdeploy.engine.Planner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ecs-deploy plan}: what a deployment with these options would do. Offline unless --check-service. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the plan of a deployment (stages, production traffic at each step, minimum duration, "
                + "capacity) from the options alone; no AWS access unless --check-service.")
final class PlanCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    RequestOptions request;

    @Option(names = "--json", description = "Print the plan as JSON (strategy, stages, steps[].productionTrafficPercent, minimumDurationMinutes, ...).")
    boolean json;

    @Option(names = "--check-service", description = "Also run the preflight against the live service (reads only; needs credentials, "
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
            try (Session s = Session.open(cli, connection, region, Sandbox.Seed.forRequest(r), 60)) {
                plan = s.engine.preflight(r).get();
            }
        } else {
            DeploymentRequest r = request.validated(connection.region, false);
            plan = Planner.plan(r, PlanContext.UNKNOWN);
        }
        cli.out.println(json ? plan.toJson() : plan.toText().stripTrailing());
        cli.out.flush();
        return ExitCodes.OK;
    }
}
