package io.jenkins.plugins.ecsdeploy.engine.analysis;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import io.jenkins.plugins.ecsdeploy.engine.internal.AwsClients;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The automated canary analysis of one engine (docs/analysis.md): wraps a caller's gate handler so the gates of an
 * {@link AnalysisDefinition} are measured and decided, runs every analysis on the engine's scheduler and I/O pool — no
 * thread per deployment or per gate — and sends their GetMetricData queries together ({@link MetricBatcher}). One
 * analysis per hookId, however many subscriptions offer the gate: a second handler for the same gate joins the first
 * (it is asked too when the result is inconclusive). The CloudWatch client is made on first use, with the engine's
 * HTTP settings, retries, endpoint and the ECS client's credentials.
 */
public final class Analyses implements AutoCloseable {
    /** Who an analysis's decisions are recorded as, in the audit, the decision tags and the outcome. */
    public static final String DECIDED_BY = GateAnalysis.BY;
    private static final int KEEP_CONCLUDED = 10_000;

    /** Folds an engine-made event into a followed deployment's snapshot; null when not followed. */
    @FunctionalInterface
    public interface Emitter {
        DeploymentSnapshot emit(String deploymentArn, DeploymentEvent e);
    }

    /** Applies a gate decision (the engine's {@code decide}). */
    @FunctionalInterface
    public interface Decider {
        CompletableFuture<DecisionResult> decide(DeploymentHandle h, String hookId, GateDecision d);
    }

    /** Counters for tests, the benchmark and docs/analysis.md "Cost". */
    public record Stats(long getMetricDataCalls, long queries, int maxQueriesInOneCall, long failedCalls,
                        long gatesAnalysed, int measuringNow) {}

    private final Scheduler scheduler;
    private final Executor io;
    private final MetricBatcher batcher;
    private final TargetGroups.Resolver resolver;
    private final Emitter emitter;
    private final Decider decider;
    private final AutoCloseable owned;
    /** Makes the engine's CloudWatch client ahead of the first gate (null: nothing to prepare); run once. */
    private final Runnable prepare;
    private final java.util.concurrent.atomic.AtomicBoolean prepared = new java.util.concurrent.atomic.AtomicBoolean();
    private final Map<String, GateAnalysis> running = new HashMap<>();
    private final Map<String, GateAnalysis> concluded = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, GateAnalysis> e) {
            return size() > KEEP_CONCLUDED;
        }
    };
    private long gatesAnalysed;

    /** For tests and hosts with their own metrics source and target-group lookup. */
    public Analyses(Scheduler scheduler, Executor io, MetricsSource source, TargetGroups.Resolver resolver,
                    Emitter emitter, Decider decider) {
        this(scheduler, io, source, resolver, emitter, decider, null, null);
    }

    private Analyses(Scheduler scheduler, Executor io, MetricsSource source, TargetGroups.Resolver resolver,
                     Emitter emitter, Decider decider, AutoCloseable owned, Runnable prepare) {
        this.scheduler = scheduler;
        this.io = io;
        this.batcher = new MetricBatcher(scheduler, io, source);
        this.resolver = resolver;
        this.emitter = emitter;
        this.decider = decider;
        this.owned = owned;
        this.prepare = prepare;
    }

    /** The engine's: CloudWatch through the SDK (made on first use), target groups from ECS. */
    public static Analyses forEngine(EngineConfig config, EcsClient ecs, Scheduler scheduler, Executor io,
                                     Emitter emitter, Decider decider) {
        LazyCloudWatch cw = new LazyCloudWatch(() -> cloudWatch(config, ecs));
        return new Analyses(scheduler, io, r -> cw.get().getMetricData(r), TargetGroups.fromEcs(ecs), emitter, decider,
                cw, cw::get);
    }

    private static CloudWatchClient cloudWatch(EngineConfig c, EcsClient ecs) {
        SdkHttpClient http = AwsClients.httpClient(c);
        var b = CloudWatchClient.builder().httpClient(http).region(Region.of(c.region()))
                .overrideConfiguration(AwsClients.overrideConfiguration(c));
        try {
            b.credentialsProvider(ecs.serviceClientConfiguration().credentialsProvider()); // the same identity as ECS
        } catch (UnsupportedOperationException e) {
            // a caller-made stub ECS client (tests): the SDK's default chain
        }
        if (c.endpointOverride() != null) {
            b.endpointOverride(c.endpointOverride()); // the simulator serves CloudWatch on its ECS endpoint
        }
        CloudWatchClient client = b.build();
        return new CloudWatchClient() {
            @Override
            public software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse getMetricData(
                    software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest r) {
                return client.getMetricData(r);
            }

            @Override
            public String serviceName() {
                return client.serviceName();
            }

            @Override
            public void close() {
                client.close();
                http.close();
            }
        };
    }

    private static final class LazyCloudWatch implements AutoCloseable {
        private final Supplier<CloudWatchClient> make;
        private CloudWatchClient client;
        private boolean closed;

        LazyCloudWatch(Supplier<CloudWatchClient> make) {
            this.make = make;
        }

        synchronized CloudWatchClient get() {
            if (closed) {
                throw new IllegalStateException("the engine is closed");
            }
            if (client == null) {
                client = make.get();
            }
            return client;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (client != null) {
                client.close();
            }
        }
    }

    /**
     * A gate handler that hands the gates of {@code definition} to the analysis and every other gate to {@code human}
     * (nullable: then an inconclusive analysis rolls back, having nobody to ask).
     */
    public AnalysisGateHandler gateHandler(AnalysisDefinition definition, GateHandler human) {
        if (prepare != null && prepared.compareAndSet(false, true)) {
            // building the SDK client takes a moment (class loading, the HTTP client): done now, on the I/O pool, so
            // the first gate's measurement is read on time rather than after it
            io.execute(() -> {
                try {
                    prepare.run();
                } catch (RuntimeException e) {
                    prepared.set(false); // tried again with the next analysis; the measurement reports the error
                }
            });
        }
        return new AnalysisGateHandler(this, definition, human);
    }

    void onGate(AnalysisDefinition def, PendingGate gate, GateHandler human) {
        String key = gate.deployment().deploymentArn() + "|" + gate.hookId();
        GateAnalysis a;
        synchronized (running) {
            GateAnalysis now = running.get(key);
            if (now != null) {
                now.addHuman(human);
                return;
            }
            GateAnalysis done = concluded.get(key);
            if (done != null) {
                if ("ASK".equals(done.action) && human != null) {
                    // handed to people already: a new subscription's person is asked too
                    io.execute(() -> human.onGate(new PendingGate(gate.deployment(), gate.stage(), gate.hookId(),
                            gate.expiresAt(), gate.snapshot())));
                }
                return;
            }
            a = new GateAnalysis(this, def, gate, human);
            running.put(key, a);
            gatesAnalysed++;
        }
        a.start();
    }

    void finished(GateAnalysis a) {
        String key = a.gate().deployment().deploymentArn() + "|" + a.gate().hookId();
        synchronized (running) {
            if (running.remove(key) != null) {
                concluded.put(key, a);
            }
        }
    }

    public Stats stats() {
        synchronized (running) {
            return new Stats(batcher.calls.get(), batcher.queries.get(), batcher.maxQueriesInOneCall,
                    batcher.failedCalls.get(), gatesAnalysed, running.size());
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    Executor io() {
        return io;
    }

    MetricBatcher batcher() {
        return batcher;
    }

    TargetGroups.Resolver resolver() {
        return resolver;
    }

    Emitter emitter() {
        return emitter;
    }

    Decider decider() {
        return decider;
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }
}
