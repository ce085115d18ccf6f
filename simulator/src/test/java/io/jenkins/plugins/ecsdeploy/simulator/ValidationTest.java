package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookTargetType;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;

/** Every configuration the service refuses, refused before anything changes. */
class ValidationTest extends SimulatorTestBase {

    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:f";
    private static final String ROLE = "arn:aws:iam::123456789012:role/r";

    private static Arguments refused(String name, String messagePart, Consumer<DeploymentConfiguration.Builder> cfg) {
        return Arguments.of(name, messagePart, cfg);
    }

    private static DeploymentLifecycleHook pause(String stage) {
        return DeploymentLifecycleHook.builder().targetType(DeploymentLifecycleHookTargetType.PAUSE).lifecycleStagesWithStrings(stage).build();
    }

    private static DeploymentLifecycleHook lambda(String stage) {
        return DeploymentLifecycleHook.builder().hookTargetArn(FN).roleArn(ROLE).lifecycleStagesWithStrings(stage).build();
    }

    private static List<DeploymentLifecycleHook> many(int n, boolean pauses) {
        List<DeploymentLifecycleHook> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(pauses ? pause("POST_SCALE_UP") : lambda("POST_SCALE_UP"));
        }
        return l;
    }

    static Stream<Arguments> refusedConfigurations() {
        return Stream.of(
                refused("canary config with BLUE_GREEN", "canaryConfiguration", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(1)
                        .canaryConfiguration(c -> c.canaryPercent(10.0))),
                refused("linear config with CANARY", "linearConfiguration", b -> b.strategy(DeploymentStrategy.CANARY)
                        .linearConfiguration(c -> c.stepPercent(10.0))),
                refused("canary config with LINEAR", "canaryConfiguration", b -> b.strategy(DeploymentStrategy.LINEAR)
                        .canaryConfiguration(c -> c.canaryPercent(10.0))),
                refused("BLUE_GREEN without bake", "bakeTimeInMinutes", b -> b.strategy(DeploymentStrategy.BLUE_GREEN)),
                refused("bake above 1440", "bakeTimeInMinutes: '1441'", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(1441)),
                refused("negative bake", "bakeTimeInMinutes: '-1'", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(-1)),
                refused("canaryPercent below 0.1", "canaryPercent: '0.05'", b -> b.strategy(DeploymentStrategy.CANARY)
                        .canaryConfiguration(c -> c.canaryPercent(0.05))),
                refused("canaryPercent above 100", "canaryPercent: '100.1'", b -> b.strategy(DeploymentStrategy.CANARY)
                        .canaryConfiguration(c -> c.canaryPercent(100.1))),
                refused("canaryPercent not a 0.1 step", "canaryPercent: '12.34'", b -> b.strategy(DeploymentStrategy.CANARY)
                        .canaryConfiguration(c -> c.canaryPercent(12.34))),
                refused("canary bake above 1440", "canaryBakeTimeInMinutes", b -> b.strategy(DeploymentStrategy.CANARY)
                        .canaryConfiguration(c -> c.canaryPercent(10.0).canaryBakeTimeInMinutes(1441))),
                refused("stepPercent below 3", "stepPercent: '2.9'", b -> b.strategy(DeploymentStrategy.LINEAR)
                        .linearConfiguration(c -> c.stepPercent(2.9))),
                refused("stepPercent not a 0.1 step", "stepPercent: '10.05'", b -> b.strategy(DeploymentStrategy.LINEAR)
                        .linearConfiguration(c -> c.stepPercent(10.05))),
                refused("step bake negative", "stepBakeTimeInMinutes", b -> b.strategy(DeploymentStrategy.LINEAR)
                        .linearConfiguration(c -> c.stepPercent(10.0).stepBakeTimeInMinutes(-5))),
                refused("hook timeout 0", "timeoutInMinutes: '0'", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(DeploymentLifecycleHook.builder().targetType(DeploymentLifecycleHookTargetType.PAUSE)
                                .lifecycleStagesWithStrings("POST_SCALE_UP").timeoutConfiguration(t -> t.timeoutInMinutes(0)).build())),
                refused("hook timeout above 20160", "timeoutInMinutes: '20161'", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(DeploymentLifecycleHook.builder().targetType(DeploymentLifecycleHookTargetType.PAUSE)
                                .lifecycleStagesWithStrings("POST_SCALE_UP").timeoutConfiguration(t -> t.timeoutInMinutes(20161)).build())),
                refused("PAUSE at TEST_TRAFFIC_SHIFT", "Invalid lifecycle stage provided for Pause Hook", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(pause("TEST_TRAFFIC_SHIFT"))),
                refused("PAUSE at PRODUCTION_TRAFFIC_SHIFT", "Invalid lifecycle stage provided for Pause Hook", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(pause("PRODUCTION_TRAFFIC_SHIFT"))),
                refused("11 PAUSE hooks", "at most 10 PAUSE hooks", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(many(11, true))),
                refused("11 Lambda hooks", "at most 10 Lambda hooks", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(many(11, false))),
                refused("Lambda hook without function", "hookTargetArn", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(DeploymentLifecycleHook.builder().roleArn(ROLE).lifecycleStagesWithStrings("POST_SCALE_UP").build())),
                refused("unknown hook stage", "BAKE_TIME", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(pause("BAKE_TIME"))),
                refused("Lambda hook timeout above 1440", "timeoutInMinutes: '1441'", b -> b.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(DeploymentLifecycleHook.builder().hookTargetArn(FN).roleArn(ROLE).lifecycleStagesWithStrings("POST_SCALE_UP")
                                .timeoutConfiguration(t -> t.timeoutInMinutes(1441)).build())),
                refused("early success with BLUE_GREEN", "only be used with the ROLLING", b -> b.strategy(DeploymentStrategy.BLUE_GREEN)
                        .bakeTimeInMinutes(0).earlySuccessCriteria(e -> e.enable(true).healthyPercent(50).sourceServiceRevisionCleanup("DEFERRED"))),
                refused("early success below minimumHealthyPercent", "at least minimumHealthyPercent", b -> b.strategy(DeploymentStrategy.ROLLING)
                        .minimumHealthyPercent(60).earlySuccessCriteria(e -> e.enable(true).healthyPercent(50).sourceServiceRevisionCleanup("DEFERRED"))),
                refused("early success without cleanup", "sourceServiceRevisionCleanup", b -> b.strategy(DeploymentStrategy.ROLLING)
                        .minimumHealthyPercent(50).earlySuccessCriteria(e -> e.enable(true).healthyPercent(80))),
                refused("alarms without rollback flag", "alarms.rollback", b -> b.strategy(DeploymentStrategy.ROLLING)
                        .alarms(a -> a.alarmNames("x").enable(true))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedConfigurations")
    void refusesInvalidConfigurationWithoutChangingTheService(String name, String messagePart, Consumer<DeploymentConfiguration.Builder> cfg) {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String td = newRevision(s, "nginx:2");
        DeploymentConfiguration.Builder b = DeploymentConfiguration.builder();
        cfg.accept(b);
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> ecs.updateService(r -> r.cluster("demo").service("web").taskDefinition(td).deploymentConfiguration(b.build())));
        assertTrue(e.awsErrorDetails().errorMessage().contains(messagePart), e.awsErrorDetails().errorMessage());
        assertEquals(400, e.statusCode());
        // Nothing changed: no new deployment, still the old task definition.
        assertEquals(1, ecs.listServiceDeployments(r -> r.cluster("demo").service("web")).serviceDeployments().size());
        assertEquals(s.taskDefinitionArn(), ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).taskDefinition());
    }

    @SuppressWarnings("unchecked") // the SDK's Consumer<Builder>... varargs
    @Test
    void advancedStrategyOnLoadBalancedServiceNeedsAdvancedConfiguration() {
        sim.seed().cluster("demo");
        String td = sim.seed().taskDefinition("plain", "nginx:1");
        ecs.createService(r -> r.cluster("demo").serviceName("plain").taskDefinition(td).desiredCount(1)
                .loadBalancers(lb -> lb.targetGroupArn("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tg/0123456789abcdef")
                        .containerName("web").containerPort(80)));
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> ecs.updateService(r -> r.cluster("demo").service("plain")
                .deploymentConfiguration(c -> c.strategy(DeploymentStrategy.CANARY))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("advancedConfiguration"), e.getMessage());
    }

    @Test
    void lambdaHookTimeoutStopsAt1440WhilePauseHooksGoTo20160() {
        sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> ecs.updateService(r -> r.cluster("demo").service("web")
                .deploymentConfiguration(c -> c.strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                        .lifecycleHooks(DeploymentLifecycleHook.builder().hookTargetArn(FN).roleArn(ROLE).lifecycleStagesWithStrings("POST_SCALE_UP")
                                .timeoutConfiguration(t -> t.timeoutInMinutes(1441)).build()))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("1 to 1440"), e.getMessage());
        // 1440 for Lambda and 20160 for PAUSE are accepted.
        ecs.updateService(r -> r.cluster("demo").service("web").deploymentConfiguration(c -> c.strategy(DeploymentStrategy.BLUE_GREEN)
                .bakeTimeInMinutes(0).lifecycleHooks(
                        DeploymentLifecycleHook.builder().hookTargetArn(FN).roleArn(ROLE).lifecycleStagesWithStrings("POST_SCALE_UP")
                                .timeoutConfiguration(t -> t.timeoutInMinutes(1440)).build(),
                        DeploymentLifecycleHook.builder().targetType(DeploymentLifecycleHookTargetType.PAUSE)
                                .lifecycleStagesWithStrings("POST_SCALE_UP").timeoutConfiguration(t -> t.timeoutInMinutes(20160)).build())));
    }

    @Test
    void lifecycleHooksAreAcceptedWithRolling() {
        sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        var svc = ecs.updateService(r -> r.cluster("demo").service("web").deploymentConfiguration(c -> c.strategy(DeploymentStrategy.ROLLING)
                .lifecycleHooks(pause("POST_SCALE_UP"), lambda("PRE_SCALE_UP")))).service();
        assertEquals(2, svc.deploymentConfiguration().lifecycleHooks().size());
    }
}
