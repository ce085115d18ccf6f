package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.RequestValidator;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ecs-deploy demo}: the whole job on an embedded default (docs/cli.md "demo"). Starts the simulator with a
 * sample cluster and a load-balanced service, runs a canary (or --strategy) with a gate, shows the terminal progress
 * and serves the progress page where a person approves or rolls back; ends with the summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a sample deployment on an embedded ECS simulator in accelerated virtual time, with a gate "
                + "you decide on the progress page (or in the terminal). No AWS account needed.")
final class DemoCommand implements Callable<Integer> {
    static final String CLUSTER = "demo";
    static final String SERVICE = "web";
    static final String CONTAINER = "web";
    static final String DEFAULT_IMAGE = "public.ecr.aws/nginx/nginx:1.28";

    @ParentCommand
    Main main;

    @Mixin
    OutputOptions output;

    @Option(names = "--strategy", paramLabel = "STRATEGY", defaultValue = "canary",
            description = "canary (default: 10%% for 5 min, then 100%%, bake 10 min) | linear (25%% steps, 2 min each, bake 5) "
                    + "| blue-green (bake 10) | rolling (no gate).")
    String strategy;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "" + DEFAULT_SPEED,
            description = "Virtual seconds per real second (default: ${DEFAULT-VALUE}; the canary then takes about 30 s plus your decision).")
    double speed;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "Port of the progress page on 127.0.0.1 (default: any free port; the URL is printed).")
    int port;

    @Option(names = "--approve-at", paramLabel = "STAGE",
            description = "Where the gate waits (repeatable; default POST_TEST_TRAFFIC_SHIFT; none with rolling).")
    List<String> approveAt = new ArrayList<>();

    @Option(names = "--gate-timeout-minutes", paramLabel = "MINUTES", defaultValue = "240",
            description = "Virtual minutes a gate waits before it rolls back by itself (default: ${DEFAULT-VALUE}).")
    int gateTimeoutMinutes;

    @Option(names = "--auto-approve", description = "Approve every gate at once (unattended run; exit 0 on SUCCEEDED).")
    boolean autoApprove;

    @Option(names = "--auto-rollback", description = "Roll back at the first gate (unattended run; exit 3 on ROLLED_BACK).")
    boolean autoRollback;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = DEFAULT_IMAGE,
            description = "Image the demo deploys to its container 'web' (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--user", paramLabel = "ID", defaultValue = "demo-user",
            description = "Who decides gates from the page or the terminal (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--hold", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "-1",
            description = "Keep serving the page after the end: for SECONDS, or until Ctrl-C without a value.")
    Integer hold;

    @Option(names = "--open", description = "Open the page in the desktop's browser (if there is one).")
    boolean open;

    @Option(names = "--bake-minutes", paramLabel = "MINUTES",
            description = "Virtual minutes blue and green run side by side at the end, 0-1440 (default: 10 for canary and "
                    + "blue-green, 5 for linear).")
    Integer bakeMinutes;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "1000",
            description = "How often the page polls the snapshot (default: ${DEFAULT-VALUE}).")
    int pollMs;

    /** 40 virtual seconds per real second: the default canary (~20 virtual minutes) runs in about 30 s. */
    static final double DEFAULT_SPEED = 40;

    @Override
    public Integer call() throws Exception {
        Cli cli = main.cli;
        DeploymentRequest r = request();
        Progress progress;
        Sandbox.Seed seed = new Sandbox.Seed(CLUSTER, SERVICE, 4);
        // the page's port first: a busy --port is exit 2 before anything is started (issue 10)
        try (ProgressServer page = DeployCommand.bindPage(port, false, "--port");
             Session session = Session.openSandbox(speed, seed)) {
            progress = Progress.create(output.mode(cli), cli.out, session.clock(), cli);
            if (!RequestValidator.validate(r).isEmpty()) {
                // The engine refuses this image name as an override (ECS allows only a few characters in an image
                // name). The demo still shows it, e.g. for the page's XSS test: it registers the task definition in
                // the simulator itself, as a CI job would before 'deploy --task-definition', and deploys that.
                String td = session.sandbox.simulator().seed().taskDefinition(SERVICE, image);
                progress.message("Note: the engine refuses '" + image + "' as an --image override; the demo registered "
                        + td + " in the simulator directly and deploys it by ARN.");
                r = r.toBuilder().revision(new RevisionSource.TaskDefinition(td)).build();
            }
            DeploymentHandle h = session.engine.start(r).get();
            DeploymentBackend backend = new DeploymentBackend(session, h, user);
            page.serve(backend, "web @ demo · " + r.strategy().ecsName(), pollMs);
            {
                progress.message("Sandbox: simulator with cluster '" + CLUSTER + "' and load-balanced service '" + SERVICE
                        + "', virtual time x" + fmt(speed));
                progress.message("Progress page: " + page.url());
                progress.message("Deploying " + CONTAINER + "=" + image + " with " + r.strategy().ecsName() + ": " + h.deploymentArn());
                if (open) {
                    cli.browser.accept(page.url());
                }
                final Progress p = progress;
                final boolean[] keysMode = {false};
                GateHandler gates = gate -> {
                    if (autoApprove || autoRollback) {
                        HookAction a = autoApprove ? HookAction.CONTINUE : HookAction.ROLLBACK;
                        p.message("Gate at " + gate.stage() + ": " + (autoApprove ? "approving" : "rolling back") + " as " + user + " (--auto-"
                                + (autoApprove ? "approve" : "rollback") + ")");
                        session.engine.decide(h, gate.hookId(), new GateDecision(a, user, "unattended demo"));
                    } else {
                        // short enough never to be cut; the terminal drops it once the gate is decided (Progress)
                        p.hint(cli.tty ? "Gate waiting at " + io.jenkins.plugins.ecsdeploy.engine.StageNames.withEcsName(gate.stage())
                                + ": " + (keysMode[0] ? "a approve · r roll back" : "a approve · r roll back (then Enter)")
                                + " · or on " + page.url()
                                : "Gate at " + gate.stage() + ": open " + page.url() + " and click Approve or Roll back");
                    }
                };
                // on a terminal a single key decides (the terminal in character mode for the run, restored after)
                TerminalKeys raw = cli.tty && !autoApprove && !autoRollback && !output.json ? TerminalKeys.enter() : null;
                keysMode[0] = raw != null;
                java.util.concurrent.BlockingQueue<Integer> pressed = new java.util.concurrent.LinkedBlockingQueue<>();
                Thread keys = cli.tty && !autoApprove && !autoRollback ? terminalDecisions(cli, backend, progress, raw != null, pressed) : null;
                int code;
                try {
                    Follow.Result res = new Follow(progress, RequestOptions.COMPLETED, List.of(backend)).run(session, h, gates);
                    code = DeployCommand.finish(cli, progress, output, res, h);
                    if (hold == null && cli.tty && !output.json) {
                        // the run is over, but someone may want to read the final page: keep it until a key (or 10 minutes)
                        cli.out.println("The page at " + page.url() + " shows the outcome until you press "
                                + (raw != null ? "any key" : "Enter") + " (at most 10 minutes).");
                        cli.out.flush();
                        pressed.clear();
                        try {
                            pressed.poll(10, TimeUnit.MINUTES);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                } finally {
                    if (keys != null) {
                        keys.interrupt();
                    }
                    if (raw != null) {
                        raw.close();
                    }
                }
                if (hold != null) {
                    if (!output.json) {
                        cli.out.println("Holding the page at " + page.url() + (hold < 0 ? " until Ctrl-C" : " for " + hold + " s"));
                        cli.out.flush();
                    }
                    CountDownLatch never = new CountDownLatch(1);
                    try {
                        if (hold < 0) {
                            never.await();
                        } else {
                            never.await(hold, TimeUnit.SECONDS);
                        }
                    } catch (InterruptedException e) {
                        // Ctrl-C or the embedding test ends the hold; the outcome's code stands
                        Thread.currentThread().interrupt();
                    }
                }
                return code;
            }
        }
    }

    /** The demo's deployment request, checked like any other (exit 2 naming the flag). */
    DeploymentRequest request() {
        List<ValidationProblem> problems = new ArrayList<>();
        String s = strategy.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (bakeMinutes != null && (bakeMinutes < 0 || bakeMinutes > 1440)) {
            problems.add(new ValidationProblem("--bake-minutes", String.valueOf(bakeMinutes), "0 to 1440 minutes"));
        }
        int bake = bakeMinutes == null || bakeMinutes < 0 || bakeMinutes > 1440 ? -1 : bakeMinutes;
        Strategy st = switch (s) {
            case "canary" -> new Strategy.Canary(10.0, 5, bake < 0 ? 10 : bake);
            case "linear" -> new Strategy.Linear(25.0, 2, bake < 0 ? 5 : bake);
            case "blue-green", "bluegreen" -> new Strategy.BlueGreen(bake < 0 ? 10 : bake);
            case "rolling" -> new Strategy.Rolling(100, 200, null, null);
            default -> {
                problems.add(new ValidationProblem("--strategy", strategy, "one of " + String.join(", ", RequestOptions.STRATEGIES)));
                yield null;
            }
        };
        if (!(speed > 0 && speed <= 100_000)) {
            problems.add(new ValidationProblem("--speed", String.valueOf(speed), "a number above 0, at most 100000"));
        }
        if (port < 0 || port > 65535) {
            problems.add(new ValidationProblem("--port", String.valueOf(port), "a TCP port 1-65535, or 0 for any free port"));
        }
        if (gateTimeoutMinutes < 1 || gateTimeoutMinutes > 20160) {
            problems.add(new ValidationProblem("--gate-timeout-minutes", String.valueOf(gateTimeoutMinutes), "1 to 20160 minutes"));
        }
        if (autoApprove && autoRollback) {
            problems.add(new ValidationProblem("--auto-rollback", null, "not together with --auto-approve"));
        }
        if (pollMs < 100 || pollMs > 60_000) {
            problems.add(new ValidationProblem("--poll-ms", String.valueOf(pollMs), "100 to 60000 milliseconds"));
        }
        if (user == null || user.isBlank() || user.length() > 128 || io.jenkins.plugins.ecsdeploy.engine.SafeText.hasUnsafeCharacters(user)) {
            problems.add(new ValidationProblem("--user", user, "a user id of 1-128 characters"));
        }
        if (hold != null && hold < -1) {
            problems.add(new ValidationProblem("--hold", String.valueOf(hold), "seconds (0 or more), or no value to hold until Ctrl-C"));
        }
        List<Gate> gates = new ArrayList<>();
        if (st != null && !(st instanceof Strategy.Rolling)) {
            List<String> at = approveAt.isEmpty() ? List.of(Gate.DEFAULT_STAGE) : approveAt;
            for (String g : at) {
                String norm = g.strip().toUpperCase(Locale.ROOT);
                if (!RequestOptions.GATE_STAGES.contains(norm)) {
                    problems.add(new ValidationProblem("--approve-at", g, "one of " + String.join(", ", RequestOptions.GATE_STAGES)));
                } else {
                    gates.add(new Gate(norm, gateTimeoutMinutes, HookAction.ROLLBACK));
                }
            }
        } else if (!approveAt.isEmpty()) {
            problems.add(new ValidationProblem("--approve-at", String.join(",", approveAt), "no gates with --strategy rolling"));
        }
        Map<String, String> images = new LinkedHashMap<>();
        images.put(CONTAINER, image);
        DeploymentRequest r = DeploymentRequest.builder().region(Session.SANDBOX_REGION).cluster(CLUSTER).service(SERVICE)
                .revision(new RevisionSource.ImageOverrides(images)).strategy(st).gates(gates).build();
        if (image == null || image.isBlank() || image.length() > 1024) {
            problems.add(new ValidationProblem("--image", image, "an image name of 1-1024 characters"));
        }
        if (problems.isEmpty()) {
            for (ValidationProblem p : RequestValidator.validate(r)) {
                String flag = FlagNames.flagFor(p.field());
                if (!flag.equals("--image")) { // an image the engine refuses is registered directly (see call())
                    problems.add(new ValidationProblem(flag, p.value(), p.allowed()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems.stream().map(ValidationProblem::message).toList());
        }
        return r;
    }

    /**
     * On a terminal: "a" approves, "r" rolls back the waiting gate (same path as the page's buttons) — single keys in
     * character mode ({@link TerminalKeys}), else a line with Enter. Every key also goes to {@code pressed} (the final
     * page waits for one).
     */
    private Thread terminalDecisions(Cli cli, DeploymentBackend backend, Progress progress, boolean singleKeys,
                                     java.util.concurrent.BlockingQueue<Integer> pressed) {
        Thread t = new Thread(() -> {
            try {
                java.io.InputStream in = cli.in;
                BufferedReader lines = singleKeys ? null : new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                while (!Thread.currentThread().isInterrupted()) {
                    String l;
                    if (singleKeys) {
                        int c = in.read();
                        if (c < 0) {
                            return;
                        }
                        l = String.valueOf((char) c);
                    } else {
                        l = lines.readLine();
                        if (l == null) {
                            return;
                        }
                        progress.inputLineEchoed();
                    }
                    pressed.offer(1);
                    l = l.trim().toLowerCase(Locale.ROOT);
                    var waiting = backend.latest().awaitingGates();
                    if (waiting.isEmpty() || l.isEmpty()) {
                        continue;
                    }
                    String hook = waiting.get(0).hookId();
                    if (l.startsWith("a")) {
                        backend.approve(hook, "approved in the terminal");
                    } else if (l.startsWith("r")) {
                        backend.rollback(hook, "rolled back in the terminal");
                    }
                }
            } catch (java.io.IOException ignored) {
                // stdin closed: the page is still there
            }
        }, "ecs-deploy-keys");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
