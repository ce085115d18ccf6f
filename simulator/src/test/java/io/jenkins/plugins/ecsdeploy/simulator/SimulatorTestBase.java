package io.jenkins.plugins.ecsdeploy.simulator;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;

/** A simulator on a manual clock and a real SDK client (retries off) pointed at it. */
abstract class SimulatorTestBase {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Set<String> TERMINAL = Set.of("SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED");

    VirtualClock clock;
    EcsSimulator sim;
    EcsClient ecs;

    @BeforeEach
    void startSimulator() {
        clock = VirtualClock.manual(T0);
        sim = EcsSimulator.builder().clock(clock).build().start();
        ecs = client(sim.endpoint(), AwsRetryStrategy.doNotRetry());
    }

    @AfterEach
    void stopSimulator() {
        ecs.close();
        sim.close();
    }

    static EcsClient client(URI endpoint, RetryStrategy retry) {
        return EcsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(Apache5HttpClient.builder())
                .overrideConfiguration(o -> {
                    if (retry != null) {
                        o.retryStrategy(retry);
                    } else {
                        o.retryStrategy(RetryMode.STANDARD);
                    }
                })
                .build();
    }

    /** Registers a new revision of the seeded family with another web image. */
    String newRevision(SeededService s, String webImage) {
        return ecs.registerTaskDefinition(r -> r.family(s.family()).networkMode("awsvpc").requiresCompatibilitiesWithStrings("FARGATE")
                .cpu("256").memory("512")
                .containerDefinitions(ContainerDefinition.builder().name("web").image(webImage).essential(true).build(),
                        ContainerDefinition.builder().name("log-router").image(Seeder.SIDECAR_IMAGE).essential(false).build()))
                .taskDefinition().taskDefinitionArn();
    }

    /** UpdateService with a new image and configuration; returns the new service deployment's ARN (found like the engine would). */
    String deploy(SeededService s, String webImage, DeploymentConfiguration cfg) {
        String td = newRevision(s, webImage);
        Instant before = clock.instant().minusSeconds(1);
        ecs.updateService(r -> r.cluster(s.clusterName()).service(s.serviceName()).taskDefinition(td).deploymentConfiguration(cfg));
        List<ServiceDeploymentBrief> list = ecs.listServiceDeployments(r -> r.cluster(s.clusterName()).service(s.serviceName())
                .createdAt(c -> c.after(before))).serviceDeployments();
        return list.get(0).serviceDeploymentArn();
    }

    ServiceDeployment describe(String arn) {
        return ecs.describeServiceDeployments(r -> r.serviceDeploymentArns(arn)).serviceDeployments().get(0);
    }

    /** What a poller sees: one line per change of stage / status / target weights. */
    record Seen(String status, String stage, Double prod, Double test) {
        @Override
        public String toString() {
            return status + " " + stage + " prod=" + prod + " test=" + test;
        }
    }

    /** Polls every {@code step} of virtual time until the deployment is terminal (or {@code limit} passes). */
    List<Seen> pollUntilDone(String arn, Duration step, Duration limit) {
        List<Seen> seen = new ArrayList<>();
        Instant end = clock.instant().plus(limit);
        while (true) {
            ServiceDeployment d = describe(arn);
            ServiceRevisionSummary t = d.targetServiceRevision();
            Seen now = new Seen(d.statusAsString(), d.lifecycleStageAsString(), t.requestedProductionTrafficWeight(),
                    t.requestedTestTrafficWeight());
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(now)) {
                seen.add(now);
            }
            if (TERMINAL.contains(d.statusAsString()) || clock.instant().isAfter(end)) {
                return seen;
            }
            clock.advance(step);
        }
    }

    /** Advances in steps until the deployment is terminal; returns its final description. */
    ServiceDeployment runToEnd(String arn, Duration step, Duration limit) {
        pollUntilDone(arn, step, limit);
        return describe(arn);
    }

    static List<String> stages(List<Seen> seen) {
        List<String> out = new ArrayList<>();
        for (Seen s : seen) {
            if (s.stage() != null && (out.isEmpty() || !out.get(out.size() - 1).equals(s.stage()))) {
                out.add(s.stage());
            }
        }
        return out;
    }
}
