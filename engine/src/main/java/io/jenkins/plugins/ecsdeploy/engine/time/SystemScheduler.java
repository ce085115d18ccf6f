package io.jenkins.plugins.ecsdeploy.engine.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Wall-clock scheduler: one small daemon {@link ScheduledExecutorService} shared by every deployment. */
public final class SystemScheduler implements Scheduler, AutoCloseable {
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;

    /** A scheduler with its own single daemon thread. */
    public SystemScheduler() {
        this(Clock.systemUTC(), newDaemonExecutor("ecs-deploy-scheduler"), true);
    }

    public SystemScheduler(Clock clock, ScheduledExecutorService executor) {
        this(clock, executor, false);
    }

    private SystemScheduler(Clock clock, ScheduledExecutorService executor, boolean owns) {
        this.clock = clock;
        this.executor = executor;
        this.ownsExecutor = owns;
    }

    /** A one-thread daemon executor whose cancelled tasks are removed at once (no garbage build-up). */
    public static ScheduledExecutorService newDaemonExecutor(String name) {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long nanos = Math.max(0, delay.toNanos());
        ScheduledFuture<?> f = executor.schedule(task, nanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }
}
