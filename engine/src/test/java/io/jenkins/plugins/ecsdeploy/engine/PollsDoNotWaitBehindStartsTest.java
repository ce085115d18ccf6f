package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContinueServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.ContinueServiceDeploymentResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsRequest;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentResponse;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;
import software.amazon.awssdk.services.ecs.model.UpdateServiceResponse;

/**
 * A burst of starts must not hold up the polls of deployments already followed (docs/performance.md: at 500
 * simultaneous starts, gates were offered up to 581 virtual s late when starts and polls shared one FIFO pool). Here
 * the start lane is not just busy but stuck: every UpdateService hangs until the test lets it go, so all I/O threads
 * are taken by starts and 46 more starts wait in the queue. The followed deployment must go on being polled and its
 * gate offered at the normal cadence.
 */
class PollsDoNotWaitBehindStartsTest {

    /** The simulator's client, with UpdateService held while {@code hold} is closed. */
    static final class HoldingClient implements EcsClient {
        final EcsClient d;
        final VirtualTimes times;
        volatile CountDownLatch hold = new CountDownLatch(0);
        final AtomicInteger heldNow = new AtomicInteger();
        final int ioThreads;
        /** Completes when {@code ioThreads} UpdateService calls are held at once: the I/O pool is full. */
        final CompletableFuture<Void> full = new CompletableFuture<>();

        HoldingClient(EcsClient d, VirtualTimes times, int ioThreads) {
            this.d = d;
            this.times = times;
            this.ioThreads = ioThreads;
        }

        @Override
        public UpdateServiceResponse updateService(UpdateServiceRequest r) {
            if (heldNow.incrementAndGet() >= ioThreads) {
                full.complete(null);
            }
            try {
                // Test code may block: this stands for a slow AWS answer (the engine's own code never waits).
                if (!hold.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held too long");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                heldNow.decrementAndGet();
            }
            return d.updateService(r);
        }

        @Override
        public DescribeServiceDeploymentsResponse describeServiceDeployments(DescribeServiceDeploymentsRequest r) {
            times.polls.add(times.now());
            return d.describeServiceDeployments(r);
        }

        @Override public DescribeServicesResponse describeServices(DescribeServicesRequest r) { return d.describeServices(r); }
        @Override public DescribeTaskDefinitionResponse describeTaskDefinition(DescribeTaskDefinitionRequest r) { return d.describeTaskDefinition(r); }
        @Override public ListServiceDeploymentsResponse listServiceDeployments(ListServiceDeploymentsRequest r) { return d.listServiceDeployments(r); }
        @Override public RegisterTaskDefinitionResponse registerTaskDefinition(RegisterTaskDefinitionRequest r) { return d.registerTaskDefinition(r); }
        @Override public DescribeServiceRevisionsResponse describeServiceRevisions(DescribeServiceRevisionsRequest r) { return d.describeServiceRevisions(r); }
        @Override public ContinueServiceDeploymentResponse continueServiceDeployment(ContinueServiceDeploymentRequest r) { return d.continueServiceDeployment(r); }
        @Override public StopServiceDeploymentResponse stopServiceDeployment(StopServiceDeploymentRequest r) { return d.stopServiceDeployment(r); }
        @Override public String serviceName() { return "ecs"; }
        @Override public void close() { d.close(); }
    }

    static final class VirtualTimes {
        final Sandbox sb;
        final List<Instant> polls = new CopyOnWriteArrayList<>();

        VirtualTimes(Sandbox sb) {
            this.sb = sb;
        }

        Instant now() {
            return sb.clock.instant();
        }
    }

    @Test
    void aGateIsOfferedOnTimeWhileEveryIoThreadIsStuckInAStart() throws Exception {
        // 300x (1 virtual minute = 200 ms): a real-time hiccup of the loaded 2-core VM stays small in virtual time.
        try (Sandbox sb = new Sandbox(300)) {
            VirtualTimes times = new VirtualTimes(sb);
            HoldingClient ecs = new HoldingClient(EcsClient.builder().endpointOverride(sb.sim.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .build(), times, 4);
            // A budget so large that the 50 starts reach UpdateService at once: the I/O pool is what is saturated.
            try (DeploymentEngine engine = new DeploymentEngine(sb.config().ioThreads(4).maxStartCallsPerSecond(1000)
                    .build(), ecs)) {
                DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.BlueGreen(2))
                        .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK)).build()));
                CompletableFuture<PendingGate> offered = new CompletableFuture<>();
                var rec = new Sandbox.Recorder();
                Subscription sub = engine.follow(h, rec, offered::complete);

                ecs.hold = new CountDownLatch(1);
                Instant heldFrom = times.now();
                List<CompletableFuture<DeploymentHandle>> starts = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    starts.add(engine.start(Sandbox.request(sb.service("svc" + i), new Strategy.BlueGreen(2)).build()));
                }
                PendingGate g;
                try {
                    ecs.full.get(20, TimeUnit.SECONDS);
                    assertEquals(engine.config().ioThreads(), ecs.heldNow.get(), "the starts filled the I/O pool: "
                            + starts.stream().filter(CompletableFuture::isCompletedExceptionally).map(f -> f.handle((x, e) -> e).join()).toList());
                    g = offered.get(30, TimeUnit.SECONDS);
                    assertEquals(engine.config().ioThreads(), ecs.heldNow.get(),
                            "every I/O thread was still stuck in a start when the gate was offered");
                } finally {
                    ecs.hold.countDown();
                }
                Instant gateOfferedAt = times.now();
                assertEquals("POST_TEST_TRAFFIC_SHIFT", g.stage());
                // Polls went on at the watcher's cadence while the starts were stuck: never more than the ceiling
                // (2 virtual minutes in the sandbox) apart, plus slack for real-time jitter at 1200x.
                List<Instant> during = times.polls.stream().filter(t -> t.isAfter(heldFrom) && t.isBefore(gateOfferedAt))
                        .toList();
                assertTrue(during.size() >= 2, "polled while the starts were stuck: " + during);
                Instant prev = heldFrom;
                for (Instant t : during) {
                    assertTrue(Duration.between(prev, t).compareTo(Duration.ofMinutes(3)) <= 0,
                            "a gap of " + Duration.between(prev, t) + " between polls: " + during);
                    prev = t;
                }
                // The gate was offered within the cadence of the poll that saw it: at most the quiet cadence (a
                // quarter of the ceiling, 30 s) plus jitter after ECS put it in AWAITING_ACTION.
                var awaiting = rec.of(DeploymentEvent.GateAwaiting.class);
                assertEquals(1, awaiting.size());
                engine.decide(h, g.hookId(), new GateDecision(HookAction.CONTINUE, "alice", null));
                assertEquals(OutcomeKind.SUCCEEDED, await(sub.outcome()).kind());
                for (CompletableFuture<DeploymentHandle> s : starts) {
                    await(s);
                }
            }
        }
    }
}
