package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.EngineException;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/**
 * ONE poller per engine (= per credentials and region) that follows every active deployment (docs/engine.md "4. Follow").
 * This class is the facade; each concern has its own file:
 * <ul>
 *   <li>{@link Registry} — registration: what is followed, subscriptions, intents, recently finished ARNs, the lock;</li>
 *   <li>{@link Rounds} — round batching: one scheduled round at the earliest due time, ≤ 20 ARNs per call;</li>
 *   <li>{@link Observer} — what an answer does to each deployment (events, next due time, MISSING);</li>
 *   <li>{@link Cadence} — when to look again, a pure function of the observation and the deployment's pace;</li>
 *   <li>{@link Backoff} — throttling backoff after the SDK's retries;</li>
 *   <li>{@link RevisionDetails} — DescribeServiceRevisions on first sight;</li>
 *   <li>{@link Delivery} — callbacks outside the lock, in order, one at a time per deployment.</li>
 * </ul>
 * Between rounds nothing runs: the next round is one task on the {@link Scheduler}, so a thousand deployments in a
 * 24-hour bake hold no thread. The blocking SDK calls run on the poll lane given to the constructor.
 */
public final class DeploymentWatcher implements AutoCloseable {
    /** DescribeServiceDeployments and DescribeServiceRevisions take at most 20 ARNs (the API reference's limit). */
    public static final int BATCH = 20;
    /**
     * The read budget of the polls, in DescribeServiceDeployments calls per second: 5 polling alone (a quarter of
     * ECS's ~20 req/s read budget per account and Region, docs/performance.md), 1 while events flow (docs/events.md).
     * Decisions, describe() and the start path are not counted here.
     */
    public static final double POLL_CALLS_PER_SECOND = 5;
    public static final double EVENTS_POLL_CALLS_PER_SECOND = 1;
    /**
     * A named deployment is due this long after its event: at once. Hints that arrive together (one ReceiveMessage
     * holds up to 10 events) are answered by one round, and while the budget is spent they wait together.
     */
    static final java.time.Duration HINT_COALESCING = java.time.Duration.ZERO;

    private final EcsClient ecs;
    private final Scheduler scheduler;
    private final Executor io;
    private final Registry registry = new Registry();
    private final Delivery delivery = new Delivery(registry);
    private final Backoff backoff;
    private final RevisionDetails revisions;
    private final Observer observer;
    private final Rounds rounds;
    private long hintsUsed;

    /**
     * @param io the executor of the polls (DescribeServiceDeployments, and DescribeServiceRevisions on first sight):
     *           the engine gives the watcher its own poll lane, so polls never queue behind start work
     */
    public DeploymentWatcher(EcsClient ecs, Scheduler scheduler, Executor io, EngineConfig config) {
        this.ecs = ecs;
        this.scheduler = scheduler;
        this.io = io;
        Cadence cadence = new Cadence(config.pollFloor(), config.pollCeiling());
        this.backoff = new Backoff(config.pollFloor(), config.pollCeiling());
        this.revisions = new RevisionDetails(ecs);
        this.observer = new Observer(scheduler, registry, delivery, backoff, cadence, revisions, config.jitter());
        this.rounds = new Rounds(ecs, scheduler, io, registry, observer, POLL_CALLS_PER_SECOND);
        this.observer.budget = rounds.budget;
    }

    // ------------------------------------------------------------------ events (docs/events.md)

    /**
     * Events from the events queue: each followed deployment an event names is looked at at once (within the read
     * budget), ahead of the deployments that are merely due. Events for deployments this watcher does
     * not follow (other services, finished and dropped ones, other accounts or regions) cost nothing.
     */
    public void hints(List<EventHint> hints) {
        synchronized (registry.lock) {
            Instant soon = scheduler.clock().instant().plus(HINT_COALESCING);
            boolean any = false;
            for (EventHint h : hints) {
                for (Tracked t : registry.namedLocked(h)) {
                    if (t.finished) {
                        continue;
                    }
                    hintsUsed++;
                    any = true;
                    t.hinted = true;
                    t.poked |= rounds.inFlightLocked(); // an answer in flight may predate the event
                    if (h.awaitsAction() && h.hookId() != null) {
                        t.awaitedHooks.add(h.hookId());
                    }
                    if (t.dueAt == null || t.dueAt.isAfter(soon)) {
                        t.dueAt = soon;
                    }
                }
            }
            if (any) {
                rounds.scheduleLocked();
            }
        }
    }

    /**
     * Whether events can be relied on now: with events the cadence's safety net is slower and the read budget lower;
     * without (queue unreadable, not configured) polling alone follows, every deployment due within the floor.
     */
    public void eventsHealthy(boolean healthy) {
        synchronized (registry.lock) {
            if (observer.eventsHealthy == healthy) {
                return;
            }
            observer.eventsHealthy = healthy;
            observer.eventsCallsPerSecond = EVENTS_POLL_CALLS_PER_SECOND;
            rounds.budgetLocked(healthy ? EVENTS_POLL_CALLS_PER_SECOND : POLL_CALLS_PER_SECOND);
            if (!healthy) {
                Instant soon = scheduler.clock().instant().plus(observer.floor());
                for (Tracked t : registry.activeLocked()) {
                    if (t.dueAt != null && t.dueAt.isAfter(soon)) {
                        t.dueAt = soon; // back to polling: nobody waits out an events-mode safety net
                    }
                }
                rounds.scheduleLocked();
            }
        }
    }

    /** True while the events queue is read and its events used. */
    public boolean eventsHealthy() {
        synchronized (registry.lock) {
            return observer.eventsHealthy;
        }
    }

    /** Events that named a followed deployment (each made it due at once). */
    public long hintsUsed() {
        synchronized (registry.lock) {
            return hintsUsed;
        }
    }

    /** The current read budget, DescribeServiceDeployments calls per second. */
    public double pollBudget() {
        synchronized (registry.lock) {
            return rounds.budgetLocked();
        }
    }

    /**
     * Counters for tests and the benchmark. {@code followed}: deployments being polled (not finished);
     * {@code tracked}: everything the watcher holds, including finished deployments whose last callbacks are still
     * being delivered (returns to 0 once every followed deployment finished and was delivered).
     */
    public record Stats(long rounds, long describeCalls, long describedArns, long throttledCalls, long failedCalls,
                        int maxCallsInOneRound, int followed, int tracked) {}

    /** DescribeServiceRevisions calls made for revision details (at most one per followed deployment and attach). */
    public long describeRevisionCalls() {
        return revisions.calls.get();
    }

    public Stats stats() {
        synchronized (registry.lock) {
            return new Stats(rounds.rounds.get(), rounds.describeCalls.get(), rounds.describedArns.get(),
                    backoff.throttledCalls.get(), backoff.failedCalls.get(), rounds.maxCallsInOneRound,
                    registry.activeLocked().size(), registry.sizeLocked());
        }
    }

    // ------------------------------------------------------------------ following

    public Subscription follow(DeploymentHandle h, DeploymentListener l, GateHandler gates,
                               Map<String, GateDecision> known) {
        FollowSubscription s;
        synchronized (registry.lock) {
            Tracked t = registry.registerLocked(h, known);
            s = new FollowSubscription(registry, t, l, gates);
            if (known != null) {
                s.offered.addAll(known.keySet());
            }
            t.subs.add(s);
            if (t.finished) {
                FollowSubscription sub = s;
                var o = t.snapshot.outcome();
                t.outbox.add(() -> sub.outcome.complete(o));
            } else {
                delivery.offerAwaitingGatesLocked(t, s);
                t.dueAt = scheduler.clock().instant();
                rounds.scheduleLocked();
            }
        }
        delivery.flush(s.t);
        return s;
    }

    /** Polls this deployment as soon as possible (after a decision or a rollback request). */
    public void poke(String arn) {
        synchronized (registry.lock) {
            Tracked t = registry.getLocked(arn);
            if (t != null && !t.finished) {
                t.dueAt = scheduler.clock().instant();
                t.quietRounds = 0;
                t.poked = rounds.inFlightLocked();
                rounds.scheduleLocked();
            }
        }
    }

    /**
     * True when this watcher saw the deployment finish (still delivering its last callbacks, or dropped recently):
     * ECS's terminal statuses are final, so no call is needed to know a decision can no longer apply.
     */
    boolean isFinished(String arn) {
        return registry.isFinished(arn);
    }

    /** The latest observation of a followed deployment, or null. */
    Observation lastObservation(String arn) {
        synchronized (registry.lock) {
            Tracked t = registry.getLocked(arn);
            return t == null ? null : t.last;
        }
    }

    DeploymentSnapshot snapshotOf(String arn) {
        synchronized (registry.lock) {
            Tracked t = registry.getLocked(arn);
            return t == null ? null : t.snapshot;
        }
    }

    /**
     * An event the engine itself made for a followed deployment — a canary analysis measurement (docs/analysis.md) —
     * folded into its snapshot and delivered to its listeners like the events read from ECS, on this thread. Returns the
     * snapshot after it, or null when the deployment is not followed (any more) or finished.
     */
    public DeploymentSnapshot emit(String arn, DeploymentEvent e) {
        Tracked t;
        DeploymentSnapshot after;
        synchronized (registry.lock) {
            t = registry.getLocked(arn);
            if (t == null || t.finished) {
                return null;
            }
            delivery.emitLocked(t, List.of(e));
            after = t.snapshot;
        }
        delivery.flush(t);
        return after;
    }

    /** GateKeeper starts sending a decision about {@code arn}: its end is not reported before the decision is known. */
    void decisionStarting(String arn) {
        synchronized (registry.lock) {
            Tracked t = registry.getLocked(arn);
            if (t != null) {
                t.decisionsInFlight++;
            }
        }
    }

    /** The decision's call ended (applied, refused or failed): look again at once, so a held end is reported now. */
    void decisionEnded(String arn) {
        synchronized (registry.lock) {
            Tracked t = registry.getLocked(arn);
            if (t != null && t.decisionsInFlight > 0) {
                t.decisionsInFlight--;
            }
        }
        poke(arn);
    }

    /** A gate decision made through this engine: recorded, shown at once, and used to explain the outcome. */
    void recordDecision(String arn, String hookId, GateDecision d) {
        Tracked t;
        synchronized (registry.lock) {
            t = registry.getLocked(arn);
            if (t == null) {
                registry.pendingRejectionLocked(arn, d);
                return;
            }
            t.decisions.put(hookId, d);
            String stage = t.hookStages.getOrDefault(hookId, t.snapshot.lifecycleStage());
            if (d.action() == HookAction.ROLLBACK && t.intent == null) {
                t.intent = Registry.rejection(stage, d);
            }
            delivery.emitLocked(t, List.of(new DeploymentEvent.GateDecided(scheduler.clock().instant(), stage, hookId,
                    d.action(), d.decidedBy(), d.comment())));
        }
        delivery.flush(t);
    }

    /**
     * Called with every gate seen decided outside this engine (its hook gone the way of a decision nobody here made);
     * GateKeeper then reads who decided from the service and records it (docs/engine.md "Decisions on the service").
     */
    void onDecidedOutside(Delivery.OutsideDecisions o) {
        delivery.onDecidedOutside(o);
    }

    /** A rollback the engine asked for (manual, build aborted): the reason the outcome will give. */
    void recordIntent(String arn, EventDiff.Intent intent) {
        registry.recordIntent(arn, intent);
    }

    GateDecision decisionOf(String arn, String hookId) {
        synchronized (registry.lock) {
            Tracked t = registry.getLocked(arn);
            return t == null ? null : t.decisions.get(hookId);
        }
    }

    /** ECS (or the SDK) said "slow down" (docs/engine.md "4. Follow", "Throttling"). */
    static boolean isThrottling(Throwable c) {
        return Backoff.isThrottling(c);
    }

    // ------------------------------------------------------------------ one-off describe

    /** One DescribeServiceDeployments folded into a fresh snapshot (or the followed one, refreshed). */
    public CompletableFuture<DeploymentSnapshot> describeOnce(DeploymentHandle h) {
        return fetch(h.deploymentArn()).thenApply(d -> {
            DeploymentSnapshot followed = snapshotOf(h.deploymentArn());
            if (followed != null && followed.eventCount() > 0) {
                poke(h.deploymentArn());
                return followed;
            }
            Instant at = scheduler.clock().instant();
            Observation o = Observation.of(d, at);
            List<DeploymentEvent> ev = RevisionDetails.withRevisions(
                    EventDiff.diff(null, o, new HashMap<>(), DeploymentSnapshot.initial(h), null),
                    revisions.describe(List.of(d), at).get(d.serviceDeploymentArn()), at);
            return DeploymentSnapshot.fold(h, ev);
        });
    }

    /** One DescribeServiceDeployments for one ARN on the poll lane; fails when ECS does not know it. */
    CompletableFuture<ServiceDeployment> fetch(String arn) {
        return CompletableFuture.supplyAsync(() -> fetchNow(arn), io);
    }

    /** The same, on the calling thread (callers are already on a pool thread: no nested waits on the pool). */
    ServiceDeployment fetchNow(String arn) {
        rounds.describeCalls.incrementAndGet();
        rounds.describedArns.incrementAndGet();
        DescribeServiceDeploymentsResponse r = ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(arn));
        for (ServiceDeployment d : r.serviceDeployments()) {
            if (arn.equals(d.serviceDeploymentArn())) {
                return d;
            }
        }
        String why = r.failures().stream().filter(f -> arn.equals(f.arn())).map(Failure::reason).findFirst()
                .orElse("not returned");
        throw new EngineException("service deployment " + arn + " not found (" + why + ")");
    }

    @Override
    public void close() {
        synchronized (registry.lock) {
            rounds.cancelLocked();
            // Outcome futures of unfinished deployments stay incomplete: the deployment goes on in ECS and a
            // new engine re-attaches by ARN (a Jenkins restart must not look like a failed deployment).
            registry.closeLocked();
        }
    }
}
