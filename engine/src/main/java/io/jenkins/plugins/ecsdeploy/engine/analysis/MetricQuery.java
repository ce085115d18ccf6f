package io.jenkins.plugins.ecsdeploy.engine.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One CloudWatch metric as GetMetricData's {@code MetricStat} names it: namespace, metric name, dimensions, statistic
 * ({@code Sum}, {@code Average}, {@code SampleCount}, {@code Minimum}, {@code Maximum}, {@code pNN} / {@code pNN.NN}),
 * period in seconds (null = the analysis interval) and unit (null = any). Written for <b>green</b>: dimension values may
 * use {@code ${targetGroup}} (the side being measured), {@code ${greenTargetGroup}}, {@code ${blueTargetGroup}} and
 * {@code ${loadBalancer}}; blue's query is the same with green and blue swapped (docs/analysis.md "Placeholders"). No
 * dimensions with namespace {@code AWS/ApplicationELB} means {@code TargetGroup=${targetGroup}} and
 * {@code LoadBalancer=${loadBalancer}} — the pair ALB publishes per target group.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricQuery(String namespace, String metricName, Map<String, String> dimensions, String statistic,
                          Integer periodSeconds, String unit) {
    public static final String ALB = "AWS/ApplicationELB";

    public MetricQuery {
        dimensions = dimensions == null || dimensions.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(dimensions));
    }

    /** An ALB target-group metric with the default dimensions, e.g. {@code alb("RequestCount", "Sum")}. */
    public static MetricQuery alb(String metricName, String statistic) {
        return new MetricQuery(ALB, metricName, null, statistic, null, null);
    }

    /** The dimensions to send: the given ones, or the ALB target-group pair. */
    public Map<String, String> effectiveDimensions() {
        if (!dimensions.isEmpty() || !ALB.equals(namespace)) {
            return dimensions;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("TargetGroup", "${targetGroup}");
        d.put("LoadBalancer", "${loadBalancer}");
        return d;
    }

    /** The same metric with another statistic (the sample count of a metric). */
    public MetricQuery withStatistic(String s) {
        return new MetricQuery(namespace, metricName, dimensions, s, periodSeconds, unit);
    }

    public String describe() {
        return namespace + " " + metricName + " " + statistic;
    }
}
