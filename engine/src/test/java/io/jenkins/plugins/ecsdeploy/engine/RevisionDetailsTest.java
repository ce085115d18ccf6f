package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.simulator.Seeder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerImage;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;

/** Container images and task definitions of both sides, from one DescribeServiceRevisions per follow (follow-up 3). */
class RevisionDetailsTest {

    @Test
    void followingFillsBothSidesFromOneDescribeServiceRevisionsAndAgainOnReattach() {
        try (Sandbox sb = new Sandbox()) {
            DeploymentEngine engine = sb.engine();
            var svc = sb.service("web");
            DeploymentHandle h = await(engine.start(Sandbox.request(svc, new Strategy.BlueGreen(0)).build()));
            long before = sb.sim.stats().count("DescribeServiceRevisions");
            var rec = new Sandbox.Recorder();
            assertEquals(OutcomeKind.SUCCEEDED, await(engine.follow(h, rec, null).outcome()).kind());
            assertEquals(before + 1, sb.sim.stats().count("DescribeServiceRevisions"), "one call per followed deployment");
            assertEquals(1, engine.watcher().describeRevisionCalls());
            DeploymentSnapshot s = rec.last;
            assertEquals(Map.of("web", "registry/web:2.0", "log-router", Seeder.SIDECAR_IMAGE), s.green().images());
            assertEquals(List.of("web", "log-router"), List.copyOf(s.green().images().keySet()), "the revision's order");
            assertEquals(h.taskDefinitionArn(), s.green().taskDefinition());
            assertEquals(Seeder.WEB_IMAGE, s.blue().images().get("web"));
            assertEquals(svc.taskDefinitionArn(), s.blue().taskDefinition());
            assertTrue(rec.events.get(0) instanceof DeploymentEvent.Observed);
            assertTrue(rec.events.get(1) instanceof DeploymentEvent.RevisionsDescribed, "right after Observed: " + rec.events);

            // A restarted controller re-attaches: one more call, the same picture.
            DeploymentEngine again = sb.engine();
            var rec2 = new Sandbox.Recorder();
            await(again.follow(await(again.attach(h.deploymentArn())), rec2, null).outcome());
            assertEquals(s.green().images(), rec2.last.green().images());
            assertEquals(1, again.watcher().describeRevisionCalls());
        }
    }

    static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc";

    /** An ECS stub for describe(): one deployment; revisions answered by {@code revisions}. */
    static EcsClient stub(java.util.function.Function<DescribeServiceRevisionsRequest, DescribeServiceRevisionsResponse> revisions) {
        return new EcsClient() {
            @Override
            public DescribeServiceDeploymentsResponse describeServiceDeployments(DescribeServiceDeploymentsRequest r) {
                return DescribeServiceDeploymentsResponse.builder().serviceDeployments(ServiceDeployment.builder()
                        .serviceDeploymentArn(ARN).status("IN_PROGRESS").lifecycleStage("SCALE_UP")
                        .deploymentConfiguration(c -> c.strategy("BLUE_GREEN"))
                        .sourceServiceRevisions(ServiceRevisionSummary.builder().arn("rev/old").build())
                        .targetServiceRevision(ServiceRevisionSummary.builder().arn("rev/new").build()).build()).build();
            }

            @Override
            public DescribeServiceRevisionsResponse describeServiceRevisions(DescribeServiceRevisionsRequest r) {
                return revisions.apply(r);
            }

            @Override
            public String serviceName() {
                return "ecs";
            }

            @Override
            public void close() {}
        };
    }

    static DeploymentSnapshot describe(EcsClient ecs) {
        EngineConfig c = EngineConfig.builder().region("us-east-1")
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        try (DeploymentEngine e = new DeploymentEngine(c, ecs)) {
            return await(e.describe(DeploymentHandle.fromArn(ARN)));
        }
    }

    @Test
    void aRevisionEcsCannotDescribeKeepsNoImages() {
        // Revisions created before 2024-10-25 come back as failures with reason MISSING (docs/engine.md "Revision details").
        DeploymentSnapshot s = describe(stub(r -> {
            assertEquals(List.of("rev/new", "rev/old"), r.serviceRevisionArns(), "both sides in one call");
            return DescribeServiceRevisionsResponse.builder()
                    .serviceRevisions(ServiceRevision.builder().serviceRevisionArn("rev/new").taskDefinition("td/web:9")
                            .containerImages(ContainerImage.builder().containerName("web").image("web:9").build()).build())
                    .failures(Failure.builder().arn("rev/old").reason("MISSING").build()).build();
        }));
        assertEquals(Map.of("web", "web:9"), s.green().images());
        assertEquals("td/web:9", s.green().taskDefinition());
        assertTrue(s.blue().images().isEmpty());
        assertEquals(null, s.blue().taskDefinition());
        assertTrue(s.events().stream().anyMatch(l -> l.type().equals("RevisionsDescribed") && l.text().contains("not described: rev/old")),
                String.valueOf(s.events()));
        // PRE_SCALE_UP passed before the first look at SCALE_UP
        assertEquals("PRE_SCALE_UP", s.stages().get(0).name());
    }

    @Test
    void aFailingDescribeServiceRevisionsLeavesTheImagesEmptyAndTheSnapshotWhole() {
        DeploymentSnapshot s = describe(stub(r -> {
            throw software.amazon.awssdk.services.ecs.model.AccessDeniedException.builder().message("no").build();
        }));
        assertEquals("IN_PROGRESS", s.status());
        assertEquals(List.of("rev/new"), s.green().revisionArns());
        assertTrue(s.green().images().isEmpty());
    }
}
