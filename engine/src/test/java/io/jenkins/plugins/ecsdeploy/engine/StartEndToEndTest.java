package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;

/** start(): preflight refusals before any write, the revision registered, the request sent, the deployment found. */
class StartEndToEndTest {
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

    static InvalidRequestException refused(java.util.concurrent.CompletableFuture<?> f) {
        var e = assertThrows(CompletionException.class, f::join);
        assertTrue(e.getCause() instanceof InvalidRequestException, String.valueOf(e.getCause()));
        return (InvalidRequestException) e.getCause();
    }

    long writes() {
        return sb.sim.stats().count("UpdateService") + sb.sim.stats().count("RegisterTaskDefinition");
    }

    @Test
    void imageOverridesRegisterARevisionAndDeployIt() {
        var svc = sb.service("web");
        DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(1)).build()));
        assertTrue(h.taskDefinitionArn().endsWith(":task-definition/web:2"), h.taskDefinitionArn());
        try (EcsClient ecs = EcsClient.builder().endpointOverride(sb.sim.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build()) {
            var td = ecs.describeTaskDefinition(b -> b.taskDefinition(h.taskDefinitionArn())).taskDefinition();
            assertEquals("registry/web:2.0", td.containerDefinitions().stream().filter(c -> c.name().equals("web"))
                    .findFirst().orElseThrow().image());
            var sd = ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(h.deploymentArn())).serviceDeployments().get(0);
            var rev = ecs.describeServiceRevisions(b -> b.serviceRevisionArns(sd.targetServiceRevision().arn()))
                    .serviceRevisions().get(0);
            assertEquals(h.taskDefinitionArn(), rev.taskDefinition(), "the handle is the deployment of what was registered");
        }
        assertEquals("123456789012", h.accountId());
        assertEquals("demo", h.cluster());
        assertEquals("BLUE_GREEN", h.strategy());
        assertEquals(OutcomeKind.SUCCEEDED, await(engine.follow(h, null, null).outcome()).kind());
    }

    @Test
    void anExistingTaskDefinitionIsDeployedAsGiven() {
        var svc = sb.service("web");
        String td = sb.sim.seed().taskDefinition("web", "registry/web:3.0");
        DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.Linear(50.0, 1, 1))
                .taskDefinition("web:2").build()));
        assertEquals(td, h.taskDefinitionArn());
        assertEquals(0L, sb.sim.stats().count("RegisterTaskDefinition"));
    }

    @Test
    void aCodeDeployServiceIsRefusedWithThePathToMigrate() {
        var svc = sb.sim.seed().codeDeployService("demo", "legacy", 2);
        var e = refused(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(5)).build()));
        assertEquals("service 'legacy': a service whose deployment controller is ECS; this one uses "
                + "CODE_DEPLOY, which cannot run ECS-native BLUE_GREEN deployments. See docs/migrate-from-codedeploy.md "
                + "for moving it to the ECS controller", e.problems().get(0).message());
        assertEquals(0L, writes());
    }

    @Test
    void aDeploymentInProgressIsRefusedNamingIt() {
        var svc = sb.service("web");
        DeploymentHandle running = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(600)).build()));
        long before = writes();
        var e = refused(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(5)).build()));
        String m = e.problems().get(0).message();
        assertTrue(m.startsWith("service 'web': a service with no deployment in progress; "
                + running.deploymentArn() + " is "), m);
        assertTrue(m.endsWith(" — wait for it, roll it back, or attach to it (attachIfInProgress)"), m);
        assertEquals(before, writes());
    }

    @Test
    void attachIfInProgressFollowsTheRunningDeploymentWithoutWriting() {
        var svc = sb.service("web");
        DeploymentHandle running = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(600)).build()));
        long before = writes();
        DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(5)).attachIfInProgress(true).build()));
        assertEquals(running.deploymentArn(), h.deploymentArn());
        assertEquals(before, writes());
    }

    @Test
    void unknownContainersInOverridesAreRefused() {
        var svc = sb.service("web");
        var e = refused(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(5))
                .revision(new RevisionSource.ImageOverrides(Map.of("api", "registry/api:1"))).build()));
        assertEquals("images[api] 'api': a container of " + svc.taskDefinitionArn() + ": web, log-router",
                e.problems().get(0).message());
        assertEquals(0L, writes());
    }

    @Test
    void anUnknownServiceIsRefused() {
        sb.service("web");
        var e = refused(engine.preflight(DeploymentRequest.builder().region("us-east-1").cluster("demo").service("nope")
                .taskDefinition("web:1").strategy(new Strategy.BlueGreen(5)).build()));
        assertTrue(e.problems().get(0).message().startsWith("service 'nope': an existing service in cluster demo"),
                e.getMessage());
    }

    @Test
    void anUnknownTaskDefinitionIsRefused() {
        var svc = sb.service("web");
        var e = refused(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(5)).taskDefinition("web:99").build()));
        assertTrue(e.problems().get(0).message().startsWith("taskDefinition 'web:99': an existing task "
                + "definition in us-east-1"), e.getMessage());
    }

    @Test
    void anInvalidRequestIsRefusedBeforeAnyCall() {
        var e = refused(engine.start(DeploymentRequest.builder().region("us-east-1").service("web")
                .taskDefinition("web:1").strategy(new Strategy.BlueGreen(null)).build()));
        assertEquals("bakeMinutes", e.problems().get(0).field());
        assertEquals(0L, sb.sim.stats().total());
    }

    @Test
    void preflightPlansWithTheLiveService() {
        var svc = sb.sim.seed().loadBalancedService("demo", "api", 3, LoadBalancerType.NLB);
        DeploymentPlan p = await(engine.preflight(Sandbox.request(svc, new Strategy.Canary(10.0, 5, 10)).build()));
        assertEquals("blue 3 + green 3 = 6 tasks at peak", p.capacity());
        assertEquals(5 + 10 + 3 * Planner.NLB_SHIFT_DELAY_MINUTES, p.minimumDurationMinutes());
        assertEquals(0L, writes());
    }

    @Test
    void noNewDeploymentWithinTheBoundIsAClearError() {
        var svc = sb.service("web");
        // The service's own task definition again, without forceNewDeployment: ECS starts no deployment.
        var e = assertThrows(CompletionException.class, () -> engine.start(Sandbox.request(svc, new Strategy.BlueGreen(5))
                .taskDefinition(svc.taskDefinitionArn()).build()).join());
        assertTrue(e.getCause() instanceof EngineException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().startsWith("UpdateService was accepted, but no new service deployment running "
                + svc.taskDefinitionArn() + " appeared on demo/web within PT2M."), e.getCause().getMessage());
    }

    @Test
    void forcedRedeploysOfTheSameRevisionAreNeverMistakenForEachOther() {
        var svc = sb.service("web");
        var r = Sandbox.request(svc, new Strategy.BlueGreen(0)).taskDefinition(svc.taskDefinitionArn())
                .forceNewDeployment(true).build();
        DeploymentHandle a = await(engine.start(r));
        assertEquals(OutcomeKind.SUCCEEDED, await(engine.follow(a, null, null).outcome()).kind());
        DeploymentHandle b = await(engine.start(r));
        assertTrue(!a.deploymentArn().equals(b.deploymentArn()), "a new deployment each time");
        assertEquals(sb.sim.deploymentArns().get(sb.sim.deploymentArns().size() - 1), b.deploymentArn());
        assertEquals(OutcomeKind.SUCCEEDED, await(engine.follow(b, null, null).outcome()).kind());
    }

    @Test
    void describeGivesASnapshotWithoutFollowing() {
        var svc = sb.service("web");
        DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(600)).build()));
        DeploymentSnapshot s = await(engine.describe(h));
        assertEquals(h.deploymentArn(), s.deploymentArn());
        assertEquals("BLUE_GREEN", s.strategy());
        assertTrue(List.of("PENDING", "IN_PROGRESS").contains(s.status()), s.status());
        assertEquals(0, engine.watcher().stats().followed(), "describe does not follow");
    }

    @Test
    void planIsOfflineAndValidates() {
        var svc = sb.service("web");
        DeploymentPlan p = engine.plan(Sandbox.request(svc, new Strategy.Linear(25.0, 10, 60)).build());
        assertEquals(90, p.minimumDurationMinutes());
        assertThrows(InvalidRequestException.class, () -> engine.plan(Sandbox.request(svc, new Strategy.Linear(1.0, 10, 60)).build()));
        assertEquals(0L, sb.sim.stats().total());
    }

    @Test
    void theFullConfigurationReachesEcs() {
        var svc = sb.service("web");
        var r = Sandbox.request(svc, new Strategy.Canary(10.0, 5, 10)).alarms(new Alarms(List.of("web-5xx"), true))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 90, HookAction.CONTINUE)).build();
        DeploymentHandle h = await(engine.start(r));
        var dc = sb.sim.describeDeployment(h.deploymentArn()).get("deploymentConfiguration");
        assertEquals("CANARY", dc.get("strategy").asText());
        assertEquals(10.0, dc.get("canaryConfiguration").get("canaryPercent").asDouble());
        assertEquals("web-5xx", dc.get("alarms").get("alarmNames").get(0).asText());
        var hook = dc.get("lifecycleHooks").get(0);
        assertEquals("PAUSE", hook.get("targetType").asText());
        assertEquals(90, hook.get("timeoutConfiguration").get("timeoutInMinutes").asInt());
        assertEquals("CONTINUE", hook.get("timeoutConfiguration").get("action").asText());
        assertEquals(1, dc.get("lifecycleHooks").size());
    }

    // ---- ECS's clock behind the engine's (follow-up 4) ----

    /** An engine whose clock runs a day ahead of ECS's: ListServiceDeployments(createdAt after T0 - 5 min) is empty. */
    DeploymentEngine engineADayAhead() {
        var ahead = new io.jenkins.plugins.ecsdeploy.engine.time.ScaledScheduler(
                java.time.Clock.offset(sb.clock, java.time.Duration.ofDays(1)), sb.speed, sb.executor);
        return sb.engine(sb.config().scheduler(ahead).findDeploymentTimeout(java.time.Duration.ofMinutes(1)));
    }

    @Test
    void theNewDeploymentIsFoundThroughUpdateServicesHintWhenEcsClockIsBehind() {
        var svc = sb.service("web");
        DeploymentEngine ahead = engineADayAhead();
        DeploymentHandle h = await(ahead.start(Sandbox.request(svc, new Strategy.BlueGreen(0)).build()));
        assertEquals(sb.sim.deploymentArns().get(sb.sim.deploymentArns().size() - 1), h.deploymentArn());
        assertTrue(h.taskDefinitionArn().endsWith(":task-definition/web:2"), h.taskDefinitionArn());
        assertEquals(OutcomeKind.SUCCEEDED, await(ahead.follow(h, null, null).outcome()).kind());
    }

    @Test
    void theHintIsNotTakenWhenItNamesTheDeploymentThatWasAlreadyThere() {
        var svc = sb.service("web");
        // The service's own task definition without forceNewDeployment starts nothing; UpdateService still names the
        // seeded (old) deployment, which runs exactly that task definition: it must not be taken for a new one.
        var e = assertThrows(CompletionException.class, () -> engineADayAhead().start(
                Sandbox.request(svc, new Strategy.BlueGreen(5)).taskDefinition(svc.taskDefinitionArn()).build()).join());
        assertTrue(e.getCause() instanceof EngineException, String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().startsWith("UpdateService was accepted, but no new service deployment"),
                e.getCause().getMessage());
    }
}
