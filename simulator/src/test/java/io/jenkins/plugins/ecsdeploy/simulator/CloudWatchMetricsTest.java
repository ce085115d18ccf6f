package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;

/**
 * The simulator's CloudWatch endpoint through the real SDK v2 CloudWatch client (Smithy RPC v2 CBOR): metrics follow
 * the traffic weights the simulator applies and each revision's profile, metric math works, the API's limits are
 * enforced, and the request the SDK sends and the answer we write use exactly the service model's member names.
 */
class CloudWatchMetricsTest extends SimulatorTestBase {
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
    CloudWatchClient cw;
    SeededService svc;

    @BeforeEach
    void client() {
        cw = cloudWatch(sim.endpoint());
        svc = sim.seed().loadBalancedService("demo", "web", 4, LoadBalancerType.ALB);
        sim.metrics().requestsPerSecond(10).testRequestsPerSecond(1)
                .profile("bad", 0.05, 0.1, 0.8).defaultProfile(0.01, 0.05, 0.2);
    }

    @AfterEach
    void close() {
        cw.close();
    }

    static CloudWatchClient cloudWatch(URI endpoint) {
        return CloudWatchClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    static String suffix(String arn, String marker) {
        return arn.substring(arn.indexOf(marker));
    }

    MetricDataQuery stat(String id, String tgArn, String metric, String stat, int period) {
        String lb = suffix(svc.productionListenerRule(), "app/");
        String lbDim = lb.substring(0, nthSlash(lb, 3));
        return MetricDataQuery.builder().id(id).metricStat(ms -> ms.period(period).stat(stat)
                .metric(m -> m.namespace("AWS/ApplicationELB").metricName(metric).dimensions(
                        d -> d.name("TargetGroup").value(suffix(tgArn, "targetgroup/")),
                        d -> d.name("LoadBalancer").value(lbDim)))).build();
    }

    private static int nthSlash(String s, int n) {
        int i = -1;
        for (int k = 0; k < n; k++) {
            i = s.indexOf('/', i + 1);
        }
        return i;
    }

    static double only(GetMetricDataResponse r, String id) {
        MetricDataResult m = r.metricDataResults().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
        assertEquals(1, m.values().size(), id + ": " + m);
        return m.values().get(0);
    }

    @Test
    void greenAndBlueTargetGroupsServeTheTrafficTheCanaryWeightsGiveThemWithTheirRevisionsErrorRates() {
        String arn = deploy(svc, "registry/web:bad-1", DeploymentConfiguration.builder().strategy(DeploymentStrategy.CANARY)
                .canaryConfiguration(c -> c.canaryPercent(20.0).canaryBakeTimeInMinutes(10)).bakeTimeInMinutes(1).build());
        // run until the canary's 20 % has been on green for a while
        Instant shifted = null;
        for (int i = 0; i < 400 && shifted == null; i++) {
            clock.advance(Duration.ofSeconds(5));
            for (StageVisit v : sim.stageHistory(arn)) {
                if ("PRODUCTION_TRAFFIC_SHIFT".equals(v.stage()) && v.productionWeight() != null && v.productionWeight() == 20.0) {
                    shifted = v.enteredAt();
                }
            }
        }
        assertNotNull(shifted, "the canary step was reached");
        clock.advance(Duration.ofMinutes(6));
        Instant start = Instant.ofEpochSecond((shifted.getEpochSecond() / 60 + 1) * 60);
        Instant end = start.plus(Duration.ofMinutes(5));
        String green = svc.alternateTargetGroupArn();
        String blue = svc.targetGroupArn();
        GetMetricDataResponse r = cw.getMetricData(b -> b.startTime(start).endTime(end).metricDataQueries(
                stat("greq", green, "RequestCount", "Sum", 300), stat("gerr", green, "HTTPCode_Target_5XX_Count", "Sum", 300),
                stat("breq", blue, "RequestCount", "Sum", 300), stat("berr", blue, "HTTPCode_Target_5XX_Count", "Sum", 300),
                stat("gp99", green, "TargetResponseTime", "p99", 300), stat("bp99", blue, "TargetResponseTime", "p99", 300),
                MetricDataQuery.builder().id("grate").expression("100 * gerr / greq").build()));
        // production 10/s × 20 % + test 1/s × 100 % (test traffic moved to green at TEST_TRAFFIC_SHIFT) for 300 s
        assertEquals(300 * (10 * 0.2 + 1.0), only(r, "greq"), 1.0);
        assertEquals(300 * (10 * 0.8), only(r, "breq"), 1.0);
        assertEquals(5.0, only(r, "grate"), 0.1, "green's image contains 'bad': 5 % errors");
        assertEquals(0.01 * only(r, "breq"), only(r, "berr"), 1.0);
        assertEquals(0.8, only(r, "gp99"), 1e-6);
        assertEquals(0.2, only(r, "bp99"), 1e-6);
        runToEnd(arn, Duration.ofSeconds(30), Duration.ofHours(2));
    }

    @Test
    void noTrafficNoDatapointAsAlbPublishesNothingWithoutRequests() {
        sim.metrics().requestsPerSecond(0).testRequestsPerSecond(0);
        clock.advance(Duration.ofMinutes(3));
        Instant end = Instant.ofEpochSecond(clock.instant().getEpochSecond() / 60 * 60);
        GetMetricDataResponse r = cw.getMetricData(b -> b.startTime(end.minusSeconds(120)).endTime(end)
                .metricDataQueries(stat("q", svc.targetGroupArn(), "RequestCount", "Sum", 60)));
        assertEquals(List.of(), r.metricDataResults().get(0).values());
    }

    @Test
    void moreThan500QueriesAreRefusedWithCloudWatchsErrorCode() {
        List<MetricDataQuery> qs = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            qs.add(stat("q" + i, svc.targetGroupArn(), "RequestCount", "Sum", 60));
        }
        Instant end = clock.instant();
        CloudWatchException e = assertThrows(CloudWatchException.class,
                () -> cw.getMetricData(b -> b.startTime(end.minusSeconds(600)).endTime(end).metricDataQueries(qs)));
        assertEquals(400, e.statusCode());
        assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode(), e.toString());
        assertTrue(e.getMessage().contains("500"), e.getMessage());
    }

    @Test
    void anExpressionWithAFunctionTheSimulatorDoesNotModelIsRefusedNotMisread() {
        Instant end = clock.instant();
        CloudWatchException e = assertThrows(CloudWatchException.class, () -> cw.getMetricData(b -> b
                .startTime(end.minusSeconds(600)).endTime(end).metricDataQueries(
                        stat("a", svc.targetGroupArn(), "RequestCount", "Sum", 60),
                        MetricDataQuery.builder().id("b").expression("FILL(a, 0)").build())));
        assertTrue(e.getMessage().contains("FILL"), e.getMessage());
    }

    // ------------------------------------------------------------------ wire shapes against the SDK's model

    /** What the real SDK client sends: path, protocol header, CBOR body with exactly the model's member names. */
    @Test
    void theSdksRequestIsTheRpcV2CborShapeTheSimulatorReadsAndUsesOnlyModelMemberNames() throws Exception {
        AtomicReference<String> path = new AtomicReference<>();
        AtomicReference<String> protocol = new AtomicReference<>();
        AtomicReference<byte[]> body = new AtomicReference<>();
        HttpServer capture = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        capture.createContext("/", ex -> {
            path.set(ex.getRequestURI().getPath());
            protocol.set(ex.getRequestHeaders().getFirst("smithy-protocol"));
            body.set(ex.getRequestBody().readAllBytes());
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        capture.start();
        try (CloudWatchClient c = cloudWatch(URI.create("http://127.0.0.1:" + capture.getAddress().getPort()))) {
            Instant end = Instant.parse("2026-01-01T00:10:00Z");
            try {
                c.getMetricData(b -> b.startTime(end.minusSeconds(600)).endTime(end).maxDatapoints(10)
                        .scanBy("TimestampAscending").metricDataQueries(
                                stat("a", svc.targetGroupArn(), "RequestCount", "Sum", 60),
                                MetricDataQuery.builder().id("b").expression("2 * a").label("twice").returnData(true)
                                        .period(60).build()));
            } catch (RuntimeException expected) {
                // the capture answers 500
            }
        } finally {
            capture.stop(0);
        }
        assertEquals(CloudWatchServer.PATH_PREFIX + "GetMetricData", path.get());
        assertEquals("rpc-v2-cbor", protocol.get());
        JsonNode req = CBOR.readTree(body.get());
        List<String> problems = new ArrayList<>();
        check("", req, GetMetricDataRequest.builder().sdkFields(), problems);
        assertEquals(List.of(), problems);
        // the members the simulator reads are there, spelled as it reads them
        assertEquals("AWS/ApplicationELB", req.at("/MetricDataQueries/0/MetricStat/Metric/Namespace").asText());
        assertEquals(600.0, req.get("EndTime").asDouble() - req.get("StartTime").asDouble(), 1e-6);
        assertEquals("2 * a", req.at("/MetricDataQueries/1/Expression").asText());
    }

    /** What the simulator answers: every member is one of the model's (the SDK would drop a misspelt one silently). */
    @Test
    void theSimulatorsAnswerUsesOnlyModelMemberNames() throws Exception {
        clock.advance(Duration.ofMinutes(3));
        Instant end = Instant.ofEpochSecond(clock.instant().getEpochSecond() / 60 * 60);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (var g = ((CBORFactory) CBOR.getFactory()).createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("MetricDataQueries");
            g.writeStartArray();
            g.writeStartObject();
            g.writeStringField("Id", "a");
            g.writeFieldName("MetricStat");
            g.writeTree(CBOR.readTree(CBOR.writeValueAsBytes(Map.of("Period", 60, "Stat", "Sum", "Metric", Map.of(
                    "Namespace", "AWS/ApplicationELB", "MetricName", "RequestCount", "Dimensions", List.of(
                            Map.of("Name", "TargetGroup", "Value", suffix(svc.targetGroupArn(), "targetgroup/"))))))));
            g.writeEndObject();
            g.writeEndArray();
            g.writeNumberField("StartTime", end.getEpochSecond() - 120);
            g.writeNumberField("EndTime", end.getEpochSecond());
            g.writeEndObject();
        }
        var http = java.net.http.HttpClient.newHttpClient();
        var resp = http.send(java.net.http.HttpRequest.newBuilder(URI.create(sim.endpoint() + CloudWatchServer.PATH_PREFIX
                + "GetMetricData")).header("smithy-protocol", "rpc-v2-cbor").header("Content-Type", "application/cbor")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/monitoring/aws4_request, "
                        + "SignedHeaders=host, Signature=00")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, resp.statusCode());
        assertEquals("rpc-v2-cbor", resp.headers().firstValue("smithy-protocol").orElse(null));
        JsonNode answer = CBOR.readTree(resp.body());
        List<String> problems = new ArrayList<>();
        check("", answer, GetMetricDataResponse.builder().sdkFields(), problems);
        assertEquals(List.of(), problems);
        assertEquals(2, answer.at("/MetricDataResults/0/Values").size(), answer.toString());
    }

    private static void check(String path, JsonNode json, List<SdkField<?>> fields, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            SdkField<?> f = fields.stream().filter(x -> e.getKey().equals(x.locationName())).findFirst().orElse(null);
            if (f == null) {
                problems.add(path + "." + e.getKey() + ": not a member of the model");
                continue;
            }
            if (f.marshallingType() == MarshallingType.SDK_POJO) {
                check(path + "." + e.getKey(), e.getValue(), f.constructor().get().sdkFields(), problems);
            } else if (f.marshallingType() == MarshallingType.LIST) {
                SdkField<?> member = f.getRequiredTrait(ListTrait.class).memberFieldInfo();
                for (JsonNode x : e.getValue()) {
                    if (member.marshallingType() == MarshallingType.SDK_POJO) {
                        check(path + "." + e.getKey() + "[]", x, member.constructor().get().sdkFields(), problems);
                    }
                }
            }
        }
    }
}
