package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.time.ScaledScheduler;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An embedded ECS simulator (module simulator/) on a scaled virtual clock, seeded with one cluster and one service
 * behind an Application Load Balancer whose first deployment already succeeded (so a rollback has somewhere to go).
 * The service's task definition has the containers "web" (port 80) and "log-router".
 */
final class Sandbox implements AutoCloseable {

    /** What the simulator holds at start: a cluster and a load-balanced service of desiredCount tasks. */
    record Seed(String cluster, String service, int desiredCount) {
        /** For deploy/plan --sandbox: the cluster and service the request names. */
        static Seed forRequest(DeploymentRequest r) {
            return new Seed(r.clusterOrDefault(), r.service() == null ? DemoCommand.SERVICE : r.service(),
                    r.desiredCount() == null || r.desiredCount() == 0 ? 4 : r.desiredCount());
        }
    }

    private final EcsSimulator simulator;
    private final ScheduledExecutorService engineThreads;
    private final double speed;

    private Sandbox(EcsSimulator simulator, ScheduledExecutorService engineThreads, double speed) {
        this.simulator = simulator;
        this.engineThreads = engineThreads;
        this.speed = speed;
    }

    /** Virtual seconds per real second. */
    double speed() {
        return speed;
    }

    /** Starts the simulator on a loopback port; the virtual clock starts at the current second and runs speed× real time. */
    static Sandbox start(double speed, Seed seed) {
        VirtualClock clock = VirtualClock.scaled(Instant.now().truncatedTo(ChronoUnit.SECONDS), speed);
        EcsSimulator sim = EcsSimulator.builder().clock(clock).region(Session.SANDBOX_REGION).build().start();
        try {
            sim.seed().loadBalancedService(seed.cluster(), seed.service(), seed.desiredCount(), LoadBalancerType.ALB);
            // canary analysis to try out (docs/analysis.md): an image whose reference contains "bad" answers twice as
            // many requests with a 5xx as the others (2 % instead of 1 %), one with "slow" three times as slowly
            sim.metrics().testRequestsPerSecond(5).profile("bad", 0.02, 0.05, 0.2).profile("slow", 0.01, 0.15, 0.6);
        } catch (RuntimeException e) {
            sim.close();
            throw e;
        }
        ScheduledThreadPoolExecutor ex = (ScheduledThreadPoolExecutor) Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "ecs-deploy-sandbox-scheduler");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        return new Sandbox(sim, ex, speed);
    }

    String endpoint() {
        return simulator.endpoint().toString();
    }

    Clock clock() {
        return simulator.clock();
    }

    EcsSimulator simulator() {
        return simulator;
    }

    /** The engine talks to the simulator over HTTP like to AWS, on the simulator's virtual clock (architecture.md D1). */
    EngineConfig engineConfig(String region) {
        return EngineConfig.builder().region(region).endpointOverride(simulator.endpoint())
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("sandbox", "sandbox")))
                .scheduler(new ScaledScheduler(simulator.clock(), speed, engineThreads))
                .build();
    }

    @Override
    public void close() {
        engineThreads.shutdownNow();
        simulator.close();
    }
}
