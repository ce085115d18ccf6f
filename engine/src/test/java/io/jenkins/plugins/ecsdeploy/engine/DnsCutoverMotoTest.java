package io.jenkins.plugins.ecsdeploy.engine;

import io.jenkins.plugins.ecsdeploy.simulator.MotoServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverEngine;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverEvent;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverGate;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverGateHandler;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverListener;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverRun;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverTarget;
import io.jenkins.plugins.ecsdeploy.engine.cutover.DnsCutoverRequest;
import io.jenkins.plugins.ecsdeploy.engine.cutover.HealthCheck;
import io.jenkins.plugins.ecsdeploy.engine.cutover.PendingCutoverGate;
import io.jenkins.plugins.ecsdeploy.engine.time.ScaledScheduler;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * DNS cutovers end to end against moto 5.2.1's Route 53, ECS and ELBv2 (an independent implementation: the engine's
 * real SDK clients, REST-XML for Route 53, Query for ELBv2, JSON 1.1 for ECS), with green's health endpoint on a
 * loopback HTTP server. Virtual time at 600× (a 60 s TTL waits 0.1 s); gates have 14-day timeouts, so a slow machine
 * cannot make one fire. moto answers every change INSYNC at once (docs/cutovers.md "Tests"): PENDING is covered in
 * {@code cutover.DnsCutoverRunTest} with our own fake.
 */
class DnsCutoverMotoTest {
    static MotoServer moto;
    static Route53Client route53;
    static EcsClient ecs;
    static ElasticLoadBalancingV2Client elb;
    HttpServer health;
    final AtomicInteger healthStatus = new AtomicInteger(200);
    ScheduledExecutorService executor;
    CutoverEngine engine;
    String zoneId;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        route53 = Route53Client.builder().endpointOverride(moto.endpoint).region(Region.AWS_GLOBAL).credentialsProvider(creds)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        ecs = EcsClient.builder().endpointOverride(moto.endpoint).region(Region.US_EAST_1).credentialsProvider(creds).build();
        elb = ElasticLoadBalancingV2Client.builder().endpointOverride(moto.endpoint).region(Region.US_EAST_1).credentialsProvider(creds).build();
    }

    @AfterAll
    static void stopMoto() {
        for (AutoCloseable c : new AutoCloseable[] {route53, ecs, elb, moto}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        moto.reset();
        zoneId = route53.createHostedZone(b -> b.name("example.com").callerReference("t-" + System.nanoTime()))
                .hostedZone().id().replace("/hostedzone/", "");
        health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/health", ex -> {
            ex.sendResponseHeaders(healthStatus.get(), -1);
            ex.close();
        });
        health.start();
        executor = SystemScheduler.newDaemonExecutor("cutover-test");
        VirtualClock clock = VirtualClock.scaled(Instant.parse("2026-12-02T14:00:00Z"), 600);
        engine = new CutoverEngine(EngineConfig.builder().region("us-east-1").endpointOverride(moto.endpoint)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .scheduler(new ScaledScheduler(clock, 600, executor)).build());
    }

    @AfterEach
    void tearDown() {
        engine.close();
        executor.shutdownNow();
        health.stop(0);
    }

    String healthUrl() {
        return "http://127.0.0.1:" + health.getAddress().getPort() + "/health";
    }

    List<ResourceRecordSet> records() {
        List<ResourceRecordSet> out = new ArrayList<>();
        for (ResourceRecordSet r : route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets()) {
            if (r.name().startsWith("api.")) {
                out.add(r);
            }
        }
        return out;
    }

    Integer weight(String setId) {
        return records().stream().filter(r -> setId.equals(r.setIdentifier())).map(r -> r.weight().intValue()).findFirst().orElse(null);
    }

    /** An ECS service in {@code cluster} behind its own ALB, all in moto; returns the ALB's DNS name. */
    static String serviceBehindItsOwnLoadBalancer(String cluster, String name) throws IOException {
        String ec2 = ec2Query("Action=DescribeSubnets&Version=2016-11-15");
        List<String> subnets = all(ec2, "<subnetId>([^<]+)</subnetId>");
        String vpc = all(ec2, "<vpcId>([^<]+)</vpcId>").get(0);
        var lb = elb.createLoadBalancer(b -> b.name(cluster + "-alb").subnets(subnets.subList(0, 2)).type("application"))
                .loadBalancers().get(0);
        var tg = elb.createTargetGroup(b -> b.name(cluster + "-tg").protocol("HTTP").port(80).vpcId(vpc).targetType("ip"))
                .targetGroups().get(0);
        elb.createListener(b -> b.loadBalancerArn(lb.loadBalancerArn()).protocol("HTTP").port(80)
                .defaultActions(a -> a.type("forward").targetGroupArn(tg.targetGroupArn())));
        ecs.createCluster(b -> b.clusterName(cluster));
        ecs.registerTaskDefinition(b -> b.family(name).containerDefinitions(c -> c.name(name).image("registry/" + name + ":1").memory(256)));
        ecs.createService(b -> b.cluster(cluster).serviceName(name).taskDefinition(name + ":1").desiredCount(2)
                .loadBalancers(l -> l.targetGroupArn(tg.targetGroupArn()).containerName(name).containerPort(80)));
        return lb.dnsName();
    }

    /** moto's EC2 through its Query API (the project has no EC2 client): only to find the default VPC's subnets. */
    static String ec2Query(String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) moto.endpoint.resolve("/").toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        c.setRequestProperty("Authorization", "AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/ec2/aws4_request, "
                + "SignedHeaders=host, Signature=0");
        c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> all(String s, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(s);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static final class Recorder implements CutoverListener, CutoverGateHandler {
        final List<CutoverEvent> events = Collections.synchronizedList(new ArrayList<>());
        final List<CompletableFuture<PendingCutoverGate>> gates = List.of(new CompletableFuture<>(), new CompletableFuture<>(),
                new CompletableFuture<>());

        public void onEvent(CutoverEvent e, CutoverSnapshot s) {
            events.add(e);
        }

        public void onGate(PendingCutoverGate g) {
            gates.get(g.afterStep() - 1).complete(g);
        }
    }

    @Test
    void aThreeStepCutoverBetweenTwoClustersWithAGateRolledBackAtTheSecondStep() throws Exception {
        String blueLb = serviceBehindItsOwnLoadBalancer("prod-ec2", "web");
        String greenLb = serviceBehindItsOwnLoadBalancer("prod-fargate", "web");
        Recorder rec = new Recorder();
        DnsCutoverRequest r = DnsCutoverRequest.builder().region("us-east-1").hostedZoneId(zoneId).recordName("api.example.com")
                .blue(new CutoverTarget.EcsService("prod-ec2", "web")).green(new CutoverTarget.EcsService("prod-fargate", "web"))
                .steps(List.of(10, 50, 100)).gate(new CutoverGate(20160, HookAction.ROLLBACK))
                .healthCheck(HealthCheck.url(healthUrl())).build();
        CutoverRun run = engine.start(r, rec, rec);

        PendingCutoverGate g1 = rec.gates.get(0).get(30, TimeUnit.SECONDS);
        assertEquals(Integer.valueOf(10), weight("ecs:prod-fargate:web"));
        assertEquals(Integer.valueOf(90), weight("ecs:prod-ec2:web"));
        ResourceRecordSet green = records().stream().filter(x -> "ecs:prod-fargate:web".equals(x.setIdentifier())).findFirst().orElseThrow();
        assertEquals(greenLb, green.aliasTarget().dnsName().replaceAll("\\.$", ""), "an alias to green's own load balancer");
        // An alias record has no TTL of its own (Route 53 answers with the target's); moto lists it with TTL 0.
        assertEquals(DecisionResult.APPLIED, run.decide(g1.gateId(), new GateDecision(HookAction.CONTINUE, "alice", "fine")).get(10, TimeUnit.SECONDS));

        PendingCutoverGate g2 = rec.gates.get(1).get(30, TimeUnit.SECONDS);
        assertEquals(Integer.valueOf(50), weight("ecs:prod-fargate:web"));
        run.decide(g2.gateId(), new GateDecision(HookAction.ROLLBACK, "alice", "p99 doubled")).get(10, TimeUnit.SECONDS);
        Outcome o = run.outcome().get(30, TimeUnit.SECONDS);

        assertEquals(OutcomeKind.ROLLED_BACK, o.kind());
        assertEquals(RollbackCause.GATE_REJECTED, o.cause());
        assertTrue(o.reason().startsWith("gate after step 2 (50 %) rejected by alice: p99 doubled; weights back to blue 100 / green 0"
                + " (clients may still resolve green until "), o.reason());
        assertEquals(Integer.valueOf(100), weight("ecs:prod-ec2:web"), "read back from Route 53");
        assertEquals(Integer.valueOf(0), weight("ecs:prod-fargate:web"));
        assertTrue(blueLb.startsWith("prod-ec2-alb"), blueLb);
        assertTrue(rec.gates.get(2).getNow(null) == null, "no gate after the step that was never taken");
        assertEquals(List.of(10, 50, 0), rec.events.stream().filter(e -> e instanceof CutoverEvent.WeightsRequested)
                .map(e -> ((CutoverEvent.WeightsRequested) e).greenWeight()).toList());
    }

    @Test
    void aGreenHealthCheckFailingBeforeTheFirstStepShiftsNothing() throws Exception {
        route53.changeResourceRecordSets(b -> b.hostedZoneId(zoneId).changeBatch(cb -> cb.changes(c -> c.action("CREATE")
                .resourceRecordSet(ResourceRecordSet.builder().name("api.example.com").type("A").ttl(300L)
                        .resourceRecords(ResourceRecord.builder().value("192.0.2.10").build()).build()))));
        List<ResourceRecordSet> before = records();
        healthStatus.set(503);
        Recorder rec = new Recorder();
        DnsCutoverRequest r = DnsCutoverRequest.builder().region("us-east-1").hostedZoneId(zoneId).recordName("api.example.com")
                .blue(new CutoverTarget.Value("192.0.2.10")).green(new CutoverTarget.Value("192.0.2.20"))
                .healthCheck(HealthCheck.url(healthUrl()).withAttempts(2, 5)).build();
        CutoverRun run = engine.start(r, rec, rec);
        Outcome o = run.outcome().get(30, TimeUnit.SECONDS);

        assertEquals(OutcomeKind.ROLLED_BACK, o.kind());
        assertEquals(RollbackCause.HEALTH_CHECK_FAILED, o.cause());
        assertEquals("green's health check failed before step 1 (10 %): HTTP 503 (expected 200) from " + healthUrl()
                + " after 2 attempts: nothing was shifted, blue keeps every answer", o.reason());
        assertEquals(before, records(), "Route 53 holds exactly what it held before");
        assertEquals(1, before.size());
        assertTrue(rec.events.stream().noneMatch(e -> e instanceof CutoverEvent.WeightsRequested));
    }

    @Test
    void aCutoverOfPlainValuesEndsWithEveryAnswerOnGreen() throws Exception {
        Recorder rec = new Recorder();
        DnsCutoverRequest r = DnsCutoverRequest.builder().region("us-east-1").hostedZoneId(zoneId).recordName("api.example.com")
                .blue(new CutoverTarget.Value("blue.internal.example.com")).green(new CutoverTarget.Value("green.internal.example.com"))
                .steps(List.of(25, 100)).ttlSeconds(30).healthCheck(HealthCheck.url(healthUrl())).build();
        Outcome o = engine.start(r, rec, rec).outcome().get(30, TimeUnit.SECONDS);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        ResourceRecordSet green = records().stream().filter(x -> "green.internal.example.com".equals(x.setIdentifier())).findFirst().orElseThrow();
        assertEquals("CNAME", green.typeAsString(), "host names make a CNAME");
        assertEquals(30L, green.ttl());
        assertEquals(100L, green.weight());
        assertEquals("green.internal.example.com", green.resourceRecords().get(0).value());
        assertEquals(Integer.valueOf(0), weight("blue.internal.example.com"));
    }
}
