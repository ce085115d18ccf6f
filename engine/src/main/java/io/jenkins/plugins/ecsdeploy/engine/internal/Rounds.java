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
 * Round batching (docs/engine.md §4 "Batching"): one poll round at the earliest due time, as one task on the
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

    final AtomicLong rounds = new AtomicLong();
    final AtomicLong describeCalls = new AtomicLong();
    final AtomicLong describedArns = new AtomicLong();
    volatile int maxCallsInOneRound;

    Rounds(EcsClient ecs, Scheduler scheduler, Executor io, Registry registry, Observer observer) {
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
        if (due == null || next != null && nextAt != null && !nextAt.isAfter(due)) {
            return; // nothing followed, or an earlier round is already scheduled
        }
        if (next != null) {
            next.cancel();
        }
        Duration delay = Duration.between(scheduler.clock().instant(), due);
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
            batches = batchesLocked(scheduler.clock().instant());
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
        List<Tracked> active = registry.activeLocked();
        active.sort(Comparator.comparing(t -> t.dueAt));
        List<Tracked> due = new ArrayList<>();
        for (Tracked t : active) {
            if (!t.dueAt.isAfter(now)) {
                due.add(t);
            }
        }
        List<List<Tracked>> batches = new ArrayList<>();
        if (due.isEmpty()) {
            return batches;
        }
        int room = (DeploymentWatcher.BATCH - due.size() % DeploymentWatcher.BATCH) % DeploymentWatcher.BATCH;
        for (int i = due.size(); i < active.size() && room > 0; i++, room--) {
            due.add(active.get(i)); // active is sorted by due time, so these are the ones due soonest
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

    void cancelLocked() {
        if (next != null) {
            next.cancel();
        }
    }
}
