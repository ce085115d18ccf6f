package io.jenkins.plugins.ecsdeploy.engine.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one text form of an analysis definition: JSON (the CLI's {@code --analysis-file}, also YAML read into the same
 * tree; the Jenkins plugin's persisted form; docs/analysis.md "File format"). Reading names every problem with its
 * path — an unknown member, a value of the wrong type — so a typo such as {@code minimumSample} is refused instead of
 * silently ignored; absent members take their defaults. The result still goes through {@link AnalysisValidator}.
 */
public final class AnalysisJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final Set<String> DEFINITION = Set.of("name", "metrics", "stages", "intervalSeconds", "measurements",
            "failureLimit", "inconclusiveLimit", "onInconclusive", "dryRun", "delaySeconds", "humanTimeoutMinutes");
    private static final Set<String> METRIC = Set.of("name", "query", "expression", "inputs", "condition",
            "minimumSamples", "samples");
    private static final Set<String> QUERY = Set.of("namespace", "metricName", "dimensions", "statistic",
            "periodSeconds", "unit");

    private AnalysisJson() {
    }

    public static String toJson(AnalysisDefinition d) {
        return MAPPER.valueToTree(d).toString();
    }

    /** Reads a definition from JSON text; {@code origin} names the source in messages (a file name, "analysis"). */
    public static AnalysisDefinition fromJson(String json, String origin) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(List.of(new ValidationProblem(origin, null,
                    "a JSON analysis definition (" + e.getOriginalMessage() + ")")));
        }
        return fromTree(n, origin);
    }

    /** Reads a definition from a JSON (or YAML) tree. */
    public static AnalysisDefinition fromTree(JsonNode n, String origin) {
        List<ValidationProblem> p = new ArrayList<>();
        AnalysisDefinition d = definition(n, origin, p);
        if (!p.isEmpty()) {
            throw new InvalidRequestException(p);
        }
        return d;
    }

    private static AnalysisDefinition definition(JsonNode n, String f, List<ValidationProblem> p) {
        if (n == null || !n.isObject()) {
            p.add(new ValidationProblem(f, n == null ? null : n.toString(), "an object with name, metrics, ..."));
            return null;
        }
        unknown(n, DEFINITION, f, p);
        AnalysisDefinition.Builder b = AnalysisDefinition.builder();
        if (n.has("name")) {
            b.name(text(n, "name", f, p));
        }
        JsonNode ms = n.path("metrics");
        if (!ms.isMissingNode()) {
            if (!ms.isArray()) {
                p.add(new ValidationProblem(f + ".metrics", ms.toString(), "a list of metrics"));
            } else {
                for (int i = 0; i < ms.size(); i++) {
                    AnalysisMetric m = metric(ms.get(i), f + ".metrics[" + i + "]", p);
                    if (m != null) {
                        b.metric(m);
                    }
                }
            }
        }
        JsonNode st = n.path("stages");
        if (!st.isMissingNode()) {
            List<String> stages = new ArrayList<>();
            if (st.isTextual()) {
                stages.add(st.asText());
            } else if (st.isArray()) {
                st.forEach(x -> stages.add(x.asText()));
            } else {
                p.add(new ValidationProblem(f + ".stages", st.toString(), "a list of stage names"));
            }
            b.stages(stages);
        }
        integer(n, "intervalSeconds", f, p, b::intervalSeconds);
        integer(n, "measurements", f, p, b::measurements);
        integer(n, "failureLimit", f, p, b::failureLimit);
        integer(n, "inconclusiveLimit", f, p, b::inconclusiveLimit);
        integer(n, "delaySeconds", f, p, b::delaySeconds);
        integer(n, "humanTimeoutMinutes", f, p, b::humanTimeoutMinutes);
        if (n.has("onInconclusive")) {
            String v = text(n, "onInconclusive", f, p);
            try {
                b.onInconclusive(InconclusiveAction.valueOf(v == null ? "" : v.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                p.add(new ValidationProblem(f + ".onInconclusive", v, "ASK (a person decides at the gate) or ROLLBACK"));
            }
        }
        if (n.has("dryRun")) {
            if (!n.get("dryRun").isBoolean()) {
                p.add(new ValidationProblem(f + ".dryRun", n.get("dryRun").toString(), "true or false"));
            } else {
                b.dryRun(n.get("dryRun").asBoolean());
            }
        }
        return b.build();
    }

    private static AnalysisMetric metric(JsonNode n, String f, List<ValidationProblem> p) {
        if (n == null || !n.isObject()) {
            p.add(new ValidationProblem(f, n == null ? null : n.toString(), "an object with name, query or expression, condition"));
            return null;
        }
        unknown(n, METRIC, f, p);
        String name = n.has("name") ? text(n, "name", f, p) : null;
        MetricQuery q = n.has("query") ? query(n.get("query"), f + ".query", p) : null;
        String expression = n.has("expression") ? text(n, "expression", f, p) : null;
        Map<String, MetricQuery> inputs = new LinkedHashMap<>();
        JsonNode in = n.path("inputs");
        if (!in.isMissingNode()) {
            if (!in.isObject()) {
                p.add(new ValidationProblem(f + ".inputs", in.toString(), "an object: id → query"));
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    inputs.put(e.getKey(), query(e.getValue(), f + ".inputs." + e.getKey(), p));
                }
            }
        }
        Condition c = null;
        if (n.has("condition")) {
            String t = text(n, "condition", f, p);
            c = Condition.parse(t);
            if (c == null) {
                p.add(new ValidationProblem(f + ".condition", t,
                        "'<', '<=', '>' or '>=' and a number, or a factor of blue's value: e.g. '< 1' or '<= 1.2 * blue'"));
            }
        }
        int[] min = {0};
        integer(n, "minimumSamples", f, p, v -> min[0] = v);
        MetricQuery samples = n.has("samples") ? query(n.get("samples"), f + ".samples", p) : null;
        return new AnalysisMetric(name, q, expression, inputs, c, min[0], samples);
    }

    private static MetricQuery query(JsonNode n, String f, List<ValidationProblem> p) {
        if (n == null || !n.isObject()) {
            p.add(new ValidationProblem(f, n == null ? null : n.toString(), "an object with namespace, metricName, statistic"));
            return null;
        }
        unknown(n, QUERY, f, p);
        Map<String, String> dims = new LinkedHashMap<>();
        JsonNode d = n.path("dimensions");
        if (!d.isMissingNode()) {
            if (!d.isObject()) {
                p.add(new ValidationProblem(f + ".dimensions", d.toString(), "an object: name → value"));
            } else {
                d.fields().forEachRemaining(e -> dims.put(e.getKey(), e.getValue().asText()));
            }
        }
        Integer[] period = {null};
        integer(n, "periodSeconds", f, p, v -> period[0] = v);
        return new MetricQuery(n.has("namespace") ? text(n, "namespace", f, p) : MetricQuery.ALB,
                text(n, "metricName", f, p), dims, text(n, "statistic", f, p), period[0],
                n.has("unit") ? text(n, "unit", f, p) : null);
    }

    private static void unknown(JsonNode n, Set<String> known, String f, List<ValidationProblem> p) {
        n.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                p.add(new ValidationProblem(f + "." + k, null, "not a member; the members are "
                        + String.join(", ", new java.util.TreeSet<>(known))));
            }
        });
    }

    private static String text(JsonNode n, String member, String f, List<ValidationProblem> p) {
        JsonNode v = n.get(member);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() && !v.isNumber()) {
            p.add(new ValidationProblem(f + "." + member, v.toString(), "a text"));
            return null;
        }
        return v.asText();
    }

    private static void integer(JsonNode n, String member, String f, List<ValidationProblem> p,
                                java.util.function.IntConsumer set) {
        JsonNode v = n.get(member);
        if (v == null || v.isNull()) {
            return;
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            set.accept(v.asInt());
        } else if (v.isTextual() && v.asText().trim().matches("-?\\d{1,9}")) {
            set.accept(Integer.parseInt(v.asText().trim()));
        } else {
            p.add(new ValidationProblem(f + "." + member, v.asText(), "a whole number"));
        }
    }

    /** The tree of a definition (for hosts that embed it in their own JSON). */
    public static ObjectNode toTree(AnalysisDefinition d) {
        return MAPPER.valueToTree(d);
    }
}
