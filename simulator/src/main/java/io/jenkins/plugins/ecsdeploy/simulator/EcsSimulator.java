package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local Amazon ECS endpoint running the native deployment controller in virtual time.
 *
 * <pre>{@code
 * VirtualClock clock = VirtualClock.manual(Instant.parse("2026-01-01T00:00:00Z"));
 * try (EcsSimulator sim = EcsSimulator.builder().clock(clock).build().start()) {
 *     SeededService svc = sim.seed().loadBalancedService("demo", "web", 4, LoadBalancerType.ALB);
 *     EcsClient ecs = EcsClient.builder().endpointOverride(sim.endpoint())...;
 *     ... ecs.updateService(...); clock.advance(Duration.ofMinutes(5)); ...
 * }
 * }</pre>
 */
public final class EcsSimulator implements AutoCloseable {

    private final VirtualClock clock;
    private final String host;
    private final int requestedPort;
    private final int threads;
    private final Duration tick;
    private final Scenario scenario;
    private final Faults faults;
    private final CallStats stats = new CallStats();
    private final LambdaRegistry lambdas = new LambdaRegistry();
    private final CloudWatchMetrics metrics = new CloudWatchMetrics();
    final Controller controller;
    final Api api;
    private final Seeder seeder;
    private HttpFrontEnd front;
    private ScheduledExecutorService ticker;
    private int port = -1;

    private EcsSimulator(Builder b) {
        this.clock = b.clock != null ? b.clock : VirtualClock.scaled(Instant.now(), 1.0);
        this.host = b.host;
        this.requestedPort = b.port;
        this.threads = b.threads;
        this.tick = b.tick;
        this.scenario = b.scenario != null ? b.scenario : new Scenario();
        this.faults = new Faults(b.randomSeed + 1);
        this.controller = new Controller(clock, b.region, b.accountId, scenario, lambdas, b.randomSeed);
        this.api = new Api(controller);
        this.seeder = new Seeder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the HTTP server and, for a scaled clock, the ticking thread. Returns {@code this}. */
    public synchronized EcsSimulator start() {
        if (front != null) {
            return this;
        }
        front = new HttpFrontEnd(api, faults, stats);
        front.cloudWatch = new CloudWatchServer(controller, metrics, stats);
        try {
            port = front.start(host, requestedPort, threads);
        } catch (IOException e) {
            front = null;
            throw new UncheckedIOException("cannot listen on " + host + ":" + requestedPort, e);
        }
        if (clock.isManual()) {
            clock.steppers.add(controller);
        } else {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ecs-simulator-controller");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(() -> {
                try {
                    controller.runUntil(clock.instant());
                } catch (RuntimeException e) {
                    // An escaped exception would silently cancel the periodic tick.
                    System.err.println("ecs-simulator: controller tick failed: " + e);
                    e.printStackTrace();
                }
            }, 0, tick.toNanos(), TimeUnit.NANOSECONDS);
        }
        return this;
    }

    /** {@code http://127.0.0.1:<port>} – pass to {@code EcsClient.builder().endpointOverride(...)}. */
    public URI endpoint() {
        if (port < 0) {
            throw new IllegalStateException("the simulator is not started");
        }
        return URI.create("http://" + host + ":" + port);
    }

    public int port() {
        return port;
    }

    public VirtualClock clock() {
        return clock;
    }

    public String region() {
        return controller.region;
    }

    public String accountId() {
        return controller.account;
    }

    /** Behaviour knobs (timings, task rules, alarms, documented choices). */
    public Scenario scenario() {
        return scenario;
    }

    /** Fault injection (throttling, 5xx, latency, dropped connections). */
    public Faults faults() {
        return faults;
    }

    /** Calls received per operation. */
    public CallStats stats() {
        return stats;
    }

    /** The CloudWatch metrics of the load-balanced services' target groups (GetMetricData on the same endpoint). */
    public CloudWatchMetrics metrics() {
        return metrics;
    }

    /** In-process Lambda hook functions. */
    public LambdaRegistry lambdas() {
        return lambdas;
    }

    /** Seeding helpers (clusters, task definitions, services with a completed first deployment). */
    public Seeder seed() {
        return seeder;
    }

    /** Shorthand for {@code clock().advance(d)} (manual clock only). */
    public void advance(Duration d) {
        clock.advance(d);
    }

    /** Every service deployment ARN, oldest first. */
    public List<String> deploymentArns() {
        synchronized (controller) {
            return List.copyOf(controller.deployments.keySet());
        }
    }

    /** The stages a service deployment went through, with virtual timestamps (PRE_PRODUCTION_TRAFFIC_SHIFT included). */
    public List<StageVisit> stageHistory(String deploymentArn) {
        synchronized (controller) {
            return List.copyOf(require(deploymentArn).history);
        }
    }

    /** The status changes of a service deployment, with virtual timestamps. */
    public List<StatusChange> statusHistory(String deploymentArn) {
        synchronized (controller) {
            return List.copyOf(require(deploymentArn).statusHistory);
        }
    }

    /** Current status of a service deployment (PENDING, IN_PROGRESS, SUCCESSFUL, ...). */
    public String status(String deploymentArn) {
        synchronized (controller) {
            return require(deploymentArn).status;
        }
    }

    /** The DescribeServiceDeployments JSON of one deployment, as the API would return it. */
    public JsonNode describeDeployment(String deploymentArn) {
        synchronized (controller) {
            return api.deploymentJson(require(deploymentArn));
        }
    }

    /** Runs an operation in-process (no HTTP, no faults, not counted); for seeding and the demo. */
    public JsonNode call(String operation, JsonNode request) {
        Objects.requireNonNull(operation, "operation");
        ObjectNode req = request == null ? Json.obj() : (ObjectNode) request.deepCopy();
        try {
            return api.handle(operation, req);
        } catch (AwsError e) {
            throw new IllegalArgumentException(e.type + ": " + e.getMessage(), e);
        }
    }

    /** Number of scheduled controller events (0 = nothing more will happen without a new API call). */
    public int pendingEvents() {
        return controller.pendingEvents();
    }

    private Model.Deployment require(String arn) {
        Model.Deployment d = controller.deployments.get(arn);
        if (d == null) {
            throw new IllegalArgumentException("deploymentArn: '" + arn + "' is not a deployment of this simulator");
        }
        return d;
    }

    @Override
    public synchronized void close() {
        clock.steppers.remove(controller);
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
        if (front != null) {
            front.stop();
            front = null;
        }
    }

    public static final class Builder {
        private VirtualClock clock;
        private String host = "127.0.0.1";
        private int port = 0;
        private int threads = 4;
        private Duration tick = Duration.ofMillis(10);
        private String accountId = "123456789012";
        private String region = "us-east-1";
        private long randomSeed = 42;
        private Scenario scenario;

        private Builder() {
        }

        /** Default: {@code VirtualClock.scaled(Instant.now(), 1.0)} (real time). */
        public Builder clock(VirtualClock c) { this.clock = Objects.requireNonNull(c); return this; }
        /** 0 (default) = a free port. */
        public Builder port(int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("port: '" + p + "' is not allowed; 0 to 65535");
            }
            this.port = p;
            return this;
        }
        /** Listening address; default 127.0.0.1 (loopback only). */
        public Builder host(String h) { this.host = Objects.requireNonNull(h); return this; }
        public Builder accountId(String a) {
            if (a == null || !a.matches("\\d{12}")) {
                throw new IllegalArgumentException("accountId: '" + a + "' is not allowed; 12 digits");
            }
            this.accountId = a;
            return this;
        }
        public Builder region(String r) { this.region = Objects.requireNonNull(r); return this; }
        /** Seed of every random choice (ids, task failures, fault rates); default 42. */
        public Builder randomSeed(long s) { this.randomSeed = s; return this; }
        public Builder scenario(Scenario s) { this.scenario = Objects.requireNonNull(s); return this; }
        /** HTTP worker threads (default 4). */
        public Builder threads(int n) { this.threads = Math.max(1, n); return this; }
        /** Real-time interval of the controller tick with a scaled clock (default 10 ms). */
        public Builder tick(Duration d) { this.tick = Objects.requireNonNull(d); return this; }

        public EcsSimulator build() {
            return new EcsSimulator(this);
        }
    }
}
