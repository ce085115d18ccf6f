package io.jenkins.plugins.ecsdeploy.engine.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * How long until a deployment should be looked at again: a pure function of its latest observation and its pace
 * (docs/engine.md "4. Follow", "Adaptive cadence"). Quick (the floor) around transitions: while pending, rolling back,
 * stopping, or right after anything changed. In a bake whose end is known (BAKE_TIME, a canary/linear step bake) it
 * waits for about the rest of the bake, within floor and ceiling. A gate awaiting a decision needs no quick polls
 * (the decision itself triggers one) but is looked at before it expires. Else it slows down gradually (×1.5 per quiet
 * round) to a quarter of the ceiling at most. Jitter is added by the caller.
 */
record Cadence(Duration floor, Duration ceiling) {
    /**
     * With events flowing, the slowest look at an active deployment (the safety net against lost events and the way
     * stage changes without hooks are seen): gates, hook results and the end are announced by events, bake ends are
     * predicted. The safety net is what half the events budget affords for the deployments followed — N / (20 × R / 2)
     * seconds — but never slower than 5 minutes, nor quicker than a quarter of the ceiling (docs/events.md "Cadence with
     * events"): 10 deployments are looked at as often as without events, 5,000 every 5 minutes.
     */
    static final Duration EVENTS_SAFETY_NET = Duration.ofMinutes(5);

    /** The events-mode safety net for {@code followed} deployments under {@code callsPerSecond}. */
    Duration eventsTop(int followed, double callsPerSecond) {
        Duration afford = Duration.ofMillis((long) (followed / (DeploymentWatcher.BATCH * callsPerSecond / 2) * 1000));
        return max(max(floor, ceiling.dividedBy(4)), min(EVENTS_SAFETY_NET, afford));
    }

    /**
     * The pace of one deployment: quiet rounds in a row, when its current stage was first seen (null when unknown),
     * when its traffic weights last changed (null when never), and whether the next stage has a gate.
     */
    record Pace(int quietRounds, Instant stageEnteredAt, Instant trafficChangedAt, boolean gateNext) {
        Pace(int quietRounds, Instant stageEnteredAt, Instant trafficChangedAt) {
            this(quietRounds, stageEnteredAt, trafficChangedAt, false);
        }
    }

    /** Polling alone. */
    Duration next(Observation o, Pace p, Instant now) {
        return next(o, p, now, null);
    }

    /**
     * {@code eventsTop}: null when polling alone; with events flowing, the safety net ({@link #eventsTop}) — hook
     * changes and the end are announced (docs/events.md).
     */
    Duration next(Observation o, Pace p, Instant now, Duration eventsTop) {
        if (o.status() == null || "PENDING".equals(o.status()) || o.rollingBack() || "STOP_REQUESTED".equals(o.status())
                || p.quietRounds() == 0) {
            return floor;
        }
        boolean events = eventsTop != null;
        Duration top = events ? max(ceiling, eventsTop) : ceiling;
        Duration d = slowingDown(p.quietRounds(), events ? eventsTop : max(floor, ceiling.dividedBy(4)));
        Instant bakeEnd = bakeEnd(o, p);
        if (bakeEnd != null) {
            // Predictive: look when the bake (or the canary/linear step) should end, not on the next quiet tick.
            d = clamp(Duration.between(now, bakeEnd), top);
        } else if (p.gateNext() && !events) {
            d = floor; // the gate appears when this stage ends; with events HOOK_AWAITING_ACTION announces it
        }
        for (Observation.HookView h : o.hooks()) {
            if ("AWAITING_ACTION".equals(h.status()) && h.expiresAt() != null) {
                // A decision made here triggers its own poll; look again at the latest when the hook expires.
                d = clamp(min(d, Duration.between(now, h.expiresAt())), top);
            } else if ("IN_PROGRESS".equals(h.status()) && !events) {
                d = min(d, floor.multipliedBy(2));
            }
        }
        return d;
    }

    /** When the current bake ends: BAKE_TIME from its first sight, a canary/linear step from the last weight change. */
    private static Instant bakeEnd(Observation o, Pace p) {
        String stage = o.lifecycleStage();
        if ("BAKE_TIME".equals(stage) && o.bakeMinutes() != null && p.stageEnteredAt() != null) {
            return p.stageEnteredAt().plus(Duration.ofMinutes(o.bakeMinutes()));
        }
        if ("PRODUCTION_TRAFFIC_SHIFT".equals(stage) && o.stepBakeMinutes() != null && o.stepBakeMinutes() > 0
                && p.trafficChangedAt() != null && o.greenProd() != null && o.greenProd() < 100) {
            // A step bake follows every shift but the last: at 100 % the deployment moves on without one.
            return p.trafficChangedAt().plus(Duration.ofMinutes(o.stepBakeMinutes()));
        }
        return null;
    }

    /** floor × 1.5 per quiet round, at most {@code top} (never below the floor). */
    private Duration slowingDown(int quietRounds, Duration top) {
        Duration d = floor;
        for (int i = 0; i < quietRounds && d.compareTo(top) < 0; i++) {
            d = Duration.ofMillis((long) (d.toMillis() * 1.5));
        }
        return min(d, max(floor, top));
    }

    Duration clamp(Duration d) {
        return clamp(d, ceiling);
    }

    Duration clamp(Duration d, Duration top) {
        return max(floor, min(top, d));
    }

    static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
