package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.EngineException;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import io.jenkins.plugins.ecsdeploy.engine.time.Cancellable;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/**
 * ONE poller per engine (= per credentials and region) that follows every active deployment. Each round it asks
 * DescribeServiceDeployments for the deployments that are due, at most 20 ARNs per call (the API's limit,
 * ecs-api-facts §5a); a call with room to spare also carries deployments that are nearly due, for free. Between
 * rounds nothing runs: the next round is one task on the {@link Scheduler}, so a thousand deployments in a 24-hour
 * bake hold no thread. Each deployment has its own due time from an adaptive cadence (see {@link #cadence}); the
 * round runs at the earliest due time, with jitter, and backs off when ECS throttles even after the SDK's retries.
 *
 * <p>All state is guarded by one lock; the blocking SDK calls run on the engine's I/O pool, never under the lock's
 * caller. No callback ever runs under the lock: events are computed under it and queued per deployment (the
 * deployment's outbox), and delivered after it is released by whichever thread queued them, one delivery at a time
 * per deployment (see {@link #flush}). So callbacks of one deployment arrive in order and never concurrently, and a
 * callback may take its own locks even when another thread holding them calls into the watcher (follow, close).
 */
public final class DeploymentWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DeploymentWatcher.class.getName());
    /** DescribeServiceDeployments takes at most 20 ARNs (ecs-api-facts §5a). */
    public static final int BATCH = 20;
    /** A deployment ECS reports MISSING this many rounds in a row is given up as FAILED. */
    static final int MISSING_LIMIT = 3;

    private final EcsClient ecs;
    private final Scheduler scheduler;
    private final Executor io;
    private final Duration floor;
    private final Duration ceiling;
    private final double jitter;

    private final Object lock = new Object();
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    /** Rollbacks/decisions made through this engine on deployments nobody follows yet: picked up by follow(). */
    private final Map<String, EventDiff.Intent> pendingIntents = new HashMap<>();
    /**
     * ARNs of deployments this watcher saw finish and has dropped (guarded by the lock): lets decide() answer
     * DEPLOYMENT_FINISHED without a call. Bounded (an ARN and a map entry, ~0.3 KiB each): the oldest are forgotten,
     * and a decision on a forgotten one simply asks ECS again.
     */
    private final Map<String, Boolean> recentlyFinished = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENTLY_FINISHED;
        }
    };
    static final int RECENTLY_FINISHED = 1024;
    private Cancellable next;
    private Instant nextAt;
    private boolean roundInFlight;
    private boolean rerun;
    private int throttleLevel;
    private boolean closed;

    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong describeCalls = new AtomicLong();
    private final AtomicLong describedArns = new AtomicLong();
    private final AtomicLong throttledCalls = new AtomicLong();
    private final AtomicLong failedCalls = new AtomicLong();
    private final AtomicLong revisionCalls = new AtomicLong();
    private volatile int maxCallsInOneRound;

    /**
     * @param io the executor of the polls (DescribeServiceDeployments, and DescribeServiceRevisions on first sight):
     *           the engine gives the watcher its own poll lane, so polls never queue behind start work
     */
    public DeploymentWatcher(EcsClient ecs, Scheduler scheduler, Executor io, EngineConfig config) {
        this.ecs = ecs;
        this.scheduler = scheduler;
        this.io = io;
        this.floor = config.pollFloor();
        this.ceiling = config.pollCeiling();
        this.jitter = config.jitter();
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
        return revisionCalls.get();
    }

    public Stats stats() {
        synchronized (lock) {
            int active = (int) tracked.values().stream().filter(t -> !t.finished).count();
            return new Stats(rounds.get(), describeCalls.get(), describedArns.get(), throttledCalls.get(),
                    failedCalls.get(), maxCallsInOneRound, active, tracked.size());
        }
    }

    // ------------------------------------------------------------------ following

    final class Tracked {
        final String arn;
        DeploymentHandle handle;
        DeploymentSnapshot snapshot;
        Observation last;
        final Map<String, String> hookStages = new HashMap<>();
        final Map<String, GateDecision> decisions = new HashMap<>();
        final List<Sub> subs = new CopyOnWriteArrayList<>();
        EventDiff.Intent intent;
        Instant dueAt;
        int quietRounds;
        int missing;
        boolean finished;
        /** poke() while a round was in flight: the answer of that round may predate the poke, so look again. */
        boolean poked;
        /** The revisions' images and task definitions were asked for (once per Tracked = per follow/re-attach). */
        boolean revisionsAsked;
        /** Callbacks computed under the lock, to run after it is released, in this order (guarded by the lock). */
        final ArrayDeque<Runnable> outbox = new ArrayDeque<>();
        /** A thread is running this deployment's callbacks now (guarded by the lock): the others leave them to it. */
        boolean delivering;

        Tracked(DeploymentHandle h) {
            this.arn = h.deploymentArn();
            this.handle = h;
            this.snapshot = DeploymentSnapshot.initial(h);
        }
    }

    final class Sub implements Subscription {
        final Tracked t;
        final DeploymentListener listener;
        final GateHandler gates;
        final Set<String> offered = new HashSet<>();
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        volatile boolean closed;

        Sub(Tracked t, DeploymentListener listener, GateHandler gates) {
            this.t = t;
            this.listener = listener;
            this.gates = gates;
        }

        @Override
        public void close() {
            synchronized (lock) {
                closed = true;
                t.subs.remove(this);
                if (t.subs.isEmpty() && !t.finished) {
                    // Nobody listens: stop polling it. A later follow() starts again from ECS's state.
                    tracked.remove(t.arn, t);
                }
            }
        }

        @Override
        public CompletableFuture<Outcome> outcome() {
            return outcome;
        }

        /**
         * Reads the Tracked's snapshot: the Sub keeps its Tracked, so after the watcher dropped a finished deployment
         * the final snapshot stays readable here (and outcome() stays completed) for as long as the caller holds it.
         */
        @Override
        public DeploymentSnapshot snapshot() {
            synchronized (lock) {
                return t.snapshot;
            }
        }
    }

    public Subscription follow(DeploymentHandle h, DeploymentListener l, GateHandler gates,
                               Map<String, GateDecision> known) {
        Sub s;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the engine is closed");
            }
            Tracked t = tracked.get(h.deploymentArn());
            if (t == null) {
                t = new Tracked(h);
                t.intent = pendingIntents.remove(h.deploymentArn());
                tracked.put(t.arn, t);
            } else if (t.handle.gateStages().isEmpty() && !h.gateStages().isEmpty()) {
                t.handle = h;
            }
            if (known != null) {
                t.decisions.putAll(known);
                for (Map.Entry<String, GateDecision> k : known.entrySet()) {
                    GateDecision d = k.getValue();
                    if (d != null && d.action() == HookAction.ROLLBACK && t.intent == null) {
                        String stage = h.gateStages().size() == 1 ? h.gateStages().get(0) : null;
                        t.intent = new EventDiff.Intent(RollbackCause.GATE_REJECTED, "gate"
                                + (stage == null ? "" : " at " + stage) + " rejected by "
                                + (d.decidedBy() == null ? "an unnamed user" : d.decidedBy())
                                + (d.comment() == null || d.comment().isBlank() ? "" : ": " + d.comment()), d.decidedBy());
                    }
                }
            }
            s = new Sub(t, l, gates);
            if (known != null) {
                s.offered.addAll(known.keySet());
            }
            t.subs.add(s);
            if (t.finished) {
                Sub sub = s;
                Outcome o = t.snapshot.outcome();
                t.outbox.add(() -> sub.outcome.complete(o));
            } else {
                offerAwaitingGates(t, s);
                t.dueAt = scheduler.clock().instant();
                scheduleLocked();
            }
        }
        flush(s.t);
        return s;
    }

    /** Polls this deployment as soon as possible (after a decision or a rollback request). */
    public void poke(String arn) {
        synchronized (lock) {
            Tracked t = tracked.get(arn);
            if (t != null && !t.finished) {
                t.dueAt = scheduler.clock().instant();
                t.quietRounds = 0;
                t.poked = roundInFlight;
                scheduleLocked();
            }
        }
    }

    /**
     * True when this watcher saw the deployment finish (still delivering its last callbacks, or dropped recently):
     * ECS's terminal statuses are final, so no call is needed to know a decision can no longer apply.
     */
    boolean isFinished(String arn) {
        synchronized (lock) {
            Tracked t = tracked.get(arn);
            return t != null ? t.finished : recentlyFinished.containsKey(arn);
        }
    }

    /** The latest observation of a followed deployment, or null. */
    Observation lastObservation(String arn) {
        synchronized (lock) {
            Tracked t = tracked.get(arn);
            return t == null ? null : t.last;
        }
    }

    DeploymentSnapshot snapshotOf(String arn) {
        synchronized (lock) {
            Tracked t = tracked.get(arn);
            return t == null ? null : t.snapshot;
        }
    }

    /** A gate decision made through this engine: recorded, shown at once, and used to explain the outcome. */
    void recordDecision(String arn, String hookId, GateDecision d) {
        Tracked t;
        synchronized (lock) {
            t = tracked.get(arn);
            if (t == null) {
                if (d.action() == HookAction.ROLLBACK) {
                    pendingIntents.putIfAbsent(arn, new EventDiff.Intent(RollbackCause.GATE_REJECTED,
                            "gate rejected by " + (d.decidedBy() == null ? "an unnamed user" : d.decidedBy())
                                    + (d.comment() == null || d.comment().isBlank() ? "" : ": " + d.comment()),
                            d.decidedBy()));
                }
                return;
            }
            t.decisions.put(hookId, d);
            String stage = t.hookStages.getOrDefault(hookId, t.snapshot.lifecycleStage());
            if (d.action() == HookAction.ROLLBACK && t.intent == null) {
                t.intent = new EventDiff.Intent(RollbackCause.GATE_REJECTED, "gate at " + stage + " rejected by "
                        + (d.decidedBy() == null ? "an unnamed user" : d.decidedBy())
                        + (d.comment() == null || d.comment().isBlank() ? "" : ": " + d.comment()), d.decidedBy());
            }
            emit(t, List.of(new DeploymentEvent.GateDecided(scheduler.clock().instant(), stage, hookId, d.action(),
                    d.decidedBy(), d.comment())));
        }
        flush(t);
    }

    /** A rollback the engine asked for (manual, build aborted): the reason the outcome will give. */
    void recordIntent(String arn, EventDiff.Intent intent) {
        synchronized (lock) {
            Tracked t = tracked.get(arn);
            if (t == null) {
                pendingIntents.putIfAbsent(arn, intent);
            } else if (t.intent == null || t.intent.cause() == RollbackCause.UNKNOWN) {
                t.intent = intent;
            }
        }
    }

    GateDecision decisionOf(String arn, String hookId) {
        synchronized (lock) {
            Tracked t = tracked.get(arn);
            return t == null ? null : t.decisions.get(hookId);
        }
    }

    // ------------------------------------------------------------------ polling

    private void scheduleLocked() {
        if (closed) {
            return;
        }
        if (roundInFlight) {
            rerun = true;
            return;
        }
        Instant due = null;
        for (Tracked t : tracked.values()) {
            if (!t.finished && (due == null || t.dueAt.isBefore(due))) {
                due = t.dueAt;
            }
        }
        if (due == null) {
            return;
        }
        if (next != null && nextAt != null && !nextAt.isAfter(due)) {
            return; // an earlier round is already scheduled
        }
        if (next != null) {
            next.cancel();
        }
        Instant now = scheduler.clock().instant();
        Duration delay = Duration.between(now, due);
        if (delay.isNegative()) {
            delay = Duration.ZERO;
        }
        nextAt = due;
        next = scheduler.schedule(delay, this::round);
    }

    private void round() {
        List<List<Tracked>> batches = new ArrayList<>();
        synchronized (lock) {
            next = null;
            nextAt = null;
            if (closed || roundInFlight) {
                return;
            }
            Instant now = scheduler.clock().instant();
            List<Tracked> active = new ArrayList<>();
            for (Tracked t : tracked.values()) {
                if (!t.finished) {
                    active.add(t);
                }
            }
            active.sort(Comparator.comparing(t -> t.dueAt));
            List<Tracked> due = new ArrayList<>();
            for (Tracked t : active) {
                if (!t.dueAt.isAfter(now)) {
                    due.add(t);
                }
            }
            if (due.isEmpty()) {
                scheduleLocked();
                return;
            }
            // Fill the last call up to 20 ARNs with the deployments due soonest: the call costs the same.
            int room = (BATCH - due.size() % BATCH) % BATCH;
            for (Tracked t : active) {
                if (room == 0) {
                    break;
                }
                if (!due.contains(t)) {
                    due.add(t);
                    room--;
                }
            }
            for (int i = 0; i < due.size(); i += BATCH) {
                batches.add(new ArrayList<>(due.subList(i, Math.min(due.size(), i + BATCH))));
            }
            roundInFlight = true;
            rounds.incrementAndGet();
            if (batches.size() > maxCallsInOneRound) {
                maxCallsInOneRound = batches.size();
            }
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (List<Tracked> b : batches) {
            List<String> arns = b.stream().map(t -> t.arn).toList();
            calls.add(CompletableFuture.supplyAsync(() -> {
                describeCalls.incrementAndGet();
                describedArns.addAndGet(arns.size());
                return ecs.describeServiceDeployments(r -> r.serviceDeploymentArns(arns));
            }, io).handle((resp, err) -> {
                Map<String, DeploymentEvent.RevisionsDescribed> revisions =
                        err == null ? revisionsOfFirstSeen(b, resp) : Map.of();
                onAnswer(b, resp, err, revisions);
                return null;
            }));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            synchronized (lock) {
                roundInFlight = false;
                rerun = false;
                scheduleLocked();
            }
        });
    }

    /**
     * For the deployments of this answer that are observed for the first time: their revisions' task definitions and
     * container images, from DescribeServiceRevisions (≤ 20 ARNs per call, ecs-api-facts §5a) — called here, on the
     * I/O thread and outside the lock, before the answer is processed, so the event follows {@code Observed} at once.
     * Asked once per followed deployment; a failed call leaves the images empty (the deployment is followed anyway).
     */
    private Map<String, DeploymentEvent.RevisionsDescribed> revisionsOfFirstSeen(List<Tracked> batch,
                                                                               DescribeServiceDeploymentsResponse resp) {
        List<ServiceDeployment> first = new ArrayList<>();
        synchronized (lock) {
            Set<String> wanted = new HashSet<>();
            for (Tracked t : batch) {
                if (t.last == null && !t.revisionsAsked && !t.finished) {
                    wanted.add(t.arn);
                }
            }
            for (ServiceDeployment d : resp.serviceDeployments()) {
                if (wanted.remove(d.serviceDeploymentArn())) {
                    first.add(d);
                    Tracked t = tracked.get(d.serviceDeploymentArn());
                    if (t != null) {
                        t.revisionsAsked = true;
                    }
                }
            }
        }
        return first.isEmpty() ? Map.of() : describeRevisions(first, scheduler.clock().instant());
    }

    /** One RevisionsDescribed event per deployment; blocking (call on the I/O pool, never under the lock). */
    Map<String, DeploymentEvent.RevisionsDescribed> describeRevisions(List<ServiceDeployment> deployments, Instant at) {
        Map<String, String> sideOf = new LinkedHashMap<>();
        for (ServiceDeployment d : deployments) {
            if (d.targetServiceRevision() != null && d.targetServiceRevision().arn() != null) {
                sideOf.put(d.targetServiceRevision().arn(), "green");
            }
            if (d.hasSourceServiceRevisions()) {
                d.sourceServiceRevisions().forEach(r -> sideOf.putIfAbsent(r.arn(), "blue"));
            }
        }
        sideOf.remove(null);
        Map<String, DeploymentEvent.RevisionDetails> found = new HashMap<>();
        List<String> arns = new ArrayList<>(sideOf.keySet());
        try {
            for (int i = 0; i < arns.size(); i += BATCH) {
                List<String> chunk = arns.subList(i, Math.min(arns.size(), i + BATCH));
                revisionCalls.incrementAndGet();
                var r = ecs.describeServiceRevisions(b -> b.serviceRevisionArns(chunk));
                for (var sr : r.serviceRevisions()) {
                    Map<String, String> images = new LinkedHashMap<>();
                    if (sr.hasContainerImages()) {
                        for (var ci : sr.containerImages()) {
                            if (ci.containerName() != null && ci.image() != null) {
                                images.putIfAbsent(ci.containerName(), ci.image());
                            }
                        }
                    }
                    found.put(sr.serviceRevisionArn(), new DeploymentEvent.RevisionDetails(
                            sideOf.get(sr.serviceRevisionArn()), sr.serviceRevisionArn(), sr.taskDefinition(), images));
                }
                // Revisions created before 2024-10-25 cannot be described: a failure with reason MISSING (§5c);
                // such a revision is listed as not described below and keeps no images.
            }
        } catch (RuntimeException e) {
            // Images are for display only: never fail or delay following over them.
            LOG.log(Level.FINE, "DescribeServiceRevisions failed; the snapshot shows no images", e);
            return Map.of();
        }
        Map<String, DeploymentEvent.RevisionsDescribed> out = new HashMap<>();
        for (ServiceDeployment d : deployments) {
            List<DeploymentEvent.RevisionDetails> revs = new ArrayList<>();
            List<String> notDescribed = new ArrayList<>();
            List<String> own = new ArrayList<>();
            if (d.targetServiceRevision() != null && d.targetServiceRevision().arn() != null) {
                own.add(d.targetServiceRevision().arn());
            }
            if (d.hasSourceServiceRevisions()) {
                d.sourceServiceRevisions().forEach(r -> own.add(r.arn()));
            }
            for (String a : own) {
                if (found.containsKey(a)) {
                    revs.add(found.get(a));
                } else if (a != null) { // a MISSING failure, or not returned at all
                    notDescribed.add(a);
                }
            }
            out.put(d.serviceDeploymentArn(), new DeploymentEvent.RevisionsDescribed(at, revs, notDescribed));
        }
        return out;
    }

    private void onAnswer(List<Tracked> batch, DescribeServiceDeploymentsResponse resp, Throwable err,
                          Map<String, DeploymentEvent.RevisionsDescribed> revisions) {
        try {
            processAnswer(batch, resp, err, revisions);
        } finally {
            for (Tracked t : batch) {
                flush(t); // the callbacks of this answer, now that the lock is released
            }
        }
    }

    private void processAnswer(List<Tracked> batch, DescribeServiceDeploymentsResponse resp, Throwable err,
                               Map<String, DeploymentEvent.RevisionsDescribed> revisions) {
        synchronized (lock) {
            Instant now = scheduler.clock().instant();
            if (err != null) {
                Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                boolean throttled = isThrottling(c);
                if (throttled) {
                    throttledCalls.incrementAndGet();
                    throttleLevel = Math.min(throttleLevel + 1, 6);
                } else {
                    failedCalls.incrementAndGet();
                    LOG.log(Level.FINE, "DescribeServiceDeployments failed; will try again", c);
                }
                // The SDK already retried; slow this batch down rather than fail its deployments.
                Duration back = min(ceiling, floor.multipliedBy(1L << Math.max(1, throttleLevel)));
                for (Tracked t : batch) {
                    t.dueAt = now.plus(jittered(back));
                }
                return;
            }
            if (throttleLevel > 0) {
                throttleLevel--;
            }
            Map<String, ServiceDeployment> byArn = new HashMap<>();
            for (ServiceDeployment d : resp.serviceDeployments()) {
                byArn.put(d.serviceDeploymentArn(), d);
            }
            Set<String> failed = new HashSet<>();
            for (Failure f : resp.failures()) {
                failed.add(f.arn());
            }
            for (Tracked t : batch) {
                if (t.finished || tracked.get(t.arn) != t) {
                    continue;
                }
                ServiceDeployment d = byArn.get(t.arn);
                if (d == null) {
                    t.missing++;
                    if (t.missing >= MISSING_LIMIT) {
                        emit(t, List.of(new DeploymentEvent.Finished(now, Outcome.failed(
                                "ECS does not know service deployment " + t.arn + " (reported "
                                        + (failed.contains(t.arn) ? "as a failure" : "nowhere") + " " + t.missing
                                        + " times); it may be older than 90 days or in another account or region"))));
                    } else {
                        t.dueAt = now.plus(floor);
                    }
                    continue;
                }
                t.missing = 0;
                Observation o = Observation.of(d, now);
                List<DeploymentEvent> ev = withRevisions(
                        EventDiff.diff(t.last, o, t.hookStages, t.snapshot, t.intent), revisions.get(t.arn), now);
                boolean changed = ev.stream().anyMatch(e -> !(e instanceof DeploymentEvent.TasksChanged));
                t.last = o;
                t.quietRounds = changed ? 0 : t.quietRounds + 1;
                emit(t, ev);
                if (!t.finished) {
                    t.dueAt = t.poked ? now : now.plus(jittered(cadence(t, o, now)));
                    t.poked = false;
                }
            }
        }
    }

    /** The revision details right after the Observed event (the first observation), when there are any. */
    private static List<DeploymentEvent> withRevisions(List<DeploymentEvent> ev, DeploymentEvent.RevisionsDescribed r,
                                                       Instant now) {
        if (r == null || ev.isEmpty() || !(ev.get(0) instanceof DeploymentEvent.Observed)) {
            return ev;
        }
        List<DeploymentEvent> out = new ArrayList<>(ev);
        out.add(1, new DeploymentEvent.RevisionsDescribed(now, r.revisions(), r.notDescribed()));
        return out;
    }

    /**
     * How long until this deployment should be looked at again. Quick (the floor) around transitions: while
     * pending, scaling, rolling back, or right after anything changed. In a bake whose end is known (BAKE_TIME,
     * a canary/linear step bake) it waits for about the rest of the bake, within floor and ceiling. A gate awaiting
     * a decision needs no quick polls (the decision itself triggers one) but is looked at before it expires. Else
     * it slows down gradually (×1.5 per quiet round) to a quarter of the ceiling at most.
     */
    Duration cadence(Tracked t, Observation o, Instant now) {
        if (o.status() == null || "PENDING".equals(o.status()) || o.rollingBack() || "STOP_REQUESTED".equals(o.status())
                || t.quietRounds == 0) {
            return floor;
        }
        Duration d = floor;
        for (int i = 0; i < t.quietRounds && d.compareTo(ceiling) < 0; i++) {
            d = Duration.ofMillis((long) (d.toMillis() * 1.5));
        }
        d = min(d, maxOf(floor, ceiling.dividedBy(4)));
        String stage = o.lifecycleStage();
        Instant enteredAt = null;
        List<DeploymentSnapshot.Stage> st = t.snapshot.stages();
        if (!st.isEmpty() && st.get(st.size() - 1).name().equals(stage)) {
            enteredAt = st.get(st.size() - 1).enteredAt();
        }
        if ("BAKE_TIME".equals(stage) && o.bakeMinutes() != null && enteredAt != null) {
            Instant end = enteredAt.plus(Duration.ofMinutes(o.bakeMinutes()));
            d = clamp(Duration.between(now, end));
        } else if ("PRODUCTION_TRAFFIC_SHIFT".equals(stage) && o.stepBakeMinutes() != null && o.stepBakeMinutes() > 0) {
            Instant since = lastTrafficChange(t);
            if (since != null) {
                d = clamp(Duration.between(now, since.plus(Duration.ofMinutes(o.stepBakeMinutes()))));
            }
        }
        for (Observation.HookView h : o.hooks()) {
            if ("AWAITING_ACTION".equals(h.status()) && h.expiresAt() != null) {
                // A decision made here triggers its own poll; look again at the latest when the hook expires.
                d = clamp(min(d, Duration.between(now, h.expiresAt())));
            } else if ("IN_PROGRESS".equals(h.status())) {
                d = min(d, floor.multipliedBy(2));
            }
        }
        return d;
    }

    private static Instant lastTrafficChange(Tracked t) {
        List<DeploymentSnapshot.EventLine> ev = t.snapshot.events();
        for (int i = ev.size() - 1; i >= 0; i--) {
            if (ev.get(i).type().equals("TrafficChanged")) {
                return ev.get(i).at();
            }
        }
        return null;
    }

    private Duration clamp(Duration d) {
        return maxOf(floor, min(ceiling, d));
    }

    private Duration jittered(Duration d) {
        if (jitter <= 0) {
            return d;
        }
        double f = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
        return Duration.ofNanos((long) (d.toNanos() * f));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration maxOf(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static boolean isThrottling(Throwable c) {
        if (c instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a) {
            if (a.isThrottlingException()) {
                return true;
            }
            String code = a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode();
            return code != null && (code.contains("Throttl") || code.equals("TooManyRequestsException")
                    || code.equals("RequestLimitExceeded"));
        }
        return c instanceof SdkException && String.valueOf(c.getMessage()).contains("Throttl");
    }

    // ------------------------------------------------------------------ events out

    /**
     * Folds events into the snapshot and queues their callbacks in the deployment's outbox; must hold the lock. The
     * callbacks run in {@link #flush}, after the lock is released.
     */
    private void emit(Tracked t, List<DeploymentEvent> events) {
        for (DeploymentEvent e : events) {
            t.snapshot = t.snapshot.apply(e);
            DeploymentSnapshot snap = t.snapshot;
            for (Sub s : t.subs) {
                t.outbox.add(() -> deliver(s, e, snap));
                if (e instanceof DeploymentEvent.GateAwaiting) {
                    offerAwaitingGates(t, s);
                }
            }
            if (e instanceof DeploymentEvent.Finished f) {
                t.finished = true;
                for (Sub s : t.subs) {
                    // After the Finished event, in the same queue: whatever the caller chained to the future
                    // (thenAccept, whenComplete...) runs outside the watcher's lock.
                    t.outbox.add(() -> s.outcome.complete(f.outcome()));
                }
            }
        }
    }

    /**
     * Runs the deployment's queued callbacks on this thread, outside the lock, one at a time. When another thread is
     * already running them (or this thread, in a callback that called back into the watcher), it leaves the new ones
     * to that thread, which takes them in order before it stops: so callbacks of one deployment never overlap and
     * keep their order, and no callback can hold up the watcher's lock (a callback that takes a lock L while a thread
     * holding L calls follow/close cannot deadlock). Must not be called with the lock held.
     */
    private void flush(Tracked t) {
        if (t == null) {
            return;
        }
        while (true) {
            Runnable next;
            synchronized (lock) {
                if (t.delivering) {
                    return;
                }
                if (t.outbox.isEmpty()) {
                    dropIfDoneLocked(t);
                    return;
                }
                next = t.outbox.poll();
                t.delivering = true;
            }
            try {
                next.run();
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "a deployment callback failed", ex);
            } finally {
                synchronized (lock) {
                    t.delivering = false;
                }
            }
        }
    }

    /**
     * A finished deployment whose last callbacks (Finished event, outcome futures) were all delivered leaves the
     * watcher: a long-lived engine (the plugin keeps one per credentials and region) must not keep, or iterate in
     * every round, every deployment it ever followed. Its subscriptions keep their Tracked (final snapshot, completed
     * outcome); a later follow() of the ARN starts afresh from ECS's state. Must hold the lock.
     */
    private void dropIfDoneLocked(Tracked t) {
        if (t.finished && !t.delivering && t.outbox.isEmpty() && tracked.remove(t.arn, t)) {
            recentlyFinished.put(t.arn, Boolean.TRUE);
        }
    }

    private void deliver(Sub s, DeploymentEvent e, DeploymentSnapshot snap) {
        if (s.closed || s.listener == null) {
            return;
        }
        try {
            s.listener.onEvent(e, snap);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "a deployment listener failed on " + e.describe(), ex);
        }
    }

    /**
     * Queues the offer of each awaiting gate, once per subscription, unless the caller said it was decided already;
     * must hold the lock.
     */
    private void offerAwaitingGates(Tracked t, Sub s) {
        if (s.gates == null || s.closed) {
            return;
        }
        for (DeploymentSnapshot.GateState g : t.snapshot.awaitingGates()) {
            if (t.decisions.containsKey(g.hookId()) || !s.offered.add(g.hookId())) {
                continue;
            }
            PendingGate pending = new PendingGate(t.handle, g.stage(), g.hookId(), g.expiresAt(), t.snapshot);
            t.outbox.add(() -> {
                if (s.closed) {
                    return;
                }
                try {
                    s.gates.onGate(pending);
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "a gate handler failed on hook " + pending.hookId(), ex);
                }
            });
        }
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
            List<DeploymentEvent> ev = withRevisions(
                    EventDiff.diff(null, o, new HashMap<>(), DeploymentSnapshot.initial(h), null),
                    describeRevisions(List.of(d), at).get(d.serviceDeploymentArn()), at);
            return DeploymentSnapshot.fold(h, ev);
        });
    }

    /** One DescribeServiceDeployments for one ARN on the I/O pool; fails when ECS does not know it. */
    CompletableFuture<ServiceDeployment> fetch(String arn) {
        return CompletableFuture.supplyAsync(() -> fetchNow(arn), io);
    }

    /** The same, on the calling thread (callers are already on the I/O pool: no nested waits on the pool). */
    ServiceDeployment fetchNow(String arn) {
        describeCalls.incrementAndGet();
        describedArns.incrementAndGet();
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
        synchronized (lock) {
            closed = true;
            if (next != null) {
                next.cancel();
            }
            // Outcome futures of unfinished deployments stay incomplete: the deployment goes on in ECS and a
            // new engine re-attaches by ARN (a Jenkins restart must not look like a failed deployment).
            tracked.clear();
            recentlyFinished.clear();
        }
    }
}
