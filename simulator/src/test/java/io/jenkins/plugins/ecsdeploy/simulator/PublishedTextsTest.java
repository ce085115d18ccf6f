package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookAction;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookTargetType;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentNotFoundException;

/**
 * The statusReason and refusal texts AWS publishes ("Troubleshooting Amazon ECS blue/green deployments",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshooting-blue-green.html; Terraform's ECS
 * acceptance tests), and the Express Mode marker on a service.
 */
class PublishedTextsTest extends SimulatorTestBase {
    static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:myHook";
    static final String ROLE = "arn:aws:iam::123456789012:role/hooks";

    private SeededService service() {
        return sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
    }

    private static DeploymentConfiguration.Builder blueGreen() {
        return DeploymentConfiguration.builder().strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0);
    }

    @Test
    void lambdaHookReturningFailedGivesThePublishedReason() {
        sim.lambdas().register(FN, e -> HookResponse.failed());
        String arn = deploy(service(), "nginx:2", blueGreen().lifecycleHooks(DeploymentLifecycleHook.builder()
                .hookTargetArn(FN).roleArn(ROLE).lifecycleStagesWithStrings("POST_SCALE_UP").build()).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertEquals("Service deployment rolled back because POST_SCALE_UP lifecycle hook(s) failed. Lifecycle hook target "
                + FN + " returned FAILED status.", d.rollback().reason());
    }

    @Test
    void lambdaAnswerWithoutHookStatusGivesThePublishedReason() {
        sim.lambdas().register(FN, e -> new HookResponse(null, null, null));
        String arn = deploy(service(), "nginx:2", blueGreen().lifecycleHooks(DeploymentLifecycleHook.builder()
                .hookTargetArn(FN).roleArn(ROLE).lifecycleStagesWithStrings("TEST_TRAFFIC_SHIFT").build()).build());
        clock.advance(Duration.ofMinutes(3));
        ServiceDeployment d = describe(arn);
        assertEquals("Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. ECS was unable to "
                + "parse the response from " + FN + " due to HookStatus must not be null", d.rollback().reason());
    }

    @Test
    void pauseHookTimingOutGivesThePublishedReason() {
        String arn = deploy(service(), "nginx:2", blueGreen().lifecycleHooks(DeploymentLifecycleHook.builder()
                .targetType(DeploymentLifecycleHookTargetType.PAUSE).lifecycleStagesWithStrings("POST_TEST_TRAFFIC_SHIFT")
                .timeoutConfiguration(t -> t.timeoutInMinutes(5).action(DeploymentLifecycleHookAction.ROLLBACK)).build()).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(10), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertEquals("Service deployment rolled back because POST_TEST_TRAFFIC_SHIFT pause hook timed out.", d.rollback().reason());
    }

    @Test
    void invalidNetworkingRollsBackWithThePublishedReason() {
        sim.scenario().infrastructureFault(Scenario.InfrastructureFault.INVALID_NETWORKING);
        String arn = deploy(service(), "nginx:2", blueGreen().build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertTrue(d.rollback().reason().startsWith("Service deployment rolled back because of invalid networking configuration."),
                d.rollback().reason());
        // It failed as test traffic was about to move: test traffic never moved, so the rollback only cleans up.
        assertEquals(0.0, d.targetServiceRevision().requestedTestTrafficWeight());
    }

    @Test
    void missingListenerPermissionNamesTheInfrastructureRole() {
        sim.scenario().infrastructureFault(Scenario.InfrastructureFault.ELB_PERMISSIONS);
        SeededService s = service();
        String arn = deploy(s, "nginx:2", blueGreen().build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("ROLLBACK_SUCCESSFUL", d.statusAsString());
        assertEquals("Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. User: arn:aws:sts::"
                + "123456789012:assumed-role/ecsInfrastructureRoleForLoadBalancers/ECSNetworkingWithELB is not authorized to "
                + "perform: elasticloadbalancing:ModifyRule on resource: " + s.testListenerRule() + " because no "
                + "identity-based policy allows the elasticloadbalancing:ModifyRule action", d.rollback().reason());
    }

    @Test
    void lambdaRoleThatCannotBeAssumedIsNamed() {
        sim.scenario().infrastructureFault(Scenario.InfrastructureFault.LAMBDA_ROLE);
        sim.lambdas().register(FN, e -> HookResponse.succeeded());
        String arn = deploy(service(), "nginx:2", blueGreen().lifecycleHooks(DeploymentLifecycleHook.builder()
                .hookTargetArn(FN).roleArn(ROLE).lifecycleStagesWithStrings("PRE_SCALE_UP").build()).build());
        ServiceDeployment d = runToEnd(arn, Duration.ofSeconds(5), Duration.ofHours(1));
        assertEquals("Service deployment rolled back because PRE_SCALE_UP lifecycle hook(s) failed. ECS was unable to assume role "
                + ROLE, d.rollback().reason());
    }

    @Test
    void continueOnAFinishedDeploymentAndAnUnknownDeploymentGiveThePublishedRefusals() {
        SeededService s = service();
        InvalidParameterException terminal = assertThrows(InvalidParameterException.class, () -> ecs.continueServiceDeployment(
                r -> r.serviceDeploymentArn(s.deploymentArn()).hookId("ecs-pause-abc")));
        assertEquals("Continuing a service deployment is not allowed for service deployment in terminal states.",
                terminal.awsErrorDetails().errorMessage());
        ServiceDeploymentNotFoundException missing = assertThrows(ServiceDeploymentNotFoundException.class,
                () -> ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(s.deploymentArn() + "x").hookId("ecs-pause-abc")));
        assertEquals("The service deployment does not exist.", missing.awsErrorDetails().errorMessage());
    }

    @Test
    void expressModeServicesSayEcsManagesThemAndOthersSayNothing() {
        sim.seed().expressService("demo", "express", 2);
        service();
        var svcs = ecs.describeServices(r -> r.cluster("demo").services("express", "web")).services();
        assertEquals("ECS", svcs.get(0).resourceManagementTypeAsString());
        assertEquals("CANARY", svcs.get(0).deploymentConfiguration().strategyAsString());
        assertNull(svcs.get(1).resourceManagementTypeAsString());
    }
}
