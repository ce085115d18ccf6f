package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Shared by status / approve / rollback: one service-deployment ARN and a connection to its region. */
abstract class ArnCommand {
    @ParentCommand
    Main main;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "ARN",
            description = "The service deployment ARN, arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>.")
    String arn;

    /** Checks the ARN and the flags (exit 2), then connects to the ARN's region (or --region). */
    Session open() {
        List<String> problems = new ArrayList<>();
        DeploymentHandle parsed = null;
        try {
            parsed = DeploymentHandle.fromArn(arn);
        } catch (InvalidRequestException e) {
            e.problems().forEach(p -> problems.add(new ValidationProblem("ARN", p.value(), p.allowed()).message()));
        }
        if (connection.sandbox) {
            problems.add(new ValidationProblem("--sandbox", null, "only with deploy, plan --check-service and demo: an embedded "
                    + "sandbox lives inside one run; to decide in a sandbox from another terminal run the simulator jar and use --endpoint").message());
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems);
        }
        String region = connection.region != null ? connection.region : parsed.region();
        return Session.open(main.cli, connection, region, null, 1);
    }

    /** Gates awaiting a decision: the engine's gates, else any PAUSE hook awaiting action (a deployment started elsewhere). */
    static List<String[]> awaiting(DeploymentSnapshot s) {
        List<String[]> r = new ArrayList<>();
        for (DeploymentSnapshot.GateState g : s.awaitingGates()) {
            r.add(new String[] {g.hookId(), g.stage()});
        }
        if (r.isEmpty()) {
            for (DeploymentSnapshot.Hook h : s.hooks()) {
                if ("PAUSE".equals(h.targetType()) && "AWAITING_ACTION".equals(h.status())) {
                    r.add(new String[] {h.hookId(), h.stage()});
                }
            }
        }
        return r;
    }
}
