package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.Alarms;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.EcsStages;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.LambdaHook;
import io.jenkins.plugins.ecsdeploy.engine.RequestValidator;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.validation.TaskDefinitionFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The deployment request as flags: the same options as the Pipeline steps (issue 5). Numbers are taken as
 * text and converted here, so that every bad value is reported at once, in the same one-line form as the
 * engine's {@link ValidationProblem}s, naming the flag (picocli would stop at the first bad number).
 */
public final class RequestOptions {

    /** Stages a gate may sit at: the engine's list (with ROLLING the engine allows fewer, and says so). */
    static final List<String> GATE_STAGES = EcsStages.PAUSE_STAGES;
    /** Stages a Lambda hook may run at: the engine's list. */
    static final List<String> HOOK_STAGES = EcsStages.HOOK_STAGES;
    /** Stages --wait-until accepts (the engine's order), COMPLETED aside. */
    static final List<String> REPORTED_STAGES = EcsStages.ORDER;
    static final String COMPLETED = EcsStages.COMPLETED;
    static final List<String> STRATEGIES = List.of("rolling", "blue-green", "canary", "linear");

    @Option(order = 2, names = "--cluster", paramLabel = "NAME|ARN", description = "Cluster name or ARN (default: the account's 'default' cluster).")
    String cluster;

    @Option(order = 1, names = "--service", paramLabel = "NAME", description = "REQUIRED. The ECS service to deploy.")
    String service;

    @Option(order = 12, names = "--image", paramLabel = "CONTAINER=IMAGE",
            description = "New image for one container of the service's current task definition (repeatable).")
    List<String> images = new ArrayList<>();

    @Option(order = 13, names = "--task-definition", paramLabel = "FAMILY:REVISION|ARN", description = "Deploy this registered task definition.")
    String taskDefinition;

    @Option(order = 14, names = "--task-definition-file", paramLabel = "FILE",
            description = "Register this task definition JSON (the AWS CLI's register-task-definition input) and deploy it.")
    String taskDefinitionFile;

    @Option(order = 15, names = "--strategy", paramLabel = "STRATEGY", description = "rolling | blue-green | canary | linear (default: rolling).")
    String strategy;

    @Option(order = 16, names = "--canary-percent", paramLabel = "PERCENT", description = "canary: production traffic of the canary step, 0.1-100 in steps of 0.1 (ECS default 5).")
    String canaryPercent;

    @Option(order = 17, names = "--canary-bake-minutes", paramLabel = "MINUTES", description = "canary: minutes at the canary step, 0-1440 (ECS default 10).")
    String canaryBakeMinutes;

    @Option(order = 18, names = "--step-percent", paramLabel = "PERCENT", description = "linear: traffic added per step, 3-100 in steps of 0.1 (ECS default 10).")
    String stepPercent;

    @Option(order = 19, names = "--step-bake-minutes", paramLabel = "MINUTES", description = "linear: minutes between steps, 0-1440 (ECS default 6).")
    String stepBakeMinutes;

    @Option(order = 20, names = "--bake-minutes", paramLabel = "MINUTES", description = "blue-green, canary, linear: minutes blue and green run side by side at 100%%, 0-1440.")
    String bakeMinutes;

    @Option(order = 21, names = "--minimum-healthy-percent", paramLabel = "PERCENT", description = "rolling: minimumHealthyPercent.")
    String minimumHealthyPercent;

    @Option(order = 22, names = "--maximum-percent", paramLabel = "PERCENT", description = "rolling: maximumPercent.")
    String maximumPercent;

    @Option(order = 23, names = "--circuit-breaker", negatable = true,
            description = "Turn the deployment circuit breaker on (--no-circuit-breaker: off) for any strategy; default: the service's.")
    Boolean circuitBreaker;

    @Option(order = 24, names = "--circuit-breaker-rollback", negatable = true,
            description = "Roll back when the breaker trips (default: on with the breaker; --no-circuit-breaker-rollback stops instead).")
    Boolean circuitBreakerRollback;

    @Option(order = 25, names = "--early-success-percent", paramLabel = "PERCENT",
            description = "rolling: complete once this percent of the desired count runs the new revision (0-100, at least the minimum healthy percent).")
    String earlySuccessPercent;

    @Option(order = 26, names = "--early-success-cleanup", paramLabel = "BLOCKING|DEFERRED",
            description = "rolling, with --early-success-percent: remove the old tasks before completing (BLOCKING) or after (DEFERRED).")
    String earlySuccessCleanup;

    @Option(order = 27, names = "--alarm", paramLabel = "NAME", description = "CloudWatch alarm ECS watches during the deployment (repeatable).")
    List<String> alarms = new ArrayList<>();

    @Option(order = 28, names = "--alarm-rollback", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Roll back when an --alarm fires (default: true; --no-alarm-rollback only reports).")
    boolean alarmRollback = true;

    @Option(order = 29, names = "--hook", paramLabel = "ARN:STAGE[,STAGE]",
            description = "Lambda lifecycle hook: function ARN, a colon, and the stages it runs at (repeatable).")
    List<String> hooks = new ArrayList<>();

    @Option(order = 30, names = "--hook-role-arn", paramLabel = "ARN", description = "IAM role ECS assumes to invoke the --hook functions.")
    String hookRoleArn;

    @Option(order = 31, names = "--approve-at", paramLabel = "STAGE", description = "Pause at this lifecycle stage until someone approves or rolls back (repeatable).")
    List<String> approveAt = new ArrayList<>();

    @Option(order = 32, names = "--gate-timeout-minutes", paramLabel = "MINUTES", description = "How long a gate waits, 1-20160 (default: 60).")
    String gateTimeoutMinutes;

    @Option(order = 33, names = "--gate-timeout-action", paramLabel = "ACTION", description = "What a gate does when nobody decides: ROLLBACK (default) | CONTINUE.")
    String gateTimeoutAction;

    @Option(order = 34, names = "--wait-until", paramLabel = "STAGE|COMPLETED",
            description = "Return once the deployment reaches this lifecycle stage; COMPLETED (default) waits for the end.")
    String waitUntil;

    @Option(order = 35, names = "--desired-count", paramLabel = "N", description = "Set the service's desired task count with the deployment.")
    String desiredCount;

    @Option(order = 36, names = "--force-new-deployment", description = "Deploy even when the task definition does not change.")
    boolean forceNewDeployment;

    @Option(order = 37, names = "--allow-role-account", paramLabel = "ACCOUNT",
            description = "An AWS account whose IAM roles the --task-definition-file may name besides the service's own (repeatable).")
    List<String> allowRoleAccounts = new ArrayList<>();

    /** The region comes from the connection options (shared with status/approve/rollback). */
    static final String DEFAULT_GATE_TIMEOUT = "60";

    /**
     * Builds the request; every problem found goes to {@code problems} (flag names, not engine field names).
     *
     * @param revisionRequired plan works without a revision (it only needs the strategy)
     */
    DeploymentRequest toRequest(String region, boolean revisionRequired, List<ValidationProblem> problems) {
        DeploymentRequest.Builder b = DeploymentRequest.builder().region(region).cluster(blankToNull(cluster))
                .service(blankToNull(service)).forceNewDeployment(forceNewDeployment)
                .allowedRoleAccounts(allowRoleAccounts);
        if (service == null || service.isBlank()) {
            problems.add(new ValidationProblem("--service", service, "a service name is required"));
        }
        if (cluster != null && cluster.isBlank()) {
            // an explicitly empty --cluster must not silently become the account's default cluster (issue 10)
            problems.add(new ValidationProblem("--cluster", cluster,
                    "a cluster name or ARN; leave the flag out for the account's 'default' cluster"));
        }
        // ---- revision: exactly one source
        int sources = (images.isEmpty() ? 0 : 1) + (taskDefinition == null ? 0 : 1) + (taskDefinitionFile == null ? 0 : 1);
        if (sources > 1) {
            problems.add(new ValidationProblem("--image/--task-definition/--task-definition-file",
                    describeSources(), "give exactly one of --image (repeatable), --task-definition, --task-definition-file"));
        } else if (sources == 0 && revisionRequired) {
            problems.add(new ValidationProblem("--image/--task-definition/--task-definition-file", "",
                    "give one of --image CONTAINER=IMAGE, --task-definition FAMILY:REVISION|ARN, --task-definition-file FILE"));
        } else if (!images.isEmpty()) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String p : images) {
                int eq = p.indexOf('=');
                if (eq <= 0 || eq == p.length() - 1) {
                    problems.add(new ValidationProblem("--image", p, "expected CONTAINER=IMAGE, e.g. web=registry/web:1.4.2"));
                } else if (m.put(p.substring(0, eq), p.substring(eq + 1)) != null) {
                    // not trimmed: trim() would silently drop leading/trailing control characters (ESC, CR) instead
                    // of refusing them; the engine names any space or control character it finds
                    problems.add(new ValidationProblem("--image", p, "each container at most once"));
                }
            }
            b.revision(new RevisionSource.ImageOverrides(m));
        } else if (taskDefinition != null) {
            b.revision(new RevisionSource.TaskDefinition(taskDefinition));
        } else if (taskDefinitionFile != null) {
            try {
                // at most 1 MiB of a regular file: never /dev/zero, a FIFO or a huge file (issue 10)
                b.revision(new RevisionSource.TaskDefinitionJson(
                        TaskDefinitionFile.read(Path.of(taskDefinitionFile), "--task-definition-file"), taskDefinitionFile));
            } catch (io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException e) {
                problems.addAll(e.problems());
            } catch (RuntimeException e) {
                problems.add(new ValidationProblem("--task-definition-file", taskDefinitionFile,
                        "a readable file path (" + e.getClass().getSimpleName() + ")"));
            }
        }
        // ---- strategy and its parameters
        String s = strategy == null ? "rolling" : strategy.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (s.equals("bluegreen")) {
            s = "blue-green";
        }
        Double canaryPct = decimal("--canary-percent", canaryPercent, problems);
        Integer canaryBake = whole("--canary-bake-minutes", canaryBakeMinutes, problems);
        Double stepPct = decimal("--step-percent", stepPercent, problems);
        Integer stepBake = whole("--step-bake-minutes", stepBakeMinutes, problems);
        Integer bake = whole("--bake-minutes", bakeMinutes, problems);
        Integer minHealthy = whole("--minimum-healthy-percent", minimumHealthyPercent, problems);
        Integer maxPct = whole("--maximum-percent", maximumPercent, problems);
        onlyWith("--canary-percent", canaryPercent, s, "canary", problems);
        onlyWith("--canary-bake-minutes", canaryBakeMinutes, s, "canary", problems);
        onlyWith("--step-percent", stepPercent, s, "linear", problems);
        onlyWith("--step-bake-minutes", stepBakeMinutes, s, "linear", problems);
        onlyWith("--minimum-healthy-percent", minimumHealthyPercent, s, "rolling", problems);
        onlyWith("--maximum-percent", maximumPercent, s, "rolling", problems);
        if (bakeMinutes != null && s.equals("rolling")) {
            problems.add(new ValidationProblem("--bake-minutes", bakeMinutes, "only with --strategy blue-green, canary or linear"));
        }
        Integer earlyPct = whole("--early-success-percent", earlySuccessPercent, problems);
        onlyWith("--early-success-percent", earlySuccessPercent, s, "rolling", problems);
        onlyWith("--early-success-cleanup", earlySuccessCleanup, s, "rolling", problems);
        Strategy.EarlySuccess early = earlySuccessPercent == null && earlySuccessCleanup == null ? null
                : new Strategy.EarlySuccess(earlyPct, earlySuccessCleanup == null ? null
                : earlySuccessCleanup.trim().toUpperCase(Locale.ROOT));
        switch (s) {
            case "rolling" -> b.strategy(new Strategy.Rolling(minHealthy, maxPct, circuitBreaker, circuitBreakerRollback, early));
            case "blue-green" -> b.strategy(new Strategy.BlueGreen(bake, circuitBreaker, circuitBreakerRollback));
            case "canary" -> b.strategy(new Strategy.Canary(canaryPct, canaryBake, bake, circuitBreaker, circuitBreakerRollback));
            case "linear" -> b.strategy(new Strategy.Linear(stepPct, stepBake, bake, circuitBreaker, circuitBreakerRollback));
            default -> problems.add(new ValidationProblem("--strategy", strategy, "one of " + String.join(", ", STRATEGIES)));
        }
        // ---- alarms
        if (!alarms.isEmpty()) {
            for (String a : alarms) {
                if (a.isBlank()) {
                    problems.add(new ValidationProblem("--alarm", a, "a CloudWatch alarm name"));
                }
            }
            b.alarms(new Alarms(alarms, alarmRollback));
        }
        // ---- Lambda hooks: ARN:STAGE[,STAGE]; the ARN itself contains colons, so split at the last one
        for (String h : hooks) {
            int c = h.lastIndexOf(':');
            String arn = c < 0 ? h : h.substring(0, c);
            String stagesText = c < 0 ? "" : h.substring(c + 1);
            List<String> stages = new ArrayList<>();
            boolean ok = c > 0 && arn.startsWith("arn:") && !stagesText.isBlank();
            if (ok) {
                for (String st : stagesText.split(",")) {
                    String norm = st.strip().toUpperCase(Locale.ROOT);
                    if (!HOOK_STAGES.contains(norm)) {
                        problems.add(new ValidationProblem("--hook", h, "stage '" + st.trim() + "' is not a hook stage; one of "
                                + String.join(", ", HOOK_STAGES)));
                    } else {
                        stages.add(norm);
                    }
                }
                b.hook(new LambdaHook(arn, hookRoleArn, stages, null, null, null));
            } else {
                problems.add(new ValidationProblem("--hook", h,
                        "expected FUNCTION_ARN:STAGE[,STAGE], e.g. arn:aws:lambda:eu-west-1:123456789012:function:smoke:POST_TEST_TRAFFIC_SHIFT"));
            }
        }
        if (hookRoleArn != null && hooks.isEmpty()) {
            problems.add(new ValidationProblem("--hook-role-arn", hookRoleArn, "only together with --hook"));
        }
        // ---- gates
        Integer gateTimeout = whole("--gate-timeout-minutes", gateTimeoutMinutes == null ? DEFAULT_GATE_TIMEOUT : gateTimeoutMinutes, problems);
        if (gateTimeout != null && (gateTimeout < 1 || gateTimeout > 20160)) {
            // PAUSE hook timeout range (pause-hook page, docs/engine.md "1. Validation (offline)")
            problems.add(new ValidationProblem("--gate-timeout-minutes", gateTimeoutMinutes, "1 to 20160 minutes (14 days)"));
            gateTimeout = null;
        }
        HookAction timeoutAction = HookAction.ROLLBACK;
        if (gateTimeoutAction != null) {
            try {
                timeoutAction = HookAction.valueOf(gateTimeoutAction.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new ValidationProblem("--gate-timeout-action", gateTimeoutAction, "ROLLBACK or CONTINUE"));
            }
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String g : approveAt) {
            String norm = g.strip().toUpperCase(Locale.ROOT); // strip(), not trim(): a control character is refused, not dropped
            if (!GATE_STAGES.contains(norm)) {
                problems.add(new ValidationProblem("--approve-at", g, "one of " + String.join(", ", GATE_STAGES)
                        + " (ECS cannot pause at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT)"));
            } else if (!seen.add(norm)) {
                problems.add(new ValidationProblem("--approve-at", g, "each stage at most once"));
            } else {
                b.gate(new Gate(norm, gateTimeout == null ? 60 : gateTimeout, timeoutAction));
            }
        }
        // ---- wait-until: the engine's targets and rule (EcsStages)
        if (waitUntil != null && EcsStages.waitTarget(waitUntil) == null) {
            problems.add(new ValidationProblem("--wait-until", waitUntil, "COMPLETED or one of " + String.join(", ", REPORTED_STAGES)));
        }
        Integer desired = whole("--desired-count", desiredCount, problems);
        if (desired != null && desired < 0) {
            problems.add(new ValidationProblem("--desired-count", desiredCount, "0 or more tasks"));
        }
        b.desiredCount(desired);
        return b.build();
    }

    /** The stage to return at, or COMPLETED. */
    String waitUntilStage() {
        String w = waitUntil == null ? null : EcsStages.waitTarget(waitUntil);
        return w == null ? COMPLETED : w;
    }

    /**
     * Parses the flags, then runs the engine's own validation and translates its field names into flags. A flag
     * that already has a problem from parsing is not reported twice.
     */
    DeploymentRequest validated(String region, boolean revisionRequired) {
        // plan works from the options alone: without a region it plans for a placeholder region
        boolean regionGiven = region != null;
        List<ValidationProblem> problems = new ArrayList<>();
        DeploymentRequest r = toRequest(region, revisionRequired, problems);
        Set<String> flagged = new LinkedHashSet<>();
        problems.forEach(p -> flagged.add(p.field()));
        if (problems.stream().noneMatch(p -> p.field().equals("--strategy"))) {
            for (ValidationProblem p : RequestValidator.validate(r)) {
                String flag = FlagNames.flagFor(p.field());
                if (!revisionRequired && (flag.startsWith("--image/") || (flag.equals("--region") && !regionGiven))) {
                    continue;
                }
                if (flagged.contains(flag)) {
                    continue;
                }
                problems.add(new ValidationProblem(flag, p.value(), p.allowed()));
            }
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems.stream().map(ValidationProblem::message).toList());
        }
        return r;
    }

    private String describeSources() {
        List<String> s = new ArrayList<>();
        images.forEach(i -> s.add("--image " + i));
        if (taskDefinition != null) {
            s.add("--task-definition " + taskDefinition);
        }
        if (taskDefinitionFile != null) {
            s.add("--task-definition-file " + taskDefinitionFile);
        }
        return String.join(" ", s);
    }

    private static void onlyWith(String flag, String value, String strategy, String required, List<ValidationProblem> problems) {
        if (value != null && !strategy.equals(required)) {
            problems.add(new ValidationProblem(flag, value, "only with --strategy " + required));
        }
    }

    static Integer whole(String flag, String v, List<ValidationProblem> problems) {
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v.strip());
        } catch (NumberFormatException e) {
            problems.add(new ValidationProblem(flag, v, "a whole number"));
            return null;
        }
    }

    static Double decimal(String flag, String v, List<ValidationProblem> problems) {
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.strip());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            problems.add(new ValidationProblem(flag, v, "a number such as 10 or 2.5"));
            return null;
        }
    }

    /** Untrimmed: a stray space or control character is refused by the engine, not silently removed. */
    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
