package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.ecs.model.DescribeServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/**
 * What one DescribeServiceDeployments answer does to the deployments it was asked for: the events since the previous
 * observation ({@link EventDiff}), the next due time ({@link Cadence}, or {@link Backoff} when the call failed), and a
 * deployment ECS does not know 3 rounds in a row ends FAILED. Runs on the poll-lane thread that got the answer; the
 * callbacks are delivered by that thread after the lock is released.
 */
final class Observer {
    /** A deployment ECS reports MISSING this many rounds in a row is given up as FAILED. */
    static final int MISSING_LIMIT = 3;

    private final Scheduler scheduler;
    private final Registry registry;
    private final Delivery delivery;
    private final Backoff backoff;
    private final Cadence cadence;
    private final RevisionDetails revisions;
    private final double jitter;
    /** The read budget shared with Rounds (set once by the watcher). */
    ReadBudget budget;
    /** The events queue is read (guarded by the lock): a slower safety net, hook changes come as hints. */
    boolean eventsHealthy;
    /** The read budget while events flow (set with eventsHealthy). */
    double eventsCallsPerSecond = DeploymentWatcher.EVENTS_POLL_CALLS_PER_SECOND;
    /** Looks again at most this often when an event announced a hook that DescribeServiceDeployments did not show yet. */
    static final int HINT_RETRIES = 3;

    Observer(Scheduler scheduler, Registry registry, Delivery delivery, Backoff backoff, Cadence cadence,
             RevisionDetails revisions, double jitter) {
        this.jitter = jitter;
        this.scheduler = scheduler;
        this.registry = registry;
        this.delivery = delivery;
        this.backoff = backoff;
        this.cadence = cadence;
        this.revisions = revisions;
    }

    Duration floor() {
        return cadence.floor();
    }

    void onAnswer(List<Tracked> batch, DescribeServiceDeploymentsResponse resp, Throwable err) {
        try {
            Map<String, DeploymentEvent.RevisionsDescribed> rev = err == null ? revisionsOfFirstSeen(batch, resp) : Map.of();
            synchronized (registry.lock) {
                if (err != null) {
                    failedLocked(batch, err);
                } else {
                    answeredLocked(batch, resp, rev);
                }
            }
        } finally {
            for (Tracked t : batch) {
                delivery.flush(t); // the callbacks of this answer, now that the lock is released
            }
        }
    }

    /** The SDK already retried: slow this batch down rather than fail its deployments. */
    private void failedLocked(List<Tracked> batch, Throwable err) {
        Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        Duration back = backoff.onFailureLocked(c);
        Instant now = scheduler.clock().instant();
        for (Tracked t : batch) {
            t.dueAt = now.plus(jittered(back));
        }
    }

    private void answeredLocked(List<Tracked> batch, DescribeServiceDeploymentsResponse resp,
                                Map<String, DeploymentEvent.RevisionsDescribed> rev) {
        backoff.onSuccessLocked();
        Instant now = scheduler.clock().instant();
        Map<String, ServiceDeployment> byArn = new HashMap<>();
        for (ServiceDeployment d : resp.serviceDeployments()) {
            byArn.put(d.serviceDeploymentArn(), d);
        }
        Set<String> failed = new HashSet<>();
        for (Failure f : resp.failures()) {
            failed.add(f.arn());
        }
        for (Tracked t : batch) {
            if (t.finished || !registry.isCurrentLocked(t)) {
                continue;
            }
            ServiceDeployment d = byArn.get(t.arn);
            if (d == null) {
                missingLocked(t, failed.contains(t.arn), now);
            } else {
                observeLocked(t, Observation.of(d, now), rev.get(t.arn), now);
            }
        }
    }

    private void missingLocked(Tracked t, boolean reportedAsFailure, Instant now) {
        t.missing++;
        if (t.missing >= MISSING_LIMIT) {
            delivery.emitLocked(t, List.of(new DeploymentEvent.Finished(now, Outcome.failed(
                    "ECS does not know service deployment " + t.arn + " (reported "
                            + (reportedAsFailure ? "as a failure" : "nowhere") + " " + t.missing
                            + " times); it may be older than 90 days or in another account or region"))));
        } else {
            t.dueAt = now.plus(cadence.floor());
        }
    }

    /** One observation of a followed deployment: its events, then when to look again. Must hold the lock. */
    void observeLocked(Tracked t, Observation o, DeploymentEvent.RevisionsDescribed rev, Instant now) {
        t.missing = 0;
        if (o.terminal() && t.decisionsInFlight > 0) {
            // terminal statuses are final: reading this end again once the decision is known loses nothing
            t.dueAt = now.plus(cadence.floor());
            return;
        }
        List<DeploymentEvent> ev = RevisionDetails.withRevisions(
                EventDiff.diff(t.last, o, t.hookStages, t.snapshot, t.intent), rev, now);
        boolean changed = ev.stream().anyMatch(e -> !(e instanceof DeploymentEvent.TasksChanged));
        t.last = o;
        t.quietRounds = changed ? 0 : t.quietRounds + 1;
        delivery.emitLocked(t, ev);
        t.hinted = false;
        if (!t.finished) {
            Duration top = eventsHealthy ? cadence.eventsTop(registry.sizeLocked(), eventsCallsPerSecond) : null;
            t.dueAt = t.poked ? now : now.plus(jittered(cadence.next(o, t.pace(), now, top)));
            t.poked = false;
            lookAgainForAnnouncedHooks(t, now);
        }
    }

    /**
     * An event said a hook awaits action but this look does not show it (the event may be ahead of
     * DescribeServiceDeployments, or a duplicate of a hook long gone): look again after floor, 2 × floor, 4 × floor,
     * then leave it to the cadence. A hook the snapshot knows, in whatever status, needs nothing more.
     */
    private void lookAgainForAnnouncedHooks(Tracked t, Instant now) {
        if (t.awaitedHooks.isEmpty()) {
            return;
        }
        t.awaitedHooks.removeIf(id -> t.snapshot.hooks().stream().anyMatch(h -> h.hookId().equals(id)));
        if (t.awaitedHooks.isEmpty() || t.hintRetries >= HINT_RETRIES) {
            t.awaitedHooks.clear();
            t.hintRetries = 0;
            return;
        }
        Instant again = now.plus(cadence.floor().multipliedBy(1L << t.hintRetries));
        t.hintRetries++;
        if (again.isBefore(t.dueAt)) {
            t.dueAt = again;
        }
    }

    /**
     * For the deployments of this answer that are observed for the first time: their revision details, asked here on
     * the poll-lane thread and outside the lock, before the answer is processed, so the event follows Observed at once.
     * Asked once per followed deployment.
     */
    private Map<String, DeploymentEvent.RevisionsDescribed> revisionsOfFirstSeen(List<Tracked> batch,
                                                                               DescribeServiceDeploymentsResponse resp) {
        List<ServiceDeployment> first = new ArrayList<>();
        synchronized (registry.lock) {
            Set<String> wanted = new HashSet<>();
            for (Tracked t : batch) {
                if (t.last == null && !t.revisionsAsked && !t.finished) {
                    wanted.add(t.arn);
                }
            }
            for (ServiceDeployment d : resp.serviceDeployments()) {
                if (wanted.remove(d.serviceDeploymentArn())) {
                    first.add(d);
                    Tracked t = registry.getLocked(d.serviceDeploymentArn());
                    if (t != null) {
                        t.revisionsAsked = true;
                    }
                }
            }
            if (!first.isEmpty() && budget != null) {
                // display data, asked at once; it counts against the read budget so the next rounds wait for it
                budget.spend(scheduler.clock().instant(), RevisionDetails.callsFor(first));
            }
        }
        return first.isEmpty() ? Map.of() : revisions.describe(first, scheduler.clock().instant());
    }

    /** ±jitter around d (docs/engine.md "4. Follow": each delay gets ±jitter, so deployments started together spread out). */
    private Duration jittered(Duration d) {
        if (jitter <= 0) {
            return d;
        }
        double f = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
        return Duration.ofNanos((long) (d.toNanos() * f));
    }
}
