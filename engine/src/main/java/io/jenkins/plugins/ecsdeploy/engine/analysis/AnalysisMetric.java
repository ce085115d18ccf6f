package io.jenkins.plugins.ecsdeploy.engine.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One metric of an analysis, measured on green and on blue: either a CloudWatch {@code query}, or metric math — an
 * {@code expression} over named {@code inputs} (e.g. {@code "100 * errors / requests"} with inputs {@code errors} and
 * {@code requests}; ids start with a lowercase letter, as GetMetricData wants them). {@code condition} is what green must
 * satisfy. {@code minimumSamples} (0 = not checked): fewer samples on green (or, for a condition relative to blue, on
 * blue) than this make the metric inconclusive instead of judged; the samples are counted by {@code samples}, by default
 * the {@code SampleCount} of the query (of the first input for an expression). docs/analysis.md "Definitions".
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AnalysisMetric(String name, MetricQuery query, String expression, Map<String, MetricQuery> inputs,
                             Condition condition, int minimumSamples, MetricQuery samples) {

    public AnalysisMetric {
        inputs = inputs == null || inputs.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    /** A metric from one CloudWatch query. */
    public static AnalysisMetric of(String name, MetricQuery query, Condition condition, int minimumSamples) {
        return new AnalysisMetric(name, query, null, null, condition, minimumSamples, null);
    }

    /** Metric math over named inputs. */
    public static AnalysisMetric math(String name, String expression, Map<String, MetricQuery> inputs,
                                      Condition condition, int minimumSamples) {
        return new AnalysisMetric(name, null, expression, inputs, condition, minimumSamples, null);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isMath() {
        return expression != null;
    }

    /** What counts the samples, or null when samples are not checked. */
    public MetricQuery effectiveSamples() {
        if (minimumSamples <= 0) {
            return null;
        }
        if (samples != null) {
            return samples;
        }
        MetricQuery base = isMath() ? (inputs.isEmpty() ? null : inputs.values().iterator().next()) : query;
        return base == null ? null : base.withStatistic("SampleCount");
    }
}
