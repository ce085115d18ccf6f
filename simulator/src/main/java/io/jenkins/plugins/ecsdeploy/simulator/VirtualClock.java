package io.jenkins.plugins.ecsdeploy.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private static final class Manual extends VirtualClock {
        private volatile Instant now;
        private final Object advanceLock = new Object();

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
        public void advance(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("advance: '" + d + "' is not allowed; a duration >= 0");
            }
            Instant target;
            synchronized (advanceLock) {
                target = now.plus(d);
                for (Stepper s : steppers) {
                    s.runUntil(target);
                }
                moveTo(target);
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

        Scaled(Instant start, double speed) {
            this.start = start;
            this.startNanos = System.nanoTime();
            this.speed = speed;
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
