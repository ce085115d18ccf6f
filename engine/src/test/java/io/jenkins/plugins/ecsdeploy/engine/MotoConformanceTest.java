package io.jenkins.plugins.ecsdeploy.engine;

import io.jenkins.plugins.ecsdeploy.simulator.MotoServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentConfigurations;
import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentStarter;
import io.jenkins.plugins.ecsdeploy.engine.internal.TaskDefinitions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * Conformance against moto 5.2.1, an independent ECS implementation: the RegisterTaskDefinition the engine builds from
 * image overrides and the UpdateService deploymentConfiguration it builds are accepted and round-trip (moto stores
 * UpdateService's members as sent and echoes them, as this test observes; it implements no service-deployment APIs, so
 * the engine's follow path is tested against the simulator instead).
 */
class MotoConformanceTest {
    static MotoServer moto;
    static EcsClient ecs;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        ecs = EcsClient.builder().endpointOverride(moto.endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    @AfterAll
    static void stopMoto() {
        if (ecs != null) {
            ecs.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    @SuppressWarnings("unchecked") // the SDK's Consumer... varargs
    void seed() throws Exception {
        moto.reset();
        ecs.createCluster(b -> b.clusterName("prod"));
        ecs.registerTaskDefinition(b -> b.family("web").networkMode("bridge")
                .containerDefinitions(c -> c.name("web").image("registry/web:1.0").memory(256).essential(true),
                        c -> c.name("sidecar").image("registry/envoy:1.30").memory(128).essential(false))
                .tags(t -> t.key("team").value("payments")));
        ecs.createService(b -> b.cluster("prod").serviceName("web").taskDefinition("web:1").desiredCount(2)
                .deploymentController(d -> d.type("ECS")));
    }

    @Test
    void imageOverrideRegistersACopyWithOnlyThatImageChangedAndTheTags() {
        var current = ecs.describeTaskDefinition(b -> b.taskDefinition("web:1").include(TaskDefinitionField.TAGS));
        var req = TaskDefinitions.withImages(current.taskDefinition(), current.tags(), Map.of("web", "registry/web:1.4.2"));
        var registered = ecs.registerTaskDefinition(req).taskDefinition();
        assertEquals(2, registered.revision());
        var back = ecs.describeTaskDefinition(b -> b.taskDefinition("web:2").include(TaskDefinitionField.TAGS));
        TaskDefinition td = back.taskDefinition();
        assertEquals("registry/web:1.4.2", td.containerDefinitions().get(0).image());
        assertEquals("registry/envoy:1.30", td.containerDefinitions().get(1).image(), "other containers untouched");
        assertEquals(256, td.containerDefinitions().get(0).memory());
        assertEquals("bridge", td.networkModeAsString());
        assertEquals("team", back.tags().get(0).key());
        assertEquals("payments", back.tags().get(0).value());
    }

    @Test
    void theRequestCarriesNoReadOnlyFields() {
        var current = ecs.describeTaskDefinition(b -> b.taskDefinition("web:1").include(TaskDefinitionField.TAGS));
        var req = TaskDefinitions.withImages(current.taskDefinition(), current.tags(), Map.of("web", "x:1"));
        String s = req.toString();
        for (String readOnly : List.of("taskDefinitionArn", "revision=", "status=", "requiresAttributes", "compatibilities=",
                "registeredAt", "registeredBy", "deregisteredAt")) {
            assertFalse(s.contains(readOnly), readOnly + " must not be sent: " + s);
        }
    }

    @Test
    void taskDefinitionJsonFileIsAccepted() {
        String json = "{\"family\":\"api\",\"networkMode\":\"bridge\",\"containerDefinitions\":[{\"name\":\"api\","
                + "\"image\":\"registry/api:2\",\"memory\":512,\"portMappings\":[{\"containerPort\":8080}]}],"
                + "\"tags\":[{\"key\":\"team\",\"value\":\"core\"}],\"revision\":9,\"status\":\"ACTIVE\"}";
        var req = TaskDefinitions.fromJson(json, "api.json");
        var td = ecs.registerTaskDefinition(req).taskDefinition();
        assertEquals("api", td.family());
        assertEquals(8080, td.containerDefinitions().get(0).portMappings().get(0).containerPort());
        assertEquals(1, td.revision(), "read-only members of the file are not sent back");
    }

    @Test
    void updateServiceWithTheFullConfigurationRoundTrips() {
        DeploymentRequest r = canaryRequest();
        Service before = ecs.describeServices(b -> b.cluster("prod").services("web")).services().get(0);
        DeploymentConfiguration dc = DeploymentConfigurations.merge(before.deploymentConfiguration(), r);
        // exactly the request start() sends
        Service after = ecs.updateService(DeploymentStarter.updateServiceRequest(r.toBuilder().desiredCount(3).build(), dc,
                "web:1")).service();
        assertEquals(3, after.desiredCount());
        DeploymentConfiguration echo = after.deploymentConfiguration();
        assertEquals("CANARY", echo.strategyAsString());
        assertEquals(10.0, echo.canaryConfiguration().canaryPercent());
        assertEquals(15, echo.canaryConfiguration().canaryBakeTimeInMinutes());
        assertEquals(30, echo.bakeTimeInMinutes());
        assertNull(echo.linearConfiguration());
        assertEquals(List.of("web-5xx"), echo.alarms().alarmNames());
        assertTrue(echo.alarms().rollback());
        List<DeploymentLifecycleHook> hooks = echo.lifecycleHooks();
        assertEquals(2, hooks.size());
        assertEquals("AWS_LAMBDA", hooks.get(0).targetTypeAsString());
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:smoke", hooks.get(0).hookTargetArn());
        assertEquals("{\"suite\":\"smoke\",\"retries\":2}", hooks.get(0).hookDetails().toString().replace(" ", ""));
        assertEquals("PAUSE", hooks.get(1).targetTypeAsString());
        assertEquals(List.of("POST_TEST_TRAFFIC_SHIFT"), hooks.get(1).lifecycleStagesAsStrings());
        assertEquals(90, hooks.get(1).timeoutConfiguration().timeoutInMinutes());
        assertEquals("ROLLBACK", hooks.get(1).timeoutConfiguration().actionAsString());
        assertEquals(dc, echo, "moto echoes exactly what the engine sent");
    }

    @Test
    void redeployingReplacesThePauseHooksInsteadOfAddingMore() {
        DeploymentRequest r = canaryRequest();
        for (int i = 0; i < 3; i++) {
            Service cur = ecs.describeServices(b -> b.cluster("prod").services("web")).services().get(0);
            DeploymentConfiguration dc = DeploymentConfigurations.merge(cur.deploymentConfiguration(), r);
            ecs.updateService(b -> b.cluster("prod").service("web").taskDefinition("web:1").deploymentConfiguration(dc));
        }
        Service cur = ecs.describeServices(b -> b.cluster("prod").services("web")).services().get(0);
        long pauses = cur.deploymentConfiguration().lifecycleHooks().stream().filter(DeploymentConfigurations::isPause).count();
        assertEquals(1, pauses);
        assertEquals(2, cur.deploymentConfiguration().lifecycleHooks().size());
    }

    @Test
    void settingsTheRequestDoesNotChangeAreKept() {
        // A service configured elsewhere (e.g. Terraform) with alarms and a Lambda hook; the request changes only the strategy.
        DeploymentRequest configured = canaryRequest();
        Service cur = ecs.describeServices(b -> b.cluster("prod").services("web")).services().get(0);
        ecs.updateService(b -> b.cluster("prod").service("web")
                .deploymentConfiguration(DeploymentConfigurations.merge(cur.deploymentConfiguration(), configured)));
        DeploymentRequest linear = DeploymentRequest.builder().region("us-east-1").cluster("prod").service("web")
                .taskDefinition("web:1").strategy(new Strategy.Linear(20.0, null, null)).build();
        Service mid = ecs.describeServices(b -> b.cluster("prod").services("web")).services().get(0);
        DeploymentConfiguration dc = DeploymentConfigurations.merge(mid.deploymentConfiguration(), linear);
        DeploymentConfiguration echo = ecs.updateService(b -> b.cluster("prod").service("web").taskDefinition("web:1")
                .deploymentConfiguration(dc)).service().deploymentConfiguration();
        assertEquals("LINEAR", echo.strategyAsString());
        assertNull(echo.canaryConfiguration(), "canaryConfiguration only with CANARY (DeploymentConfiguration API reference)");
        assertEquals(20.0, echo.linearConfiguration().stepPercent());
        assertEquals(30, echo.bakeTimeInMinutes(), "kept");
        assertEquals(List.of("web-5xx"), echo.alarms().alarmNames(), "kept");
        assertEquals(1, echo.lifecycleHooks().size(), "the Lambda hook is kept; the old gate is gone (no gates asked)");
        assertEquals("AWS_LAMBDA", echo.lifecycleHooks().get(0).targetTypeAsString());
    }

    @Test
    void anAssumedRoleIsWhatEcsSees() {
        // moto files calls signed with AssumeRole keys under the role's account (as this test observes with moto 5.2.1).
        EngineConfig c = EngineConfig.builder().region("us-east-1").endpointOverride(moto.endpoint)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .roleArn("arn:aws:iam::111111111111:role/deployer").externalId("jenkins-42").build();
        try (var clients = io.jenkins.plugins.ecsdeploy.engine.internal.AwsClients.create(c)) {
            clients.ecs().createCluster(b -> b.clusterName("assumed-only"));
            String arn = clients.ecs().describeClusters(b -> b.clusters("assumed-only")).clusters().get(0).clusterArn();
            assertTrue(arn.contains(":111111111111:cluster/assumed-only"), arn);
        }
        assertTrue(ecs.describeClusters(b -> b.clusters("assumed-only")).clusters().stream()
                .noneMatch(x -> "ACTIVE".equals(x.status())), "the base identity's account does not have it");
    }

    static DeploymentRequest canaryRequest() {
        return DeploymentRequest.builder().region("us-east-1").cluster("prod").service("web").taskDefinition("web:1")
                .strategy(new Strategy.Canary(10.0, 15, 30))
                .alarms(new Alarms(List.of("web-5xx"), true))
                .hook(new LambdaHook("arn:aws:lambda:us-east-1:123456789012:function:smoke",
                        "arn:aws:iam::123456789012:role/hooks", List.of("POST_TEST_TRAFFIC_SHIFT"),
                        "{\"suite\":\"smoke\",\"retries\":2}", 30, HookAction.ROLLBACK))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 90, HookAction.ROLLBACK)).build();
    }
}
