package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ecs-deploy deploy}: validate, start, follow with progress, exit with the outcome's code. */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {"ecs-deploy deploy --service NAME (--image CONTAINER=IMAGE... | --task-definition FAMILY:REVISION|ARN",
                "                  | --task-definition-file FILE) [--cluster NAME] [--strategy STRATEGY] [deployment flags]",
                "                  [--region REGION] [--profile NAME] [connection flags] [--json | --plain]"},
        description = "Start a deployment of an ECS service and follow it to the end (or to --wait-until).",
        optionListHeading = "%nThe deployment (--service first), then this command's own flags, the connection to AWS, the output:%n")
class DeployCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    RequestOptions request;

    @Mixin
    AnalysisOptions analysis;

    @Mixin
    SwitchoverOptions switchover; // docs/cutovers.md "Switchover flag"

    @Mixin
    OutputOptions output;

    @Option(order = 60, names = "--serve-page", paramLabel = "PORT", arity = "0..1", fallbackValue = "0",
            description = "Also serve the progress page (with Approve / Roll back) on http://127.0.0.1:PORT/ (0 or no value: any free port).")
    Integer servePage;

    @Option(order = 61, names = "--user", paramLabel = "ID", description = "Who decides gates from the page (default: the OS user name).")
    String user;

    @Option(order = 62, names = "--page-token", description = "With --serve-page: the page needs an access token (in the printed URL); "
            + "without it nobody on this machine can open it. Use it on shared machines.")
    boolean pageToken;

    @Option(order = 63, names = "--sandbox-speed", paramLabel = "N", defaultValue = "60",
            description = "With --sandbox: virtual seconds per real second (default: ${DEFAULT-VALUE}).")
    double sandboxSpeed;

    @Override
    public Integer call() throws Exception {
        Cli cli = main.cli;
        String region = connection.sandbox ? (connection.region == null ? Session.SANDBOX_REGION : connection.region)
                : connection.regionOrEnv(cli.env);
        if (region == null && connection.endpoint != null) {
            region = Session.SANDBOX_REGION;
        }
        DeploymentRequest r = analysis.apply(request.validated(region, true)); // docs/analysis.md
        final io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover sw = switchover.switchover();
        r = SwitchoverOptions.apply(r, sw); // its PAUSE gate at the stage (docs/cutovers.md)
        if (!(sandboxSpeed > 0 && sandboxSpeed <= 100_000)) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--sandbox-speed", String.valueOf(sandboxSpeed), "a number above 0, at most 100000").message());
        }
        if (servePage != null && (servePage < 0 || servePage > 65535)) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--serve-page", String.valueOf(servePage), "a TCP port 1-65535, or 0 for any free port").message());
        }
        if (pageToken && servePage == null) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--page-token", null, "only with --serve-page").message());
        }
        DecisionOptions.checkUser("--user", user);
        Sandbox.Seed seed = Sandbox.Seed.forRequest(r);
        // The page's port is taken before anything is written to AWS: a busy port is a usage error, not a deployment
        // nobody can answer from the page (issue 10).
        ProgressServer page = servePage == null ? null : bindPage(servePage, pageToken, "--serve-page");
        try (Session session = Session.open(cli, connection, region, seed, sandboxSpeed)) {
            Progress progress = Progress.create(output.mode(cli), cli.out, session.clock(), cli);
            if (session.sandbox != null) {
                progress.message("Sandbox: embedded ECS simulator at " + session.sandbox.endpoint() + " (virtual time x" + sandboxSpeed + ")");
            }
            io.jenkins.plugins.ecsdeploy.engine.switchover.FlagStore flags = sw == null ? null : SwitchoverOptions.store(session, sw);
            if (sw != null) {
                SwitchoverOptions.preflight(session, sw, flags); // the flag exists: before anything is written
            }
            DeploymentHandle h = session.engine.start(r).get();
            progress.message("Started " + h.deploymentArn());
            // Ctrl-C stops following, not the deployment (it runs in ECS): say how to pick it up again.
            Thread onExit = new Thread(() -> {
                cli.err.println("Stopped following; the deployment goes on in ECS. Follow it again with: ecs-deploy status --watch "
                        + h.deploymentArn());
                cli.err.flush();
            }, "ecs-deploy-exit-note");
            boolean hooked = session.sandbox == null && addShutdownHook(onExit);
            String who = user == null ? cli.userName : user;
            try {
                DeploymentBackend switchoverBackend = null;
                List<io.jenkins.plugins.ecsdeploy.engine.DeploymentListener> extra = new ArrayList<>();
                if (page != null) {
                    DeploymentBackend backend = new DeploymentBackend(session, h, who);
                    extra.add(backend);
                    switchoverBackend = backend;
                    page.serve(backend, (r.service() == null ? "" : r.service()) + " deployment", 2000);
                    progress.message("Progress page: " + page.url());
                }
                final Progress p = progress;
                final String pageUrl = page == null ? null : page.url();
                // the terminal wraps this hint rather than cut it, and drops it once the gate is decided (Progress)
                GateHandler people = gate -> p.hint("Gate waiting at " + io.jenkins.plugins.ecsdeploy.engine.StageNames.withEcsName(
                        gate.stage()) + ": ecs-deploy approve " + h.deploymentArn() + " · ecs-deploy rollback "
                        + h.deploymentArn() + (pageUrl == null ? "" : " · or on " + pageUrl));
                // the analysis decides the gates it owns and asks people only when it is inconclusive (docs/analysis.md)
                GateHandler gates = r.analysis() == null ? people
                        : session.engine.analyses().gateHandler(r.analysis(), people);
                final DeploymentBackend swPage = switchoverBackend;
                SwitchoverOptions.Running swRun = sw == null ? null : SwitchoverOptions.follow(session, h, sw, flags, st -> {
                    p.message(st.describe());
                    if (swPage != null) {
                        swPage.switchover = st.toJsonNode();
                    }
                });
                if (sw != null) {
                    GateHandler others = gates; // the switchover answers the gate at its own stage
                    gates = g -> {
                        if (!g.stage().equals(sw.stage())) {
                            others.onGate(g);
                        }
                    };
                }
                Follow.Result res = new Follow(progress, request.waitUntilStage(), extra).run(session, h, gates);
                if (swRun != null) {
                    try (swRun) {
                        swRun.finish(); // a flip back the outcome still needs
                    }
                }
                if (hooked) {
                    Runtime.getRuntime().removeShutdownHook(onExit);
                }
                return finish(cli, progress, output, res, h);
            } finally {
                if (page != null) {
                    page.close();
                }
            }
        } finally {
            if (page != null) {
                page.close(); // closing twice is harmless
            }
        }
    }

    /** Binds the page's port now; a busy port is exit 2 naming the flag, before any AWS call. */
    static ProgressServer bindPage(int port, boolean token, String flag) {
        try {
            return ProgressServer.bind(port, token);
        } catch (java.io.IOException e) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem(flag, String.valueOf(port),
                    "a free TCP port on 127.0.0.1, or 0 for any free port (" + io.jenkins.plugins.ecsdeploy.engine.SafeText.line(
                    e.getMessage(), 200) + "); nothing was started").message());
        }
    }

    private static boolean addShutdownHook(Thread t) {
        try {
            Runtime.getRuntime().addShutdownHook(t);
            return true;
        } catch (IllegalStateException | SecurityException e) {
            return false; // already shutting down
        }
    }

    /** Prints the summary (or the JSON result line) and maps the outcome to the exit code. */
    static int finish(Cli cli, Progress progress, OutputOptions output, Follow.Result res, DeploymentHandle h) {
        int code = res.outcome() == null ? ExitCodes.OK : ExitCodes.of(res.outcome());
        if (output.json) {
            ObjectNode n = Progress.JSON.createObjectNode();
            n.put("type", "Result");
            n.put("deploymentArn", h.deploymentArn());
            n.put("exitCode", code);
            if (res.outcome() != null) {
                n.put("outcome", res.outcome().kind().name());
                n.put("description", res.outcome().describe());
                // the engine's plain words for the cause, the same text the plugin and the page show
                n.put("plainWords", res.outcome().plainWords());
                n.put("warning", res.outcome().warning());
            } else {
                n.putNull("outcome");
                n.put("reachedStage", res.reachedStage());
            }
            if (res.snapshot() != null) {
                n.set("snapshot", res.snapshot().toJsonNode());
            }
            cli.out.println(n.toString());
        } else {
            if (res.outcome() == null) {
                cli.out.println("Reached " + res.reachedStage() + "; the deployment goes on in ECS. Follow it with: ecs-deploy status --watch "
                        + h.deploymentArn());
            } else if (res.snapshot() != null) {
                Progress.summary(res.snapshot()).forEach(cli.out::println);
            } else {
                cli.out.println(res.outcome().describe());
            }
            if (res.outcome() != null) {
                cli.out.println(Progress.cut(res.outcome().plainWords(), 10_000));
                if (res.outcome().warning() != null) {
                    cli.out.println("Warning: " + res.outcome().warning());
                }
            }
        }
        cli.out.flush();
        return code;
    }
}
