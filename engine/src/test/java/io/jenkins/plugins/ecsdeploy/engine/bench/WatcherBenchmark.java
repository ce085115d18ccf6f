package io.jenkins.plugins.ecsdeploy.engine.bench;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.time.ScaledScheduler;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Not a test: measures the engine with N concurrent blue/green deployments (each with one gate, answered at once)
 * through ONE engine and its shared watcher, against the simulator on loopback with a scaled virtual clock.
 * Prints API calls per deployment, decide→ContinueServiceDeployment latency, threads and heap.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -ntp -q -o -pl engine test-compile exec:java \
 *     -Dexec.classpathScope=test -Dexec.mainClass=io.jenkins.plugins.ecsdeploy.engine.bench.WatcherBenchmark \
 *     -Dexec.args="100 500"
 * </pre>
 */
public final class WatcherBenchmark {
    /** Virtual seconds per real second: 1 virtual minute = 0.2 s real. */
    static final double SPEED = 300;
    static final int BAKE_MINUTES = 60;

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // see Sandbox: JDK HttpServer + Nagle stalls
        List<Integer> sizes = new ArrayList<>();
        for (String a : args.length == 0 ? new String[] {"100", "500"} : args) {
            sizes.add(Integer.parseInt(a));
        }
        System.out.println("| deployments | wall s (real) | virtual min | DescribeServiceDeployments / deployment / virtual hour"
                + " | all ECS calls / deployment | max calls in one poll round | decide→Continue p50 / p95 / max ms"
                + " | peak live threads (engine) | heap after GC MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int n : sizes) {
            run(n);
        }
    }

    static void run(int n) throws Exception {
        VirtualClock clock = VirtualClock.scaled(Instant.parse("2026-11-22T00:00:00Z"), SPEED);
        var exec = SystemScheduler.newDaemonExecutor("bench-scheduler");
        try (EcsSimulator sim = EcsSimulator.builder().clock(clock).tick(Duration.ofMillis(5)).threads(8).build().start()) {
            sim.scenario().minimumStageDuration(Duration.ofMinutes(1)).trafficShift(Duration.ofMinutes(1))
                    .defaultTaskStart(Duration.ofMinutes(1)).pendingDelay(Duration.ofMinutes(1));
            List<DeploymentRequest> reqs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                var s = sim.seed().loadBalancedService("bench", "svc" + i, 2, LoadBalancerType.ALB);
                reqs.add(DeploymentRequest.builder().region("us-east-1").cluster(s.clusterName()).service(s.serviceName())
                        .revision(new RevisionSource.ImageOverrides(Map.of("web", "registry/web:2")))
                        .strategy(new Strategy.BlueGreen(BAKE_MINUTES))
                        .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 1440, HookAction.ROLLBACK)).build());
            }
            sim.stats().reset();
            EngineConfig config = EngineConfig.builder().region("us-east-1").endpointOverride(sim.endpoint())
                    .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                    .scheduler(new ScaledScheduler(clock, SPEED, exec)).build(); // default floor 5 s, ceiling 60 s
            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            AtomicInteger peakThreads = new AtomicInteger();
            AtomicInteger peakEngineThreads = new AtomicInteger();
            long t0 = System.nanoTime();
            Instant v0 = clock.instant();
            long heap;
            try (DeploymentEngine engine = new DeploymentEngine(config)) {
                List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
                for (DeploymentRequest r : reqs) {
                    outcomes.add(engine.start(r).thenCompose(h -> engine.follow(h, null, g -> {
                        long d0 = System.nanoTime();
                        engine.decide(g.deployment(), g.hookId(), new GateDecision(HookAction.CONTINUE, "bench", null))
                                .thenAccept(res -> {
                                    if (res == DecisionResult.APPLIED) {
                                        latencies.add((System.nanoTime() - d0) / 1_000_000);
                                    }
                                });
                    }).outcome()));
                }
                var sampler = exec.scheduleAtFixedRate(() -> {
                    peakThreads.accumulateAndGet(Thread.activeCount(), Math::max);
                    int e = (int) Thread.getAllStackTraces().keySet().stream()
                            .filter(t -> t.getName().startsWith("ecs-deploy-")).count();
                    peakEngineThreads.accumulateAndGet(e, Math::max);
                }, 0, 200, TimeUnit.MILLISECONDS);
                // heap while all are being followed: halfway through the bake
                CompletableFuture.allOf(outcomes.stream().limit(1).toArray(CompletableFuture[]::new));
                Thread.sleep((long) (BAKE_MINUTES * 60 / SPEED * 1000 / 2) + 3000); // benchmark only: sample mid-run
                System.gc();
                heap = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024);
                int ok = 0;
                for (CompletableFuture<Outcome> f : outcomes) {
                    if (f.get(30, TimeUnit.MINUTES).kind() == OutcomeKind.SUCCEEDED) {
                        ok++;
                    }
                }
                sampler.cancel(false);
                double wall = (System.nanoTime() - t0) / 1e9;
                double vmin = Duration.between(v0, clock.instant()).toSeconds() / 60.0;
                var st = engine.watcher().stats();
                List<Long> l = new ArrayList<>(latencies);
                Collections.sort(l);
                Map<String, Long> counts = new TreeMap<>(sim.stats().counts());
                long total = counts.values().stream().mapToLong(Long::longValue).sum();
                System.out.printf("| %d | %.1f | %.0f | %.2f | %.1f | %d | %d / %d / %d | %d (%d) | %d |%n", n, wall, vmin,
                        counts.getOrDefault("DescribeServiceDeployments", 0L) / (double) n / (vmin / 60.0),
                        total / (double) n, st.maxCallsInOneRound(),
                        pct(l, 50), pct(l, 95), l.isEmpty() ? -1 : l.get(l.size() - 1),
                        peakThreads.get(), peakEngineThreads.get(), heap);
                System.out.println("  succeeded " + ok + "/" + n + "; calls by operation " + counts + "; watcher " + st);
            }
        } finally {
            exec.shutdownNow();
        }
    }

    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
