package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisJson;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisMetric;
import io.jenkins.plugins.ecsdeploy.engine.analysis.Condition;
import io.jenkins.plugins.ecsdeploy.engine.analysis.MetricQuery;
import io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisValidator;
import io.jenkins.plugins.ecsdeploy.engine.analysis.InconclusiveAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Automated canary analysis for {@code deploy} and {@code plan}: a definition from a JSON or YAML file (the engine's
 * one text form, docs/analysis.md "File format"), metrics given as flags ({@code --analysis-metric}, alone or added to
 * the file's), and flags that override its settings. Checked with the engine's own
 * rules before anything is sent to AWS; a problem is exit 2 naming the file and the path in it.
 */
final class AnalysisOptions {
    /** An analysis file is a few KiB; never read more than this. */
    static final int MAX_FILE_BYTES = 256 * 1024;

    @Option(order = 40, names = "--analysis-file", paramLabel = "FILE",
            description = "Automated canary analysis at each canary/linear step (blue-green: at the test traffic): metrics, "
                    + "conditions, measurements, in JSON or YAML (docs/analysis.md).")
    Path file;

    @Option(order = 45, names = "--analysis-metric", paramLabel = "NAME=[NAMESPACE:]METRIC:STATISTIC CONDITION",
            description = "A metric of the canary analysis without a file (repeatable, added to the file's), e.g. "
                    + "'p99-latency=TargetResponseTime:p99 <= 1.2 * blue' or 'errors=HTTPCode_Target_5XX_Count:Sum < 5'; "
                    + "namespace AWS/ApplicationELB and green's/blue's target group unless given (docs/analysis.md).")
    List<String> metrics = new ArrayList<>();

    @Option(order = 41, names = "--analysis-dry-run", description = "Measure and report what the analysis would decide, decide nothing.")
    boolean dryRun;

    @Option(order = 42, names = "--analysis-measurements", paramLabel = "N", description = "Measurements per gate (overrides the file).")
    Integer measurements;

    @Option(order = 43, names = "--analysis-interval-seconds", paramLabel = "SECONDS",
            description = "Seconds between measurements, a multiple of 60 (overrides the file).")
    Integer intervalSeconds;

    @Option(order = 44, names = "--analysis-on-inconclusive", paramLabel = "ASK|ROLLBACK",
            description = "What an inconclusive analysis does: ASK (a person decides at the gate) or ROLLBACK (overrides the file).")
    String onInconclusive;

    /** The request with its analysis, or the request unchanged without --analysis-file; exit 2 on any problem. */
    DeploymentRequest apply(DeploymentRequest r) {
        List<ValidationProblem> problems = new ArrayList<>();
        if (file == null && metrics.isEmpty()) {
            for (String flag : given()) {
                problems.add(new ValidationProblem(flag, null, "only with --analysis-file or --analysis-metric"));
            }
            fail(problems);
            return r;
        }
        AnalysisDefinition d;
        if (file == null) {
            d = AnalysisDefinition.builder().name("analysis").build();
        } else {
            try {
                d = AnalysisJson.fromTree(read(file), file.getFileName().toString());
            } catch (InvalidRequestException e) {
                problems.addAll(prefixed(e.problems()));
                fail(problems);
                return r;
            }
        }
        AnalysisDefinition.Builder b = d.toBuilder();
        for (String m : metrics) {
            AnalysisMetric metric = metric(m, problems);
            if (metric != null) {
                b.metric(metric);
            }
        }
        if (dryRun) {
            b.dryRun(true);
        }
        if (measurements != null) {
            b.measurements(measurements);
        }
        if (intervalSeconds != null) {
            b.intervalSeconds(intervalSeconds);
        }
        if (onInconclusive != null) {
            try {
                b.onInconclusive(InconclusiveAction.valueOf(onInconclusive.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(new ValidationProblem("--analysis-on-inconclusive", onInconclusive, "ASK or ROLLBACK"));
            }
        }
        d = b.build();
        String strategy = r.strategy() == null ? null : r.strategy().ecsName();
        problems.addAll(prefixed(AnalysisValidator.validate(d, strategy, r.gates())));
        fail(problems);
        return r.toBuilder().analysis(d).build();
    }

    private List<String> given() {
        List<String> g = new ArrayList<>();
        if (dryRun) {
            g.add("--analysis-dry-run");
        }
        if (measurements != null) {
            g.add("--analysis-measurements");
        }
        if (intervalSeconds != null) {
            g.add("--analysis-interval-seconds");
        }
        if (onInconclusive != null) {
            g.add("--analysis-on-inconclusive");
        }
        return g;
    }

    /** The engine's field names ("analysis.measurements") under the flag that set them or the file. */
    private List<ValidationProblem> prefixed(List<ValidationProblem> ps) {
        List<ValidationProblem> out = new ArrayList<>();
        for (ValidationProblem p : ps) {
            String f = p.field();
            String flag = switch (f) {
                case "analysis.measurements" -> measurements != null ? "--analysis-measurements" : null;
                case "analysis.intervalSeconds" -> intervalSeconds != null ? "--analysis-interval-seconds" : null;
                default -> null;
            };
            String where = flag != null ? flag : file != null ? "--analysis-file " + file.getFileName() + ": " + f
                    : "--analysis-metric: " + f;
            out.add(new ValidationProblem(where, p.value(), p.allowed()));
        }
        return out;
    }

    private static final java.util.regex.Pattern METRIC = java.util.regex.Pattern.compile(
            "\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*=\\s*([^<>≤≥\\s]+)\\s*([<>≤≥].*)");
    static final String METRIC_FORM = "NAME=[NAMESPACE:]METRIC:STATISTIC CONDITION, e.g. "
            + "'p99-latency=TargetResponseTime:p99 <= 1.2 * blue' or 'errors=HTTPCode_Target_5XX_Count:Sum < 5'";

    /**
     * One {@code --analysis-metric}: a query of green's target group (blue's for blue) and the condition green must meet;
     * the rest (dimensions, metric math, sample counts) needs a file. Null with a problem when it cannot be read; the
     * engine's rules check the parts afterwards (statistic, condition, names).
     */
    static AnalysisMetric metric(String text, List<ValidationProblem> problems) {
        java.util.regex.Matcher m = METRIC.matcher(text == null ? "" : text);
        String[] q = m.matches() ? m.group(2).split(":", -1) : new String[0];
        if (q.length < 2 || q.length > 3 || java.util.Arrays.stream(q).anyMatch(String::isBlank)) {
            problems.add(new ValidationProblem("--analysis-metric", text, METRIC_FORM));
            return null;
        }
        String namespace = q.length == 3 ? q[0] : MetricQuery.ALB;
        String metricName = q[q.length - 2];
        String statistic = q[q.length - 1];
        Condition c = Condition.parse(m.group(3));
        if (c == null) {
            problems.add(new ValidationProblem("--analysis-metric", text, "a condition after the query: < <= > >= and a "
                    + "number (absolute) or a factor of blue ('<= 1.2 * blue'); " + METRIC_FORM));
            return null;
        }
        return AnalysisMetric.of(m.group(1), new MetricQuery(namespace, metricName, null, statistic, null, null), c, 0);
    }

    private static void fail(List<ValidationProblem> problems) {
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems.stream().map(ValidationProblem::message).toList());
        }
    }

    /** A regular file of at most 256 KiB of UTF-8, JSON or YAML (YAML is a superset of JSON: one reader does both). */
    static JsonNode read(Path file) {
        String shown = file.toString();
        if (!Files.isRegularFile(file)) {
            throw refused(shown, Files.exists(file) ? "a regular file (this is a directory, device or pipe)"
                    : "an existing file (no such file)");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw refused(shown, "a readable file (" + SafeText.line(e.getMessage(), 200) + ")");
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw refused(shown, "a file of at most " + MAX_FILE_BYTES / 1024 + " KiB");
        }
        try {
            JsonNode n = new ObjectMapper(new YAMLFactory()).readTree(new String(bytes, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw refused(shown, "an analysis definition: an object with name, metrics, ... (docs/analysis.md)");
            }
            return n;
        } catch (IOException e) {
            throw refused(shown, "JSON or YAML (" + SafeText.line(e.getMessage().lines().findFirst().orElse(""), 200) + ")");
        }
    }

    private static CliException refused(String value, String allowed) {
        return new CliException(ExitCodes.USAGE, new ValidationProblem("--analysis-file", value, allowed).message());
    }
}
