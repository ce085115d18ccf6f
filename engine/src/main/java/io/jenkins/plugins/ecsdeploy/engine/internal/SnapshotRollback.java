package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What stops a deployment and how it ended: alarms ({@code Observed} names them, {@code AlarmTriggered}), the
 * circuit breaker ({@code CircuitBreakerTriggered}), the rollback ({@code RollbackStarted}) and the outcome
 * ({@code Finished}). JSON members: alarms, circuitBreaker, rollback (null until one started), outcome (null while
 * running), finishedAt.
 */
public record SnapshotRollback(Alarms alarms, CircuitBreaker circuitBreaker, Rollback rollback, Outcome outcome,
                               Instant finishedAt) implements SnapshotPart<SnapshotRollback> {

    /** JSON {@code alarms}: configured alarm names and those that went into ALARM. */
    public record Alarms(List<String> names, List<String> triggered) {
        public Alarms {
            names = names == null ? List.of() : List.copyOf(names);
            triggered = triggered == null ? List.of() : List.copyOf(triggered);
        }
    }

    /** JSON {@code circuitBreaker}; counts null until it triggered. */
    public record CircuitBreaker(boolean triggered, Integer failureCount, Integer threshold) {}

    /** JSON {@code rollback}: why and since when. */
    public record Rollback(RollbackCause cause, String reason, Instant startedAt) {}

    public static final SnapshotRollback EMPTY = new SnapshotRollback(null, null, null, null, null);

    public SnapshotRollback {
        alarms = alarms == null ? new Alarms(List.of(), List.of()) : alarms;
        circuitBreaker = circuitBreaker == null ? new CircuitBreaker(false, null, null) : circuitBreaker;
    }

    @Override
    public SnapshotRollback fold(DeploymentEvent e, DeploymentSnapshot before) {
        if (e instanceof DeploymentEvent.Observed o) {
            return new SnapshotRollback(new Alarms(o.alarmNames(), alarms.triggered()), circuitBreaker, rollback,
                    outcome, finishedAt);
        }
        if (e instanceof DeploymentEvent.AlarmTriggered a) {
            List<String> t = new ArrayList<>(alarms.triggered());
            a.names().stream().filter(n -> !t.contains(n)).forEach(t::add);
            return new SnapshotRollback(new Alarms(alarms.names(), t), circuitBreaker, rollback, outcome, finishedAt);
        }
        if (e instanceof DeploymentEvent.CircuitBreakerTriggered cb) {
            return new SnapshotRollback(alarms, new CircuitBreaker(true, cb.failureCount(), cb.threshold()), rollback,
                    outcome, finishedAt);
        }
        if (e instanceof DeploymentEvent.RollbackStarted rs) {
            return new SnapshotRollback(alarms, circuitBreaker, new Rollback(rs.cause(), rs.reason(), rs.at()), outcome,
                    finishedAt);
        }
        if (e instanceof DeploymentEvent.Finished f) {
            return new SnapshotRollback(alarms, circuitBreaker, rollback, f.outcome(), f.at());
        }
        return this;
    }

    // ---- diff ----

    /** Alarms that went into ALARM since {@code before}, and the circuit breaker when it first triggers. */
    static void diffHealth(Observation cur, DeploymentSnapshot before, List<DeploymentEvent> out) {
        List<String> newAlarms = new ArrayList<>();
        for (String a : cur.triggeredAlarms()) {
            if (!before.triggeredAlarms().contains(a)) {
                newAlarms.add(a);
            }
        }
        if (!newAlarms.isEmpty()) {
            out.add(new DeploymentEvent.AlarmTriggered(cur.at(), newAlarms));
        }
        if ("TRIGGERED".equals(cur.circuitBreakerStatus()) && !before.circuitBreakerTriggered()) {
            out.add(new DeploymentEvent.CircuitBreakerTriggered(cur.at(), cur.circuitBreakerFailures(),
                    cur.circuitBreakerThreshold()));
        }
    }

    /**
     * {@code RollbackStarted} the first time a rollback shows, its cause classified against {@code sofar} (the
     * snapshot with this round's events so far: alarm names, hook failures; folded only when needed).
     */
    static void diffRollback(Observation cur, DeploymentSnapshot before, Supplier<DeploymentSnapshot> sofar,
                             EventDiff.Intent intent, List<DeploymentEvent> out) {
        if (before.rollbackStartedAt() == null && (cur.rollingBack() || cur.rollbackStartedAt() != null
                || "ROLLBACK_SUCCESSFUL".equals(cur.status()) || "ROLLBACK_FAILED".equals(cur.status()))) {
            OutcomeClassifier.Cause c = OutcomeClassifier.cause(cur, sofar.get(), intent);
            out.add(new DeploymentEvent.RollbackStarted(cur.rollbackStartedAt() != null ? cur.rollbackStartedAt()
                    : cur.at(), c.cause(), c.reason()));
        }
    }

    /** {@code Finished} once ECS reports a terminal status, classified against {@code sofar}. */
    static void diffEnd(Observation cur, DeploymentSnapshot sofar, EventDiff.Intent intent, List<DeploymentEvent> out) {
        if (cur.terminal()) {
            out.add(new DeploymentEvent.Finished(cur.at(), OutcomeClassifier.outcome(cur, sofar, intent)));
        }
    }
}
