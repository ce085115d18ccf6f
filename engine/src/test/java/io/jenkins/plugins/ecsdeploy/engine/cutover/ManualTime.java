package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.time.Cancellable;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/** Virtual time that moves only in {@link #runUntil} / {@link #runAll}: scheduled tasks run in due order, on the caller. */
final class ManualTime implements Scheduler {
    static final Instant T0 = Instant.parse("2026-12-02T14:00:00Z");

    private record Task(Instant at, long seq, Runnable r, boolean[] cancelled) {}

    private Instant now = T0;
    private long seq;
    private final PriorityQueue<Task> q = new PriorityQueue<>((a, b) -> a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));

    @Override
    public Clock clock() {
        return new Clock() {
            public Instant instant() { return now; }
            public ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(ZoneId z) { return this; }
        };
    }

    Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] c = {false};
        q.add(new Task(now.plus(delay), seq++, task, c));
        return () -> c[0] = true;
    }

    /** Runs every task due until {@code end} (tasks may schedule more), then sets the clock to {@code end}. */
    void runUntil(Instant end) {
        while (true) {
            Task t;
            synchronized (this) {
                t = q.peek();
                if (t == null || t.at.isAfter(end)) {
                    break;
                }
                q.poll();
            }
            now = t.at;
            if (!t.cancelled[0]) {
                t.r.run();
            }
        }
        now = end;
    }

    void advance(Duration d) {
        runUntil(now.plus(d));
    }

    /** Runs until nothing is scheduled any more (or a day of virtual time passed). */
    void runAll() {
        runUntil(now.plus(Duration.ofDays(1)));
    }
}
