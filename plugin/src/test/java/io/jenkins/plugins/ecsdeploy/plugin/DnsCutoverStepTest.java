package io.jenkins.plugins.ecsdeploy.plugin;

import io.jenkins.plugins.ecsdeploy.simulator.MotoServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import hudson.AbortException;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverEngine;
import io.jenkins.plugins.ecsdeploy.engine.cutover.CutoverSnapshot;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeJob;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeRun;
import io.jenkins.plugins.ecsdeploy.plugin.harness.GroovyPipeline;
import io.jenkins.plugins.ecsdeploy.plugin.harness.PipelineBinder;
import io.jenkins.plugins.ecsdeploy.plugin.harness.Snippet;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStep;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * {@code ecsDnsCutover} through the stand-in harness (docs/cutovers.md "6. Tests"): the Jenkinsfile runs under real
 * Groovy with the global variable {@code ecsDnsCutover} (EcsDnsCutover.groovy) → the block step
 * {@code ecsDnsCutoverRun} → a stand-in {@code input} at each gate. Route 53 is moto_server's (5.2.1: the ECS simulator
 * has no Route 53), reached by the plugin's own cutover engine with the registry's scaled virtual time; the targets are
 * values, so no ECS call is made; green's health endpoint is a loopback HTTP server.
 */
class DnsCutoverStepTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static MotoServer moto;
    static Route53Client route53;

    EcsSandbox sandbox;
    StepRunner runner;
    HttpServer health;
    final AtomicInteger healthStatus = new AtomicInteger(200);
    String zoneId;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        route53 = Route53Client.builder().endpointOverride(moto.endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @AfterAll
    static void stopMoto() {
        if (route53 != null) {
            route53.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        moto.reset();
        zoneId = route53.createHostedZone(b -> b.name("example.com").callerReference("p-" + System.nanoTime()))
                .hostedZone().id().replace("/hostedzone/", "");
        health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/health", ex -> {
            ex.sendResponseHeaders(healthStatus.get(), -1);
            ex.close();
        });
        health.start();
        sandbox = new EcsSandbox();
        // the cutover engine of the registry's engine: same scheduler (scaled virtual time), Route 53 in moto
        CutoverEngines.useForTests(e -> new CutoverEngine(EngineConfig.builder().region(EcsSandbox.REGION)
                .endpointOverride(moto.endpoint)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .scheduler(e.scheduler()).build()));
        runner = StepRunner.create();
        StandInJenkins.register(new EcsDnsCutoverVariable());
        StandInJenkins.register(new EcsApproveVariable.GroovySources());
    }

    @AfterEach
    void tearDown() {
        CutoverEngines.useForTests(null);
        sandbox.close();
        health.stop(0);
    }

    GroovyPipeline pipeline() {
        return GroovyPipeline.running(runner).steps(EcsDnsCutoverBlockStep.class, EcsDnsCutoverStep.class, InputStep.class)
                .variable("ZONE", zoneId).variable("HEALTH", "http://127.0.0.1:" + health.getAddress().getPort() + "/health");
    }

    static final String THREE_STEPS_WITH_GATES = String.join("\n",
            "def c = ecsDnsCutover hostedZoneId: ZONE, record: 'api.example.com', region: 'us-east-1',",
            "                      blue: 'value:192.0.2.10', green: 'value:192.0.2.20', ttl: 30, steps: [10, 50, 100],",
            "                      approval: true, healthCheckUrl: HEALTH",
            "echo \"cutover: ${c.outcome}\"",
            "return c");

    List<ResourceRecordSet> records() {
        return route53.listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .filter(r -> r.name().startsWith("api.")).collect(Collectors.toList());
    }

    Integer weight(String setId) {
        return records().stream().filter(r -> setId.equals(r.setIdentifier())).map(r -> r.weight().intValue()).findFirst().orElse(null);
    }

    InputStepExecution awaitInput(GroovyPipeline p, String notThisId) throws InterruptedException {
        EcsSandbox.await("the cutover gate's input", WAIT, () -> {
            InputStepExecution i = EcsApproveInput.input(runner);
            return p.isDone() || i != null && !i.getId().equals(notThisId);
        }, p.started().isEmpty() ? null : p.started().get(0));
        InputStepExecution i = EcsApproveInput.input(runner);
        assertNotNull(i, () -> "no input; failure " + p.failure() + "; " + p.started().stream().map(c -> c.log()).collect(Collectors.joining("\n")));
        return i;
    }

    String stepLog(GroovyPipeline p) {
        return p.started().get(0).log();
    }

    @Test
    void threeStepsWithAnInputAtEachGateRolledBackAtTheSecondPutTheWeightsBackAndSayWhy() throws Throwable {
        GroovyPipeline p = pipeline().start(THREE_STEPS_WITH_GATES);
        InputStepExecution first = awaitInput(p, null);
        assertEquals(10, weight("192.0.2.20"), "step 1 written before its gate");
        assertEquals(90, weight("192.0.2.10"));
        assertTrue(first.getInput().getMessage().contains("api.example.com") && first.getInput().getMessage().contains("10 %"),
                first.getInput().getMessage());
        StandInJenkins.as("alice", () -> first.doProceedEmpty());

        InputStepExecution second = awaitInput(p, first.getId());
        assertNotEquals(first.getId(), second.getId());
        assertEquals(50, weight("192.0.2.20"), "step 2 written after alice's proceed");
        StandInJenkins.as("bob", () -> second.doAbort());

        Throwable t = assertThrows(AbortException.class, () -> p.await(WAIT));
        assertTrue(t.getMessage().contains("rejected by bob") && t.getMessage().contains("step 2"), t.getMessage());
        assertEquals(100, weight("192.0.2.10"), "weights back to blue");
        assertEquals(0, weight("192.0.2.20"));
        List<String> audit = new ArrayList<>();
        runner.run().getActions(EcsDecisionAction.class).forEach(a -> audit.add(a.getUserId() + ":" + a.getDecision()));
        assertEquals(List.of("alice:CONTINUE", "bob:ROLLBACK"), audit);
        assertTrue(stepLog(p).contains("waits for the input Ecs-"), stepLog(p));
        assertTrue(stepLog(p).contains("step 2: green 50% / blue 50%") && stepLog(p).contains("Minimum duration"), "the plan: " + stepLog(p));
    }

    @Test
    void aGreenHealthCheckFailingBeforeTheFirstStepShiftsNothing() throws Throwable {
        healthStatus.set(503);
        GroovyPipeline p = pipeline().start(THREE_STEPS_WITH_GATES);
        Throwable t = assertThrows(AbortException.class, () -> p.await(WAIT));
        assertTrue(t.getMessage().contains("health check") && t.getMessage().contains("nothing was shifted"), t.getMessage());
        assertTrue(records().isEmpty(), () -> "nothing written: " + records());
        assertEquals(null, EcsApproveInput.input(runner), "no gate was offered");
    }

    @Test
    void theSnippetGeneratorsCallRunsTheCutoverToGreen() throws Throwable {
        EcsDnsCutoverStep s = new EcsDnsCutoverStep(zoneId, "api.example.com");
        s.setRegion("us-east-1");
        s.setBlue("value:192.0.2.10");
        s.setGreen("value:192.0.2.20");
        s.setTtl(30);
        s.setSteps(List.of(50, 100));
        s.setHealthCheckUrl("http://127.0.0.1:" + health.getAddress().getPort() + "/health");
        String snippet = Snippet.of(s);
        assertTrue(snippet.startsWith("ecsDnsCutover "), snippet);
        GroovyPipeline p = pipeline();
        Object r = p.run("def c = " + snippet + "\nreturn c");
        @SuppressWarnings("unchecked")
        Map<String, Object> m = assertInstanceOf(Map.class, r);
        assertEquals("SUCCEEDED", m.get("outcome"), () -> String.valueOf(m));
        assertEquals(100, weight("192.0.2.20"));
        assertEquals(0, weight("192.0.2.10"));
        assertTrue(p.calls().contains(EcsDnsCutoverBlockStep.FUNCTION), () -> "the global variable ran the block step: " + p.calls());
    }

    @Test
    void theFreestyleStepWaitsForTheOutcomeAndARollBackOnTheCutoverPagePutsTheWeightsBack() throws Exception {
        EcsDnsCutoverStep s = PipelineBinder.strict().instantiate(EcsDnsCutoverStep.class, Map.of("hostedZoneId", zoneId,
                "record", "api.example.com", "region", "us-east-1", "blue", "value:192.0.2.10", "green", "value:192.0.2.20",
                "ttl", 30, "steps", List.of(10, 100), "approval", "alice",
                "healthCheckUrl", "http://127.0.0.1:" + health.getAddress().getPort() + "/health"));
        FakeRun run = new FakeRun(new FakeJob("freestyle"), 1);
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread executor = new Thread(() -> {
            try {
                new EcsDnsCutoverBuilder(s).perform(run, new hudson.EnvVars(), new hudson.util.StreamTaskListener(log));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "executor");
        executor.start();
        EcsSandbox.await("the gate after step 1 on the cutover page", WAIT, () -> {
            EcsCutoverAction a = run.getAction(EcsCutoverAction.class);
            return a != null && !a.getCutovers().isEmpty() && a.getCutovers().get(0).snapshotJson != null
                    && !CutoverSnapshot.fromJson(a.getCutovers().get(0).snapshotJson).awaitingGates().isEmpty();
        }, null);
        assertTrue(executor.isAlive(), "the executor waits for the cutover");
        assertEquals(10, weight("192.0.2.20"));
        EcsCutoverAction a = run.getAction(EcsCutoverAction.class);
        EcsCutoverAction.CutoverRecord rec = a.getCutovers().get(0);
        String gateId = CutoverSnapshot.fromJson(rec.snapshotJson).awaitingGates().get(0).gateId();
        EcsApprovalAction.Reply refused = a.decide(rec.getId(), gateId, io.jenkins.plugins.ecsdeploy.engine.HookAction.CONTINUE, null,
                new SubmitterRules.Decider("bob", "bob", List.of(), false, true), SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(403, refused.status(), "bob is not an approver: " + refused.message());
        EcsApprovalAction.Reply r = a.decide(rec.getId(), gateId, io.jenkins.plugins.ecsdeploy.engine.HookAction.ROLLBACK, "p99 doubled",
                new SubmitterRules.Decider("alice", "alice", List.of(), false, true), SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(200, r.status(), r.message());
        executor.join(WAIT.toMillis());
        assertInstanceOf(AbortException.class, failure.get(), () -> String.valueOf(failure.get()));
        assertTrue(failure.get().getMessage().contains("rejected by alice"), failure.get().getMessage());
        assertEquals(100, weight("192.0.2.10"));
        assertEquals(0, weight("192.0.2.20"));
        String text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("Minimum duration") && text.contains("on the cutover's page"), text);
    }

    @Test
    void aControllerRestartAtAGateResumesFromRoute53AndTheGateIsDecidedAfterwards() throws Throwable {
        restartAtAGate(false);
    }

    @Test
    void aControllerCrashAtAGateResumesFromTheLastCheckpointAndRoute53() throws Throwable {
        restartAtAGate(true);
    }

    void restartAtAGate(boolean crash) throws Throwable {
        java.util.function.Function<io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine, CutoverEngine> factory =
                e -> new CutoverEngine(EngineConfig.builder().region(EcsSandbox.REGION).endpointOverride(moto.endpoint)
                        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .scheduler(e.scheduler()).build());
        // the old JVM's cutover engines and threads are gone after a restart
        runner.onRestart(() -> {
            CutoverEngines.useForTests(factory);
            sandbox.restartEngines();
        });
        FakeStepContext c = runner.start(EcsDnsCutoverStep.class, Map.of("hostedZoneId", zoneId, "record", "api.example.com",
                "region", "us-east-1", "blue", "value:192.0.2.10", "green", "value:192.0.2.20", "ttl", 30,
                "steps", List.of(25, 100), "approval", true, "approvalTimeout", 20000,
                "healthCheckUrl", "http://127.0.0.1:" + health.getAddress().getPort() + "/health"));
        EcsSandbox.await("the gate after step 1", WAIT, () -> awaitingGate() != null, c);
        String gateBefore = awaitingGate();
        assertEquals(25, weight("192.0.2.20"));

        if (crash) {
            runner.crash(c);   // only the last saveState() and the last build.xml survive
        } else {
            runner.restart(c);
        }
        assertEquals(25, weight("192.0.2.20"), "nothing moved while no engine ran");
        EcsCutoverAction a = runner.run().getAction(EcsCutoverAction.class);
        String id = a.getCutovers().get(0).getId();
        // the resumed cutover reads the weights, finds step 1 and offers the same gate again; until then the page says 409
        java.util.concurrent.atomic.AtomicReference<EcsApprovalAction.Reply> reply = new java.util.concurrent.atomic.AtomicReference<>();
        EcsSandbox.await("the resumed cutover to take the decision", WAIT, () -> {
            EcsApprovalAction.Reply r = runner.run().getAction(EcsCutoverAction.class).decide(id, gateBefore,
                    io.jenkins.plugins.ecsdeploy.engine.HookAction.CONTINUE, "after the restart",
                    new SubmitterRules.Decider("alice", "alice", List.of(), false, true), SubmitterRules.Ids.CASE_INSENSITIVE);
            reply.set(r);
            return r.status() == 200;
        }, c);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", result.get("outcome"), () -> String.valueOf(result));
        assertEquals(100, weight("192.0.2.20"));
        assertEquals(0, weight("192.0.2.10"));
        assertTrue(c.log().contains("Jenkins restarted; resuming the cutover"), c.log());
    }

    /** The gate id awaiting a decision in this build's first cutover, or null. */
    String awaitingGate() {
        EcsCutoverAction a = runner.run().getAction(EcsCutoverAction.class);
        if (a == null || a.getCutovers().isEmpty() || a.getCutovers().get(0).snapshotJson == null) {
            return null;
        }
        var g = CutoverSnapshot.fromJson(a.getCutovers().get(0).snapshotJson).awaitingGates();
        return g.isEmpty() ? null : g.get(0).gateId();
    }

    @Test
    void aGateDecidedOnTheCutoverPageWithdrawsItsInputAndTheNextGateIsAnInputAgain() throws Throwable {
        GroovyPipeline p = pipeline().start(THREE_STEPS_WITH_GATES);
        InputStepExecution first = awaitInput(p, null);
        EcsCutoverAction a = runner.run().getAction(EcsCutoverAction.class);
        EcsApprovalAction.Reply r = a.decide(a.getCutovers().get(0).getId(), awaitingGate(),
                io.jenkins.plugins.ecsdeploy.engine.HookAction.CONTINUE, "from the page",
                new SubmitterRules.Decider("carol", "carol", List.of(), false, true), SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(200, r.status(), r.message());
        InputStepExecution second = awaitInput(p, first.getId());
        assertTrue(first.isSettled(), "the first input was withdrawn");
        assertEquals(50, weight("192.0.2.20"));
        StandInJenkins.as("dave", () -> second.doProceedEmpty());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) p.await(WAIT);
        assertEquals("SUCCEEDED", m.get("outcome"), () -> String.valueOf(m));
        assertEquals(100, weight("192.0.2.20"));
        List<String> audit = new ArrayList<>();
        runner.run().getActions(EcsDecisionAction.class).forEach(x -> audit.add(x.getUserId() + ":" + x.getDecision()));
        assertEquals(List.of("carol:CONTINUE", "dave:CONTINUE"), audit);
    }
}
