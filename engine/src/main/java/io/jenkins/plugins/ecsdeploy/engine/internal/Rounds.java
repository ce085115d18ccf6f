package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.time.Cancellable;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;

/**
 * Round batching (docs/engine.md "4. Follow", "Batching"): one poll round at the earliest due time, as one task on the
 * {@link Scheduler}; it asks DescribeServiceDeployments for the deployments that are due, at most 20 ARNs per call
 * (the API's limit), and fills the last call with the deployments due soonest (the call costs the same). A round
 * waits for all its calls before the next one is scheduled. What an answer does to each deployment:
 * {@link Observer}.
 */
final class Rounds {
    private final EcsClient ecs;
    private final Scheduler scheduler;
    private final Executor io;
    private final Registry registry;
    private final Observer observer;

    // guarded by registry.lock
    private Cancellable next;
    private Instant nextAt;
    private boolean roundInFlight;
    /** The read budget: DescribeServiceDeployments calls in any one second of the engine's clock. */
    final ReadBudget budget;

    final AtomicLong rounds = new AtomicLong();
    final AtomicLong describeCalls = new AtomicLong();
    final AtomicLong describedArns = new AtomicLong();
    volatile int maxCallsInOneRound;

    Rounds(EcsClient ecs, Scheduler scheduler, Executor io, Registry registry, Observer observer, double callsPerSecond) {
        this.budget = new ReadBudget(callsPerSecond);
        this.ecs = ecs;
        this.scheduler = scheduler;
        this.io = io;
        this.registry = registry;
        this.observer = observer;
    }

    /** A round in flight: its answers may predate a poke made now (the caller then looks again). */
    boolean inFlightLocked() {
        return roundInFlight;
    }

    /** Schedules the next round at the earliest due time, unless one is in flight or already due earlier. */
    void scheduleLocked() {
        if (registry.closedLocked() || roundInFlight) {
            return; // a round in flight schedules the next one when it ends
        }
        Instant due = null;
        for (Tracked t : registry.activeLocked()) {
            if (due == null || t.dueAt.isBefore(due)) {
                due = t.dueAt;
            }
        }
        if (due == null) {
            return; // nothing followed
        }
        Instant now = scheduler.clock().instant();
        Instant room = budget.availableAt(now);
        if (room.isAfter(due)) {
            due = room; // the budget is spent: the round waits for its next call
        }
        if (next != null && nextAt != null && !nextAt.isAfter(due)) {
            return; // an earlier round is already scheduled
        }
        if (next != null) {
            next.cancel();
        }
        Duration delay = Duration.between(now, due);
        nextAt = due;
        next = scheduler.schedule(delay.isNegative() ? Duration.ZERO : delay, this::round);
    }

    private void round() {
        List<List<Tracked>> batches;
        synchronized (registry.lock) {
            next = null;
            nextAt = null;
            if (registry.closedLocked() || roundInFlight) {
                return;
            }
            Instant now = scheduler.clock().instant();
            batches = batchesLocked(now);
            int allowed = budget.take(now, batches.size());
            if (batches.size() > allowed) {
                batches = new ArrayList<>(batches.subList(0, allowed)); // the most urgent first; the rest stay due
            }
            if (batches.isEmpty()) {
                scheduleLocked();
                return;
            }
            roundInFlight = true;
            rounds.incrementAndGet();
            maxCallsInOneRound = Math.max(maxCallsInOneRound, batches.size());
        }
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (List<Tracked> b : batches) {
            calls.add(call(b));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            synchronized (registry.lock) {
                roundInFlight = false;
                scheduleLocked();
            }
        });
    }

    /**
     * The due deployments, soonest first, in calls of at most 20 ARNs; the last call is filled up with the deployments
     * due next. Empty when none is due. Must hold the lock.
     */
    private List<List<Tracked>> batchesLocked(Instant now) {
        List<Tracked> due = new ArrayList<>();
        List<Tracked> later = new ArrayList<>();
        for (Tracked t : registry.activeLocked()) {
            (t.dueAt.isAfter(now) ? later : due).add(t);
        }
        List<List<Tracked>> batches = new ArrayList<>();
        if (due.isEmpty()) {
            return batches;
        }
        // Deployments an event named go first (a gate may be waiting), then the longest overdue. (Measured: ordering
        // the due ones by their last look instead — a round robin — made the stage-change p99 worse at 5,000
        // deployments, 23 → 35 s polling alone, docs/performance.md.)
        due.sort(Comparator.<Tracked, Boolean>comparing(t -> !t.hinted).thenComparing(t -> t.dueAt));
        later.sort(Comparator.comparing(t -> t.dueAt));
        int room = (DeploymentWatcher.BATCH - due.size() % DeploymentWatcher.BATCH) % DeploymentWatcher.BATCH;
        for (int i = 0; i < later.size() && room > 0; i++, room--) {
            due.add(later.get(i)); // the last call is filled with the deployments due soonest: it costs the same
        }
        for (int i = 0; i < due.size(); i += DeploymentWatcher.BATCH) {
            batches.add(new ArrayList<>(due.subList(i, Math.min(due.size(), i + DeploymentWatcher.BATCH))));
        }
        return batches;
    }

    /** One DescribeServiceDeployments for a batch on the poll lane; its answer is applied there. */
    private CompletableFuture<Void> call(List<Tracked> batch) {
        List<String> arns = batch.stream().map(t -> t.arn).toList();
        return CompletableFuture.supplyAsync(() -> {
            describeCalls.incrementAndGet();
            describedArns.addAndGet(arns.size());
            return ecs.describeServiceDeployments(r -> r.serviceDeploymentArns(arns));
        }, io).handle((DescribeServiceDeploymentsResponse resp, Throwable err) -> {
            observer.onAnswer(batch, resp, err);
            return null;
        });
    }

    /** Changes the read budget (calls per second); with events flowing the engine needs less (docs/events.md). */
    void budgetLocked(double perSecond) {
        budget.rate(perSecond);
    }

    double budgetLocked() {
        return budget.rate();
    }

    void cancelLocked() {
        if (next != null) {
            next.cancel();
        }
    }
}
