package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentStarter;
import io.jenkins.plugins.ecsdeploy.engine.internal.Preflight;
import io.jenkins.plugins.ecsdeploy.engine.internal.StartRateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * A mass start keeps to the client-side budget (ECS's ~20 req/s per account and Region, docs/engine.md "Start"): on manual time, with
 * a direct executor, every call is made at the instant its tokens were granted, so the count per virtual second is
 * exact.
 */
class StartRateLimitTest {
    static final String TD = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7";

    final WatcherCadenceTest.ManualScheduler sched = new WatcherCadenceTest.ManualScheduler();
    /** Virtual time of every ECS call. */
    final List<Instant> calls = new ArrayList<>();
    /** Virtual time of every DescribeServices (one per preflight). */
    final List<Instant> preflights = new ArrayList<>();
    final Set<String> updated = ConcurrentHashMap.newKeySet();

    /** ECS for the start path of ROLLING deployments by task-definition ARN, on services "s0".."sN". */
    final EcsClient ecs = new EcsClient() {
        @Override
        public DescribeServicesResponse describeServices(DescribeServicesRequest r) {
            calls.add(sched.now);
            preflights.add(sched.now);
            return DescribeServicesResponse.builder().services(s -> s.serviceName(r.services().get(0)).status("ACTIVE")
                    .desiredCount(2).deploymentController(c -> c.type("ECS")).taskDefinition(TD)).build();
        }

        @Override
        public DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest r) {
            calls.add(sched.now);
            return DescribeTaskDefinitionResponse.builder().taskDefinition(t -> t.taskDefinitionArn(TD)).build();
        }

        @Override
        public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest r) {
            calls.add(sched.now);
            if (r.hasStatus() || !updated.contains(r.service())) {
                return ListServiceDeploymentsResponse.builder().build();
            }
            return ListServiceDeploymentsResponse.builder().serviceDeployments(ServiceDeploymentBrief.builder()
                    .serviceDeploymentArn("arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/" + r.service() + "/d1")
                    .targetServiceRevisionArn("rev-" + r.service()).createdAt(sched.now).status("PENDING").build()).build();
        }

        @Override
        public UpdateServiceResponse updateService(UpdateServiceRequest r) {
            calls.add(sched.now);
            updated.add(r.service());
            return UpdateServiceResponse.builder().build();
        }

        @Override
        public DescribeServiceRevisionsResponse describeServiceRevisions(DescribeServiceRevisionsRequest r) {
            calls.add(sched.now);
            return DescribeServiceRevisionsResponse.builder().serviceRevisions(r.serviceRevisionArns().stream()
                    .map(a -> ServiceRevision.builder().serviceRevisionArn(a).taskDefinition(TD).build()).toList()).build();
        }

        @Override
        public String serviceName() {
            return "ecs";
        }

        @Override
        public void close() {}
    };

    final Instant[] firstDone = new Instant[1];

    List<CompletableFuture<DeploymentHandle>> startAll(int n, int perSecond) {
        EngineConfig config = EngineConfig.builder().region("us-east-1").scheduler(sched).maxStartCallsPerSecond(perSecond)
                .build();
        StartRateLimiter limiter = new StartRateLimiter(sched, config.maxStartCallsPerSecond());
        DeploymentStarter starter = new DeploymentStarter(ecs, sched, Runnable::run, config,
                new Preflight(ecs, Runnable::run, limiter), limiter);
        List<CompletableFuture<DeploymentHandle>> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            started.add(starter.start(DeploymentRequest.builder().region("us-east-1").cluster("prod").service("s" + i)
                    .revision(new RevisionSource.TaskDefinition(TD)).strategy(new Strategy.Rolling(50, 200, null, null))
                    .build()));
        }
        started.get(0).thenRun(() -> firstDone[0] = sched.now);
        sched.runUntil(WatcherCadenceTest.T0.plus(Duration.ofMinutes(10)));
        return started;
    }

    /** Calls per virtual second [k, k+1). */
    Map<Long, Integer> perSecond() {
        Map<Long, Integer> by = new TreeMap<>();
        for (Instant t : calls) {
            by.merge(Duration.between(WatcherCadenceTest.T0, t).toSeconds(), 1, Integer::sum);
        }
        return by;
    }

    @Test
    void thirtyStartsMakeAtMostTheConfiguredCallsPerSecond() {
        List<CompletableFuture<DeploymentHandle>> started = startAll(30, 10);
        for (CompletableFuture<DeploymentHandle> f : started) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally(), "every start found its deployment");
        }
        assertEquals(30 * 7, calls.size(), "7 calls per start (preflight 3, list + UpdateService, look 2)");
        Map<Long, Integer> by = perSecond();
        assertTrue(by.values().stream().allMatch(c -> c <= 10), "at most 10 calls in any virtual second: " + by);
        assertTrue(by.size() >= 21, "the 210 calls are spread over 21 seconds or more: " + by);
        // Starts under way go before new preflights: the first start found its deployment long before the last
        // preflight ran (not every preflight first, then every UpdateService).
        Instant lastPreflight = preflights.get(preflights.size() - 1);
        assertTrue(firstDone[0] != null && firstDone[0].plusSeconds(10).isBefore(lastPreflight),
                "first start done at " + firstDone[0] + ", last preflight at " + lastPreflight);
    }

    @Test
    void theLimitIsConfigurableAndDefaultsToTenPerSecond() {
        assertEquals(10, EngineConfig.builder().region("us-east-1").build().maxStartCallsPerSecond());
        startAll(10, 20);
        Map<Long, Integer> by = perSecond();
        assertTrue(by.values().stream().allMatch(c -> c <= 20), by.toString());
        assertTrue(by.values().stream().anyMatch(c -> c > 10), "20 per second is used: " + by);
    }
}
