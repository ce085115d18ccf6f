package io.jenkins.plugins.ecsdeploy.engine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.SeededService;
import io.jenkins.plugins.ecsdeploy.simulator.StageVisit;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ContinueServiceDeploymentRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsRequest;

/**
 * One deterministic world for one follower and one N: the ECS simulator on a MANUAL virtual clock (time moves only
 * when the driver advances it; every scheduled task runs at its exact virtual instant, interleaved with the
 * simulator's own events), N load-balanced services whose deployments start spread over {@link #START_SPREAD}, and an
 * SDK {@link EcsClient} whose HTTP layer calls the simulator in-process (the SDK marshals and unmarshals as over the
 * wire; no socket, no thread). A counting interceptor records every call in virtual time. So every delay measured here
 * is virtual time and every count is exact: neither depends on how fast or how loaded the machine is.
 */
final class BenchWorld implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-12-02T00:00:00Z");
    /** Deployments start spread uniformly over this window (pipelines do not all start in one second). */
    static final Duration START_SPREAD = Duration.ofMinutes(15);
    static final ObjectMapper JSON = new ObjectMapper();

    /** The three strategies of the mix: name, share, deploymentConfiguration JSON, the gate stage, gates expected. */
    record Kind(String name, double share, String configuration, String gateStage, int gates) {}

    static final String PAUSE = "\"lifecycleHooks\":[{\"targetType\":\"PAUSE\",\"lifecycleStages\":[\"%s\"],"
            + "\"timeoutConfiguration\":{\"timeoutInMinutes\":1440,\"action\":\"ROLLBACK\"}}]";
    static final List<Kind> MIX = List.of(
            new Kind("CANARY", 0.4, "{\"strategy\":\"CANARY\",\"bakeTimeInMinutes\":20,\"canaryConfiguration\":"
                    + "{\"canaryPercent\":10.0,\"canaryBakeTimeInMinutes\":10}," + PAUSE.formatted("POST_TEST_TRAFFIC_SHIFT")
                    + "}", "POST_TEST_TRAFFIC_SHIFT", 1),
            new Kind("LINEAR", 0.3, "{\"strategy\":\"LINEAR\",\"bakeTimeInMinutes\":15,\"linearConfiguration\":"
                    + "{\"stepPercent\":25.0,\"stepBakeTimeInMinutes\":5}," + PAUSE.formatted("PRE_PRODUCTION_TRAFFIC_SHIFT")
                    + "}", "PRE_PRODUCTION_TRAFFIC_SHIFT", 4),
            new Kind("BLUE_GREEN", 0.3, "{\"strategy\":\"BLUE_GREEN\",\"bakeTimeInMinutes\":15,"
                    + PAUSE.formatted("POST_TEST_TRAFFIC_SHIFT") + "}", "POST_TEST_TRAFFIC_SHIFT", 1));

    final VirtualClock clock = VirtualClock.manual(T0);
    final EcsSimulator sim;
    final EcsClient ecs;
    final Scheduler scheduler;
    final Calls calls = new Calls();
    final List<Dep> deps = new ArrayList<>();
    final Map<String, Dep> byArn = new ConcurrentHashMap<>();

    /** One deployment of the run. */
    static final class Dep {
        final int index;
        final Kind kind;
        final String cluster;
        final String service;
        final String taskDefinition;
        final Instant startAt;
        String arn;
        /** Virtual times (ms since T0) of the DescribeServiceDeployments answers that carried this ARN. */
        long[] looks = new long[8];
        int lookCount;
        /** When the follower offered / saw each gate: hookId → virtual time. */
        final Map<String, Instant> gateSeen = new ConcurrentHashMap<>();

        Dep(int index, Kind kind, String cluster, String service, String taskDefinition, Instant startAt) {
            this.index = index;
            this.kind = kind;
            this.cluster = cluster;
            this.service = service;
            this.taskDefinition = taskDefinition;
            this.startAt = startAt;
        }

        synchronized void look(long at) {
            if (lookCount == looks.length) {
                looks = Arrays.copyOf(looks, looks.length * 2);
            }
            looks[lookCount++] = at;
        }

        /** The first look at or after {@code t} (ms since T0), or -1. */
        synchronized long firstLookFrom(long t) {
            int lo = 0;
            int hi = lookCount;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (looks[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < lookCount ? looks[lo] : -1;
        }
    }

    BenchWorld(int n, long seed) {
        this.sim = EcsSimulator.builder().clock(clock).randomSeed(seed).build().start();
        this.scheduler = new Scheduler() {
            @Override
            public Clock clock() {
                return clock;
            }

            @Override
            public io.jenkins.plugins.ecsdeploy.engine.time.Cancellable schedule(Duration delay, Runnable task) {
                VirtualClock.Timer t = clock.schedule(delay.isNegative() ? Duration.ZERO : delay, task);
                return t::cancel;
            }
        };
        this.ecs = EcsClient.builder().httpClient(new InProcess(sim)).endpointOverride(URI.create("http://ecs.in-process"))
                .region(Region.US_EAST_1).credentialsProvider(AnonymousCredentialsProvider.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(calls).retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            Kind k = pick(r.nextDouble());
            String service = "s" + i;
            SeededService s = sim.seed().loadBalancedService("bench", service, 2, LoadBalancerType.ALB);
            String td = sim.seed().taskDefinition(s.family(), "registry/web:2");
            Instant at = T0.plusMillis((long) (r.nextDouble() * START_SPREAD.toMillis()));
            deps.add(new Dep(i, k, s.clusterName(), s.serviceName(), td, at));
        }
        sim.stats().reset();
    }

    private static Kind pick(double x) {
        double acc = 0;
        for (Kind k : MIX) {
            acc += k.share();
            if (x < acc) {
                return k;
            }
        }
        return MIX.get(MIX.size() - 1);
    }

    /**
     * Schedules every deployment's start (UpdateService in-process, not counted: starting is not what is measured)
     * and hands it to {@code onStarted} at its start instant.
     */
    void scheduleStarts(java.util.function.Consumer<Dep> onStarted) {
        for (Dep d : deps) {
            clock.schedule(Duration.between(clock.instant(), d.startAt), () -> {
                ObjectNode req = JSON.createObjectNode();
                req.put("cluster", d.cluster).put("service", d.service).put("taskDefinition", d.taskDefinition);
                try {
                    req.set("deploymentConfiguration", JSON.readTree(d.kind.configuration()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                JsonNode out = sim.call("UpdateService", req);
                d.arn = out.path("service").path("currentServiceDeployment").asText(null);
                if (d.arn == null) {
                    throw new IllegalStateException("no deployment started for " + d.service + ": " + out);
                }
                byArn.put(d.arn, d);
                onStarted.accept(d);
            });
        }
    }

    /** Every deployment started and ended in ECS (whatever the follower thinks). */
    boolean allEndedInEcs() {
        for (Dep d : deps) {
            if (d.arn == null) {
                return false;
            }
            String s = sim.status(d.arn);
            if (!(s.equals("SUCCESSFUL") || s.equals("STOPPED") || s.startsWith("ROLLBACK_S") || s.equals("ROLLBACK_FAILED"))) {
                return false;
            }
        }
        return true;
    }

    List<StageVisit> stages(Dep d) {
        return sim.stageHistory(d.arn);
    }

    /** When ECS finished the deployment (its last status change). */
    Instant endedAt(Dep d) {
        var h = sim.statusHistory(d.arn);
        return h.get(h.size() - 1).at();
    }

    @Override
    public void close() {
        ecs.close();
        sim.close();
    }

    /** Counts every ECS call in virtual time: reads and writes per virtual second, and each DSD's ARNs as a look. */
    final class Calls implements ExecutionInterceptor {
        static final int SECONDS = 6 * 3600;
        final int[] readsPerSecond = new int[SECONDS];
        final int[] writesPerSecond = new int[SECONDS];
        final int[] dsdPerSecond = new int[SECONDS];
        final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();
        /** hookId → real nanos when ContinueServiceDeployment was answered (decide → API). */
        final Map<String, Long> continueAnsweredNanos = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution ctx, ExecutionAttributes attrs) {
            String op = attrs.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            byOperation.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
            long ms = Duration.between(T0, clock.instant()).toMillis();
            int sec = (int) Math.min(SECONDS - 1, ms / 1000);
            boolean read = op.startsWith("Describe") || op.startsWith("List");
            synchronized (this) {
                (read ? readsPerSecond : writesPerSecond)[sec]++;
                if (op.equals("DescribeServiceDeployments")) {
                    dsdPerSecond[sec]++;
                }
            }
            SdkRequest r = ctx.request();
            if (r instanceof DescribeServiceDeploymentsRequest dsd) {
                for (String arn : dsd.serviceDeploymentArns()) {
                    Dep d = byArn.get(arn);
                    if (d != null) {
                        d.look(ms);
                    }
                }
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution ctx, ExecutionAttributes attrs) {
            if (ctx.request() instanceof ContinueServiceDeploymentRequest c) {
                continueAnsweredNanos.putIfAbsent(c.hookId(), System.nanoTime());
            }
        }

        long count(String op) {
            AtomicLong c = byOperation.get(op);
            return c == null ? 0 : c.get();
        }
    }

    /** The SDK's HTTP layer, answered by the simulator in-process (EcsSimulator.call): same JSON, no socket. */
    static final class InProcess implements SdkHttpClient {
        private final EcsSimulator sim;

        InProcess(EcsSimulator sim) {
            this.sim = sim;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
                    String op = target.substring(target.indexOf('.') + 1);
                    byte[] in = new byte[0];
                    if (request.contentStreamProvider().isPresent()) {
                        try (InputStream s = request.contentStreamProvider().get().newStream()) {
                            in = s.readAllBytes();
                        }
                    }
                    int status = 200;
                    byte[] out;
                    try {
                        out = JSON.writeValueAsBytes(sim.call(op, in.length == 0 ? null : JSON.readTree(in)));
                    } catch (IllegalArgumentException e) { // "Type: message" (EcsSimulator.call)
                        String m = String.valueOf(e.getMessage());
                        int i = m.indexOf(": ");
                        ObjectNode err = JSON.createObjectNode();
                        err.put("__type", i < 0 ? "ClientException" : m.substring(0, i));
                        err.put("message", i < 0 ? m : m.substring(i + 2));
                        out = JSON.writeValueAsBytes(err);
                        status = 400;
                    }
                    SdkHttpFullResponse resp = SdkHttpFullResponse.builder().statusCode(status)
                            .putHeader("Content-Type", "application/x-amz-json-1.1")
                            .putHeader("Content-Length", String.valueOf(out.length))
                            .putHeader("x-amzn-RequestId", "in-process").build();
                    return HttpExecuteResponse.builder().response(resp)
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(out))).build();
                }

                @Override
                public void abort() {}
            };
        }

        @Override
        public String clientName() {
            return "in-process";
        }

        @Override
        public void close() {}
    }

    /** Helper for tests of the harness itself. */
    static Map<String, Long> counts(Calls c) {
        Map<String, Long> m = new HashMap<>();
        c.byOperation.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }
}
