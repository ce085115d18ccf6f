package io.jenkins.plugins.ecsdeploy.engine.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.engine.Alarms;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.StrategyParameters;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.approval.ApprovalPolicy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one text form of a release (docs/releases.md "The release file"): the CLI reads it from {@code --file}, the
 * Pipeline step turns its arguments into the same tree. Every problem names its path ({@code services.api.bakeMinutes})
 * and is reported together, before any AWS call.
 */
public final class ReleaseJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> ROOT = Set.of("name", "region", "waves", "gate", "approval", "services");
    static final Set<String> SERVICE = Set.of("region", "cluster", "service", "image", "taskDefinition", "strategy",
            "minimumHealthyPercent", "maximumPercent", "circuitBreaker", "circuitBreakerRollback", "bakeMinutes",
            "canaryPercent", "canaryBakeMinutes", "stepPercent", "stepBakeMinutes", "desiredCount", "alarms", "roleArn");
    static final Set<String> GATE = Set.of("timeoutMinutes", "timeoutAction");
    static final Set<String> APPROVAL = Set.of("approvers", "required", "notBy", "rollbackBy");

    private ReleaseJson() {}

    public static ReleaseRequest fromJson(String json, String origin) {
        try {
            return fromTree(JSON.readTree(json), origin);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidRequestException(List.of(new ValidationProblem(origin, null,
                    "a JSON release file (" + e.getOriginalMessage() + ")")));
        }
    }

    /** Parses and checks; throws InvalidRequestException naming every problem. */
    public static ReleaseRequest fromTree(JsonNode root, String origin) {
        List<ValidationProblem> p = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException(List.of(new ValidationProblem(origin, null, "a JSON object with services and waves")));
        }
        unknown(p, root, ROOT, "");
        String defaultRegion = text(p, root, "region", "");
        List<ReleaseService> services = new ArrayList<>();
        JsonNode s = root.get("services");
        if (s == null || !s.isObject() || s.isEmpty()) {
            p.add(new ValidationProblem("services", null, "an object of services by name, e.g. {\"api\": {\"cluster\": …}}"));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ReleaseService rs = service(p, e.getKey(), e.getValue(), defaultRegion);
                if (rs != null) {
                    services.add(rs);
                }
            }
        }
        List<List<String>> waves = new ArrayList<>();
        JsonNode w = root.get("waves");
        if (w == null || !w.isArray()) {
            p.add(new ValidationProblem("waves", w == null ? null : w.toString(), "a list of waves, each a list of service names, e.g. [[\"api\", \"worker\"], [\"web\"]]"));
        } else {
            for (int i = 0; i < w.size(); i++) {
                List<String> names = new ArrayList<>();
                JsonNode x = w.get(i);
                if (x.isTextual()) {
                    names.add(x.asText());
                } else if (x.isArray()) {
                    x.forEach(n -> names.add(n.asText()));
                } else {
                    p.add(new ValidationProblem("waves[" + i + "]", x.toString(), "a list of service names"));
                }
                waves.add(names);
            }
        }
        WaveGate gate = null;
        JsonNode g = root.get("gate");
        if (g != null && !g.isNull() && !(g.isBoolean() && !g.asBoolean())) {
            if (g.isBoolean()) {
                gate = new WaveGate(WaveGate.DEFAULT_TIMEOUT_MINUTES, HookAction.ROLLBACK);
            } else if (g.isObject()) {
                unknown(p, g, GATE, "gate.");
                Integer t = integer(p, g, "timeoutMinutes", "gate.");
                String a = text(p, g, "timeoutAction", "gate.");
                HookAction action = HookAction.ROLLBACK;
                if (a != null) {
                    try {
                        action = HookAction.valueOf(a.trim().toUpperCase(java.util.Locale.ROOT));
                    } catch (IllegalArgumentException ex) {
                        p.add(new ValidationProblem("gate.timeoutAction", a, "CONTINUE or ROLLBACK"));
                    }
                }
                gate = new WaveGate(t == null ? WaveGate.DEFAULT_TIMEOUT_MINUTES : t, action);
            } else {
                p.add(new ValidationProblem("gate", g.toString(), "true, or {\"timeoutMinutes\": 60, \"timeoutAction\": \"ROLLBACK\"}"));
            }
        }
        ApprovalPolicy approval = null;
        JsonNode a = root.get("approval");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                p.add(new ValidationProblem("approval", a.toString(), "{\"approvers\": …, \"required\": 2, \"notBy\": \"starter\", \"rollbackBy\": …}"));
            } else {
                unknown(p, a, APPROVAL, "approval.");
                approval = ApprovalPolicy.of(list(a.get("approvers")), integer(p, a, "required", "approval."), list(a.get("notBy")),
                        list(a.get("rollbackBy")));
            }
        }
        ReleaseRequest r = new ReleaseRequest(text(p, root, "name", ""), services, waves, gate, approval);
        if (p.isEmpty()) {
            p.addAll(ReleaseValidator.validate(r));
        }
        if (!p.isEmpty()) {
            throw new InvalidRequestException(p);
        }
        return r;
    }

    private static ReleaseService service(List<ValidationProblem> p, String name, JsonNode n, String defaultRegion) {
        String at = "services." + name + ".";
        if (!n.isObject()) {
            p.add(new ValidationProblem("services." + name, n.toString(), "an object with cluster, service, image or taskDefinition, strategy"));
            return null;
        }
        int before = p.size();
        unknown(p, n, SERVICE, at);
        String region = text(p, n, "region", at);
        DeploymentRequest.Builder b = DeploymentRequest.builder().region(region != null ? region : defaultRegion)
                .cluster(text(p, n, "cluster", at)).service(text(p, n, "service", at)).desiredCount(integer(p, n, "desiredCount", at));
        JsonNode image = n.get("image");
        String td = text(p, n, "taskDefinition", at);
        if (image != null && td != null) {
            p.add(new ValidationProblem(at + "image", image.toString(), "not together with taskDefinition: one revision per service"));
        } else if (image != null) {
            List<String> pairs = new ArrayList<>();
            if (image.isObject()) {
                image.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
            } else {
                pairs.addAll(ApprovalPolicy.split(list(image)));
            }
            try {
                b.revision(RevisionSource.ImageOverrides.parse(pairs));
            } catch (RuntimeException e) {
                p.add(new ValidationProblem(at + "image", image.toString(), "container=image pairs, e.g. {\"web\": \"registry/web:1.4\"}"));
            }
        } else if (td != null) {
            b.revision(new RevisionSource.TaskDefinition(td));
        } else {
            p.add(new ValidationProblem(at + "image", null, "image (container=image) or taskDefinition is required"));
        }
        try {
            b.strategy(new StrategyParameters(text(p, n, "strategy", at), integer(p, n, "minimumHealthyPercent", at),
                    integer(p, n, "maximumPercent", at), bool(n, "circuitBreaker"), bool(n, "circuitBreakerRollback"),
                    integer(p, n, "bakeMinutes", at), number(n, "canaryPercent"), integer(p, n, "canaryBakeMinutes", at),
                    number(n, "stepPercent"), integer(p, n, "stepBakeMinutes", at)).toStrategy());
        } catch (InvalidRequestException e) {
            e.problems().forEach(q -> p.add(new ValidationProblem(at + q.field(), q.value(), q.allowed())));
        }
        JsonNode alarms = n.get("alarms");
        if (alarms != null) {
            b.alarms(new Alarms(ApprovalPolicy.split(list(alarms)), true));
        }
        if (p.size() > before) {
            return null;
        }
        return new ReleaseService(name, b.build(), text(p, n, "roleArn", at));
    }

    private static void unknown(List<ValidationProblem> p, JsonNode n, Set<String> known, String at) {
        n.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                p.add(new ValidationProblem(at + f, null, "not a member; one of " + String.join(", ", known.stream().sorted().toList())));
            }
        });
    }

    private static String text(List<ValidationProblem> p, JsonNode n, String f, String at) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isValueNode()) {
            p.add(new ValidationProblem(at + f, v.toString(), "a text"));
            return null;
        }
        return v.asText();
    }

    private static Integer integer(List<ValidationProblem> p, JsonNode n, String f, String at) {
        JsonNode v = n.get(f);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.canConvertToInt() && v.isIntegralNumber()) {
            return v.asInt();
        }
        if (v.isTextual()) {
            try {
                return Integer.parseInt(v.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        p.add(new ValidationProblem(at + f, v.asText(), "a whole number"));
        return null;
    }

    private static Boolean bool(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asBoolean();
    }

    private static Double number(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    /** A list given as a JSON array or a comma-separated text, as comma-separated text. */
    private static String list(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            List<String> l = new ArrayList<>();
            v.forEach(x -> l.add(x.asText()));
            return String.join(",", l);
        }
        return v.asText();
    }
}
