package io.jenkins.plugins.ecsdeploy.engine;

import io.jenkins.plugins.ecsdeploy.engine.time.ScaledScheduler;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.SeededService;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The simulator on loopback with a scaled virtual clock, and engines on a {@link ScaledScheduler} over the same
 * clock: a 24-hour bake passes in about a second of real time. Several engines can be made (a "restart").
 */
final class Sandbox implements AutoCloseable {
    static {
        // The JDK HttpServer under the simulator writes headers and body as separate small segments; with Nagle on
        // and the client's delayed ACK every call then takes ~40-50 ms (measured). TCP_NODELAY removes the stall.
        // Read once, when the first HttpServer is made: set before any simulator starts. (Reported to simulator/.)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /**
     * Virtual seconds per real second: 1 virtual minute = 50 ms real. Fast enough for hour-long bakes, slow enough
     * that a poll (a few ms of HTTP) sees every stage of the simulator's 10-60 s stages.
     */
    static final double SPEED = 1200;

    final VirtualClock clock;
    final EcsSimulator sim;
    final ScheduledExecutorService executor;
    final ScaledScheduler scheduler;
    final double speed;
    private final List<DeploymentEngine> engines = Collections.synchronizedList(new ArrayList<>());

    Sandbox() {
        this(SPEED);
    }

    Sandbox(double speed) {
        this.speed = speed;
        this.clock = VirtualClock.scaled(Instant.parse("2026-11-22T00:00:00Z"), speed);
        this.sim = EcsSimulator.builder().clock(clock).tick(Duration.ofMillis(2)).build().start();
        // Stages of a virtual minute or more, as in ECS: a poll (~10 ms real = 12 virtual s) sees each of them.
        sim.scenario().minimumStageDuration(Duration.ofMinutes(1)).trafficShift(Duration.ofMinutes(1))
                .defaultTaskStart(Duration.ofMinutes(1)).pendingDelay(Duration.ofMinutes(1));
        this.executor = SystemScheduler.newDaemonExecutor("test-scheduler");
        this.scheduler = new ScaledScheduler(clock, speed, executor);
        warmUp();
    }

    /**
     * The first SDK call in a JVM loads hundreds of classes (about half a second real = many virtual minutes): do it
     * before any deployment runs so the engine's first poll is not late.
     */
    private void warmUp() {
        try (var c = software.amazon.awssdk.services.ecs.EcsClient.builder().endpointOverride(sim.endpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()) {
            c.listServiceDeployments(b -> b.cluster("warm-up").service("warm-up"));
        } catch (RuntimeException expected) {
            // no such cluster: the classes are loaded all the same
        }
        sim.stats().reset();
    }

    EngineConfig.Builder config() {
        return EngineConfig.builder().region("us-east-1").endpointOverride(sim.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .scheduler(scheduler).pollFloor(Duration.ofSeconds(10)).pollCeiling(Duration.ofMinutes(2))
                .apiCallTimeout(Duration.ofSeconds(20)).apiCallAttemptTimeout(Duration.ofSeconds(5));
    }

    DeploymentEngine engine() {
        return engine(config());
    }

    DeploymentEngine engine(EngineConfig.Builder c) {
        DeploymentEngine e = new DeploymentEngine(c.build());
        engines.add(e);
        return e;
    }

    SeededService service(String name) {
        return sim.seed().loadBalancedService("demo", name, 4, LoadBalancerType.ALB);
    }

    static DeploymentRequest.Builder request(SeededService s, Strategy strategy) {
        return DeploymentRequest.builder().region("us-east-1").cluster(s.clusterName()).service(s.serviceName())
                .revision(new RevisionSource.ImageOverrides(java.util.Map.of("web", "registry/web:2.0")))
                .strategy(strategy);
    }

    @Override
    public void close() {
        for (DeploymentEngine e : engines) {
            e.close();
        }
        executor.shutdownNow();
        sim.close();
    }

    /** Collects every event a subscription delivers, and completes futures when a predicate first holds. */
    static final class Recorder implements DeploymentListener {
        final List<DeploymentEvent> events = Collections.synchronizedList(new ArrayList<>());
        private final List<Watch> watches = new ArrayList<>();
        volatile DeploymentSnapshot last;

        private record Watch(Predicate<DeploymentEvent> p, CompletableFuture<DeploymentEvent> f) {}

        @Override
        public void onEvent(DeploymentEvent e, DeploymentSnapshot s) {
            events.add(e);
            last = s;
            synchronized (watches) {
                for (Watch w : watches) {
                    if (!w.f().isDone() && w.p().test(e)) {
                        w.f().complete(e);
                    }
                }
            }
        }

        CompletableFuture<DeploymentEvent> when(Predicate<DeploymentEvent> p) {
            CompletableFuture<DeploymentEvent> f = new CompletableFuture<>();
            synchronized (watches) {
                for (DeploymentEvent e : List.copyOf(events)) {
                    if (p.test(e)) {
                        f.complete(e);
                        return f;
                    }
                }
                watches.add(new Watch(p, f));
            }
            return f;
        }

        CompletableFuture<DeploymentEvent> stage(String stage) {
            return when(e -> e instanceof DeploymentEvent.StageEntered se && se.stage().equals(stage));
        }

        <T extends DeploymentEvent> List<T> of(Class<T> type) {
            synchronized (events) {
                return events.stream().filter(type::isInstance).map(type::cast).toList();
            }
        }
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("not completed within 60 s real time: " + e, e);
        }
    }
}
