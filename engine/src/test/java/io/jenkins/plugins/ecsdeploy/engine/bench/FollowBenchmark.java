package io.jenkins.plugins.ecsdeploy.engine.bench;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentWatcher;
import io.jenkins.plugins.ecsdeploy.simulator.StageVisit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Issue 12's benchmark: N = 10, 100, 1,000, 5,000 concurrent deployments (mixed strategies, realistic bakes, every
 * gate answered at once), followed side by side by our engine polling alone, our engine with events, and a naive
 * follower (one DescribeServiceDeployments per deployment every 10 s), against the floor N / (20 R) of a poller with
 * a budget of R calls per second. Deterministic virtual time (BenchWorld): delays are virtual seconds, counts exact.
 * Prints the table, writes it as Markdown and the SVG charts, and fails (exit 1) when a deployment does not end
 * SUCCEEDED or a gate is not offered exactly once. Not a test: run it as docs/performance.md says.
 */
public final class FollowBenchmark {
    static final double R = DeploymentWatcher.POLL_CALLS_PER_SECOND;
    /** The driver advances virtual time in steps this long; an event read by the consumer thread takes effect at the end of its step at the latest. */
    static final Duration STEP = Duration.ofMillis(100);
    static final Duration LIMIT = Duration.ofHours(5);

    /** What one follower did with one N. */
    static final class Row {
        String follower;
        int n;
        double deploymentHours;
        long dsdCalls;
        long readCalls;
        long writeCalls;
        int peakReadsSecond;
        int peakDsdSecond;
        double peakReadsMinute;
        int peakWritesSecond;
        List<Double> stageDelays = new ArrayList<>();
        /** Stage-change delays by stage name (for the table of where the time goes). */
        Map<String, List<Double>> stageDelaysByName = new java.util.TreeMap<>();
        List<Double> gateDelays = new ArrayList<>();
        List<Double> decideMs = new ArrayList<>();
        int jvmThreadsPeak;
        int engineThreadsPeak;
        double heapKiB = Double.NaN;
        long sqsCalls;
        double wallSeconds;
        double virtualMinutes;
        int gates;
        /** DescribeServiceDeployments calls per virtual minute, for the chart. */
        double[] readsPerMinute = new double[0];
        boolean floor;
        /** Engine rows: per deployment, events the plugin persists on, looks that brought one, final snapshot bytes. */
        double transitionsPerDeployment = Double.NaN;
        double transitionLooksPerDeployment = Double.NaN;
        double snapshotBytes = Double.NaN;
        /** Calls per deployment by operation, e.g. {DescribeServiceDeployments=4.1, ...}. */
        String callsByOperation = "";
        /** The floor's look interval N / (20 R), s. */
        double floorEvery;

        /** Stage-change delay percentile (s); the floor's is analytic: uniform from 0 to the look interval. */
        double stage(double p) {
            return floor ? floorEvery * p : pct(stageDelays, p);
        }

        double gate(double p) {
            return floor ? floorEvery * p : pct(gateDelays, p);
        }

        double per(long calls) {
            return calls / deploymentHours;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        List<Integer> sizes = new ArrayList<>();
        for (String s : o.getOrDefault("--sizes", "10,100,1000,5000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        long seed = Long.parseLong(o.getOrDefault("--seed", "42"));
        Path out = Path.of(o.getOrDefault("--out", "engine/target/follow-benchmark.md"));
        Path charts = Path.of(o.getOrDefault("--charts", "engine/target/follow-benchmark-charts"));
        List<Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Followers.DECISION = io.jenkins.plugins.ecsdeploy.engine.HookAction.valueOf(o.getOrDefault("--decision", "CONTINUE"));
        int warmup = Integer.parseInt(o.getOrDefault("--warmup", "0"));
        if (warmup > 0) {
            // unreported: lets the JIT compile the engine's and the SDK's paths before the first measured row, so its
            // real-millisecond column (decide → API) is not the cold JVM's
            Row w = run(warmup, Followers.names().get(0), seed + 1, failures);
            System.out.println("warm-up (not reported): " + line(w));
        }
        for (int n : sizes) {
            double heap = heapPerFollowedDeployment(n, seed);
            for (String f : Followers.names()) {
                if (!o.getOrDefault("--followers", "all").equals("all") && !f.contains(o.get("--followers"))) {
                    continue;
                }
                Row r = run(n, f, seed, failures);
                if (!f.startsWith("naive")) {
                    r.heapKiB = heap;
                }
                rows.add(r);
                System.out.println(line(r));
            }
            if (!rows.isEmpty()) {
                rows.add(floor(n, rows.get(rows.size() - 1)));
            }
        }
        String md = Report.markdown(rows, seed, failures);
        System.out.println(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md);
        Files.createDirectories(charts);
        Report.charts(rows, charts);
        System.out.println("wrote " + out + " and the charts in " + charts);
        if (!failures.isEmpty()) {
            System.err.println("BENCHMARK FAILED: " + failures.size() + " problem(s); first: " + failures.get(0));
            System.exit(1);
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("option expected, got '" + args[i] + "'; allowed: --sizes --seed --out --charts --followers --warmup --decision");
            }
            m.put(args[i], args[i + 1]);
        }
        return m;
    }

    static Row run(int n, String name, long seed, List<String> failures) throws Exception {
        long wall0 = System.nanoTime();
        try (BenchWorld w = new BenchWorld(n, seed)) {
            Followers.Follower f = name.startsWith("naive") ? new Followers.Naive(w)
                    : new Followers.Engine(w, name.contains("events"));
            try (f) {
                w.scheduleStarts(d -> f.start(w, d));
                Row r = new Row();
                r.follower = f.name();
                r.n = n;
                var threads = ManagementFactory.getThreadMXBean();
                threads.resetPeakThreadCount();
                long steps = 0;
                while (true) {
                    w.clock.advance(STEP);
                    f.quiesce();
                    if (++steps % 600 == 0) { // every virtual minute
                        r.engineThreadsPeak = Math.max(r.engineThreadsPeak, engineThreads());
                        if (f.done() && w.allEndedInEcs()) {
                            break;
                        }
                        if (Duration.between(BenchWorld.T0, w.clock.instant()).compareTo(LIMIT) > 0) {
                            failures.add(n + " / " + f.name() + ": not all deployments ended within " + LIMIT);
                            break;
                        }
                    }
                }
                r.jvmThreadsPeak = threads.getPeakThreadCount();
                String p = f.problem();
                if (p != null) {
                    failures.add(n + " / " + f.name() + ": " + p);
                }
                measure(w, f, r, failures);
                r.wallSeconds = (System.nanoTime() - wall0) / 1e9;
                return r;
            }
        }
    }

    static int engineThreads() {
        int c = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("ecs-deploy-")) {
                c++;
            }
        }
        return c;
    }

    static void measure(BenchWorld w, Followers.Follower f, Row r, List<String> failures) {
        Instant end = BenchWorld.T0;
        for (BenchWorld.Dep d : w.deps) {
            Instant e = w.endedAt(d);
            end = e.isAfter(end) ? e : end;
            r.deploymentHours += Duration.between(d.startAt, e).toMillis() / 3_600_000.0;
            stageDelays(w, d, r);
            gateDelays(w, d, r, f, failures);
        }
        r.virtualMinutes = Duration.between(BenchWorld.T0, end).toMillis() / 60_000.0;
        r.dsdCalls = w.calls.count("DescribeServiceDeployments");
        for (var e : w.calls.byOperation.entrySet()) {
            boolean read = e.getKey().startsWith("Describe") || e.getKey().startsWith("List");
            if (read) {
                r.readCalls += e.getValue().get();
            } else {
                r.writeCalls += e.getValue().get();
            }
        }
        int minutes = (int) Math.ceil(r.virtualMinutes) + 1;
        r.readsPerMinute = new double[minutes];
        for (int s = 0; s < BenchWorld.Calls.SECONDS; s++) {
            r.peakReadsSecond = Math.max(r.peakReadsSecond, w.calls.readsPerSecond[s]);
            r.peakDsdSecond = Math.max(r.peakDsdSecond, w.calls.dsdPerSecond[s]);
            r.peakWritesSecond = Math.max(r.peakWritesSecond, w.calls.writesPerSecond[s]);
            if (s / 60 < minutes) {
                r.readsPerMinute[s / 60] += w.calls.dsdPerSecond[s] / 60.0;
            }
        }
        for (double m : r.readsPerMinute) {
            r.peakReadsMinute = Math.max(r.peakReadsMinute, m);
        }
        r.decideMs = new ArrayList<>(f.decideMillis());
        java.util.Map<String, String> byOp = new java.util.TreeMap<>();
        w.calls.byOperation.forEach((k, v) -> byOp.put(k, Report.f(v.get() / (double) w.deps.size(), 2)));
        r.callsByOperation = byOp.toString();
        r.sqsCalls = f.sqsCalls();
        if (f instanceof Followers.Engine e) {
            r.transitionsPerDeployment = e.transitions.get() / (double) w.deps.size();
            r.transitionLooksPerDeployment = e.transitionLooks.get() / (double) w.deps.size();
            long bytes = 0;
            for (BenchWorld.Dep d : w.deps) {
                bytes += e.subs.get(d.arn).snapshot().toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            r.snapshotBytes = bytes / (double) w.deps.size();
        }
    }

    /** Each stage entered (rollbacks aside): virtual time from its start to the follower's first look after it. */
    static void stageDelays(BenchWorld w, BenchWorld.Dep d, Row r) {
        for (StageVisit v : w.stages(d)) {
            if (v.rollback()) {
                continue;
            }
            long at = Duration.between(BenchWorld.T0, v.enteredAt()).toMillis();
            long look = d.firstLookFrom(at);
            if (look >= 0) {
                r.stageDelays.add((look - at) / 1000.0);
                r.stageDelaysByName.computeIfAbsent(v.stage(), k -> new ArrayList<>()).add((look - at) / 1000.0);
            }
        }
    }

    /** Each gate: from the entry into its stage (ECS creates the PAUSE hook then) to the offer; exactly one offer each. */
    static void gateDelays(BenchWorld w, BenchWorld.Dep d, Row r, Followers.Follower f, List<String> failures) {
        List<Instant> entered = new ArrayList<>();
        for (StageVisit v : w.stages(d)) {
            if (!v.rollback() && v.stage().equals(d.kind.gateStage())) {
                entered.add(v.enteredAt());
            }
        }
        List<Instant> seen = new ArrayList<>(d.gateSeen.values());
        Collections.sort(seen);
        if (seen.size() != d.kind.gates() || entered.size() != d.kind.gates()) {
            failures.add(r.n + " / " + f.name() + ": " + d.arn + " (" + d.kind.name() + ") expected " + d.kind.gates()
                    + " gates, ECS had " + entered.size() + ", offered " + seen.size());
            return;
        }
        for (int i = 0; i < seen.size(); i++) {
            r.gateDelays.add(Duration.between(entered.get(i), seen.get(i)).toMillis() / 1000.0);
            r.gates++;
        }
    }

    /**
     * The floor for the same budget: a poller spending all of R calls per second, 20 deployments per call, looks at
     * each deployment every N / (20 R) s; a change waits uniformly 0 to that: p50 half of it, p99 0.99 of it.
     */
    static Row floor(int n, Row like) {
        Row f = new Row();
        f.floor = true;
        f.follower = "floor N / (20 R), R = " + (int) R;
        f.n = n;
        double every = n / (20 * R);
        f.deploymentHours = like.deploymentHours;
        f.floorEvery = every;
        // each deployment looked at every N/(20R) s, 20 per call: 3600 R / N calls per deployment-hour
        f.dsdCalls = Math.round(3600 * R / n * like.deploymentHours);
        f.readCalls = f.dsdCalls;
        f.peakReadsSecond = (int) R;
        f.peakDsdSecond = (int) R;
        f.peakReadsMinute = R;
        f.virtualMinutes = like.virtualMinutes;
        return f;
    }

    static String line(Row r) {
        return String.format(Locale.ROOT, "N=%d %-34s DSD/dep-h %.1f, peak DSD %d/s, stage p99 %.1f s, gate p50 %.1f p99 %.1f s, "
                        + "decide p99 %.1f ms, wall %.0f s", r.n, r.follower, r.per(r.dsdCalls), r.peakDsdSecond,
                r.stage(0.99), r.gate(0.5), r.gate(0.99), pct(r.decideMs, 0.99), r.wallSeconds);
    }

    static double pct(List<Double> v, double p) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int i = (int) Math.ceil(p * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }

    /**
     * Heap per followed deployment: N deployments followed by the engine for 20 virtual minutes (all started and in
     * progress), heap after full GC with the watcher holding them, minus the heap after the watcher and the
     * subscriptions are let go; divided by N. The simulator's state is in both figures and cancels out.
     */
    static double heapPerFollowedDeployment(int n, long seed) {
        try (BenchWorld w = new BenchWorld(n, seed)) {
            DeploymentWatcher watcher = new DeploymentWatcher(w.ecs, w.scheduler, Runnable::run,
                    EngineConfig.builder().region("us-east-1").scheduler(w.scheduler).build());
            List<Subscription> subs = new ArrayList<>();
            w.scheduleStarts(d -> subs.add(watcher.follow(DeploymentHandle.fromArn(d.arn), null, g -> { }, Map.of())));
            w.clock.advance(BenchWorld.START_SPREAD.plusMinutes(5));
            long h1 = usedAfterGc();
            watcher.close();
            subs.clear();
            long h2 = usedAfterGc();
            return (h1 - h2) / 1024.0 / n;
        }
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static <T> String fmt(List<T> v, Function<T, String> f) {
        List<String> s = new ArrayList<>();
        v.forEach(x -> s.add(f.apply(x)));
        return String.join(", ", s);
    }
}
