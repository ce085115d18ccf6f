package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A JSON scenario file (format in docs/simulator.md, "Scenario file"). {@link #load(Path)} checks every member
 * (unknown members are errors naming the path); {@link #scenario()} goes to the builder, {@link #applyTo}
 * installs faults, scripted Lambda functions and seeded services on a started simulator.
 */
public final class ScenarioFile {

    private record ServiceSpec(String cluster, String service, int desiredCount, String kind, String deploymentConfiguration) {
    }

    private final Scenario scenario = new Scenario();
    private Long randomSeed;
    private Instant clockStart;
    private Double speed;
    private final List<Consumer<Faults>> faults = new ArrayList<>();
    private final List<Consumer<LambdaRegistry>> lambdas = new ArrayList<>();
    private final List<ServiceSpec> services = new ArrayList<>();

    private ScenarioFile() {
    }

    public static ScenarioFile load(Path file) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        return parse(root, file.toString());
    }

    public static ScenarioFile parse(JsonNode root, String origin) {
        ScenarioFile f = new ScenarioFile();
        try {
            f.read(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
        return f;
    }

    /** The knobs; pass to {@code EcsSimulator.builder().scenario(...)}. */
    public Scenario scenario() {
        return scenario;
    }

    /** {@code randomSeed} from the file, or null. */
    public Long randomSeed() {
        return randomSeed;
    }

    /** {@code clock.start} from the file, or null (absent or {@code "now"}: the clock starts at the current time). */
    public Instant clockStart() {
        return clockStart;
    }

    /** {@code clock.speed} from the file, or null. */
    public Double speed() {
        return speed;
    }

    /** Installs faults and scripted Lambda functions and seeds the services; returns what was seeded. */
    public List<SeededService> applyTo(EcsSimulator sim) {
        faults.forEach(c -> c.accept(sim.faults()));
        lambdas.forEach(c -> c.accept(sim.lambdas()));
        List<SeededService> out = new ArrayList<>();
        for (ServiceSpec s : services) {
            out.add(switch (s.kind) {
                case "NONE" -> sim.seed().headlessService(s.cluster, s.service, s.desiredCount);
                case "CODE_DEPLOY" -> sim.seed().codeDeployService(s.cluster, s.service, s.desiredCount);
                case "EXPRESS" -> sim.seed().expressService(s.cluster, s.service, s.desiredCount);
                default -> sim.seed().loadBalancedService(s.cluster, s.service, s.desiredCount,
                        LoadBalancerType.valueOf(s.kind), s.deploymentConfiguration);
            });
        }
        return out;
    }

    // ------------------------------------------------------------------ parsing

    private void read(JsonNode root) {
        object(root, "(root)", Set.of("randomSeed", "clock", "timing", "choices", "tasks", "alarms", "lambdas", "faults", "services"));
        if (root.has("randomSeed")) {
            randomSeed = longValue(root.get("randomSeed"), "randomSeed");
        }
        if (root.has("clock")) {
            JsonNode c = object(root.get("clock"), "clock", Set.of("start", "speed"));
            if (c.has("start") && !"now".equals(c.get("start").asText())) {
                try {
                    clockStart = Instant.parse(c.get("start").asText());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("clock.start '" + c.get("start").asText() + "': \"now\" (the default) or an ISO-8601 instant like 2026-01-01T00:00:00Z");
                }
            }
            if (c.has("speed")) {
                speed = number(c.get("speed"), "clock.speed");
                if (!(speed > 0)) {
                    throw new IllegalArgumentException("clock.speed '" + speed + "': a number > 0");
                }
            }
        }
        if (root.has("timing")) {
            JsonNode t = object(root.get("timing"), "timing", Set.of("pendingSeconds", "taskStartSeconds", "minimumStageSeconds",
                    "trafficShiftSeconds", "nlbExtraSeconds", "cleanUpSeconds", "requestedSeconds", "stageTimeLimitMinutes", "defaultFailureRate", "drainSeconds"));
            wrap("timing.pendingSeconds", () -> { if (t.has("pendingSeconds")) scenario.pendingDelay(seconds(t, "pendingSeconds")); });
            wrap("timing.taskStartSeconds", () -> { if (t.has("taskStartSeconds")) scenario.defaultTaskStart(seconds(t, "taskStartSeconds")); });
            wrap("timing.minimumStageSeconds", () -> { if (t.has("minimumStageSeconds")) scenario.minimumStageDuration(seconds(t, "minimumStageSeconds")); });
            wrap("timing.trafficShiftSeconds", () -> { if (t.has("trafficShiftSeconds")) scenario.trafficShift(seconds(t, "trafficShiftSeconds")); });
            wrap("timing.nlbExtraSeconds", () -> { if (t.has("nlbExtraSeconds")) scenario.nlbExtraShift(seconds(t, "nlbExtraSeconds")); });
            wrap("timing.cleanUpSeconds", () -> { if (t.has("cleanUpSeconds")) scenario.cleanUp(seconds(t, "cleanUpSeconds")); });
            wrap("timing.requestedSeconds", () -> { if (t.has("requestedSeconds")) scenario.requestedDelay(seconds(t, "requestedSeconds")); });
            wrap("timing.drainSeconds", () -> { if (t.has("drainSeconds")) scenario.drainTime(seconds(t, "drainSeconds")); });
            wrap("timing.stageTimeLimitMinutes", () -> { if (t.has("stageTimeLimitMinutes")) scenario.stageTimeLimit(Duration.ofMinutes(longValue(t.get("stageTimeLimitMinutes"), "timing.stageTimeLimitMinutes"))); });
            wrap("timing.defaultFailureRate", () -> { if (t.has("defaultFailureRate")) scenario.defaultFailureRate(number(t.get("defaultFailureRate"), "timing.defaultFailureRate")); });
        }
        if (root.has("choices")) {
            JsonNode c = object(root.get("choices"), "choices", Set.of("firstDeploymentHooks", "preProductionStageReport",
                    "configurationUpdate", "rollingStageReport", "infrastructureFault"));
            if (c.has("firstDeploymentHooks")) {
                scenario.firstDeploymentHooks(enumValue(Scenario.FirstDeploymentHooks.class, c.get("firstDeploymentHooks"), "choices.firstDeploymentHooks"));
            }
            if (c.has("preProductionStageReport")) {
                scenario.preProductionStageReport(enumValue(Scenario.PreProductionStageReport.class, c.get("preProductionStageReport"), "choices.preProductionStageReport"));
            }
            if (c.has("configurationUpdate")) {
                scenario.configurationUpdate(enumValue(Scenario.ConfigurationUpdate.class, c.get("configurationUpdate"), "choices.configurationUpdate"));
            }
            if (c.has("rollingStageReport")) {
                scenario.rollingStageReport(enumValue(Scenario.RollingStageReport.class, c.get("rollingStageReport"), "choices.rollingStageReport"));
            }
            if (c.has("infrastructureFault")) {
                scenario.infrastructureFault(enumValue(Scenario.InfrastructureFault.class, c.get("infrastructureFault"), "choices.infrastructureFault"));
            }
        }
        int i = 0;
        for (JsonNode t : array(root, "tasks")) {
            String p = "tasks[" + i++ + "]";
            object(t, p, Set.of("taskDefinition", "imageContains", "startSeconds", "failureRate"));
            wrap(p, () -> scenario.task(new Scenario.TaskRule(text(t, "taskDefinition"), text(t, "imageContains"),
                    t.has("startSeconds") ? seconds(t, "startSeconds") : scenario.defaultTaskStart(),
                    t.has("failureRate") ? number(t.get("failureRate"), p + ".failureRate") : 0.0)));
        }
        i = 0;
        for (JsonNode a : array(root, "alarms")) {
            String p = "alarms[" + i++ + "]";
            object(a, p, Set.of("alarmName", "afterSeconds", "imageContains"));
            if (text(a, "alarmName") == null || !a.has("afterSeconds")) {
                throw new IllegalArgumentException(p + ": alarmName and afterSeconds are required");
            }
            scenario.alarm(new Scenario.AlarmRule(text(a, "alarmName"), seconds(a, "afterSeconds"), text(a, "imageContains")));
        }
        i = 0;
        for (JsonNode l : array(root, "lambdas")) {
            String p = "lambdas[" + i++ + "]";
            object(l, p, Set.of("functionArn", "responses"));
            String arn = text(l, "functionArn");
            if (arn == null) {
                throw new IllegalArgumentException(p + ".functionArn: is required");
            }
            List<HookResponse> responses = new ArrayList<>();
            for (JsonNode r : array(l, "responses")) {
                responses.add(HookResponse.fromJson(r));
            }
            if (responses.isEmpty()) {
                throw new IllegalArgumentException(p + ".responses: at least one response is required (the last one repeats)");
            }
            // Invocation k of a hook execution gets responses[k-1]; the last answer repeats.
            lambdas.add(reg -> reg.register(arn, e -> responses.get(Math.min(e.invocation(), responses.size()) - 1)));
        }
        if (root.has("faults")) {
            readFaults(object(root.get("faults"), "faults", Set.of("throttleRate", "serverErrorRate", "dropRate", "latencyMillis", "operations", "bursts")));
        }
        i = 0;
        for (JsonNode s : array(root, "services")) {
            String p = "services[" + i++ + "]";
            object(s, p, Set.of("cluster", "service", "desiredCount", "loadBalancer", "deploymentConfiguration"));
            String kind = s.has("loadBalancer") ? s.get("loadBalancer").asText().toUpperCase(Locale.ROOT) : "ALB";
            if (!Set.of("ALB", "NLB", "NONE", "CODE_DEPLOY", "EXPRESS").contains(kind)) {
                throw new IllegalArgumentException(p + ".loadBalancer '" + kind + "': ALB, NLB, NONE, CODE_DEPLOY or EXPRESS");
            }
            String svc = text(s, "service");
            if (svc == null) {
                throw new IllegalArgumentException(p + ".service: is required");
            }
            services.add(new ServiceSpec(s.has("cluster") ? text(s, "cluster") : "default", svc,
                    s.has("desiredCount") ? (int) longValue(s.get("desiredCount"), p + ".desiredCount") : 2, kind,
                    s.has("deploymentConfiguration") ? object(s.get("deploymentConfiguration"), p + ".deploymentConfiguration", null).toString() : null));
        }
    }

    private void readFaults(JsonNode f) {
        addRates(null, f, "faults");
        if (f.has("latencyMillis")) {
            long ms = longValue(f.get("latencyMillis"), "faults.latencyMillis");
            wrap("faults.latencyMillis", () -> faults.add(x -> x.latency(Duration.ofMillis(ms))));
        }
        if (f.has("operations")) {
            JsonNode ops = object(f.get("operations"), "faults.operations", null);
            for (Iterator<String> it = ops.fieldNames(); it.hasNext(); ) {
                String op = it.next();
                String p = "faults.operations." + op;
                if (!Api.OPERATIONS.contains(op)) {
                    throw new IllegalArgumentException(p + ": '" + op + "' is not an operation the simulator serves");
                }
                addRates(op, object(ops.get(op), p, Set.of("throttleRate", "serverErrorRate", "dropRate")), p);
            }
        }
        int i = 0;
        for (JsonNode b : array(f, "bursts")) {
            String p = "faults.bursts[" + i++ + "]";
            object(b, p, Set.of("operation", "kind", "count"));
            String op = text(b, "operation");
            String kind = b.path("kind").asText("THROTTLE");
            int count = (int) longValue(b.get("count"), p + ".count");
            switch (kind) {
                case "THROTTLE" -> faults.add(x -> x.throttleNext(op, count));
                case "SERVER_ERROR" -> faults.add(x -> x.serverErrorNext(op, count));
                case "DROP" -> faults.add(x -> x.dropNext(op, count));
                default -> throw new IllegalArgumentException(p + ".kind '" + kind + "': THROTTLE, SERVER_ERROR or DROP");
            }
        }
    }

    private void addRates(String op, JsonNode n, String p) {
        for (String k : new String[] {"throttleRate", "serverErrorRate", "dropRate"}) {
            if (n.has(k)) {
                double r = number(n.get(k), p + "." + k);
                if (!(r >= 0 && r <= 1)) {
                    throw new IllegalArgumentException(p + "." + k + " '" + r + "': 0.0 to 1.0");
                }
                switch (k) {
                    case "throttleRate" -> faults.add(x -> x.throttleRate(op, r));
                    case "serverErrorRate" -> faults.add(x -> x.serverErrorRate(op, r));
                    default -> faults.add(x -> x.dropRate(op, r));
                }
            }
        }
    }

    private static void wrap(String path, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(path) ? e : new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode object(JsonNode n, String path, Set<String> allowed) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(path + ": a JSON object is expected");
        }
        if (allowed != null) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw new IllegalArgumentException(path + "." + k + ": unknown member; allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)));
                }
            }
        }
        return n;
    }

    private static Iterable<JsonNode> array(JsonNode parent, String field) {
        JsonNode a = parent.get(field);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException(field + ": a JSON array is expected");
        }
        return a;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Duration seconds(JsonNode n, String field) {
        double s = number(n.get(field), field);
        if (s < 0) {
            throw new IllegalArgumentException(field + " '" + s + "': seconds >= 0");
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static double number(JsonNode v, String path) {
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(path + " '" + (v == null ? null : v.asText()) + "': a number");
        }
        return v.asDouble();
    }

    private static long longValue(JsonNode v, String path) {
        if (v == null || !v.isIntegralNumber()) {
            throw new IllegalArgumentException(path + " '" + (v == null ? null : v.asText()) + "': an integer");
        }
        return v.asLong();
    }

    private static boolean bool(JsonNode v, String path) {
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException(path + " '" + (v == null ? null : v.asText()) + "': true or false");
        }
        return v.asBoolean();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode v, String path) {
        try {
            return Enum.valueOf(type, v.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + " '" + v.asText() + "': one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
