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
import io.jenkins.plugins.ecsdeploy.engine.internal.AwsClients;
import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentWatcher;
import io.jenkins.plugins.ecsdeploy.engine.time.ScaledScheduler;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContinueServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;

/**
 * Benchmark of the engine (a measurement, not a test: {@code mvn test} does not run it; see docs/performance.md).
 *
 * <p>N concurrent CANARY deployments, each with one gate at POST_TEST_TRAFFIC_SHIFT that an auto-approving
 * {@code GateHandler} answers CONTINUE as soon as it is offered, are started and followed through ONE
 * {@link DeploymentEngine} (one shared watcher, the engine's default configuration) against the simulator on loopback,
 * with the simulator's scaled {@link VirtualClock} and the engine's {@link ScaledScheduler} over the same clock.
 * Measured per run: ECS calls per deployment by operation, per deployment-hour, per poll round and their peak rate in
 * virtual time; decide()→ContinueServiceDeployment latency (real ms); how long after a hook became AWAITING_ACTION
 * the engine offered it (virtual s); the engine's live threads; heap after GC per followed deployment; and a
 * throttling storm (30 % ThrottlingException on DescribeServiceDeployments). Every size is run {@code --reps} times;
 * the table gives the median and the range. A deployment that does not end SUCCEEDED aborts the benchmark.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -ntp -q -o -pl engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.jenkins.plugins.ecsdeploy.engine.bench.WatcherBenchmark \
 *     -Dexec.args="--sizes 1,20,100,500 --reps 3 --storm 100,500"
 * </pre>
 */
public final class WatcherBenchmark {
    /** Virtual seconds per real second: 1 virtual minute = 0.2 s real. */
    static final double DEFAULT_SPEED = 300;
    static final double CANARY_PERCENT = 10.0;
    static final int CANARY_BAKE_MINUTES = 10;
    static final int BAKE_MINUTES = 30;
    /** A day: no gate may expire during a run (a stall of the JVM for a few real seconds is many virtual minutes). */
    static final int GATE_TIMEOUT_MINUTES = 1440;
    static final double STORM_RATE = 0.3;
    static final String DSD = "DescribeServiceDeployments";
    static final String CONTINUE = "ContinueServiceDeployment";
    /**
     * Deployments in the unreported first run (class loading, first JIT). The first N = 500 run still compiles a lot
     * (measured: 6.9 s of JIT vs 3.1 s in the next one), see docs/performance.md.
     */
    static int warmUp = 100;
    /**
     * What the gate handler answers. CONTINUE for the benchmark; {@code --decision ROLLBACK} only checks that the
     * harness fails loudly when deployments do not succeed.
     */
    static HookAction decision = HookAction.CONTINUE;
    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench-sent-nanos");

    public static void main(String[] args) throws Exception {
        // The JDK HttpServer under the simulator + Nagle + delayed ACK = ~40 ms per call (see Sandbox).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        List<Integer> sizes = List.of(1, 20, 100, 500);
        List<Integer> storm = List.of(100, 500);
        int reps = 3;
        double speed = DEFAULT_SPEED;
        Path out = Files.isDirectory(Path.of("engine", "target")) ? Path.of("engine", "target", "benchmark-results.md")
                : Path.of("target", "benchmark-results.md");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = args[++i].isBlank() || args[i].equals("none") ? List.of() : ints(args[i]);
                case "--storm" -> storm = args[++i].isBlank() || args[i].equals("none") ? List.of() : ints(args[i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--speed" -> speed = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--warmup" -> warmUp = Integer.parseInt(args[++i]);
                case "--decision" -> decision = HookAction.valueOf(args[++i]);
                default -> throw new IllegalArgumentException("argument '" + args[i] + "' is not allowed; use --sizes 1,20,"
                        + "100,500 --reps 3 --storm 100,500|none --speed 300 --out file.md --warmup 100");
            }
        }
        long t0 = System.nanoTime();
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        String source = sourceState(); // now, next to the compile: the tree may change while we run
        if (warmUp > 0) {
            System.out.printf("warm-up (not reported): %d deployments at %.0fx%n", warmUp, speed);
            new Run(warmUp, 0, speed).execute(); // class loading, JIT: not part of any reported number
        }
        List<Run> runs = new ArrayList<>();
        for (int r = 1; r <= reps; r++) {
            for (int n : sizes) {
                runs.add(report(new Run(n, 0, speed).execute(), r));
            }
            for (int n : storm) {
                runs.add(report(new Run(n, STORM_RATE, speed).execute(), r));
            }
        }
        String md = Report.markdown(runs, reps, speed, started, source, (System.nanoTime() - t0) / 1e9);
        System.out.println();
        System.out.println(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        System.out.println("written to " + out.toAbsolutePath());
    }

    private static Run report(Run r, int rep) {
        System.out.printf(Locale.ROOT, "rep %d N=%d%s: %.1f s real, %.0f virtual min, DSD/dep %.1f, all/dep %.1f, "
                        + "max DSD calls/round %d (limit %d), decide p50 %d ms, offer p50 %.1f vs (poll wait %.1f), engine threads %d, "
                        + "heap/dep %.1f KiB, GC %d ms, JIT %d ms, load %s%n", rep, r.n, r.throttleRate > 0 ? " storm" : "", r.wallSeconds,
                r.virtualMinutes, r.perDeployment(DSD), r.allCallsPerDeployment(), r.watcher.maxCallsInOneRound(),
                r.roundLimit(), pct(r.decideMillis, 50), pctD(r.offerVirtualSeconds, 50), pctD(r.pollWaitVirtualSeconds, 50), r.peakEngineThreads,
                r.heapKibPerFollowed, r.gcMillis, r.jitMillis, r.loadAverage);
        return r;
    }

    static List<Integer> ints(String s) {
        List<Integer> l = new ArrayList<>();
        for (String p : s.split(",")) {
            l.add(Integer.parseInt(p.trim()));
        }
        return l;
    }

    /** One benchmark run: N deployments through one fresh engine against one fresh simulator. */
    static final class Run {
        final int n;
        final double throttleRate;
        final double speed;
        // results
        double wallSeconds;
        double virtualMinutes;
        double deploymentHours;
        Map<String, Long> simCounts = new TreeMap<>();
        final Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> executions = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> refusedAttempts = new ConcurrentHashMap<>();
        DeploymentWatcher.Stats watcher;
        double peakAllPerVirtualSecond;       // busiest 1-virtual-second window, all operations
        double peakDsdPerVirtualSecond;       // the same, DescribeServiceDeployments only
        double peakStartPerVirtualSecond;     // the same, operations of the start path only (START_PATH)
        double peakDsdPerVirtualMinute;       // busiest 60-virtual-second window, DSD, as req/s
        double meanDsdPerVirtualSecond;
        double peakAllPerRealSecond;          // busiest real second, all operations
        final List<Long> decideMillis = new ArrayList<>();
        final List<Double> offerVirtualSeconds = new ArrayList<>();
        final List<Double> pollWaitVirtualSeconds = new ArrayList<>();
        final List<Double> decideQueuedMillis = new ArrayList<>();
        final List<Double> continueRoundTripMillis = new ArrayList<>();
        final List<Double> dsdRoundTripMillis = new ArrayList<>();
        int peakEngineThreads;
        int peakJvmThreads;
        double heapKibPerFollowed;
        double retainedKibPerFinished;
        double simulatorKibPerDeployment;
        int followedAtHeapSample;
        long events;
        String loadAverage = "";
        long gcMillis;
        long gcCount;
        long jitMillis;
        final List<String> anomalies = new ArrayList<>();

        Run(int n, double throttleRate, double speed) {
            this.n = n;
            this.throttleRate = throttleRate;
            this.speed = speed;
        }

        int roundLimit() {
            return (n + DeploymentWatcher.BATCH - 1) / DeploymentWatcher.BATCH;
        }

        double perDeployment(String op) {
            return simCounts.getOrDefault(op, 0L) / (double) n;
        }

        double allCallsPerDeployment() {
            return simCounts.values().stream().mapToLong(Long::longValue).sum() / (double) n;
        }

        Run execute() throws Exception {
            String load0 = loadAverage();
            long[] gc0 = gcTotals();
            long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            VirtualClock clock = VirtualClock.scaled(Instant.parse("2026-11-22T00:00:00Z"), speed);
            ScheduledExecutorService exec = SystemScheduler.newDaemonExecutor("bench-scheduler");
            ScheduledExecutorService sampler = SystemScheduler.newDaemonExecutor("bench-sampler");
            try (EcsSimulator sim = EcsSimulator.builder().clock(clock).tick(Duration.ofMillis(2)).build().start()) {
                // Stages of a virtual minute or more, as in ECS (and as in the engine's end-to-end tests).
                sim.scenario().minimumStageDuration(Duration.ofMinutes(1)).trafficShift(Duration.ofMinutes(1))
                        .defaultTaskStart(Duration.ofMinutes(1)).pendingDelay(Duration.ofMinutes(1));
                List<DeploymentRequest> reqs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    var s = sim.seed().loadBalancedService("bench", "svc" + i, 2, LoadBalancerType.ALB);
                    reqs.add(DeploymentRequest.builder().region("us-east-1").cluster(s.clusterName())
                            .service(s.serviceName())
                            .revision(new RevisionSource.ImageOverrides(Map.of("web", "registry/web:2")))
                            .strategy(new Strategy.Canary(CANARY_PERCENT, CANARY_BAKE_MINUTES, BAKE_MINUTES))
                            .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", GATE_TIMEOUT_MINUTES, HookAction.ROLLBACK))
                            .build());
                }
                if (throttleRate > 0) {
                    sim.faults().throttleRate(DSD, throttleRate);
                }
                sim.stats().reset();
                long heap0 = heapAfterGc();

                // The engine's default configuration; only the clock and the endpoint differ from production.
                EngineConfig config = EngineConfig.builder().region("us-east-1").endpointOverride(sim.endpoint())
                        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                        .scheduler(new ScaledScheduler(clock, speed, exec)).build();
                // The same HTTP client and retry/timeouts as AwsClients.create, with the SDK's backoff scaled to the
                // virtual clock (scaledRetries), plus an interceptor that stamps every attempt with the virtual and real
                // time (request rates, round trips, which poll saw a gate) and counts refused attempts (the storm).
                ConcurrentLinkedQueue<long[]> stamps = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<Double> dsdRoundTrip = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<Double> continueRoundTrip = new ConcurrentLinkedQueue<>();
                Map<String, Instant> lastSent = new ConcurrentHashMap<>();
                Map<String, Long> continueSent = new ConcurrentHashMap<>();
                Instant v0 = clock.instant();
                long r0 = System.nanoTime();
                ExecutionInterceptor recorder = new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
                        count(executions, a);
                    }

                    @Override
                    public void beforeTransmission(Context.BeforeTransmission c, ExecutionAttributes a) {
                        count(attempts, a);
                        long nowNanos = System.nanoTime();
                        a.putAttribute(SENT, nowNanos);
                        if (c.request() instanceof ContinueServiceDeploymentRequest cr) {
                            continueSent.put(cr.hookId(), nowNanos);
                        }
                        String op = a.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                        boolean dsd = DSD.equals(op);
                        long v = Duration.between(v0, clock.instant()).toNanos();
                        stamps.add(new long[] {v, System.nanoTime() - r0, dsd ? 1 : START_PATH.contains(op) ? 2 : 0});
                        if (c.request() instanceof DescribeServiceDeploymentsRequest d) {
                            for (String arn : d.serviceDeploymentArns()) {
                                lastSent.put(arn, v0.plusNanos(v)); // a retry overwrites: its answer is the one used
                            }
                        }
                    }

                    @Override
                    public void afterTransmission(Context.AfterTransmission c, ExecutionAttributes a) {
                        if (c.httpResponse().statusCode() >= 400) {
                            count(refusedAttempts, a);
                        }
                        Long sent = a.getAttribute(SENT);
                        String op = a.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                        if (sent != null && (DSD.equals(op) || CONTINUE.equals(op))) {
                            (DSD.equals(op) ? dsdRoundTrip : continueRoundTrip).add((System.nanoTime() - sent) / 1e6);
                        }
                    }
                };
                SdkHttpClient http = Apache5HttpClient.builder().maxConnections(Math.max(8, config.ioThreads() * 2))
                        .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(config.apiCallAttemptTimeout()).build();
                EcsClient ecs = EcsClient.builder().region(Region.US_EAST_1).httpClient(http)
                        .credentialsProvider(config.credentials()).endpointOverride(sim.endpoint())
                        .overrideConfiguration(scaledRetries(AwsClients.overrideConfiguration(config), config, speed)
                                .addExecutionInterceptor(recorder).build())
                        .build();

                Map<String, AtomicInteger> offers = new ConcurrentHashMap<>();
                ConcurrentLinkedQueue<Long> decide = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<Double> decideQueued = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<Double> offer = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<Double> pollWait = new ConcurrentLinkedQueue<>();
                ConcurrentLinkedQueue<String> decisionProblems = new ConcurrentLinkedQueue<>();
                CountDownLatch allDecided = new CountDownLatch(n);
                AtomicLong eventCount = new AtomicLong();
                AtomicInteger peakEngine = new AtomicInteger();
                AtomicInteger peakJvm = new AtomicInteger();
                List<Double> durationsHours = new ArrayList<>();
                List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
                DeploymentEngine engine = new DeploymentEngine(config, ecs);
                var sampling = sampler.scheduleAtFixedRate(() -> {
                    peakJvm.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
                    int e = (int) Thread.getAllStackTraces().keySet().stream()
                            .filter(t -> t.isAlive() && t.getName().startsWith("ecs-deploy-")).count();
                    peakEngine.accumulateAndGet(e, Math::max);
                }, 0, 250, TimeUnit.MILLISECONDS);
                long heap1;
                long heap2;
                try {
                    for (DeploymentRequest r : reqs) {
                        outcomes.add(engine.start(r).thenCompose(h -> {
                            Instant followedFrom = clock.instant();
                            return engine.follow(h, (e, s) -> eventCount.incrementAndGet(), g -> {
                                // How long the hook had been AWAITING_ACTION when offered: ECS sets expiresAt =
                                // stage entry (= when the PAUSE hook started awaiting) + timeout.
                                Instant since = g.expiresAt().minus(Duration.ofMinutes(GATE_TIMEOUT_MINUTES));
                                Instant now = clock.instant();
                                offer.add(Duration.between(since, now).toMillis() / 1000.0);
                                // Split: until the DescribeServiceDeployments whose answer showed the hook was sent
                                // (the cadence's part) and from then to this call (round trip + processing, real
                                // time × speed).
                                Instant sent = lastSent.get(g.deployment().deploymentArn());
                                if (sent != null) {
                                    pollWait.add(Math.max(0, Duration.between(since, sent).toMillis()) / 1000.0);
                                }
                                if (offers.computeIfAbsent(g.hookId(), k -> new AtomicInteger()).incrementAndGet() > 1) {
                                    decisionProblems.add("hook " + g.hookId() + " offered twice");
                                }
                                long d0 = System.nanoTime();
                                engine.decide(g.deployment(), g.hookId(), new GateDecision(decision, "bench", null))
                                        .whenComplete((res, err) -> {
                                            if (res == DecisionResult.APPLIED) {
                                                decide.add((System.nanoTime() - d0) / 1_000_000);
                                                Long sentAt = continueSent.get(g.hookId());
                                                if (sentAt != null) {
                                                    decideQueued.add((sentAt - d0) / 1e6);
                                                }
                                            } else {
                                                decisionProblems.add("decide on " + g.hookId() + ": " + (err != null ? err : res));
                                            }
                                            allDecided.countDown();
                                        });
                            }).outcome().thenApply(o -> {
                                synchronized (durationsHours) {
                                    durationsHours.add(Duration.between(followedFrom, clock.instant()).toMillis() / 3.6e6);
                                }
                                return o;
                            });
                        }));
                    }
                    // Heap while every deployment is being followed: right after the last gate was answered (the
                    // deployments are then in their canary/final bakes).
                    if (!allDecided.await(3, TimeUnit.MINUTES)) {
                        anomalies.add("not all gates were decided within 3 real minutes: " + allDecided.getCount() + " left");
                    }
                    followedAtHeapSample = engine.watcher().stats().followed();
                    heap1 = heapAfterGc();
                    List<String> failures = new ArrayList<>();
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5); // for all of them together
                    for (CompletableFuture<Outcome> f : outcomes) {
                        Outcome o;
                        try {
                            o = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        } catch (Exception e) {
                            failures.add(String.valueOf(e));
                            continue;
                        }
                        if (o.kind() != OutcomeKind.SUCCEEDED) {
                            failures.add(o.describe());
                        }
                    }
                    wallSeconds = (System.nanoTime() - r0) / 1e9;
                    long[] gc1 = gcTotals(); // before the benchmark's own System.gc() calls below
                    gcCount = gc1[0] - gc0[0];
                    gcMillis = gc1[1] - gc0[1];
                    jitMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0;
                    virtualMinutes = Duration.between(v0, clock.instant()).toMillis() / 60_000.0;
                    if (!failures.isEmpty()) {
                        throw new IllegalStateException(failures.size() + " of " + n + " deployments did not end SUCCEEDED"
                                + (throttleRate > 0 ? " (throttling storm)" : "") + "; first: " + failures.get(0)
                                + " — a benchmark of broken behaviour is worthless");
                    }
                    simCounts = new TreeMap<>(sim.stats().counts());
                    watcher = engine.watcher().stats();
                    heap2 = heapAfterGc(); // all finished, engine still open
                } finally {
                    sampling.cancel(false);
                    engine.close();
                    ecs.close();
                    http.close();
                }
                outcomes.clear();
                long heap3 = heapAfterGc(); // engine gone, the simulator's state of the N deployments remains
                heapKibPerFollowed = (heap1 - heap3) / 1024.0 / Math.max(1, followedAtHeapSample);
                retainedKibPerFinished = (heap2 - heap3) / 1024.0 / n;
                simulatorKibPerDeployment = (heap3 - heap0) / 1024.0 / n;
                peakEngineThreads = peakEngine.get();
                peakJvmThreads = peakJvm.get();
                events = eventCount.get();
                deploymentHours = durationsHours.stream().mapToDouble(Double::doubleValue).sum();
                decideMillis.addAll(decide);
                decideMillis.sort(Comparator.naturalOrder());
                offerVirtualSeconds.addAll(offer);
                offerVirtualSeconds.sort(Comparator.naturalOrder());
                pollWaitVirtualSeconds.addAll(pollWait);
                decideQueuedMillis.addAll(decideQueued);
                decideQueuedMillis.sort(Comparator.naturalOrder());
                continueRoundTripMillis.addAll(continueRoundTrip);
                continueRoundTripMillis.sort(Comparator.naturalOrder());
                dsdRoundTripMillis.addAll(dsdRoundTrip);
                dsdRoundTripMillis.sort(Comparator.naturalOrder());
                pollWaitVirtualSeconds.sort(Comparator.naturalOrder());
                anomalies.addAll(decisionProblems);
                if (decideMillis.size() != n) {
                    anomalies.add(decideMillis.size() + " of " + n + " decisions APPLIED");
                }
                if (watcher.maxCallsInOneRound() > roundLimit()) {
                    anomalies.add("a poll round made " + watcher.maxCallsInOneRound() + " DescribeServiceDeployments calls; "
                            + "limit ceil(N/20) = " + roundLimit());
                }
                rates(new ArrayList<>(stamps));
            } finally {
                exec.shutdownNow();
                sampler.shutdownNow();
            }
            loadAverage = load0 + " → " + loadAverage();
            return this;
        }

        private static void count(Map<String, AtomicLong> m, ExecutionAttributes a) {
            String op = a.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            m.computeIfAbsent(op == null ? "?" : op, k -> new AtomicLong()).incrementAndGet();
        }

        /**
         * Operations only the start path makes (DescribeServiceRevisions is left out: the watcher makes it too;
         * DescribeServiceDeployments too).
         */
        static final java.util.Set<String> START_PATH = java.util.Set.of("DescribeServices", "DescribeTaskDefinition",
                "ListServiceDeployments", "RegisterTaskDefinition", "UpdateService");

        /** Busiest windows, from the per-attempt stamps {virtual ns, real ns, 1 = DSD / 2 = start path / 0}. */
        private void rates(List<long[]> s) {
            long[] vAll = s.stream().mapToLong(x -> x[0]).sorted().toArray();
            long[] vDsd = s.stream().filter(x -> x[2] == 1).mapToLong(x -> x[0]).sorted().toArray();
            long[] rAll = s.stream().mapToLong(x -> x[1]).sorted().toArray();
            peakAllPerVirtualSecond = maxInWindow(vAll, 1_000_000_000L);
            peakStartPerVirtualSecond = maxInWindow(s.stream().filter(x -> x[2] == 2).mapToLong(x -> x[0]).sorted()
                    .toArray(), 1_000_000_000L);
            peakDsdPerVirtualSecond = maxInWindow(vDsd, 1_000_000_000L);
            peakDsdPerVirtualMinute = maxInWindow(vDsd, 60_000_000_000L) / 60.0;
            meanDsdPerVirtualSecond = vDsd.length / Math.max(1e-9, virtualMinutes * 60);
            peakAllPerRealSecond = maxInWindow(rAll, 1_000_000_000L);
        }

        static int maxInWindow(long[] sorted, long window) {
            int best = 0;
            int i = 0;
            for (int j = 0; j < sorted.length; j++) {
                while (sorted[j] - sorted[i] >= window) {
                    i++;
                }
                best = Math.max(best, j - i + 1);
            }
            return best;
        }
    }

    /**
     * The engine's retry policy with the SDK's backoff delays divided by the clock speed. The SDK sleeps between
     * attempts in real time (standard mode: full-jitter exponential, base 100 ms, 1 s after a throttling error, at most
     * 20 s); at 300x one such second would be 5 virtual minutes, during which the watcher's round (which waits for all
     * of its calls) stands still. Scaled, a retry waits the same virtual time it would wait in production — as the
     * {@link ScaledScheduler} does for the engine's own waits. Attempts, timeouts and everything else are unchanged.
     */
    static ClientOverrideConfiguration.Builder scaledRetries(ClientOverrideConfiguration c, EngineConfig config,
                                                            double speed) {
        RetryStrategy engines = c.retryStrategy().orElseThrow();
        RetryStrategy scaled = engines.toBuilder()
                .backoffStrategy(BackoffStrategy.exponentialDelay(scale(Duration.ofMillis(100), speed),
                        scale(Duration.ofSeconds(20), speed)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(scale(Duration.ofSeconds(1), speed),
                        scale(Duration.ofSeconds(20), speed)))
                .maxAttempts(config.maxAttempts())
                .build();
        return c.toBuilder().retryStrategy(scaled);
    }

    static Duration scale(Duration d, double speed) {
        return Duration.ofNanos(Math.max(1, (long) (d.toNanos() / speed)));
    }

    /** {collections, milliseconds} over all collectors (includes the benchmark's own System.gc() before the run). */
    static long[] gcTotals() {
        long n = 0;
        long ms = 0;
        for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
            ms += Math.max(0, b.getCollectionTime());
        }
        return new long[] {n, ms};
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(50); // benchmark only: let reference processing finish between collections
        }
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(); // at once: no new garbage yet
    }

    /** The commit and whether the engine's sources differ from it (the engine may be edited while we measure). */
    static String sourceState() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String head = new String(p.getInputStream().readAllBytes()).trim();
            Process q = new ProcessBuilder("git", "status", "--porcelain", "--", "engine/src/main").redirectErrorStream(true)
                    .start();
            long dirty = new String(q.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).count();
            return "commit " + head + (dirty == 0 ? "" : " + " + dirty + " uncommitted engine source file(s)");
        } catch (IOException | RuntimeException e) {
            return "git state unknown";
        }
    }

    static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return p[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    static double pctD(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    /** The results as Markdown: median over the repetitions, with the range (min–max) in brackets. */
    static final class Report {
        static String markdown(List<Run> runs, int reps, double speed, String started, String source,
                               double totalSeconds) {
            StringBuilder b = new StringBuilder();
            Runtime rt = Runtime.getRuntime();
            b.append("# Engine benchmark results\n\n");
            b.append(String.format(Locale.ROOT, "Started %s UTC; %.0f s real in total (with an unreported warm-up run of " + warmUp + " deployments). "
                            + "JVM: %s %s (%s), %d processors available, max heap %d MiB. OS: %s %s. Clock: %.0fx "
                            + "(1 virtual minute = %.2f s real). Each row: median of %d runs [min–max].%n%n",
                    started, totalSeconds, System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                    System.getProperty("java.vm.vendor"), rt.availableProcessors(), rt.maxMemory() >> 20,
                    System.getProperty("os.name"), System.getProperty("os.version"), speed, 60 / speed, reps));
            b.append("Source when the run started: ").append(source).append(".\n\n");
            b.append("Workload per deployment: CANARY ").append(CANARY_PERCENT).append(" %, canary bake ")
                    .append(CANARY_BAKE_MINUTES).append(" min, final bake ").append(BAKE_MINUTES)
                    .append(" min, 2 tasks, ALB; one gate at POST_TEST_TRAFFIC_SHIFT answered CONTINUE by the gate handler "
                            + "at once. Engine: default EngineConfig (poll floor 5 s, ceiling 60 s, jitter 10 %, 4 I/O "
                            + "threads, 8 SDK attempts); the SDK's retry backoff is divided by the clock speed, like "
                            + "the engine's own waits (see scaledRetries). Simulator: stages of at least 1 virtual "
                            + "minute, ticks every 2 ms real.\n\n");
            Map<String, List<Run>> groups = new LinkedHashMap<>();
            for (Run r : runs) {
                groups.computeIfAbsent((r.throttleRate > 0 ? "storm " : "") + r.n, k -> new ArrayList<>()).add(r);
            }

            b.append("## ECS calls\n\n");
            b.append("| N | wall s (real) | virtual min | DSD calls / deployment | all calls / deployment | DSD / deployment-hour"
                    + " | all calls / deployment-hour | max DSD calls in one round (limit ⌈N/20⌉) | ARNs per DSD call"
                    + " | peak req/s, busiest virtual s (all / DSD / start path) | DSD req/s, busiest virtual min | DSD req/s, mean"
                    + " | peak req/s, busiest real s |\n");
            b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (var g : groups.entrySet()) {
                List<Run> l = g.getValue();
                b.append("| ").append(g.getKey())
                        .append(" | ").append(m(l, r -> r.wallSeconds, 1))
                        .append(" | ").append(m(l, r -> r.virtualMinutes, 0))
                        .append(" | ").append(m(l, r -> r.perDeployment(DSD), 1))
                        .append(" | ").append(m(l, Run::allCallsPerDeployment, 1))
                        .append(" | ").append(m(l, r -> r.simCounts.getOrDefault(DSD, 0L) / r.deploymentHours, 1))
                        .append(" | ").append(m(l, r -> r.simCounts.values().stream().mapToLong(Long::longValue).sum()
                                / r.deploymentHours, 1))
                        .append(" | ").append(m(l, r -> r.watcher.maxCallsInOneRound(), 0)).append(" (")
                        .append(l.get(0).roundLimit()).append(")")
                        .append(" | ").append(m(l, r -> r.watcher.describedArns() / (double) r.watcher.describeCalls(), 1))
                        .append(" | ").append(m(l, r -> r.peakAllPerVirtualSecond, 0)).append(" / ")
                        .append(m(l, r -> r.peakDsdPerVirtualSecond, 0)).append(" / ")
                        .append(m(l, r -> r.peakStartPerVirtualSecond, 0))
                        .append(" | ").append(m(l, r -> r.peakDsdPerVirtualMinute, 2))
                        .append(" | ").append(m(l, r -> r.meanDsdPerVirtualSecond, 2))
                        .append(" | ").append(m(l, r -> r.peakAllPerRealSecond, 0))
                        .append(" |\n");
            }
            b.append("\nCalls per deployment by operation (median; simulator's counts, throttled calls included):\n\n");
            for (var g : groups.entrySet()) {
                Map<String, List<Double>> ops = new TreeMap<>();
                for (Run r : g.getValue()) {
                    for (var e : r.simCounts.entrySet()) {
                        ops.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue() / (double) r.n);
                    }
                }
                b.append("* N = ").append(g.getKey()).append(": ");
                List<String> parts = new ArrayList<>();
                for (var e : ops.entrySet()) {
                    parts.add(e.getKey() + " " + fmt(median(e.getValue()), 2));
                }
                b.append(String.join(", ", parts)).append("\n");
            }

            b.append("\n## Latency, threads, heap\n\n");
            b.append("| N | decide→Continue p50 / p95 / max (real ms) | of which queued before the call was sent, p50 / p95"
                    + " (ms) | ContinueServiceDeployment round trip p50 / p95 (ms) | DSD round trip p50 / p95 (ms)"
                    + " | awaiting→offered p50 / p95 / max (virtual s)"
                    + " | of which until the poll was sent, p50 / p95 / max (virtual s) | engine threads (ecs-deploy-*), peak | JVM threads, peak | heap per followed deployment (KiB)"
                    + " | heap kept per finished deployment (KiB) | simulator's heap per deployment (KiB) |\n");
            b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (var g : groups.entrySet()) {
                List<Run> l = g.getValue();
                b.append("| ").append(g.getKey())
                        .append(" | ").append(m(l, r -> pct(r.decideMillis, 50), 0)).append(" / ")
                        .append(m(l, r -> pct(r.decideMillis, 95), 0)).append(" / ")
                        .append(m(l, r -> pct(r.decideMillis, 100), 0))
                        .append(" | ").append(m(l, r -> pctD(r.decideQueuedMillis, 50), 0)).append(" / ")
                        .append(m(l, r -> pctD(r.decideQueuedMillis, 95), 0))
                        .append(" | ").append(m(l, r -> pctD(r.continueRoundTripMillis, 50), 1)).append(" / ")
                        .append(m(l, r -> pctD(r.continueRoundTripMillis, 95), 1))
                        .append(" | ").append(m(l, r -> pctD(r.dsdRoundTripMillis, 50), 1)).append(" / ")
                        .append(m(l, r -> pctD(r.dsdRoundTripMillis, 95), 1))
                        .append(" | ").append(m(l, r -> pctD(r.offerVirtualSeconds, 50), 1)).append(" / ")
                        .append(m(l, r -> pctD(r.offerVirtualSeconds, 95), 1)).append(" / ")
                        .append(m(l, r -> pctD(r.offerVirtualSeconds, 100), 1))
                        .append(" | ").append(m(l, r -> pctD(r.pollWaitVirtualSeconds, 50), 1)).append(" / ")
                        .append(m(l, r -> pctD(r.pollWaitVirtualSeconds, 95), 1)).append(" / ")
                        .append(m(l, r -> pctD(r.pollWaitVirtualSeconds, 100), 1))
                        .append(" | ").append(m(l, r -> r.peakEngineThreads, 0))
                        .append(" | ").append(m(l, r -> r.peakJvmThreads, 0))
                        .append(" | ").append(m(l, r -> r.heapKibPerFollowed, 1))
                        .append(" | ").append(m(l, r -> r.retainedKibPerFinished, 1))
                        .append(" | ").append(m(l, r -> r.simulatorKibPerDeployment, 1))
                        .append(" |\n");
            }

            b.append("\n## Throttling storm (").append((int) (STORM_RATE * 100))
                    .append(" % of DescribeServiceDeployments answered ThrottlingException)\n\n");
            b.append("| N | succeeded | DSD calls at the simulator / deployment | of which throttled | SDK executions of DSD"
                    + " / deployment | watcher calls failed after the SDK's retries | DSD calls vs. the same N without"
                    + " storm | wall s (real) | virtual min |\n");
            b.append("|---|---|---|---|---|---|---|---|---|\n");
            for (var g : groups.entrySet()) {
                List<Run> l = g.getValue();
                List<Run> base = groups.get(String.valueOf(l.get(0).n));
                String vs = "—";
                if (l.get(0).throttleRate > 0 && base != null) {
                    double a = median(l.stream().map(r -> r.perDeployment(DSD)).toList());
                    double c = median(base.stream().map(r -> r.perDeployment(DSD)).toList());
                    vs = String.format(Locale.ROOT, "%+.0f %%", (a / c - 1) * 100);
                }
                b.append("| ").append(g.getKey())
                        .append(" | ").append(l.size() * l.get(0).n).append("/").append(l.size() * l.get(0).n)
                        .append(" | ").append(m(l, r -> r.perDeployment(DSD), 1))
                        .append(" | ").append(m(l, r -> get(r.refusedAttempts, DSD) / (double) r.n, 1))
                        .append(" | ").append(m(l, r -> get(r.executions, DSD) / (double) r.n, 1))
                        .append(" | ").append(m(l, r -> r.watcher.throttledCalls() + r.watcher.failedCalls(), 0))
                        .append(" | ").append(vs)
                        .append(" | ").append(m(l, r -> r.wallSeconds, 1))
                        .append(" | ").append(m(l, r -> r.virtualMinutes, 0))
                        .append(" |\n");
            }

            b.append("\n## Per run\n\n| rep | N | wall s | load avg (1 min) before → after | GC: collections / ms"
                    + " (incl. the heap samples) | JIT compile ms | watcher rounds / DSD calls / ARNs described"
                    + " | events delivered | anomalies |\n|---|---|---|---|---|---|---|---|---|\n");
            int i = 0;
            for (Run r : runs) {
                b.append("| ").append(++i).append(" | ").append(r.throttleRate > 0 ? "storm " : "").append(r.n)
                        .append(" | ").append(fmt(r.wallSeconds, 1)).append(" | ").append(r.loadAverage)
                        .append(" | ").append(r.gcCount).append(" / ").append(r.gcMillis)
                        .append(" | ").append(r.jitMillis)
                        .append(" | ").append(r.watcher.rounds()).append(" / ").append(r.watcher.describeCalls())
                        .append(" / ").append(r.watcher.describedArns()).append(" | ").append(r.events)
                        .append(" | ").append(r.anomalies.isEmpty() ? "none" : String.join("; ", r.anomalies))
                        .append(" |\n");
            }
            return b.toString();
        }

        static long get(Map<String, AtomicLong> m, String k) {
            AtomicLong v = m.get(k);
            return v == null ? 0 : v.get();
        }

        /** "median [min–max]" of one metric over the runs of a group. */
        static String m(Collection<Run> runs, ToDoubleFunction<Run> f, int decimals) {
            List<Double> v = runs.stream().mapToDouble(f).sorted().boxed().toList();
            if (v.size() == 1) {
                return fmt(v.get(0), decimals);
            }
            return fmt(median(v), decimals) + " [" + fmt(v.get(0), decimals) + "–" + fmt(v.get(v.size() - 1), decimals) + "]";
        }

        static double median(List<Double> v) {
            List<Double> s = v.stream().sorted().toList();
            int k = s.size();
            return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
        }

        static String fmt(double d, int decimals) {
            return String.format(Locale.ROOT, "%." + decimals + "f", d);
        }
    }

    private WatcherBenchmark() {}
}
