package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ClientException;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.InvalidParameterException;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentNotFoundException;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentStatus;
import software.amazon.awssdk.services.ecs.model.ServiceNotActiveException;
import software.amazon.awssdk.services.ecs.model.ServiceNotFoundException;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentStopType;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

class ApiShapesAndErrorsTest extends SimulatorTestBase {

    @Test
    void seededServiceDescribesWithDeploymentControllerLoadBalancerAndCurrentDeployment() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 3, LoadBalancerType.ALB);
        Service svc = ecs.describeServices(r -> r.cluster("demo").services("web", "ghost")).services().get(0);
        assertEquals(s.serviceArn(), svc.serviceArn());
        assertEquals("arn:aws:ecs:us-east-1:123456789012:service/demo/web", svc.serviceArn());
        assertEquals("ECS", svc.deploymentController().typeAsString());
        assertEquals(3, svc.runningCount());
        assertEquals(s.alternateTargetGroupArn(), svc.loadBalancers().get(0).advancedConfiguration().alternateTargetGroupArn());
        assertEquals(s.roleArn(), svc.loadBalancers().get(0).advancedConfiguration().roleArn());
        assertEquals(s.deploymentArn(), svc.currentServiceDeployment());
        assertEquals(1, svc.currentServiceRevisions().size());
        assertEquals("PRIMARY", svc.deployments().get(0).status());
        assertEquals("COMPLETED", svc.deployments().get(0).rolloutStateAsString());
        assertEquals(200, svc.deploymentConfiguration().maximumPercent());
        assertEquals("MISSING", ecs.describeServices(r -> r.cluster("demo").services("web", "ghost")).failures().get(0).reason());
        assertEquals("SUCCESSFUL", describe(s.deploymentArn()).statusAsString());
        assertTrue(s.deploymentArn().startsWith("arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/"));
    }

    @SuppressWarnings("unchecked") // the SDK's Consumer<Builder>... varargs
    @Test
    void taskDefinitionRoundTripsAndUnknownOnesAreClientErrors() {
        sim.seed().cluster("demo");
        SeededService s = sim.seed().headlessService("demo", "worker", 1);
        String arn = newRevision(s, "worker:2");
        assertTrue(arn.endsWith(":task-definition/worker:2"), arn);
        TaskDefinition td = ecs.describeTaskDefinition(r -> r.taskDefinition("worker")).taskDefinition();
        assertEquals(arn, td.taskDefinitionArn());
        assertEquals(2, td.revision());
        assertEquals("worker:2", td.containerDefinitions().get(0).image());
        assertEquals("awsvpc", td.networkModeAsString());
        assertEquals(td, ecs.describeTaskDefinition(r -> r.taskDefinition(arn)).taskDefinition());
        assertEquals(1, ecs.describeTaskDefinition(r -> r.taskDefinition("worker:1")).taskDefinition().revision());
        assertThrows(ClientException.class, () -> ecs.describeTaskDefinition(r -> r.taskDefinition("nope:1")));
        ClientException noImage = assertThrows(ClientException.class, () -> ecs.registerTaskDefinition(r -> r.family("x")
                .containerDefinitions(c -> c.name("a"))));
        assertTrue(noImage.awsErrorDetails().errorMessage().contains("image"));
    }

    @Test
    void missingResourcesRaiseTheirModelledExceptions() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 1, LoadBalancerType.ALB);
        assertThrows(ClusterNotFoundException.class, () -> ecs.describeServices(r -> r.cluster("nope").services("web")));
        assertThrows(ServiceNotFoundException.class, () -> ecs.updateService(r -> r.cluster("demo").service("nope").desiredCount(1)));
        assertThrows(ServiceNotFoundException.class, () -> ecs.listServiceDeployments(r -> r.cluster("demo").service("nope")));
        assertThrows(ServiceDeploymentNotFoundException.class, () -> ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(s.deploymentArn() + "0")
                .stopType(StopServiceDeploymentStopType.ROLLBACK)));
        ecs.deleteService(r -> r.cluster("demo").service("web").force(true));
        assertThrows(ServiceNotActiveException.class, () -> ecs.updateService(r -> r.cluster("demo").service("web").desiredCount(2)));
    }

    @Test
    void codeDeployServiceRefusesATaskDefinitionUpdate() {
        SeededService s = sim.seed().codeDeployService("demo", "legacy", 2);
        Service svc = ecs.describeServices(r -> r.cluster("demo").services("legacy")).services().get(0);
        assertEquals("CODE_DEPLOY", svc.deploymentController().typeAsString());
        assertNull(s.deploymentArn());
        String td = sim.seed().taskDefinition("legacy", "app:2");
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> ecs.updateService(r -> r.cluster("demo").service("legacy").taskDefinition(td)));
        assertTrue(e.awsErrorDetails().errorMessage().contains("CODE_DEPLOY"));
        assertTrue(ecs.listServiceDeployments(r -> r.cluster("demo").service("legacy")).serviceDeployments().isEmpty());
    }

    @Test
    void listServiceDeploymentsFiltersAndPagesNewestFirst() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 1, LoadBalancerType.ALB);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            created.add(deploy(s, "nginx:" + i, software.amazon.awssdk.services.ecs.model.DeploymentConfiguration.builder()
                    .strategy(DeploymentStrategy.ROLLING).build()));
            clock.advance(Duration.ofMinutes(10));
        }
        ListServiceDeploymentsResponse page1 = ecs.listServiceDeployments(r -> r.cluster("demo").service("web").maxResults(4));
        assertEquals(4, page1.serviceDeployments().size());
        assertEquals(created.get(4), page1.serviceDeployments().get(0).serviceDeploymentArn());
        assertNotNull(page1.nextToken());
        ListServiceDeploymentsResponse page2 = ecs.listServiceDeployments(r -> r.cluster("demo").service(s.serviceArn())
                .maxResults(4).nextToken(page1.nextToken()));
        assertEquals(2, page2.serviceDeployments().size());
        assertNull(page2.nextToken());
        assertEquals(s.deploymentArn(), page2.serviceDeployments().get(1).serviceDeploymentArn());
        // createdAt window and status filter
        var window = ecs.listServiceDeployments(r -> r.cluster("demo").service("web")
                .createdAt(c -> c.after(T0.plus(Duration.ofMinutes(20))).before(T0.plus(Duration.ofMinutes(30)))));
        assertEquals(List.of(created.get(2)), window.serviceDeployments().stream().map(b -> b.serviceDeploymentArn()).toList());
        assertEquals(6, ecs.listServiceDeployments(r -> r.cluster("demo").service("web").status(ServiceDeploymentStatus.SUCCESSFUL))
                .serviceDeployments().size());
        assertEquals(0, ecs.listServiceDeployments(r -> r.cluster("demo").service("web").status(ServiceDeploymentStatus.IN_PROGRESS))
                .serviceDeployments().size());
        assertThrows(InvalidParameterException.class, () -> ecs.listServiceDeployments(r -> r.cluster("demo").service("web").maxResults(0)));
        assertThrows(InvalidParameterException.class, () -> ecs.listServiceDeployments(r -> r.cluster("demo").service("web").maxResults(101)));
        assertThrows(InvalidParameterException.class, () -> ecs.listServiceDeployments(r -> r.cluster("demo").service("web").nextToken("garbage")));
        var brief = page1.serviceDeployments().get(0);
        assertEquals(s.serviceArn(), brief.serviceArn());
        assertEquals(s.clusterArn(), brief.clusterArn());
        assertNotNull(brief.targetServiceRevisionArn());
        assertNotNull(brief.finishedAt());
    }

    @Test
    void describeCallsReportUnknownArnsAsFailuresAndLimitTwentyArns() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 1, LoadBalancerType.ALB);
        String ghost = s.deploymentArn().substring(0, s.deploymentArn().lastIndexOf('/') + 1) + "ghost";
        DescribeServiceDeploymentsResponse r = ecs.describeServiceDeployments(x -> x.serviceDeploymentArns(s.deploymentArn(), ghost));
        assertEquals(1, r.serviceDeployments().size());
        assertEquals(ghost, r.failures().get(0).arn());
        assertEquals("MISSING", r.failures().get(0).reason());
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add(ghost + i);
        }
        assertThrows(InvalidParameterException.class, () -> ecs.describeServiceDeployments(x -> x.serviceDeploymentArns(many)));
        assertThrows(InvalidParameterException.class, () -> ecs.describeServiceRevisions(x -> x.serviceRevisionArns(many)));
    }

    @Test
    void serviceRevisionsCarryTaskDefinitionImagesAndResolvedTargetGroup() {
        SeededService s = sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        String green = deploy(s, "nginx:1.28", software.amazon.awssdk.services.ecs.model.DeploymentConfiguration.builder()
                .strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0).build());
        clock.advance(Duration.ofMinutes(2));
        var d = describe(green);
        String blueArn = d.sourceServiceRevisions().get(0).arn();
        String greenArn = d.targetServiceRevision().arn();
        assertTrue(greenArn.startsWith("arn:aws:ecs:us-east-1:123456789012:service-revision/demo/web/"), greenArn);
        List<ServiceRevision> revs = ecs.describeServiceRevisions(r -> r.serviceRevisionArns(blueArn, greenArn)).serviceRevisions();
        assertEquals(s.taskDefinitionArn(), revs.get(0).taskDefinition());
        assertEquals("nginx:1.28", revs.get(1).containerImages().get(0).image());
        assertTrue(revs.get(1).containerImages().get(0).imageDigest().startsWith("sha256:"));
        assertEquals(s.targetGroupArn(), revs.get(0).resolvedConfiguration().loadBalancers().get(0).targetGroupArn());
        assertEquals(s.alternateTargetGroupArn(), revs.get(1).resolvedConfiguration().loadBalancers().get(0).targetGroupArn());
        assertEquals(s.productionListenerRule(), revs.get(1).resolvedConfiguration().loadBalancers().get(0).productionListenerRule());
        assertEquals(s.alternateTargetGroupArn(), revs.get(1).loadBalancers().get(0).advancedConfiguration().alternateTargetGroupArn());
        assertEquals("SUCCESSFUL", runToEnd(green, Duration.ofSeconds(30), Duration.ofHours(1)).statusAsString());
        // Blue is gone: no resolvedConfiguration for an inactive revision.
        assertNull(ecs.describeServiceRevisions(r -> r.serviceRevisionArns(blueArn)).serviceRevisions().get(0).resolvedConfiguration());
    }

    @Test
    void updateServiceEchoesTheWholeDeploymentConfiguration() {
        sim.seed().loadBalancedService("demo", "web", 2, LoadBalancerType.ALB);
        var cfg = software.amazon.awssdk.services.ecs.model.DeploymentConfiguration.builder().strategy(DeploymentStrategy.LINEAR)
                .linearConfiguration(c -> c.stepPercent(12.5).stepBakeTimeInMinutes(4)).bakeTimeInMinutes(7)
                .minimumHealthyPercent(100).maximumPercent(200)
                .alarms(a -> a.alarmNames("a1").enable(true).rollback(true))
                .deploymentCircuitBreaker(c -> c.enable(false).rollback(false))
                .lifecycleHooks(PauseHookTest.pause("POST_TEST_TRAFFIC_SHIFT", 60, software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookAction.CONTINUE))
                .build();
        Service svc = ecs.updateService(r -> r.cluster("demo").service("web").deploymentConfiguration(cfg)).service();
        assertEquals(cfg, svc.deploymentConfiguration());
        assertEquals(cfg, ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).deploymentConfiguration());
    }

    @Test
    void requestsWithoutASigV4AuthorizationHeaderAreRefused() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(sim.endpoint() + "/"))
                .header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateCluster")
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, none.statusCode());
        assertTrue(none.body().contains("MissingAuthenticationTokenException"), none.body());
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(sim.endpoint() + "/"))
                .header("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.CreateCluster")
                .header("Authorization", "Bearer abc")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("IncompleteSignatureException"), bad.body());
        assertFalse(sim.deploymentArns().iterator().hasNext());
    }
}
