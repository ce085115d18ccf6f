package io.jenkins.plugins.ecsdeploy.engine.bench;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentWatcher;
import io.jenkins.plugins.ecsdeploy.engine.internal.EventHint;
import io.jenkins.plugins.ecsdeploy.engine.internal.EventQueue;
import io.jenkins.plugins.ecsdeploy.engine.internal.GateKeeper;
import io.jenkins.plugins.ecsdeploy.simulator.EventPublisher;
import io.jenkins.plugins.ecsdeploy.simulator.SqsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookDetail;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/** The followers compared: our engine (polling alone, or with events) and a naive one-poller-per-deployment. */
final class Followers {
    private Followers() {}

    interface Follower extends AutoCloseable {
        String name();

        void start(BenchWorld w, BenchWorld.Dep d);

        /** Waits (real time) until nothing the follower does is pending between two advances of the clock. */
        default void quiesce() {}

        /** Every deployment followed to its end, by the follower's own account. */
        boolean done();

        /** The first problem: a deployment that did not end SUCCEEDED for the follower, a decision not applied... */
        String problem();

        /** decide → ContinueServiceDeployment answered, real ms, one per gate. */
        List<Double> decideMillis();

        /** SQS calls made (events only). */
        default long sqsCalls() {
            return 0;
        }

        @Override
        void close();
    }

    /** Our engine: the shared watcher and the gate keeper, run on the driver's thread (direct executors). */
    static final class Engine implements Follower {
        final BenchWorld w;
        final boolean events;
        final DeploymentWatcher watcher;
        final GateKeeper gates;
        final Map<String, Subscription> subs = new ConcurrentHashMap<>();
        final List<Double> decide = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        /** Events that are not task counts or traffic (the plugin writes build.xml on each), and distinct looks with one. */
        final java.util.concurrent.atomic.AtomicLong transitions = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong transitionLooks = new java.util.concurrent.atomic.AtomicLong();
        SqsServer sqs;
        EventPublisher publisher;
        AutoCloseable subscription;
        String queueUrl;

        Engine(BenchWorld w, boolean events) {
            this.w = w;
            this.events = events;
            EngineConfig.Builder cb = EngineConfig.builder().region("us-east-1").scheduler(w.scheduler);
            if (events) {
                sqs = new SqsServer(w.clock, w.sim.accountId()).start(0);
                queueUrl = sqs.queueUrl("ecs-events");
                // EventBridge delivers in about half a second, unordered, at least once (docs/simulator.md).
                publisher = EventPublisher.attach(w.sim, sqs.queue("ecs-events")).latency(Duration.ofMillis(500))
                        .extraDelayUpTo(Duration.ofMillis(500)).duplicateRate(0.01);
                cb.eventsQueueUrl(queueUrl);
            }
            EngineConfig config = cb.build();
            watcher = new DeploymentWatcher(w.ecs, w.scheduler, Runnable::run, config);
            gates = new GateKeeper(w.ecs, Runnable::run, watcher, w.scheduler);
            if (events) {
                sqs.queue("ecs-events").send("{\"source\":\"bench\"}"); // the first long poll returns at once
                subscription = EventQueue.subscribe(config, AnonymousCredentialsProvider.create(), w.scheduler,
                        new EventQueue.Listener() {
                            @Override
                            public void hints(List<EventHint> hints) {
                                watcher.hints(hints);
                            }

                            @Override
                            public void healthy(boolean healthy) {
                                watcher.eventsHealthy(healthy);
                            }
                        });
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!watcher.eventsHealthy() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                if (!watcher.eventsHealthy()) {
                    throw new IllegalStateException("the events queue did not answer");
                }
            }
        }

        @Override
        public String name() {
            return events ? "engine + events" : "engine, polling";
        }

        @Override
        public void start(BenchWorld w, BenchWorld.Dep d) {
            DeploymentHandle h = DeploymentHandle.fromArn(d.arn);
            java.time.Instant[] lastTransitionAt = {null};
            Subscription s = watcher.follow(h, (e, snap) -> {
                if (!(e instanceof io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.TasksChanged)
                        && !(e instanceof io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.TrafficChanged)) {
                    transitions.incrementAndGet();
                    if (!e.at().equals(lastTransitionAt[0])) {
                        transitionLooks.incrementAndGet();
                        lastTransitionAt[0] = e.at();
                    }
                }
            }, g -> {
                d.gateSeen.putIfAbsent(g.hookId(), w.clock.instant());
                long t0 = System.nanoTime();
                CompletableFuture<DecisionResult> r = gates.decide(g.deployment(), g.hookId(),
                        new GateDecision(DECISION, "bench", null));
                r.whenComplete((res, e) -> {
                    Long done = w.calls.continueAnsweredNanos.get(g.hookId());
                    if (done != null) {
                        decide.add((done - t0) / 1e6);
                    }
                    if (e != null || res != DecisionResult.APPLIED) {
                        problems.add(d.arn + ": decision " + (e != null ? e : res));
                    }
                });
            }, Map.of());
            subs.put(d.arn, s);
        }

        @Override
        public void quiesce() {
            if (!events) {
                return;
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (sqs.queue("ecs-events").size() > 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the events consumer did not drain the queue within 60 s");
                }
                Thread.onSpinWait();
            }
        }

        @Override
        public boolean done() {
            for (BenchWorld.Dep d : w.deps) {
                Subscription s = d.arn == null ? null : subs.get(d.arn);
                if (s == null || !s.outcome().isDone()) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String problem() {
            for (BenchWorld.Dep d : w.deps) {
                Outcome o = subs.get(d.arn).outcome().getNow(null);
                if (o == null || !o.succeeded()) {
                    return d.arn + " ended " + (o == null ? "unknown" : o.describe()) + " for " + name();
                }
            }
            return problems.isEmpty() ? null : problems.get(0);
        }

        @Override
        public List<Double> decideMillis() {
            return decide;
        }

        @Override
        public long sqsCalls() {
            return events ? sqs.calls("ReceiveMessage") + sqs.calls("DeleteMessageBatch") + sqs.calls("DeleteMessage") : 0;
        }

        @Override
        public void close() {
            try {
                if (subscription != null) {
                    subscription.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
            if (publisher != null) {
                publisher.detach();
            }
            watcher.close();
            if (sqs != null) {
                sqs.close();
            }
        }
    }

    /**
     * The naive follower most pipelines run today (ecspresso's way): per deployment, one DescribeServiceDeployments
     * every 10 s from its start, a ContinueServiceDeployment as soon as a look shows a PAUSE hook awaiting action.
     */
    static final class Naive implements Follower {
        static final Duration EVERY = Duration.ofSeconds(10);
        final BenchWorld w;
        final Set<String> finished = ConcurrentHashMap.newKeySet();
        final List<Double> decide = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();

        Naive(BenchWorld w) {
            this.w = w;
        }

        @Override
        public String name() {
            return "naive, 1 call / deployment / 10 s";
        }

        @Override
        public void start(BenchWorld w, BenchWorld.Dep d) {
            // A poller's phase relative to ECS's stages is arbitrary; the simulator's stage times are round numbers, so a
            // first look at a random point of the first 10 s keeps the phases spread as they are against real ECS.
            long phase = Math.floorMod(d.arn.hashCode() * 2654435761L, EVERY.toMillis());
            w.clock.schedule(Duration.ofMillis(phase), () -> look(d, new HashSet<>()));
        }

        private void look(BenchWorld.Dep d, Set<String> answered) {
            ServiceDeployment sd = w.ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(d.arn)).serviceDeployments().get(0);
            String st = sd.statusAsString();
            if (st.equals("SUCCESSFUL") || st.equals("STOPPED") || st.startsWith("ROLLBACK_")
                    && !st.equals("ROLLBACK_REQUESTED") && !st.equals("ROLLBACK_IN_PROGRESS")) {
                finished.add(d.arn);
                if (!st.equals("SUCCESSFUL")) {
                    problems.add(d.arn + " ended " + st + " for " + name());
                }
                return;
            }
            for (DeploymentLifecycleHookDetail h : sd.lifecycleHookDetails()) {
                if ("PAUSE".equals(h.targetTypeAsString()) && "AWAITING_ACTION".equals(h.statusAsString())
                        && answered.add(h.hookId())) {
                    d.gateSeen.putIfAbsent(h.hookId(), w.clock.instant());
                    long t0 = System.nanoTime();
                    w.ecs.continueServiceDeployment(b -> b.serviceDeploymentArn(d.arn).hookId(h.hookId()).action(DECISION.name()));
                    decide.add((System.nanoTime() - t0) / 1e6);
                }
            }
            w.clock.schedule(EVERY, () -> look(d, answered));
        }

        @Override
        public boolean done() {
            return finished.size() == w.deps.size();
        }

        @Override
        public String problem() {
            return problems.isEmpty() ? null : problems.get(0);
        }

        @Override
        public List<Double> decideMillis() {
            return decide;
        }

        @Override
        public void close() {}
    }

    /**
     * What every follower answers at a gate: CONTINUE; ROLLBACK ({@code --decision ROLLBACK}) only to check that the
     * benchmark fails loudly when deployments do not end as expected.
     */
    static HookAction DECISION = HookAction.CONTINUE;

    static List<String> names() {
        return new ArrayList<>(List.of("engine, polling", "engine + events", "naive, 1 call / deployment / 10 s"));
    }
}
