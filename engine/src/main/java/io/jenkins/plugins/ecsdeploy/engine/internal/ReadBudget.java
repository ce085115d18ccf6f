package io.jenkins.plugins.ecsdeploy.engine.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The watcher's read budget: at most {@code perSecond} DescribeServiceDeployments / DescribeServiceRevisions calls in
 * ANY one second of the engine's clock (a sliding window, so also in every calendar second: the peak, not only the
 * mean, stays within it; docs/performance.md). Guarded by the watcher's lock.
 */
final class ReadBudget {
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private final ArrayDeque<Instant> recent = new ArrayDeque<>();
    private int perSecond;

    ReadBudget(double perSecond) {
        rate(perSecond);
    }

    void rate(double perSecond) {
        this.perSecond = Math.max(1, (int) Math.floor(perSecond));
    }

    int rate() {
        return perSecond;
    }

    private void forget(Instant now) {
        Instant from = now.minus(WINDOW);
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(from)) {
            recent.pollFirst();
        }
    }

    /** Takes up to {@code wanted} calls now; returns how many the budget allows. */
    int take(Instant now, int wanted) {
        forget(now);
        int n = Math.max(0, Math.min(wanted, perSecond - recent.size()));
        for (int i = 0; i < n; i++) {
            recent.addLast(now);
        }
        return n;
    }

    /** Calls made now that could not wait (revision details of an answer): they count, and later calls wait for them. */
    void spend(Instant now, int calls) {
        forget(now);
        for (int i = 0; i < calls; i++) {
            recent.addLast(now);
        }
    }

    /** When the next call fits in the budget. */
    Instant availableAt(Instant now) {
        forget(now);
        if (recent.size() < perSecond) {
            return now;
        }
        return recent.toArray(new Instant[0])[recent.size() - perSecond].plus(WINDOW).plusNanos(1);
    }
}
