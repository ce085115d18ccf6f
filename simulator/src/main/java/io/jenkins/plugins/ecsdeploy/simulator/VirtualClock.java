package io.jenkins.plugins.ecsdeploy.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulator's notion of "now". Two kinds:
 * <ul>
 *   <li>{@link #manual(Instant)}: only {@link #advance(Duration)} moves it. Each simulator attached to the
 *       clock processes, in time order, every event due up to the new instant, so a 24-hour bake completes
 *       in microseconds and tests are deterministic.</li>
 *   <li>{@link #scaled(Instant, double)}: moves with real time multiplied by {@code speed} (virtual seconds per
 *       real second); simulators attached to it tick from one scheduler thread.</li>
 * </ul>
 * {@link #instant()} is thread-safe and never goes backwards, so the engine can use this clock as its own.
 */
public abstract class VirtualClock extends Clock {

    /** A task scheduled with {@link #schedule(Duration, Runnable)}. */
    public interface Timer {
        /** Cancels the task if it has not run yet; returns whether it was cancelled by this call. */
        boolean cancel();
    }

    /** Internal hook: a simulator processes its due events while the manual clock steps forward. */
    interface Stepper {
        void runUntil(Instant target);
    }

    final List<Stepper> steppers = new CopyOnWriteArrayList<>();
    private final List<Consumer<Instant>> listeners = new CopyOnWriteArrayList<>();

    VirtualClock() {
    }

    /** A clock that stands still until {@link #advance(Duration)} is called. */
    public static VirtualClock manual(Instant start) {
        return new Manual(Objects.requireNonNull(start, "start"));
    }

    /** A clock running {@code speed} virtual seconds per real second (e.g. 600 = 10 virtual minutes per second). */
    public static VirtualClock scaled(Instant start, double speed) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed: '" + speed + "' is not allowed; a finite number > 0");
        }
        return new Scaled(Objects.requireNonNull(start, "start"), speed);
    }

    /** {@code true} for {@link #manual(Instant)} clocks. */
    public abstract boolean isManual();

    /** Virtual seconds per real second; 0 for a manual clock. */
    public abstract double speed();

    /**
     * Moves a manual clock forward by {@code d}, first letting every attached simulator process all events due
     * up to the new instant (each at its own virtual time), then notifying {@link #addAdvanceListener listeners}.
     *
     * @throws UnsupportedOperationException on a scaled clock
     */
    public void advance(Duration d) {
        throw new UnsupportedOperationException("advance() needs a manual clock; this clock is scaled x" + speed());
    }

    /**
     * Runs {@code task} once {@code delay} of virtual time has passed. Manual clock: the task runs on the
     * advancing thread at exactly its instant, interleaved in time order with the simulators' own events
     * (simulator events due at the same instant run first), so an engine test can poll the simulator from
     * scheduled tasks inside a single {@link #advance(Duration)}. Scaled clock: runs on a daemon thread after
     * {@code delay / speed} of real time. Exceptions thrown by a task are printed and do not stop the clock.
     */
    public abstract Timer schedule(Duration delay, Runnable task);

    /** Called (on the advancing thread) after each {@link #advance(Duration)} with the new instant. */
    public void addAdvanceListener(Consumer<Instant> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public void removeAdvanceListener(Consumer<Instant> listener) {
        listeners.remove(listener);
    }

    void notifyListeners(Instant now) {
        for (Consumer<Instant> l : listeners) {
            l.accept(now);
        }
    }

    /** Internal: moves a manual clock to {@code t} if that is later (used while stepping through events). */
    void moveTo(Instant t) {
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        VirtualClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId z) {
                return self.withZone(z);
            }

            @Override
            public Instant instant() {
                return self.instant();
            }
        };
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    private static void runTask(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            System.err.println("VirtualClock: a scheduled task failed: " + e);
            e.printStackTrace();
        }
    }

    private static final class Manual extends VirtualClock {
        private volatile Instant now;
        private final Object advanceLock = new Object();
        private final Object taskLock = new Object();
        private final PriorityQueue<ManualTask> tasks = new PriorityQueue<>();
        private long seq;

        private final class ManualTask implements Timer, Comparable<ManualTask> {
            final Instant at;
            final long order;
            final Runnable task;
            boolean cancelled;

            ManualTask(Instant at, long order, Runnable task) {
                this.at = at;
                this.order = order;
                this.task = task;
            }

            @Override
            public boolean cancel() {
                synchronized (taskLock) {
                    if (cancelled) {
                        return false;
                    }
                    cancelled = true;
                    return tasks.remove(this);
                }
            }

            @Override
            public int compareTo(ManualTask o) {
                int c = at.compareTo(o.at);
                return c != 0 ? c : Long.compare(order, o.order);
            }
        }

        Manual(Instant start) {
            this.now = start;
        }

        @Override
        public boolean isManual() {
            return true;
        }

        @Override
        public double speed() {
            return 0;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        synchronized void moveTo(Instant t) {
            if (t.isAfter(now)) {
                now = t;
            }
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            Objects.requireNonNull(task, "task");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay: '" + delay + "' is not allowed; a duration >= 0");
            }
            synchronized (taskLock) {
                ManualTask t = new ManualTask(now.plus(delay), seq++, task);
                tasks.add(t);
                return t;
            }
        }

        @Override
        public void advance(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("advance: '" + d + "' is not allowed; a duration >= 0");
            }
            Instant target;
            synchronized (advanceLock) {
                target = now.plus(d);
                while (true) {
                    ManualTask next;
                    synchronized (taskLock) {
                        next = tasks.peek();
                    }
                    Instant bound = next == null || next.at.isAfter(target) ? target : next.at;
                    for (Stepper s : steppers) {
                        s.runUntil(bound);
                    }
                    moveTo(bound);
                    if (bound.equals(target) && (next == null || next.at.isAfter(target))) {
                        break;
                    }
                    List<ManualTask> due = new ArrayList<>();
                    synchronized (taskLock) {
                        while (!tasks.isEmpty() && !tasks.peek().at.isAfter(bound)) {
                            ManualTask t = tasks.poll();
                            t.cancelled = true; // ran: cannot be cancelled any more
                            due.add(t);
                        }
                    }
                    for (ManualTask t : due) {
                        runTask(t.task);
                    }
                }
            }
            notifyListeners(target);
        }

        @Override
        public String toString() {
            return "VirtualClock.manual[" + now + "]";
        }
    }

    private static final class Scaled extends VirtualClock {
        private final Instant start;
        private final long startNanos;
        private final double speed;

        private ScheduledExecutorService executor;

        Scaled(Instant start, double speed) {
            this.start = start;
            this.startNanos = System.nanoTime();
            this.speed = speed;
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            Objects.requireNonNull(task, "task");
            ScheduledExecutorService ex;
            synchronized (this) {
                if (executor == null) {
                    executor = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "virtual-clock-scheduler");
                        t.setDaemon(true);
                        return t;
                    });
                }
                ex = executor;
            }
            long realNanos = (long) Math.max(0, delay.toNanos() / speed);
            ScheduledFuture<?> f = ex.schedule(() -> runTask(task), realNanos, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public boolean isManual() {
            return false;
        }

        @Override
        public double speed() {
            return speed;
        }

        @Override
        public Instant instant() {
            // nanoTime is monotonic and multiplying by a positive constant then truncating keeps it so.
            long elapsed = System.nanoTime() - startNanos;
            return start.plusNanos((long) (elapsed * speed));
        }

        @Override
        public String toString() {
            return "VirtualClock.scaled[x" + speed + ", " + instant() + "]";
        }
    }
}
