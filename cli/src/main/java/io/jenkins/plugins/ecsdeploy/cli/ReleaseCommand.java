package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.release.PendingWaveGate;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseEngine;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseJson;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseOutcome;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseRequest;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseRun;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseService;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseSnapshot;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ecs-deploy release --file release.json}: several services released as one, in waves, with one gate per wave
 * (docs/releases.md, docs/cli.md "release"). The file is the engine's release text form ({@code ReleaseJson}); every
 * service runs on an engine for its own region and role. Wave gates: {@code --auto-approve} (unattended), or typed
 * in the terminal ({@code a} / {@code r} and Enter). Exit 0 SUCCEEDED, 3 rolled back, 4 failed or not everything could
 * be rolled back, 2 refused before any write.
 */
@Command(name = "release", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Release several services as one, in waves (a gate per wave; a failure rolls back the wave and reverts earlier waves).")
final class ReleaseCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(order = 0, names = "--file", paramLabel = "FILE", required = true,
            description = "REQUIRED. The release: services (each a deployment), waves and gate, as JSON (docs/releases.md).")
    Path file;

    @Option(order = 1, names = "--auto-approve", description = "Approve every wave's gate at once, as --user (unattended run).")
    boolean autoApprove;

    @Option(order = 2, names = "--user", paramLabel = "ID", description = "Who decides the wave gates (default: the OS user name).")
    String user;

    @Option(order = 3, names = "--sandbox-speed", paramLabel = "N", defaultValue = "600",
            description = "With --sandbox: virtual seconds per real second (default: ${DEFAULT-VALUE}).")
    double sandboxSpeed;

    @Option(order = 4, names = "--serve-page", paramLabel = "PORT", arity = "0..1", fallbackValue = "0",
            description = "Serve the release page (waves side by side, each service's stages and traffic, Approve / Roll back per wave) on http://127.0.0.1:PORT/.")
    Integer servePage;

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        Cli cli = main.cli;
        DecisionOptions.checkUser("--user", user);
        String who = user == null ? cli.userName : user;
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--file", String.valueOf(file), "a readable JSON release file").message());
        }
        String region = connection.sandbox ? (connection.region == null ? Session.SANDBOX_REGION : connection.region)
                : connection.regionOrEnv(cli.env);
        if (region == null && connection.endpoint != null) {
            region = Session.SANDBOX_REGION;
        }
        ReleaseRequest r;
        try {
            // a region given on the command line is the default of services that name none
            String text = Files.readString(file, StandardCharsets.UTF_8);
            com.fasterxml.jackson.databind.node.ObjectNode tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
            if (!tree.has("region") && region != null) {
                tree.put("region", region);
            }
            r = ReleaseJson.fromTree(tree, "--file");
        } catch (InvalidRequestException e) {
            throw new CliException(ExitCodes.USAGE, e.problems().stream().map(p -> "--file " + file.getFileName() + ": " + p.message()).toList());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | ClassCastException e) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--file", String.valueOf(file),
                    "a JSON object with services, waves and gate (docs/releases.md)").message());
        }
        if (servePage != null && (servePage < 0 || servePage > 65535)) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--serve-page", String.valueOf(servePage), "a TCP port 1-65535, or 0 for any free port").message());
        }
        if (r.gate() != null && !autoApprove && !cli.tty && servePage == null) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--auto-approve", null,
                    "needed when the release has wave gates and no terminal or page (--serve-page) answers them").message());
        }
        Map<String, Session> sessions = new LinkedHashMap<>();
        ProgressServer page = null;
        try {
            if (servePage != null) {
                try {
                    // bound before anything is written to AWS: a busy port is a usage error (as for deploy)
                    page = ProgressServer.bind(servePage, false).template("release.html");
                } catch (java.io.IOException e) {
                    throw new CliException(ExitCodes.USAGE, new ValidationProblem("--serve-page", String.valueOf(servePage),
                            "a free TCP port (" + e.getMessage() + ")").message());
                }
            }
            Session first = open(cli, r, r.services().get(0), sessions);
            if (first.sandbox != null) {
                for (ReleaseService s : r.services()) {
                    try {
                        first.sandbox.simulator().seed().loadBalancedService(s.request().clusterOrDefault(), s.request().service(), 4,
                                LoadBalancerType.ALB);
                    } catch (RuntimeException alreadySeeded) {
                        // the first service was seeded by Sandbox.start
                    }
                }
                say(cli, "Sandbox: embedded ECS simulator at " + first.sandbox.endpoint() + " (virtual time x" + sandboxSpeed + ")");
            }
            for (ReleaseService s : r.services()) {
                open(cli, r, s, sessions);
            }
            Map<String, String> lastState = new HashMap<>();
            CompletableFuture<ReleaseRun> runRef = new CompletableFuture<>();
            final ProgressServer pageRef = page;
            ReleaseEngine releases = new ReleaseEngine(s -> sessions.get(key(s, sessions)).engine);
            ReleaseRun run = releases.start(r, (what, snap) -> report(cli, snap, lastState), gate -> {
                if (autoApprove) {
                    say(cli, "Wave " + (gate.wave() + 1) + " (" + String.join(", ", gate.services()) + ") waits at its gate: approving as "
                            + SafeText.line(who, 100) + " (--auto-approve)");
                    runRef.thenAccept(x -> x.decide(gate.wave(), new GateDecision(HookAction.CONTINUE, who, "--auto-approve")));
                } else if (pageRef != null) {
                    say(cli, "Wave " + (gate.wave() + 1) + " (" + String.join(", ", gate.services()) + ") waits at its gate: Approve or"
                            + " roll back on " + pageRef.url());
                } else {
                    askInTerminal(cli, gate, who, runRef);
                }
            });
            runRef.complete(run);
            if (page != null) {
                page.serve(backend(run, who), "Release " + (r.name() == null ? "" : r.name()), 1000);
                say(cli, "Release page: " + page.url());
            }
            ReleaseOutcome o = run.outcome().get();
            run.close();
            if (output.json) {
                cli.out.println(run.snapshot().toJson());
            }
            say(cli, "Release " + SafeText.line(run.snapshot().name(), 100) + ": " + SafeText.line(o.describe(), 2000));
            for (Map.Entry<String, String> e : o.services().entrySet()) {
                say(cli, "  " + e.getKey() + ": " + SafeText.line(e.getValue(), 500));
            }
            if (o.kind() == OutcomeKind.SUCCEEDED) {
                return ExitCodes.OK;
            }
            if (o.kind() == OutcomeKind.ROLLED_BACK) {
                return ExitCodes.ROLLED_BACK;
            }
            return o.kind() == OutcomeKind.FAILED && o.reason().startsWith("nothing was deployed") ? ExitCodes.USAGE : ExitCodes.FAILED;
        } finally {
            if (page != null) {
                page.close();
            }
            for (Session s : sessions.values()) {
                s.close();
            }
        }
    }

    /**
     * The release page's answers: the release snapshot (plus "now"), and a wave gate's Approve / Roll back — release.js
     * sends the wave as hookId "wave-N" — or, with no wave, the whole release rolled back.
     */
    private static ProgressServer.Backend backend(ReleaseRun run, String who) {
        return new ProgressServer.Backend() {
            @Override
            public String snapshotJson() {
                com.fasterxml.jackson.databind.node.ObjectNode o = run.snapshot().toJsonNode();
                o.put("now", java.time.Instant.now().toString());
                return o.toString();
            }

            @Override
            public CompletableFuture<ProgressServer.Decision> approve(String hookId, String comment) {
                return decide(hookId, HookAction.CONTINUE, comment);
            }

            @Override
            public CompletableFuture<ProgressServer.Decision> rollback(String hookId, String comment) {
                if (hookId == null) {
                    return run.rollback(comment, who).thenApply(r -> new ProgressServer.Decision(
                            r == io.jenkins.plugins.ecsdeploy.engine.DecisionResult.APPLIED, r.name(), "Rolling the release back."));
                }
                return decide(hookId, HookAction.ROLLBACK, comment);
            }

            private CompletableFuture<ProgressServer.Decision> decide(String hookId, HookAction a, String comment) {
                int wave;
                try {
                    wave = Integer.parseInt(hookId.substring("wave-".length())) - 1;
                } catch (RuntimeException e) {
                    return CompletableFuture.completedFuture(new ProgressServer.Decision(false, "UNKNOWN_GATE",
                            "Not a wave gate: " + SafeText.line(hookId, 50)));
                }
                return run.decide(wave, new GateDecision(a, who, comment)).thenApply(r -> new ProgressServer.Decision(
                        r == io.jenkins.plugins.ecsdeploy.engine.DecisionResult.APPLIED, r.name(),
                        r == io.jenkins.plugins.ecsdeploy.engine.DecisionResult.APPLIED
                                ? (a == HookAction.CONTINUE ? "Approved: wave " + (wave + 1) + " continues." : "Rolling the release back.")
                                : "Wave " + (wave + 1) + "'s gate is not waiting (" + r + ")."));
            }
        };
    }

    /** One engine per region and role; with --sandbox or --endpoint every service talks to that one endpoint. */
    private Session open(Cli cli, ReleaseRequest r, ReleaseService s, Map<String, Session> sessions) {
        String k = key(s, sessions);
        Session existing = sessions.get(k);
        if (existing != null) {
            return existing;
        }
        ConnectionOptions c = new ConnectionOptions();
        c.region = s.request().region();
        c.profile = connection.profile;
        c.roleArn = s.roleArn() != null ? s.roleArn() : connection.roleArn;
        c.externalId = connection.externalId;
        c.endpoint = connection.endpoint;
        c.pollSeconds = connection.pollSeconds;
        c.pollMaxSeconds = connection.pollMaxSeconds;
        c.sandbox = connection.sandbox;
        c.eventsQueueUrl = connection.eventsQueueUrl;
        Sandbox.Seed seed = new Sandbox.Seed(s.request().clusterOrDefault(), s.request().service(), 4);
        Session opened = Session.open(cli, c, s.request().region(), seed, sandboxSpeed);
        sessions.put(k, opened);
        return opened;
    }

    private String key(ReleaseService s, Map<String, Session> sessions) {
        // the sandbox is one simulator: every service uses its one engine
        return connection.sandbox ? "sandbox" : s.request().region() + "|" + (s.roleArn() == null ? "" : s.roleArn());
    }

    /** One line per change of a service's or a wave's state (not per event). */
    private void report(Cli cli, ReleaseSnapshot s, Map<String, String> last) {
        synchronized (last) {
            for (ReleaseSnapshot.Wave w : s.waves()) {
                String k = "wave " + (w.index() + 1);
                String v = w.state() + (w.gate().equals("NONE") ? "" : ", gate " + w.gate());
                if (!v.equals(last.put(k, v))) {
                    say(cli, "Wave " + (w.index() + 1) + " (" + String.join(", ", w.services()) + "): " + v
                            + (w.gateDecidedBy() == null ? "" : " by " + SafeText.line(w.gateDecidedBy(), 100)));
                }
            }
            for (ReleaseSnapshot.Service x : s.services()) {
                String stage = x.snapshot() == null ? null : x.snapshot().lifecycleStage();
                String v = x.state() + (stage == null || stage.isEmpty() ? "" : " at " + stage);
                if (!v.equals(last.put("svc " + x.name(), v))) {
                    say(cli, "  " + x.name() + " (" + x.cluster() + "/" + x.service() + "): " + v
                            + (x.note() == null ? "" : " — " + SafeText.line(x.note(), 300)));
                }
            }
        }
    }

    private void askInTerminal(Cli cli, PendingWaveGate gate, String who, CompletableFuture<ReleaseRun> runRef) {
        say(cli, "Wave " + (gate.wave() + 1) + " (" + String.join(", ", gate.services()) + ") waits at its gate: a + Enter approves, r + Enter rolls back the release");
        Thread t = new Thread(() -> {
            try {
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(cli.in, StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    String a = line.trim().toLowerCase(java.util.Locale.ROOT);
                    if (a.equals("a") || a.equals("r")) {
                        HookAction act = a.equals("a") ? HookAction.CONTINUE : HookAction.ROLLBACK;
                        runRef.join().decide(gate.wave(), new GateDecision(act, who, "from the terminal"));
                        return;
                    }
                }
            } catch (java.io.IOException e) {
                // no terminal any more: ECS applies the gates' timeout action
            }
        }, "ecs-deploy release gate");
        t.setDaemon(true);
        t.start();
    }

    private void say(Cli cli, String line) {
        synchronized (cli.out) {
            if (output.json) {
                com.fasterxml.jackson.databind.node.ObjectNode o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
                o.put("type", "Message");
                o.put("text", line);
                cli.out.println(o.toString());
            } else {
                cli.out.println(line);
            }
            cli.out.flush();
        }
    }
}
