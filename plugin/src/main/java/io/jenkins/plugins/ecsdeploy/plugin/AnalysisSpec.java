package io.jenkins.plugins.ecsdeploy.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.Extension;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisJson;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisValidator;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;

/**
 * A named automated canary analysis in Manage Jenkins » System » Amazon ECS Deployments (configuration-as-code:
 * {@code unclassified: ecsDeployments: analyses: [{name: web-canary, definition: '{"metrics": [...]}'}]}), used by any
 * deploy step as {@code analysis: 'web-canary'} (docs/analysis.md, docs/pipeline-steps.md). {@code definition} is the
 * engine's JSON text form of an analysis ({@link AnalysisJson}); it is checked when saved (the form's check) and at
 * every use, with the engine's own rules.
 */
public class AnalysisSpec implements Describable<AnalysisSpec>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String definition;

    @DataBoundConstructor
    public AnalysisSpec(String name, String definition) {
        this.name = Values.trimToNull(name);
        this.definition = Values.trimToNull(definition);
    }

    public String getName() { return name; }
    public String getDefinition() { return definition; }

    /** The engine's definition, named after this entry when its text names none; problems are added as lines. */
    AnalysisDefinition toEngine(String field, List<String> problems) {
        return parse(field, definition, name, problems);
    }

    /**
     * The text of {@code analysis:} (JSON) or the JSON of a Pipeline map, read by the engine's text form; null with a
     * problem line when it cannot be read.
     */
    static AnalysisDefinition parse(String field, String json, String defaultName, List<String> problems) {
        if (json == null) {
            problems.add(Values.problem(field, null, "an analysis definition: a map or JSON with metrics (docs/analysis.md)"));
            return null;
        }
        try {
            AnalysisDefinition d = AnalysisJson.fromJson(json, field);
            if (defaultName != null && !json.contains("\"name\"")) {
                d = d.toBuilder().name(defaultName).build();
            }
            return d;
        } catch (InvalidRequestException e) {
            for (ValidationProblem p : e.problems()) {
                problems.add(p.message());
            }
            return null;
        }
    }

    /**
     * A Pipeline map ({@code analysis: [metrics: [[name: '5xx-rate', ...]], measurements: 3]}) as JSON: maps, lists,
     * texts (GStrings included), numbers and booleans; anything else becomes its text and is then refused by the
     * definition's rules with its path.
     */
    static String toJson(Object v) {
        return tree(v).toString();
    }

    private static JsonNode tree(Object v) {
        JsonNodeFactory f = JSON.getNodeFactory();
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), tree(x)));
            return o;
        }
        if (v instanceof Iterable<?> it) {
            ArrayNode a = f.arrayNode();
            it.forEach(x -> a.add(tree(x)));
            return a;
        }
        if (v instanceof Object[] arr) {
            ArrayNode a = f.arrayNode();
            for (Object x : arr) {
                a.add(tree(x));
            }
            return a;
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return f.numberNode(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return f.numberNode(n.doubleValue());
        }
        return f.textNode(String.valueOf(v));
    }

    @Extension
    @Symbol("ecsAnalysis")
    public static class DescriptorImpl extends Descriptor<AnalysisSpec> {
        @Override
        public String getDisplayName() {
            return "Canary analysis";
        }

        public FormValidation doCheckName(@QueryParameter String value) {
            String v = Values.trimToNull(value);
            return v != null && v.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}") ? FormValidation.ok()
                    : FormValidation.error("1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        /** The engine's rules, offline (the strategy is not known here: checked again at each use). */
        public FormValidation doCheckDefinition(@QueryParameter String value) {
            List<String> problems = new java.util.ArrayList<>();
            AnalysisDefinition d = parse("definition", Values.trimToNull(value), "analysis", problems);
            if (d != null) {
                for (ValidationProblem p : AnalysisValidator.validate(d, null, List.of())) {
                    problems.add(p.message());
                }
            }
            return problems.isEmpty() ? FormValidation.ok() : FormValidation.error(String.join("; ", problems));
        }
    }
}
