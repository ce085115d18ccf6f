package io.jenkins.plugins.ecsdeploy.plugin;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.time.ScaledScheduler;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.SeededService;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The ECS simulator on loopback in scaled virtual time, with the plugin's engine registry pointed at it
 * (docs/simulator.md). At {@link #SPEED} virtual seconds per real second a blue/green deployment takes
 * about a second of real time.
 */
final class EcsSandbox implements AutoCloseable {
    static final double SPEED = 300;
    static final String REGION = "us-east-1";

    final double speed;
    final VirtualClock clock;
    final EcsSimulator sim;
    private ScheduledExecutorService threads;

    EcsSandbox() {
        this(SPEED);
    }

    /** At {@code speed} virtual seconds per real second (the load benchmark runs slower than the tests). */
    EcsSandbox(double speed) {
        this.speed = speed;
        clock = VirtualClock.scaled(Instant.now().truncatedTo(ChronoUnit.SECONDS), speed);
        StandInJenkins.reset();
        StandInJenkins.install();
        sim = EcsSimulator.builder().clock(clock).region(REGION).build().start();
        sim.scenario().defaultTaskStart(Duration.ofSeconds(20)).minimumStageDuration(Duration.ofSeconds(10))
                .trafficShift(Duration.ofSeconds(20)).cleanUp(Duration.ofSeconds(10));
        restartEngines();
    }

    /** New engines on new threads, as after a controller restart (the old JVM's engines are gone). */
    void restartEngines() {
        PluginExecutors.shutdown();   // the old JVM's plugin threads and their queued tasks are gone too
        threads = SystemScheduler.newDaemonExecutor("test-engine");
        EngineRegistry.useForTests(new ScaledScheduler(clock, speed, threads), sim.endpoint(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-not-printed")));
    }

    SeededService service(String name) {
        return sim.seed().loadBalancedService("demo", name, 2, LoadBalancerType.ALB);
    }

    /** Real-time wait for a condition driven by the simulator and the engine. */
    static void await(String what, Duration timeout, BooleanSupplier condition, FakeStepContext ctx) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end || (ctx != null && ctx.isDone())) {
                String state = ctx == null ? "" : ctx.isDone() ? "; the step ended: " + ctx.failure() : "; the step still runs";
                AssertionError e = new AssertionError("timed out waiting for " + what + state + (ctx == null ? "" : "; log:\n" + ctx.log()));
                if (ctx != null && ctx.isDone() && ctx.failure() != null) {
                    e.initCause(ctx.failure());
                }
                throw e;
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        EngineRegistry.useForTests(new SystemScheduler(), null, null);
        if (threads != null) {
            threads.shutdownNow();
        }
        sim.close();
        StandInJenkins.reset();
    }
}
