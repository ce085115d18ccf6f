package io.jenkins.plugins.ecsdeploy.engine.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * How long until a deployment should be looked at again: a pure function of its latest observation and its pace
 * (docs/engine.md §4 "Adaptive cadence"). Quick (the floor) around transitions: while pending, rolling back,
 * stopping, or right after anything changed. In a bake whose end is known (BAKE_TIME, a canary/linear step bake) it
 * waits for about the rest of the bake, within floor and ceiling. A gate awaiting a decision needs no quick polls
 * (the decision itself triggers one) but is looked at before it expires. Else it slows down gradually (×1.5 per quiet
 * round) to a quarter of the ceiling at most. Jitter is added by the caller.
 */
record Cadence(Duration floor, Duration ceiling) {

    /**
     * The pace of one deployment: quiet rounds in a row, when its current stage was first seen (null when unknown),
     * when its traffic weights last changed (null when never).
     */
    record Pace(int quietRounds, Instant stageEnteredAt, Instant trafficChangedAt) {}

    Duration next(Observation o, Pace p, Instant now) {
        if (o.status() == null || "PENDING".equals(o.status()) || o.rollingBack() || "STOP_REQUESTED".equals(o.status())
                || p.quietRounds() == 0) {
            return floor;
        }
        Duration d = slowingDown(p.quietRounds());
        String stage = o.lifecycleStage();
        if ("BAKE_TIME".equals(stage) && o.bakeMinutes() != null && p.stageEnteredAt() != null) {
            d = clamp(Duration.between(now, p.stageEnteredAt().plus(Duration.ofMinutes(o.bakeMinutes()))));
        } else if ("PRODUCTION_TRAFFIC_SHIFT".equals(stage) && o.stepBakeMinutes() != null && o.stepBakeMinutes() > 0
                && p.trafficChangedAt() != null) {
            d = clamp(Duration.between(now, p.trafficChangedAt().plus(Duration.ofMinutes(o.stepBakeMinutes()))));
        }
        for (Observation.HookView h : o.hooks()) {
            if ("AWAITING_ACTION".equals(h.status()) && h.expiresAt() != null) {
                // A decision made here triggers its own poll; look again at the latest when the hook expires.
                d = clamp(min(d, Duration.between(now, h.expiresAt())));
            } else if ("IN_PROGRESS".equals(h.status())) {
                d = min(d, floor.multipliedBy(2));
            }
        }
        return d;
    }

    /** floor × 1.5 per quiet round, at most a quarter of the ceiling (never below the floor). */
    private Duration slowingDown(int quietRounds) {
        Duration d = floor;
        for (int i = 0; i < quietRounds && d.compareTo(ceiling) < 0; i++) {
            d = Duration.ofMillis((long) (d.toMillis() * 1.5));
        }
        return min(d, max(floor, ceiling.dividedBy(4)));
    }

    Duration clamp(Duration d) {
        return max(floor, min(ceiling, d));
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
