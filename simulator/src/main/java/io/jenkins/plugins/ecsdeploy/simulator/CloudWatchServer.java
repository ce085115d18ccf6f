package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CloudWatch {@code GetMetricData} in Smithy RPC v2 CBOR, the protocol the AWS SDK for Java 2.59.1 CloudWatch client
 * speaks: {@code POST /service/GraniteServiceVersion20100801/operation/GetMetricData} with the header
 * {@code smithy-protocol: rpc-v2-cbor} and a CBOR body whose members are the service model's (MetricDataQueries,
 * StartTime, EndTime, ...), timestamps as CBOR tag 1 (epoch seconds); the answer is CBOR with the same header, an
 * error a CBOR map with {@code __type} and {@code message} ("Smithy RPC v2 CBOR protocol",
 * https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html; the request shape was read off the SDK's own
 * marshaller, {@code CloudWatchWireTest}). Values come from {@link CloudWatchMetrics}.
 *
 * <p>The API's rules checked here ("GetMetricData", CloudWatch API reference,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html, and the MetricDataQuery
 * page): at most 500 queries a call; an Id starts with a lowercase letter, then letters, digits and underscores; each
 * query has exactly one of MetricStat and Expression; a period of 1, 5, 10, 30 or a multiple of 60 seconds;
 * StartTime before EndTime; StartTime rounded down to the minute. Metric math: arithmetic only (+ - * /, parentheses,
 * numbers, the ids of other queries) — a subset of CloudWatch's metric math ({@link MetricMath}).
 */
final class CloudWatchServer {
    static final String PATH_PREFIX = "/service/GraniteServiceVersion20100801/operation/";
    static final int MAX_QUERIES = 500;
    private static final Pattern ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,254}");
    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(?:\\.\\d{1,2})?)");
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    private final Controller controller;
    private final CloudWatchMetrics metrics;
    private final CallStats stats;

    CloudWatchServer(Controller controller, CloudWatchMetrics metrics, CallStats stats) {
        this.controller = controller;
        this.metrics = metrics;
        this.stats = stats;
    }

    static boolean handles(HttpExchange ex) {
        return ex.getRequestURI().getPath().startsWith("/service/");
    }

    void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (!"POST".equals(ex.getRequestMethod()) || !path.startsWith(PATH_PREFIX)) {
            error(ex, 404, "UnknownOperationException", "Expected POST " + PATH_PREFIX + "<Operation>.");
            return;
        }
        String op = path.substring(PATH_PREFIX.length());
        stats.record(op);
        if (!"rpc-v2-cbor".equals(ex.getRequestHeaders().getFirst("smithy-protocol"))) {
            error(ex, 400, "InvalidParameterValue", "The smithy-protocol header must be rpc-v2-cbor.");
            return;
        }
        if (ex.getRequestHeaders().getFirst("Authorization") == null) {
            error(ex, 403, "MissingAuthenticationToken", "Missing Authentication Token");
            return;
        }
        if (!"GetMetricData".equals(op)) {
            error(ex, 400, "UnknownOperationException", "Operation " + op + " is not supported by the simulator.");
            return;
        }
        JsonNode req;
        try {
            req = body.length == 0 ? CBOR.createObjectNode() : CBOR.readTree(body);
        } catch (IOException e) {
            error(ex, 400, "SerializationException", "The request body is not valid CBOR.");
            return;
        }
        try {
            respond(ex, 200, getMetricData(req));
        } catch (Refused r) {
            error(ex, 400, r.code, r.getMessage());
        }
    }

    private static final class Refused extends RuntimeException {
        final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private static Refused invalid(String message) {
        return new Refused("InvalidParameterValue", message);
    }

    // ------------------------------------------------------------------ GetMetricData

    private byte[] getMetricData(JsonNode req) throws IOException {
        JsonNode queries = req.path("MetricDataQueries");
        if (!queries.isArray() || queries.isEmpty()) {
            throw new Refused("MissingParameter", "The parameter MetricDataQueries is required.");
        }
        if (queries.size() > MAX_QUERIES) {
            throw invalid("The collection MetricDataQueries must not have a size greater than " + MAX_QUERIES + ".");
        }
        if (!req.path("StartTime").isNumber() || !req.path("EndTime").isNumber()) {
            throw new Refused("MissingParameter", "The parameters StartTime and EndTime are required.");
        }
        // StartTime less than 15 days ago is rounded down to the minute (API reference, StartTime)
        Instant start = Instant.ofEpochSecond((long) Math.floor(req.get("StartTime").asDouble() / 60.0) * 60);
        Instant end = Instant.ofEpochMilli(Math.round(req.get("EndTime").asDouble() * 1000));
        if (!start.isBefore(end)) {
            throw invalid("The parameter StartTime must be less than the parameter EndTime.");
        }
        metrics.record(new CloudWatchMetrics.Call(controller.now(), queries.size(), start, end));
        Set<String> ids = new HashSet<>();
        Map<String, Map<Instant, Double>> series = new LinkedHashMap<>();
        List<JsonNode> expressions = new ArrayList<>();
        for (JsonNode q : queries) {
            String id = q.path("Id").asText(null);
            if (id == null || !ID.matcher(id).matches()) {
                throw invalid("The value " + id + " for parameter MetricDataQueries.member.Id is not valid: it must start"
                        + " with a lowercase letter and contain only letters, numbers and underscores.");
            }
            if (!ids.add(id)) {
                throw invalid("The value " + id + " for parameter MetricDataQueries.member.Id is used more than once.");
            }
            boolean stat = q.has("MetricStat");
            boolean expr = q.has("Expression");
            if (stat == expr) {
                throw invalid("Exactly one of MetricStat and Expression must be given for query " + id + ".");
            }
            if (stat) {
                series.put(id, metricSeries(q.get("MetricStat"), id, start, end));
            } else {
                expressions.add(q);
            }
        }
        for (JsonNode q : expressions) {
            String id = q.get("Id").asText();
            try {
                series.put(id, MetricMath.evaluate(q.get("Expression").asText(), series));
            } catch (IllegalArgumentException e) {
                throw new Refused("ValidationError", "Error in expression '" + id + "': " + e.getMessage());
            }
        }
        boolean ascending = "TimestampAscending".equals(req.path("ScanBy").asText(null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = ((CBORFactory) CBOR.getFactory()).createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("MetricDataResults");
            g.writeStartArray();
            for (JsonNode q : queries) {
                if (q.has("ReturnData") && !q.get("ReturnData").asBoolean(true)) {
                    continue;
                }
                String id = q.get("Id").asText();
                TreeMap<Instant, Double> points = new TreeMap<>(series.get(id));
                Map<Instant, Double> ordered = ascending ? points : points.descendingMap();
                g.writeStartObject();
                g.writeStringField("Id", id);
                g.writeStringField("Label", q.path("Label").asText(labelOf(q)));
                g.writeFieldName("Timestamps");
                g.writeStartArray();
                for (Instant t : ordered.keySet()) {
                    g.writeTag(1); // epoch-seconds timestamp (Smithy RPC v2 CBOR: timestamps are tag 1)
                    g.writeNumber(t.getEpochSecond() + t.getNano() / 1e9);
                }
                g.writeEndArray();
                g.writeFieldName("Values");
                g.writeStartArray();
                for (Double v : ordered.values()) {
                    g.writeNumber(v);
                }
                g.writeEndArray();
                g.writeStringField("StatusCode", "Complete");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeFieldName("Messages");
            g.writeStartArray();
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static String labelOf(JsonNode q) {
        if (q.has("MetricStat")) {
            return q.get("MetricStat").path("Metric").path("MetricName").asText(q.get("Id").asText());
        }
        return q.get("Id").asText();
    }

    /** One value per period in [start, end) for which the target group served requests (ALB publishes nothing without). */
    private Map<Instant, Double> metricSeries(JsonNode ms, String id, Instant start, Instant end) {
        JsonNode m = ms.path("Metric");
        String namespace = m.path("Namespace").asText("");
        String name = m.path("MetricName").asText("");
        int period = ms.path("Period").asInt(0);
        if (period != 1 && period != 5 && period != 10 && period != 30 && (period <= 0 || period % 60 != 0)) {
            throw invalid("The parameter MetricDataQueries.member.MetricStat.Period must be 1, 5, 10, 30 or a multiple"
                    + " of 60 (query " + id + ").");
        }
        String stat = ms.path("Stat").asText("");
        if (stat.isEmpty()) {
            throw new Refused("MissingParameter", "The parameter MetricDataQueries.member.MetricStat.Stat is required.");
        }
        String tg = null;
        String lb = null;
        for (JsonNode d : m.path("Dimensions")) {
            if ("TargetGroup".equals(d.path("Name").asText())) {
                tg = d.path("Value").asText();
            } else if ("LoadBalancer".equals(d.path("Name").asText())) {
                lb = d.path("Value").asText();
            }
        }
        Map<Instant, Double> out = new LinkedHashMap<>();
        if (!"AWS/ApplicationELB".equals(namespace) || tg == null) {
            return out; // a metric nobody publishes here: no data, as CloudWatch answers for an unknown metric
        }
        for (Instant t = start; t.isBefore(end); t = t.plusSeconds(period)) {
            Instant to = t.plusSeconds(period);
            CloudWatchMetrics.Served s = metrics.served(controller, tg, lb, t, to.isAfter(end) ? end : to);
            if (s == null || s.requests() < 0.5) {
                continue;
            }
            Double v = statistic(name, stat, s);
            if (v != null) {
                out.put(t, v);
            }
        }
        return out;
    }

    /** The statistic of one metric over one period's traffic; null for a metric or statistic not modelled. */
    static Double statistic(String metric, String stat, CloudWatchMetrics.Served s) {
        double n = Math.floor(s.requests() + 1e-9);
        double errors = Math.round(s.errors());
        Double sum;
        Double average;
        switch (metric) {
            case "RequestCount" -> {
                sum = n;
                average = 1.0;
            }
            case "HTTPCode_Target_5XX_Count" -> {
                sum = errors;
                average = n == 0 ? 0 : errors / n;
            }
            case "HTTPCode_Target_2XX_Count" -> {
                sum = n - errors;
                average = n == 0 ? 0 : (n - errors) / n;
            }
            case "TargetResponseTime" -> {
                CloudWatchMetrics.Profile p = s.main();
                double sigma = sigma(p);
                double mean = p.medianSeconds() * Math.exp(sigma * sigma / 2);
                sum = mean * n;
                average = mean;
                Matcher pm = PERCENTILE.matcher(stat);
                if (pm.matches()) {
                    return quantile(p, Double.parseDouble(pm.group(1)) / 100.0);
                }
                if ("Minimum".equals(stat)) {
                    return quantile(p, 0.001);
                }
                if ("Maximum".equals(stat)) {
                    return quantile(p, 0.999);
                }
            }
            default -> {
                return null;
            }
        }
        return switch (stat) {
            case "Sum" -> sum;
            // every request is one sample (a simplification: ALB aggregates per node before CloudWatch sees it)
            case "SampleCount" -> n;
            case "Average", "Minimum", "Maximum" -> average;
            default -> null;
        };
    }

    private static double sigma(CloudWatchMetrics.Profile p) {
        return Math.log(p.p99Seconds() / p.medianSeconds()) / 2.3263478740408408;
    }

    /** Log-normal quantile through the profile's median and p99. */
    static double quantile(CloudWatchMetrics.Profile p, double q) {
        return p.medianSeconds() * Math.exp(sigma(p) * normalQuantile(q));
    }

    /** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
    static double normalQuantile(double p) {
        if (p <= 0 || p >= 1) {
            throw new IllegalArgumentException("p " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    // ------------------------------------------------------------------ wire

    private static void respond(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/cbor");
        ex.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
        ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    /**
     * An error: {@code __type} and {@code message} in the CBOR body (Smithy RPC v2 CBOR). CloudWatch is also
     * "AWS Query compatible", so the query-era error code travels in {@code x-amzn-query-error: Code;Sender}, which the
     * SDK prefers for the exception's error code.
     */
    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CBORGenerator g = ((CBORFactory) CBOR.getFactory()).createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("__type", "com.amazonaws.cloudwatch#" + code);
            g.writeStringField("message", message);
            g.writeEndObject();
        }
        ex.getResponseHeaders().set("x-amzn-query-error", code + ";" + (status >= 500 ? "Receiver" : "Sender"));
        respond(ex, status, out.toByteArray());
    }
}
