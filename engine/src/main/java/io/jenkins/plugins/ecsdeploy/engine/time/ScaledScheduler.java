package io.jenkins.plugins.ecsdeploy.engine.time;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler over a virtual clock that runs {@code speed} times faster than real time (virtual
 * seconds per real second), e.g. the simulator's scaled {@code VirtualClock}. A virtual delay d
 * waits d / speed of real time (architecture.md D1).
 */
public final class ScaledScheduler implements Scheduler {
    private final Clock virtualClock;
    private final double speed;
    private final ScheduledExecutorService executor;

    public ScaledScheduler(Clock virtualClock, double speed, ScheduledExecutorService executor) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed '" + speed + "': must be > 0");
        }
        this.virtualClock = virtualClock;
        this.speed = speed;
        this.executor = executor;
    }

    @Override
    public Clock clock() {
        return virtualClock;
    }

    public double speed() {
        return speed;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        long realNanos = (long) Math.max(0, delay.toNanos() / speed);
        ScheduledFuture<?> f = executor.schedule(task, realNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
