package io.jenkins.plugins.ecsdeploy.engine.analysis;

import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.RequestValidator;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every problem of an analysis definition at once, as {@code field 'value': what is allowed}
 * ({@link io.jenkins.plugins.ecsdeploy.engine.ValidationProblem#message()}), before any
 * AWS call (docs/analysis.md "Rules"). Limits from the CloudWatch API reference (GetMetricData, MetricDataQuery,
 * MetricStat, Dimension: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricDataQuery.html):
 * query ids start with a lowercase letter and hold letters, digits and underscores; an expression has at most 2048
 * characters; a metric at most 30 dimensions, names 1–255 and values 1–1024 characters; a period of a multiple of 60
 * seconds for the ALB's standard-resolution metrics. The rest are our choices, each said in docs/analysis.md.
 */
public final class AnalysisValidator {
    public static final int MAX_METRICS = 10;
    public static final int MAX_INPUTS = 10;
    public static final int MAX_MEASUREMENTS = 60;
    public static final int MAX_EXPRESSION = 2048;
    public static final int MAX_DIMENSIONS = 30;
    public static final List<String> STAGES = List.of("POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT");
    public static final List<String> STRATEGIES = List.of("BLUE_GREEN", "CANARY", "LINEAR");
    public static final Set<String> PLACEHOLDERS = Set.of("targetGroup", "greenTargetGroup", "blueTargetGroup",
            "loadBalancer");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,63}");
    private static final Pattern STATISTIC = Pattern.compile(
            "Sum|Average|SampleCount|Minimum|Maximum|p(?:100|[0-9]{1,2})(?:\\.[0-9]{1,2})?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern IDENT = Pattern.compile("\\b([A-Za-z_][A-Za-z0-9_]*)\\b(\\s*\\()?");

    private AnalysisValidator() {
    }

    /** Problems of {@code d} for a deployment with {@code strategy} (ECS's name) and the caller's own gates. */
    public static List<ValidationProblem> validate(AnalysisDefinition d, String strategy, List<Gate> gates) {
        List<ValidationProblem> p = new ArrayList<>();
        if (d == null) {
            return p;
        }
        String a = "analysis";
        if (d.name() == null || !NAME.matcher(d.name()).matches()) {
            p.add(new ValidationProblem(a + ".name", d.name(),
                    "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        if (strategy != null && !STRATEGIES.contains(strategy)) {
            p.add(new ValidationProblem(a, strategy, "analysis compares green's and blue's target groups: only with "
                    + "BLUE_GREEN, CANARY or LINEAR"));
        }
        if (d.metrics().isEmpty() || d.metrics().size() > MAX_METRICS) {
            p.add(new ValidationProblem(a + ".metrics", String.valueOf(d.metrics().size()),
                    "1 to " + MAX_METRICS + " metrics"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < d.metrics().size(); i++) {
            metric(a + ".metrics[" + i + "]", d.metrics().get(i), names, p);
        }
        for (int i = 0; i < d.stages().size(); i++) {
            String s = d.stages().get(i);
            if (!STAGES.contains(s)) {
                p.add(new ValidationProblem(a + ".stages[" + i + "]", s, "one of " + String.join(", ", STAGES)
                        + ": the gates where green and blue both serve traffic"));
            }
        }
        if (new HashSet<>(d.stages()).size() != d.stages().size()) {
            p.add(new ValidationProblem(a + ".stages", String.join(",", d.stages()), "each stage once"));
        }
        if (gates != null && strategy != null) {
            for (Gate g : gates) {
                if (d.stagesFor(strategy).contains(g.stage())) {
                    p.add(new ValidationProblem(a + ".stages", g.stage(), "a stage with no approval gate of its own: the"
                            + " analysis owns its gates and asks a person only when it is inconclusive"));
                }
            }
        }
        if (d.intervalSeconds() < 60 || d.intervalSeconds() > 3600 || d.intervalSeconds() % 60 != 0) {
            p.add(new ValidationProblem(a + ".intervalSeconds", String.valueOf(d.intervalSeconds()),
                    "a multiple of 60 from 60 to 3600 (ALB metrics have one-minute resolution)"));
        }
        if (d.measurements() < 1 || d.measurements() > MAX_MEASUREMENTS) {
            p.add(new ValidationProblem(a + ".measurements", String.valueOf(d.measurements()),
                    "1 to " + MAX_MEASUREMENTS));
        }
        if (d.failureLimit() < 0 || d.failureLimit() >= Math.max(1, d.measurements())) {
            p.add(new ValidationProblem(a + ".failureLimit", String.valueOf(d.failureLimit()),
                    "0 to measurements - 1 (" + (d.measurements() - 1) + "): failed measurements tolerated"));
        }
        if (d.inconclusiveLimit() < 0 || d.inconclusiveLimit() >= Math.max(1, d.measurements())) {
            p.add(new ValidationProblem(a + ".inconclusiveLimit", String.valueOf(d.inconclusiveLimit()),
                    "0 to measurements - 1 (" + (d.measurements() - 1) + "): inconclusive measurements tolerated"));
        }
        if (d.delaySeconds() < 0 || d.delaySeconds() > 600) {
            p.add(new ValidationProblem(a + ".delaySeconds", String.valueOf(d.delaySeconds()), "0 to 600"));
        }
        if (d.humanTimeoutMinutes() < 1 || d.humanTimeoutMinutes() > RequestValidator.MAX_HOOK_TIMEOUT) {
            p.add(new ValidationProblem(a + ".humanTimeoutMinutes", String.valueOf(d.humanTimeoutMinutes()),
                    "1 to " + RequestValidator.MAX_HOOK_TIMEOUT));
        } else if (d.intervalSeconds() > 0 && d.measurements() > 0
                && d.gateTimeoutMinutes() > RequestValidator.MAX_HOOK_TIMEOUT) {
            p.add(new ValidationProblem(a + ".humanTimeoutMinutes", String.valueOf(d.humanTimeoutMinutes()),
                    "at most " + (RequestValidator.MAX_HOOK_TIMEOUT - d.measuringMinutes()) + ": with the "
                            + d.measuringMinutes() + " minutes of measuring, a gate waits at most "
                            + RequestValidator.MAX_HOOK_TIMEOUT + " minutes (PAUSE hook timeout)"));
        }
        return p;
    }

    private static void metric(String f, AnalysisMetric m, Set<String> names, List<ValidationProblem> p) {
        if (m == null) {
            p.add(new ValidationProblem(f, null, "a metric"));
            return;
        }
        if (m.name() == null || !NAME.matcher(m.name()).matches()) {
            p.add(new ValidationProblem(f + ".name", m.name(),
                    "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        } else if (!names.add(m.name())) {
            p.add(new ValidationProblem(f + ".name", m.name(), "each metric name once"));
        }
        if ((m.query() == null) == (m.expression() == null)) {
            p.add(new ValidationProblem(f, m.name(), "exactly one of query (a CloudWatch metric) and expression"
                    + " (metric math over inputs)"));
        }
        if (m.query() != null) {
            query(f + ".query", m.query(), p);
            if (!m.inputs().isEmpty()) {
                p.add(new ValidationProblem(f + ".inputs", String.join(",", m.inputs().keySet()),
                        "inputs only with an expression"));
            }
        }
        if (m.expression() != null) {
            expression(f, m, p);
        }
        Condition c = m.condition();
        if (c == null || (c.threshold() == null && c.relativeToBlue() == null)) {
            p.add(new ValidationProblem(f + ".condition", c == null ? null : c.operator(),
                    "'<', '<=', '>' or '>=' and a number, or a factor of blue's value: e.g. '< 1' or '<= 1.2 * blue'"));
        } else if (c.relative() && c.relativeToBlue() <= 0) {
            p.add(new ValidationProblem(f + ".condition", c.describe(), "a factor of blue's value above 0"));
        }
        if (m.minimumSamples() < 0) {
            p.add(new ValidationProblem(f + ".minimumSamples", String.valueOf(m.minimumSamples()), "0 or more"));
        }
        if (m.samples() != null) {
            query(f + ".samples", m.samples(), p);
        }
    }

    private static void expression(String f, AnalysisMetric m, List<ValidationProblem> p) {
        String e = m.expression();
        if (e.isBlank() || e.length() > MAX_EXPRESSION) {
            p.add(new ValidationProblem(f + ".expression", e, "metric math of 1 to " + MAX_EXPRESSION + " characters"));
            return;
        }
        if (m.inputs().isEmpty() || m.inputs().size() > MAX_INPUTS) {
            p.add(new ValidationProblem(f + ".inputs", String.valueOf(m.inputs().size()),
                    "1 to " + MAX_INPUTS + " named queries the expression uses"));
        }
        for (Map.Entry<String, MetricQuery> in : m.inputs().entrySet()) {
            if (!ID.matcher(in.getKey()).matches()) {
                p.add(new ValidationProblem(f + ".inputs", in.getKey(), "ids of up to 64 letters, digits and '_',"
                        + " starting with a lowercase letter (CloudWatch's query id rule)"));
            }
            query(f + ".inputs." + in.getKey(), in.getValue(), p);
        }
        Matcher id = IDENT.matcher(e);
        while (id.find()) {
            boolean function = id.group(2) != null;
            String word = id.group(1);
            if (!function && Character.isLowerCase(word.charAt(0)) && !m.inputs().containsKey(word)) {
                p.add(new ValidationProblem(f + ".expression", word, "an id of the metric's inputs ("
                        + String.join(", ", m.inputs().keySet()) + ")"));
            }
        }
    }

    private static void query(String f, MetricQuery q, List<ValidationProblem> p) {
        if (q == null) {
            p.add(new ValidationProblem(f, null, "a CloudWatch metric: namespace, metricName, statistic"));
            return;
        }
        if (q.namespace() == null || q.namespace().isBlank() || q.namespace().length() > 255) {
            p.add(new ValidationProblem(f + ".namespace", q.namespace(), "1 to 255 characters, e.g. AWS/ApplicationELB"));
        }
        if (q.metricName() == null || q.metricName().isBlank() || q.metricName().length() > 255) {
            p.add(new ValidationProblem(f + ".metricName", q.metricName(),
                    "1 to 255 characters, e.g. HTTPCode_Target_5XX_Count"));
        }
        if (q.statistic() == null || !STATISTIC.matcher(q.statistic()).matches()) {
            p.add(new ValidationProblem(f + ".statistic", q.statistic(),
                    "Sum, Average, SampleCount, Minimum, Maximum or a percentile pNN / pNN.NN (e.g. p99)"));
        }
        if (q.periodSeconds() != null && (q.periodSeconds() < 60 || q.periodSeconds() % 60 != 0
                || q.periodSeconds() > 86400)) {
            p.add(new ValidationProblem(f + ".periodSeconds", String.valueOf(q.periodSeconds()),
                    "a multiple of 60 from 60 to 86400"));
        }
        if (q.dimensions().size() > MAX_DIMENSIONS) {
            p.add(new ValidationProblem(f + ".dimensions", String.valueOf(q.dimensions().size()),
                    "at most " + MAX_DIMENSIONS));
        }
        for (Map.Entry<String, String> d : q.dimensions().entrySet()) {
            if (d.getKey() == null || d.getKey().isEmpty() || d.getKey().length() > 255) {
                p.add(new ValidationProblem(f + ".dimensions", d.getKey(), "names of 1 to 255 characters"));
            }
            String v = d.getValue();
            if (v == null || v.isEmpty() || v.length() > 1024) {
                p.add(new ValidationProblem(f + ".dimensions." + d.getKey(), v, "a value of 1 to 1024 characters"));
                continue;
            }
            Matcher ph = PLACEHOLDER.matcher(v);
            while (ph.find()) {
                if (!PLACEHOLDERS.contains(ph.group(1))) {
                    p.add(new ValidationProblem(f + ".dimensions." + d.getKey(), ph.group(),
                            "${targetGroup}, ${greenTargetGroup}, ${blueTargetGroup} or ${loadBalancer}"));
                }
            }
        }
    }
}
