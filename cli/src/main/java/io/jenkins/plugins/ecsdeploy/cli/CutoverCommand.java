package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.StrategyParameters;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverEngine;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverEvent;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverGate;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverPlan;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverRun;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverTarget;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverValidator;
import io.jenkins.plugins.ecsdeploy.engine.cutover.DnsCutoverRequest;
import io.jenkins.plugins.ecsdeploy.engine.cutover.HealthCheck;
import io.jenkins.plugins.ecsdeploy.engine.cutover.PendingCutoverGate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ecs-deploy cutover}: a DNS cutover with Route 53 weighted records from one target to another
 * (docs/cutovers.md), step by step with health checks, waits of at least one TTL and optional gates, decided on the
 * progress page (--serve-page) or on the terminal (a line "continue" or "rollback [comment]").
 */
@Command(name = "cutover", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {"ecs-deploy cutover --hosted-zone-id ZONE --record NAME",
                "                   (--blue-service [CLUSTER/]SERVICE | --blue-alias DNS --blue-alias-zone ZONE | --blue-value VALUE)",
                "                   (--green-service ... | --green-alias ... | --green-value ...) [--steps 10,50,100]",
                "                   [--approve-between-steps | --bake-minutes N] [--health-check-path PATH | --health-check-url URL]",
                "                   [--plan] [--serve-page [PORT]] [connection flags] [--json | --plain]"},
        description = "Move a Route 53 record's answers from blue to green in weighted steps (two services in any cluster, "
                + "capacity type, account or region), with health checks of green and rollback to blue.",
        optionListHeading = "%nThe record and the targets, the steps, this command's own flags, the connection to AWS, the output:%n")
final class CutoverCommand implements Callable<Integer> {
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    @ParentCommand
    Main main;

    @Option(order = 1, names = "--hosted-zone-id", paramLabel = "ZONE", description = "The Route 53 hosted zone of the record.")
    String zone;
    @Option(order = 2, names = "--record", paramLabel = "NAME", description = "The record whose answers move, e.g. api.example.com.")
    String record;
    @Option(order = 3, names = "--record-type", paramLabel = "TYPE", description = "A, AAAA or CNAME (default: from the targets).")
    String recordType;
    @Option(order = 4, names = "--ttl", paramLabel = "SECONDS", description = "TTL of value records (default 60); every step waits at least one TTL.")
    Integer ttl;

    @Option(order = 10, names = "--blue-service", paramLabel = "[CLUSTER/]SERVICE", description = "Blue: an ECS service behind a load balancer.")
    String blueService;
    @Option(order = 11, names = "--blue-alias", paramLabel = "DNSNAME", description = "Blue: an alias target's DNS name (with --blue-alias-zone).")
    String blueAlias;
    @Option(order = 12, names = "--blue-alias-zone", paramLabel = "ZONE", description = "The alias target's hosted zone id.")
    String blueAliasZone;
    @Option(order = 13, names = "--blue-value", paramLabel = "VALUE", description = "Blue: an IP address or a host name.")
    String blueValue;
    @Option(order = 14, names = "--blue-region", paramLabel = "REGION", description = "Blue service's region (default --region).")
    String blueRegion;
    @Option(order = 15, names = "--blue-role-arn", paramLabel = "ARN", description = "A role of blue service's account to read it as.")
    String blueRole;
    @Option(order = 16, names = "--blue-set-identifier", paramLabel = "ID", description = "Blue record's set identifier (default: from the target).")
    String blueSetId;

    @Option(order = 20, names = "--green-service", paramLabel = "[CLUSTER/]SERVICE", description = "Green: an ECS service behind a load balancer.")
    String greenService;
    @Option(order = 21, names = "--green-alias", paramLabel = "DNSNAME", description = "Green: an alias target's DNS name (with --green-alias-zone).")
    String greenAlias;
    @Option(order = 22, names = "--green-alias-zone", paramLabel = "ZONE", description = "The alias target's hosted zone id.")
    String greenAliasZone;
    @Option(order = 23, names = "--green-value", paramLabel = "VALUE", description = "Green: an IP address or a host name.")
    String greenValue;
    @Option(order = 24, names = "--green-region", paramLabel = "REGION", description = "Green service's region (default --region).")
    String greenRegion;
    @Option(order = 25, names = "--green-role-arn", paramLabel = "ARN", description = "A role of green service's account to read it as.")
    String greenRole;
    @Option(order = 26, names = "--green-set-identifier", paramLabel = "ID", description = "Green record's set identifier (default: from the target).")
    String greenSetId;
    @Option(order = 27, names = "--green-image", paramLabel = "CONTAINER=IMAGE",
            description = "Deploy green's service first with this image (repeatable); the cutover starts when that deployment succeeded.")
    List<String> greenImages;
    @Option(order = 28, names = "--green-strategy", paramLabel = "STRATEGY", defaultValue = "ROLLING",
            description = "With --green-image: ROLLING (default) or BLUE_GREEN (no bake).")
    String greenStrategy;

    @Option(order = 30, names = "--steps", paramLabel = "PERCENT", split = ",", description = "Green's share after each step (default 10,50,100).")
    List<Integer> steps;
    @Option(order = 31, names = "--bake-minutes", paramLabel = "N", description = "Wait after each step but the last (at least one TTL anyway).")
    Integer bakeMinutes;
    @Option(order = 32, names = "--approve-between-steps", description = "A gate after every step but the last (Approve / Roll back).")
    boolean gate;
    @Option(order = 33, names = "--gate-timeout-minutes", paramLabel = "N", defaultValue = "60",
            description = "The gate's timeout (default 60), held by this process; then --gate-timeout-action.")
    int gateTimeout;
    @Option(order = 34, names = "--gate-timeout-action", paramLabel = "ACTION", defaultValue = "ROLLBACK", description = "ROLLBACK (default) or CONTINUE.")
    String gateTimeoutAction;
    @Option(order = 35, names = "--health-check-url", paramLabel = "URL", description = "Green's health URL (default http://<green>/).")
    String healthUrl;
    @Option(order = 36, names = "--health-check-path", paramLabel = "PATH", description = "Path on green's host (default /).")
    String healthPath;
    @Option(order = 37, names = "--health-check-status", paramLabel = "N", defaultValue = "200", description = "Expected status (default 200).")
    int healthStatus;
    @Option(order = 38, names = "--health-check-attempts", paramLabel = "N", defaultValue = "3", description = "Attempts, 10 s apart (default 3).")
    int healthAttempts;
    @Option(order = 39, names = "--no-health-check", description = "Shift without checking green first.")
    boolean noHealthCheck;
    @Option(order = 40, names = "--change-poll-seconds", paramLabel = "N", defaultValue = "10",
            description = "How often Route 53's change status is read (default 10).")
    int changePollSeconds;
    @Option(order = 41, names = "--id", paramLabel = "ID", description = "A name for this cutover (Route 53 change comments, the page).")
    String id;

    @Option(order = 60, names = "--plan", description = "Print the plan (steps, waits, TTL-bound duration) and exit; no AWS access.")
    boolean plan;
    @Option(order = 61, names = "--serve-page", paramLabel = "PORT", arity = "0..1", fallbackValue = "0",
            description = "Serve the progress page (weights over time, Approve / Roll back) on http://127.0.0.1:PORT/.")
    Integer servePage;
    @Option(order = 62, names = "--user", paramLabel = "ID", description = "Who decides gates (default: the OS user name).")
    String user;
    @Option(order = 63, names = "--decide-on-stdin", description = "Read gate decisions from standard input (the default on a terminal): "
            + "a line 'continue' or 'rollback [comment]'.")
    boolean decideOnStdin;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        Cli cli = main.cli;
        if (connection.sandbox) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem("--sandbox", null, "not with cutover: the sandbox has no "
                    + "Route 53; use --endpoint with a Route 53 endpoint such as moto_server, or AWS").message());
        }
        String region = connection.regionOrEnv(cli.env);
        if (region == null && connection.endpoint != null) {
            region = Session.SANDBOX_REGION;
        }
        DnsCutoverRequest r = request(region == null ? Session.SANDBOX_REGION : region);
        List<ValidationProblem> problems = CutoverValidator.validate(r);
        if (region == null && !plan) {
            problems = new ArrayList<>(problems);
            problems.add(new ValidationProblem("--region", null, "a region is required (flag, AWS_REGION or AWS_DEFAULT_REGION), e.g. us-east-1"));
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems.stream().map(p -> new ValidationProblem(flag(p.field()), p.value(),
                    p.allowed()).message()).toList());
        }
        if (plan) {
            CutoverPlan pl = CutoverPlan.of(r);
            cli.out.print(output.json ? pl.toJson() + "\n" : pl.toText());
            cli.out.flush();
            return ExitCodes.OK;
        }
        DecisionOptions.checkUser("--user", user);
        String who = user == null ? cli.userName : user;
        ProgressServer page = servePage == null ? null : DeployCommand.bindPage(servePage, false, "--serve-page");
        BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        try (Session session = Session.open(cli, connection, region, null, 60);
             CutoverEngine engine = new CutoverEngine(session.engine.config()).greenDeployments(session.engine)) {
            CutoverRun run = engine.start(r, (e, s) -> inbox.add(e), g -> inbox.add(g));
            if (page != null) {
                page.serve(new CutoverBackend(run, who, engine.scheduler().clock()), r.recordName() + " cutover", 2000);
                print(cli, "Progress page: " + page.url());
            }
            if (r.gate() != null && (decideOnStdin || cli.tty)) {
                readDecisions(cli, inbox);
            }
            PendingCutoverGate waiting = null;
            java.util.ArrayDeque<String> typedAhead = new java.util.ArrayDeque<>(); // lines typed before a gate waits
            while (!run.outcome().isDone() || !inbox.isEmpty()) {
                Object o = waiting != null && !typedAhead.isEmpty() ? typedAhead.poll() : inbox.poll(200, TimeUnit.MILLISECONDS);
                if (o instanceof String line && waiting == null) {
                    typedAhead.add(line);
                    continue;
                }
                if (o instanceof CutoverEvent e) {
                    event(cli, e, run.snapshot());
                } else if (o instanceof PendingCutoverGate g) {
                    waiting = g;
                    print(cli, "Gate after step " + g.afterStep() + " (green " + g.greenPercent() + " %): "
                            + (page != null ? "Approve or Roll back on " + page.url() : "")
                            + (r.gate() != null && (decideOnStdin || cli.tty) ? (page != null ? ", or " : "") + "type 'continue' or 'rollback [comment]'" : "")
                            + "; it times out " + g.expiresAt() + " (" + r.gate().timeoutAction() + ")");
                } else if (o instanceof String line && waiting != null) {
                    String[] parts = line.trim().split("\\s+", 2);
                    HookAction a = parts[0].equalsIgnoreCase("continue") || parts[0].equalsIgnoreCase("approve") ? HookAction.CONTINUE
                            : parts[0].equalsIgnoreCase("rollback") ? HookAction.ROLLBACK : null;
                    if (a == null) {
                        print(cli, "Type 'continue' or 'rollback [comment]'.");
                        continue;
                    }
                    DecisionResult res = run.decide(waiting.gateId(), new GateDecision(a, who, parts.length > 1 ? parts[1] : null)).get();
                    print(cli, res == DecisionResult.APPLIED ? a + " by " + who : "Not applied: " + res);
                    waiting = null;
                }
            }
            Outcome o = run.outcome().get();
            CutoverSnapshot s = run.snapshot();
            if (output.json) {
                ObjectNode n = Progress.JSON.createObjectNode();
                n.put("type", "Result");
                n.put("cutoverId", run.id());
                n.put("exitCode", ExitCodes.of(o));
                n.put("outcome", o.kind().name());
                n.put("plainWords", o.plainWords());
                n.set("snapshot", s.toJsonNode());
                cli.out.println(n.toString());
            } else {
                cli.out.println(SafeText.line(o.plainWords(), 10_000));
            }
            cli.out.flush();
            return ExitCodes.of(o);
        } catch (InvalidRequestException e) {
            throw new CliException(ExitCodes.USAGE, e.problems().stream().map(p -> new ValidationProblem(flag(p.field()), p.value(),
                    p.allowed()).message()).toList());
        } finally {
            if (page != null) {
                page.close();
            }
        }
    }

    private void print(Cli cli, String text) {
        if (output.json) {
            ObjectNode n = Progress.JSON.createObjectNode();
            n.put("type", "Message");
            n.put("text", text);
            cli.out.println(n.toString());
        } else {
            cli.out.println(SafeText.line(text, 2000));
        }
        cli.out.flush();
    }

    private void event(Cli cli, CutoverEvent e, CutoverSnapshot s) {
        if (output.json) {
            ObjectNode n = Progress.JSON.createObjectNode();
            n.put("type", e.getClass().getSimpleName());
            n.put("at", io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson.iso(e.at()));
            n.put("text", e.describe());
            cli.out.println(n.toString());
        } else {
            cli.out.println(HMS.format(e.at()) + "  " + SafeText.line(e.describe(), 2000));
        }
        cli.out.flush();
    }

    /** Lines of standard input go to the main loop (a daemon thread: it never keeps the process alive). */
    private static void readDecisions(Cli cli, BlockingQueue<Object> inbox) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(cli.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isBlank()) {
                        inbox.add(line);
                    }
                }
            } catch (java.io.IOException ignored) {
                // standard input closed
            }
        }, "ecs-deploy-cutover-stdin");
        t.setDaemon(true);
        t.start();
    }

    DnsCutoverRequest request(String region) {
        DnsCutoverRequest.Builder b = DnsCutoverRequest.builder().id(id).region(region).hostedZoneId(zone).recordName(record)
                .recordType(recordType).ttlSeconds(ttl).blueSetIdentifier(blueSetId).greenSetIdentifier(greenSetId)
                .steps(steps).bakeMinutes(bakeMinutes).changePollSeconds(changePollSeconds)
                .blue(target("--blue", blueService, blueAlias, blueAliasZone, blueValue, blueRegion, blueRole))
                .green(target("--green", greenService, greenAlias, greenAliasZone, greenValue, greenRegion, greenRole));
        if (gate) {
            HookAction a;
            try {
                a = HookAction.valueOf(gateTimeoutAction.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.USAGE, new ValidationProblem("--gate-timeout-action", gateTimeoutAction, "ROLLBACK or CONTINUE").message());
            }
            b.gate(new CutoverGate(gateTimeout, a));
        }
        if (noHealthCheck) {
            if (healthUrl != null || healthPath != null) {
                throw new CliException(ExitCodes.USAGE, new ValidationProblem("--no-health-check", null,
                        "not with --health-check-url or --health-check-path").message());
            }
            b.healthCheck(null);
        } else {
            HealthCheck h = healthUrl != null ? HealthCheck.url(healthUrl) : HealthCheck.path(healthPath == null ? "/" : healthPath);
            if (healthUrl != null && healthPath != null) {
                throw new CliException(ExitCodes.USAGE, new ValidationProblem("--health-check-path", healthPath, "not with --health-check-url").message());
            }
            b.healthCheck(h.withExpectedStatus(healthStatus).withAttempts(healthAttempts, HealthCheck.DEFAULT.intervalSeconds()));
        }
        if (greenImages != null && !greenImages.isEmpty()) {
            if (!(b.build().green() instanceof CutoverTarget.EcsService g)) {
                throw new CliException(ExitCodes.USAGE, new ValidationProblem("--green-image", String.join(" ", greenImages),
                        "only with --green-service (the service to deploy first)").message());
            }
            String strategy = greenStrategy.toUpperCase(Locale.ROOT).replace('-', '_');
            b.deployGreen(DeploymentRequest.builder().region(g.region() == null ? region : g.region()).cluster(g.cluster())
                    .service(g.service()).revision(RevisionSource.ImageOverrides.parse(greenImages))
                    .strategy(new StrategyParameters(strategy, null, null, null, null, "BLUE_GREEN".equals(strategy) ? 0 : null,
                            null, null, null, null).toStrategy()).build());
        }
        return b.build();
    }

    private static CutoverTarget target(String side, String service, String alias, String aliasZone, String value, String region,
                                        String role) {
        int given = (service != null ? 1 : 0) + (alias != null ? 1 : 0) + (value != null ? 1 : 0);
        if (given != 1) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem(side + "-service", given == 0 ? null : "more than one target",
                    "exactly one of " + side + "-service, " + side + "-alias (with " + side + "-alias-zone) or " + side + "-value").message());
        }
        if (service != null) {
            String cluster = null;
            String name = service;
            if (service.startsWith("arn:")) {
                String[] parts = service.substring(service.indexOf(":service/") + ":service/".length()).split("/");
                if (parts.length == 2) {
                    cluster = parts[0];
                }
            } else if (service.contains("/")) {
                cluster = service.substring(0, service.indexOf('/'));
                name = service.substring(service.indexOf('/') + 1);
            }
            return new CutoverTarget.EcsService(region, cluster, name, role);
        }
        if ((region != null || role != null)) {
            throw new CliException(ExitCodes.USAGE, new ValidationProblem(side + (region != null ? "-region" : "-role-arn"),
                    region != null ? region : role, "only with " + side + "-service").message());
        }
        return alias != null ? new CutoverTarget.Alias(alias, aliasZone, null) : new CutoverTarget.Value(value);
    }

    /** The request's field names as the flags a user typed. */
    static String flag(String field) {
        if (field.startsWith("deployGreen.")) {
            return "--green-image (" + FlagNames.flagFor(field.substring("deployGreen.".length())) + ")";
        }
        return switch (field) {
            case "hostedZoneId" -> "--hosted-zone-id";
            case "recordName" -> "--record";
            case "recordType" -> "--record-type";
            case "ttlSeconds" -> "--ttl";
            case "steps" -> "--steps";
            case "bakeMinutes" -> "--bake-minutes";
            case "gate.timeoutMinutes" -> "--gate-timeout-minutes";
            case "healthCheck.url" -> "--health-check-url";
            case "healthCheck.path" -> "--health-check-path";
            case "healthCheck.expectedStatus" -> "--health-check-status";
            case "healthCheck.attempts" -> "--health-check-attempts";
            case "changePollSeconds" -> "--change-poll-seconds";
            case "blueSetIdentifier" -> "--blue-set-identifier";
            case "greenSetIdentifier" -> "--green-set-identifier";
            case "id" -> "--id";
            case "region" -> "--region";
            default -> {
                if (field.startsWith("blue") || field.startsWith("green")) {
                    String side = field.startsWith("blue") ? "--blue" : "--green";
                    String rest = field.contains(".") ? field.substring(field.indexOf('.') + 1) : "";
                    yield switch (rest) {
                        case "region" -> side + "-region";
                        case "roleArn" -> side + "-role-arn";
                        case "dnsName" -> side + "-alias";
                        case "hostedZoneId" -> side + "-alias-zone";
                        case "value" -> side + "-value";
                        default -> side + "-service";
                    };
                }
                yield FlagNames.flagFor(field);
            }
        };
    }
}
