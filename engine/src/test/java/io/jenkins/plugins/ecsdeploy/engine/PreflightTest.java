package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.internal.Preflight;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;

/** Preflight rules that the simulator's seeded services cannot show, against an ECS stub. */
class PreflightTest {
    static final String TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1";

    static EcsClient stub(Service svc) {
        return new EcsClient() {
            @Override
            public DescribeServicesResponse describeServices(DescribeServicesRequest r) {
                return DescribeServicesResponse.builder().services(svc).build();
            }

            @Override
            public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest r) {
                return ListServiceDeploymentsResponse.builder().build();
            }

            @Override
            public String serviceName() {
                return "ecs";
            }

            @Override
            public void close() {}
        };
    }

    static InvalidRequestException refused(Service svc, Strategy s) {
        DeploymentRequest r = DeploymentRequest.builder().region("us-east-1").cluster("prod").service("web")
                .revision(new RevisionSource.TaskDefinitionJson("{}", "x.json")).strategy(s).build();
        var e = assertThrows(CompletionException.class, () -> new Preflight(stub(svc), Runnable::run).check(r).join());
        return (InvalidRequestException) e.getCause();
    }

    static Service.Builder service() {
        return Service.builder().serviceName("web").status("ACTIVE").desiredCount(2)
                .deploymentController(c -> c.type("ECS")).taskDefinition("arn:aws:ecs:us-east-1:123456789012:task-definition/web:1");
    }

    @Test
    void advancedStrategiesBehindALoadBalancerNeedAdvancedConfiguration() {
        Service svc = service().loadBalancers(LoadBalancer.builder().targetGroupArn(TG).containerName("web")
                .containerPort(80).advancedConfiguration(a -> a.alternateTargetGroupArn(TG + "x")).build()).build();
        var e = refused(svc, new Strategy.Canary(10.0, 5, 5));
        assertEquals("service.loadBalancers[0].advancedConfiguration 'missing productionListenerRule, roleArn': CANARY on a load-balanced service needs advancedConfiguration with alternateTargetGroupArn (the "
                + "green target group), productionListenerRule and roleArn (the ECS infrastructure role) — set them on the "
                + "service first (see docs/migrate-from-codedeploy.md, 'Load balancer wiring')", e.problems().get(0).message());
    }

    @Test
    void rollingBehindALoadBalancerNeedsNothingMore() throws Exception {
        Service svc = service().loadBalancers(LoadBalancer.builder().targetGroupArn(TG).containerName("web").containerPort(80)
                .build()).build();
        DeploymentRequest r = DeploymentRequest.builder().region("us-east-1").cluster("prod").service("web")
                .revision(new RevisionSource.TaskDefinitionJson("{}", "x.json")).strategy(new Strategy.Rolling(50, 200, null, null))
                .build();
        var result = new Preflight(stub(svc), Runnable::run).check(r).join();
        assertTrue(result.plan().capacity().startsWith("between 1 and 4 tasks"), result.plan().capacity());
    }

    @Test
    void anExternalControllerIsRefused() {
        var e = refused(service().deploymentController(c -> c.type("EXTERNAL")).build(), new Strategy.BlueGreen(5));
        assertTrue(e.problems().get(0).message().contains("this one uses EXTERNAL, which cannot run ECS-native BLUE_GREEN"),
                e.getMessage());
    }

    @Test
    void aServiceThatIsNotActiveIsRefused() {
        var e = refused(service().status("DRAINING").build(), new Strategy.BlueGreen(5));
        assertEquals("service 'web': an ACTIVE service; it is DRAINING", e.problems().get(0).message());
    }
}
