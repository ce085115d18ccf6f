package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.jenkins.plugins.ecsdeploy.simulator.Scenario;
import io.jenkins.plugins.ecsdeploy.simulator.SeededService;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The engine against the behaviours real ECS shows and the simulator now models by default (docs/simulator.md,
 * "Behaviour, with its source"): the circuit breaker with BLUE_GREEN, hooks with ROLLING, a failure with no earlier
 * revision, the published statusReason texts, Express Mode services, early success with deferred clean-up.
 */
class RealEcsBehaviourEndToEndTest {
    static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:smoke";
    static final String ROLE = "arn:aws:iam::123456789012:role/hooks";

    Sandbox sb;
    DeploymentEngine engine;

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
        engine = sb.engine();
    }

    @AfterEach
    void tearDown() {
        sb.close();
    }

    private Outcome run(DeploymentRequest r) {
        return await(engine.follow(await(engine.start(r)), null, null).outcome());
    }

    @Test
    void aBlueGreenDeploymentWithFailingTasksIsRolledBackByTheCircuitBreaker() {
        sb.sim.scenario().tasksWithImage(":bad", Duration.ofSeconds(30), 1.0);
        var r = Sandbox.request(sb.service("web"), new Strategy.BlueGreen(5, true, true))
                .revision(new RevisionSource.ImageOverrides(Map.of("web", "registry/web:bad"))).build();
        Outcome o = run(r);
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.CIRCUIT_BREAKER, o.cause(), o.describe());
        assertTrue(o.reason().startsWith("circuit breaker triggered: 3 tasks failed to start"), o.reason());
        assertTrue(o.plainWords().startsWith("Rolled back because the deployment circuit breaker tripped"), o.plainWords());
    }

    @Test
    void aRollingDeploymentWithAGatePausesAndContinues() {
        CompletableFuture<PendingGate> offered = new CompletableFuture<>();
        var r = Sandbox.request(sb.service("web"), new Strategy.Rolling(100, 200, null, null))
                .gate(new Gate("POST_SCALE_UP", 60, HookAction.ROLLBACK)).build();
        DeploymentHandle h = await(engine.start(r));
        var rec = new Sandbox.Recorder();
        Subscription sub = engine.follow(h, rec, offered::complete);
        PendingGate g = await(offered);
        // ECS holds the deployment: every new task runs, the outcome is still open.
        assertTrue(g.hookId().startsWith("ecs-pause-"), g.hookId());
        // ROLLING reports no lifecycleStage: the gate's stage comes from the configuration
        assertEquals("POST_SCALE_UP", g.stage());
        assertEquals(4, g.snapshot().green().runningTasks());
        assertNull(g.snapshot().outcome());
        assertEquals(DecisionResult.APPLIED, await(engine.decide(h, g.hookId(), new GateDecision(HookAction.CONTINUE, "alice", "ok"))));
        Outcome o = await(sub.outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(1L, sb.sim.stats().count("ContinueServiceDeployment"));
        assertEquals("CONTINUED", rec.last.gates().get(0).state());
    }

    @Test
    void aFirstDeploymentThatFailsEndsRollbackFailedWithNoEarlierRevisionAndTheWarning() {
        sb.sim.scenario().tasksWithImage(":bad", Duration.ofSeconds(30), 1.0);
        sb.sim.seed().cluster("demo");
        String td = sb.sim.seed().taskDefinition("fresh", "registry/web:bad");
        ObjectNode create = new ObjectMapper().createObjectNode().put("cluster", "demo").put("serviceName", "fresh")
                .put("taskDefinition", td).put("desiredCount", 2);
        create.putObject("deploymentConfiguration").putObject("deploymentCircuitBreaker").put("enable", true).put("rollback", true);
        String arn = sb.sim.call("CreateService", create).path("service").path("currentServiceDeployment").asText();
        DeploymentHandle h = await(engine.attach(arn));
        Outcome o = await(engine.follow(h, null, null).outcome());
        assertEquals(OutcomeKind.ROLLBACK_FAILED, o.kind(), o.describe());
        assertEquals(RollbackCause.NO_EARLIER_REVISION, o.cause(), o.describe());
        assertTrue(o.reason().startsWith("the deployment failed (circuit breaker triggered: "), o.reason());
        assertTrue(o.reason().contains("no earlier revision to roll back to (ECS: No rollback candidate was found to run the rollback.)"),
                o.reason());
        assertEquals(Outcome.EMPTY_TARGET_GROUP_WARNING, o.warning());
        assertTrue(o.plainWords().startsWith("Failed, and could not roll back: the deployment failed"), o.plainWords());
    }

    @Test
    void aLambdaHookOf1441MinutesIsRefusedBeforeAnyRequestLeaves() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer recorder = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/", x -> {
            requests.incrementAndGet();
            x.sendResponseHeaders(500, -1);
            x.close();
        });
        recorder.start();
        try (DeploymentEngine e = new DeploymentEngine(EngineConfig.builder().region("us-east-1")
                .endpointOverride(URI.create("http://127.0.0.1:" + recorder.getAddress().getPort()))
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build())) {
            var r = DeploymentRequest.builder().region("us-east-1").cluster("demo").service("web").taskDefinition("web:2")
                    .strategy(new Strategy.BlueGreen(5))
                    .hook(new LambdaHook(FN, ROLE, List.of("POST_TEST_TRAFFIC_SHIFT"), null, 1441, HookAction.ROLLBACK)).build();
            ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> e.start(r).get(10, TimeUnit.SECONDS));
            InvalidRequestException refused = assertInstanceOf(InvalidRequestException.class, failed.getCause());
            assertEquals("hooks[0].timeoutMinutes '1441': whole minutes from 1 to 1440 (24 hours) for a Lambda "
                    + "hook; only gates (PAUSE hooks) wait up to 20160", refused.problems().get(0).message());
        } finally {
            recorder.stop(0);
        }
        assertEquals(0, requests.get(), "no request may leave before the request is valid");
    }

    @Test
    void anExpressModeServiceIsRefusedBeforeAnyWrite() {
        SeededService s = sb.sim.seed().expressService("demo", "express", 2);
        sb.sim.stats().reset();
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> engine.start(Sandbox.request(s, new Strategy.Canary(10.0, 5, 5)).build()).get(30, TimeUnit.SECONDS));
        InvalidRequestException refused = assertInstanceOf(InvalidRequestException.class, failed.getCause());
        assertTrue(refused.getMessage().contains("Express Mode service (resourceManagementType ECS)"), refused.getMessage());
        assertEquals(0L, sb.sim.stats().count("UpdateService") + sb.sim.stats().count("RegisterTaskDefinition"));
    }

    @Test
    void invalidLoadBalancerWiringIsNetworkConfiguration() {
        sb.sim.scenario().infrastructureFault(Scenario.InfrastructureFault.INVALID_NETWORKING);
        Outcome o = run(Sandbox.request(sb.service("web"), new Strategy.BlueGreen(5)).build());
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.NETWORK_CONFIGURATION, o.cause(), o.describe());
        assertEquals("ECS found the load balancer wiring invalid: Both targetGroup and alternateTargetGroup must be associated "
                + "with the productionListenerRule or testListenerRule.", o.reason());
    }

    @Test
    void aRoleWithoutTheListenerPermissionIsNamed() {
        sb.sim.scenario().infrastructureFault(Scenario.InfrastructureFault.ELB_PERMISSIONS);
        Outcome o = run(Sandbox.request(sb.service("web"), new Strategy.BlueGreen(5)).build());
        assertEquals(RollbackCause.PERMISSIONS, o.cause(), o.describe());
        assertTrue(o.reason().startsWith("role arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers is not "
                + "allowed to elasticloadbalancing:ModifyRule on arn:aws:elasticloadbalancing:"), o.reason());
    }

    @Test
    void aLambdaRoleEcsCannotAssumeIsNamed() {
        sb.sim.scenario().infrastructureFault(Scenario.InfrastructureFault.LAMBDA_ROLE);
        Outcome o = run(Sandbox.request(sb.service("web"), new Strategy.BlueGreen(5))
                .hook(new LambdaHook(FN, ROLE, List.of("PRE_SCALE_UP"), null, null, null)).build());
        assertEquals(RollbackCause.PERMISSIONS, o.cause(), o.describe());
        assertTrue(o.reason().startsWith("ECS could not assume role " + ROLE), o.reason());
    }

    @Test
    void earlySuccessWithDeferredCleanUpSucceedsWhileOldTasksStillDrain() {
        sb.sim.scenario().drainTime(Duration.ofMinutes(5)); // an ELB target group's default deregistration delay
        var r = Sandbox.request(sb.service("web"), new Strategy.Rolling(50, 100, null, null,
                new Strategy.EarlySuccess(50, "DEFERRED"))).build();
        Outcome o = run(r);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertTrue(o.reason().contains("old tasks still draining"), o.reason());
        var cfg = sb.sim.describeDeployment(sb.sim.deploymentArns().get(sb.sim.deploymentArns().size() - 1))
                .path("deploymentConfiguration").path("earlySuccessCriteria");
        assertEquals("DEFERRED", cfg.path("sourceServiceRevisionCleanup").asText());
        assertNotNull(cfg.get("healthyPercent"));
    }
}
