package io.jenkins.plugins.ecsdeploy.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The read budget holds in ANY one-second window, so the busiest second never exceeds it (not only the mean). */
class ReadBudgetTest {
    static final Instant T = Instant.parse("2026-12-02T00:00:00Z");

    @Test
    void noOneSecondWindowHoldsMoreThanTheBudget() {
        ReadBudget b = new ReadBudget(5);
        assertEquals(5, b.take(T, 9), "a burst of the whole budget at once");
        assertEquals(0, b.take(T.plusMillis(999), 1));
        assertEquals(T.plusSeconds(1).plusNanos(1), b.availableAt(T.plusMillis(500)));
        assertEquals(5, b.take(T.plusMillis(1001), 7));
        b.spend(T.plusMillis(2100), 3); // revision details made at once count too
        assertEquals(2, b.take(T.plusMillis(2200), 5));
    }

    @Test
    void withEventsOneCallASecond() {
        ReadBudget b = new ReadBudget(1);
        assertEquals(1, b.take(T, 3));
        assertEquals(T.plusSeconds(1).plusNanos(1), b.availableAt(T.plusMillis(300)));
        b.rate(5);
        assertEquals(4, b.take(T.plusMillis(300), 9));
    }
}
