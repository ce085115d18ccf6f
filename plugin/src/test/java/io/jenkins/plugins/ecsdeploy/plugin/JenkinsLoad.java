package io.jenkins.plugins.ecsdeploy.plugin;

import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeJob;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeRun;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Jenkins side under load (issue 12 item 4, docs/performance.md "The Jenkins side"): N builds, each running one
 * deploy step (40 % canary, 30 % linear with a gate before every production shift, 30 % blue/green; all with
 * approval), against the simulator through the real steps, followers and actions of the stand-in harness. Every build
 * is held at its first gate until all N wait (the moment "N running builds" is measured: heap after a full GC, threads),
 * then every gate is approved as soon as it is offered, until all N end. Measured per build: build.xml writes
 * ({@code Run.save()}), the bytes of all those writes, the final build.xml. Fails (AssertionError) when a build does not
 * end SUCCEEDED.
 */
final class JenkinsLoad {
    /** What one run measured. */
    static final class Result {
        int builds;
        double speed;
        final Map<String, List<Integer>> writesByKind = new TreeMap<>();
        final List<Integer> writes = new ArrayList<>();
        final List<Long> bytesWritten = new ArrayList<>();
        final List<Integer> finalXml = new ArrayList<>();
        int gates;
        double heapKiBPerRunningBuild;
        int jvmThreadsAtGates;
        int jvmThreadsPeak;
        int engineThreadsAtGates;
        int pluginThreadsAtGates;
        int jvmThreadsBefore;
        double wallSeconds;
        double virtualMinutes;
        final List<String> failures = new ArrayList<>();
        /** The last build.xml of the first build (what a finished build shows without any AWS call). */
        String firstBuildXml;

        int maxWrites() {
            return writes.isEmpty() ? 0 : Collections.max(writes);
        }

        double meanWrites() {
            return writes.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
        }

        double meanKiBWritten() {
            return bytesWritten.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1024;
        }

        double maxKiBWritten() {
            return bytesWritten.isEmpty() ? Double.NaN : Collections.max(bytesWritten) / 1024.0;
        }

        double maxFinalKiB() {
            return finalXml.isEmpty() ? Double.NaN : Collections.max(finalXml) / 1024.0;
        }

        double meanFinalKiB() {
            return finalXml.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN) / 1024;
        }

        String markdown() {
            StringBuilder b = new StringBuilder();
            b.append("| builds (deployments) | speed | build.xml writes per deployment: mean / max | by strategy: mean / max | "
                    + "KiB written per deployment (all writes): mean / max | final build.xml KiB: mean / max | gates | "
                    + "heap per running build (KiB) | threads: JVM before / at N waiting / peak; ecs-deploy-* / plugin I/O at N waiting | "
                    + "virtual min | wall s |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            StringBuilder kinds = new StringBuilder();
            writesByKind.forEach((k, v) -> kinds.append(kinds.length() == 0 ? "" : "; ").append(k).append(' ')
                    .append(f(v.stream().mapToInt(Integer::intValue).average().orElse(0), 1)).append(" / ")
                    .append(Collections.max(v)));
            b.append(String.format(Locale.ROOT, "| %d | %.0f× | %s / %d | %s | %s / %s | %s / %s | %d | %s | %d / %d / %d; %d / %d | %s | %s |%n",
                    builds, speed, f(meanWrites(), 1), maxWrites(), kinds, f(meanKiBWritten(), 1), f(maxKiBWritten(), 1),
                    f(meanFinalKiB(), 1), f(maxFinalKiB(), 1), gates, f(heapKiBPerRunningBuild, 1), jvmThreadsBefore,
                    jvmThreadsAtGates, jvmThreadsPeak, engineThreadsAtGates, pluginThreadsAtGates, f(virtualMinutes, 0),
                    f(wallSeconds, 0)));
            return b.toString();
        }
    }

    static String f(double v, int digits) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static final class Build {
        final String kind;
        final FakeRun run;
        FakeStepContext ctx;

        Build(String kind, FakeRun run) {
            this.kind = kind;
            this.run = run;
        }

        EcsApprovalAction approvals() {
            return run.getAction(EcsApprovalAction.class);
        }

        boolean waiting() {
            EcsApprovalAction a = approvals();
            return a != null && !a.getWaitingGates().isEmpty();
        }
    }

    private JenkinsLoad() {}

    /**
     * The same run as {@code JenkinsLoadTest#manyConcurrentDeploymentsThroughTheSteps}, from a plain JVM:
     * {@code builds [speed [out.md]]}; exit code 1 when a build did not end SUCCEEDED.
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        double speed = args.length > 1 ? Double.parseDouble(args[1]) : 60;
        Result r;
        try (EcsSandbox sandbox = new EcsSandbox(speed)) {
            r = run(sandbox, n, null, 1800);
        }
        String md = r.markdown();
        System.out.println(md);
        if (args.length > 2) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(args[2]), md);
        }
        if (!r.failures.isEmpty()) {
            System.err.println("BENCHMARK FAILED: " + r.failures.size() + " of " + n + " builds; first: " + r.failures.get(0));
            System.exit(1);
        }
        System.exit(0);
    }

    /** The mix: 40 % canary, 30 % linear (4 gates), 30 % blue/green, by index so every run has the same builds. */
    static String kind(int i) {
        int m = i % 10;
        return m < 4 ? "CANARY" : m < 7 ? "LINEAR" : "BLUE_GREEN";
    }

    static Map<String, Object> args(String service, String kind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", "demo");
        m.put("service", service);
        m.put("region", EcsSandbox.REGION);
        m.put("image", "web=registry/web:2.0");
        m.put("approval", true);
        m.put("approvalTimeout", 600);
        m.put("bakeMinutes", 5);
        switch (kind) {
            case "CANARY" -> {
                m.put("canaryPercent", 10);
                m.put("canaryBakeMinutes", 2);
            }
            case "LINEAR" -> {
                m.put("stepPercent", 25);
                m.put("stepBakeMinutes", 1);
                m.put("approvalStage", "PRE_PRODUCTION_TRAFFIC_SHIFT");
            }
            default -> { }
        }
        return m;
    }

    static Class<? extends org.jenkinsci.plugins.workflow.steps.Step> step(String kind) {
        return switch (kind) {
            case "CANARY" -> EcsCanaryStep.class;
            case "LINEAR" -> EcsLinearStep.class;
            default -> EcsBlueGreenStep.class;
        };
    }

    /**
     * Runs {@code n} builds through {@code sandbox} (fresh, nothing else running) and measures them.
     *
     * @param kinds null: the mix of {@link #kind(int)}; else every build of this kind
     * @param realLimitSeconds real seconds before the run is given up (a failure, never a hang)
     */
    static Result run(EcsSandbox sandbox, int n, String kinds, long realLimitSeconds) throws Exception {
        Result r = new Result();
        r.builds = n;
        r.speed = sandbox.speed;
        long wall0 = System.nanoTime();
        long deadline = wall0 + realLimitSeconds * 1_000_000_000L;
        java.time.Instant v0 = sandbox.clock.instant();
        List<Build> builds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sandbox.sim.seed().loadBalancedService("demo", "svc" + i, 2, LoadBalancerType.ALB);
        }
        var threads = ManagementFactory.getThreadMXBean();
        r.jvmThreadsBefore = threads.getThreadCount();
        long h0 = usedAfterGc();
        threads.resetPeakThreadCount();
        for (int i = 0; i < n; i++) {
            String kind = kinds != null ? kinds : kind(i);
            Build b = new Build(kind, new FakeRun(new FakeJob("job" + i), 1));
            b.ctx = StepRunner.on(b.run).start(step(kind), args("svc" + i, kind));
            builds.add(b);
        }
        // hold every build at its first gate until all wait: N running builds
        while (true) {
            int ready = 0;
            for (Build b : builds) {
                if (b.ctx.isDone() || b.waiting()) {
                    ready++;
                }
            }
            if (ready == n) {
                break;
            }
            check(deadline, "all builds at their first gate (" + ready + " of " + n + ")");
            Thread.sleep(50); // the driver's own pace; what is measured does not depend on it
        }
        long h1 = usedAfterGc();
        r.jvmThreadsAtGates = threads.getThreadCount();
        r.engineThreadsAtGates = named("ecs-deploy-");
        r.pluginThreadsAtGates = named("Amazon ECS Deployments");
        // approve every gate as soon as it is offered, until all end
        SubmitterRules.Decider bench = new SubmitterRules.Decider("bench", "bench", List.of(), false, true);
        while (true) {
            int done = 0;
            for (Build b : builds) {
                if (b.ctx.isDone()) {
                    done++;
                    continue;
                }
                EcsApprovalAction a = b.approvals();
                if (a != null) {
                    for (GateRecord g : a.getWaitingGates()) {
                        EcsApprovalAction.Reply reply = a.decide(g.getHookId(), HookAction.CONTINUE, null, bench,
                                SubmitterRules.Ids.CASE_INSENSITIVE);
                        if (reply.status() == 200) {
                            r.gates++;
                        }
                    }
                }
            }
            if (done == n) {
                break;
            }
            check(deadline, "all builds to end (" + done + " of " + n + ")");
            Thread.sleep(20);
        }
        r.jvmThreadsPeak = threads.getPeakThreadCount();
        r.virtualMinutes = java.time.Duration.between(v0, sandbox.clock.instant()).toMillis() / 60_000.0;
        for (Build b : builds) {
            Object rv = b.ctx.failure() == null ? b.ctx.returnValue() : null;
            Object outcome = rv instanceof Map<?, ?> m ? m.get("outcome") : null;
            if (!"SUCCEEDED".equals(outcome)) {
                r.failures.add(b.run.getParent().getName() + " (" + b.kind + ") ended " + (b.ctx.failure() != null
                        ? "with " + b.ctx.failure() : outcome) + "; log:\n" + b.ctx.log());
            }
            // the follower writes the final record when ECS reports the end, which may come just after the step ended
            r.writes.add(b.run.saveCount());
            r.writesByKind.computeIfAbsent(b.kind, k -> new ArrayList<>()).add(b.run.saveCount());
            r.bytesWritten.add(b.run.bytesWritten());
            r.finalXml.add(b.run.buildXml() == null ? 0 : b.run.buildXml().getBytes(StandardCharsets.UTF_8).length);
            if (r.firstBuildXml == null) {
                r.firstBuildXml = b.run.buildXml();
            }
        }
        // heap per running build: (all N waiting) − (N services seeded, no build yet), ÷ N. An upper bound: it holds the
        // simulator's own state of each deployment (≈ 17 KiB in the engine's benchmark) and the harness's in-memory
        // console logs (Jenkins keeps those on disk). Letting go of the builds and comparing after the end does not
        // work here: the simulator's state of a finished deployment is larger than of a running one.
        r.heapKiBPerRunningBuild = (h1 - h0) / 1024.0 / n;
        r.wallSeconds = (System.nanoTime() - wall0) / 1e9;
        return r;
    }

    private static void check(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError("gave up waiting for " + what);
        }
    }

    static int named(String prefix) {
        int c = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                c++;
            }
        }
        return c;
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
