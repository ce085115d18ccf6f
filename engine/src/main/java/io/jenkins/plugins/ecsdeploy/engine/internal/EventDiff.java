package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns two successive observations of one deployment into events. Pure: the caller keeps the state
 * (previous observation, the stage each hook was first seen in, the engine's own rollback intent).
 */
public final class EventDiff {
    private EventDiff() {}

    /** What the engine itself did to the deployment (a rollback it asked for, a gate it rejected). */
    public record Intent(io.jenkins.plugins.ecsdeploy.engine.RollbackCause cause, String reason, String by) {}

    /**
     * Events from {@code prev} (null on the first observation) to {@code cur}. {@code hookStages} maps hookId to the
     * stage it was first seen in and is updated here.
     */
    public static List<DeploymentEvent> diff(Observation prev, Observation cur, Map<String, String> hookStages,
                                             DeploymentSnapshot before, Intent intent) {
        List<DeploymentEvent> ev = new ArrayList<>();
        Instant at = cur.at();
        if (prev == null) {
            ev.add(new DeploymentEvent.Observed(at, cur.arn(), cur.serviceArn(), cur.clusterArn(), cur.strategy(),
                    cur.sourceArns(), cur.targetArn(), cur.createdAt(), cur.alarmNames()));
        }
        if (prev == null || !Objects.equals(prev.status(), cur.status())
                || !Objects.equals(prev.statusReason(), cur.statusReason())) {
            ev.add(new DeploymentEvent.StatusChanged(at, cur.status(), cur.statusReason()));
        }
        String oldStage = prev == null ? null : prev.lifecycleStage();
        if (!Objects.equals(oldStage, cur.lifecycleStage())) {
            if (oldStage != null) {
                ev.add(new DeploymentEvent.StageLeft(at, oldStage));
            }
            if (cur.lifecycleStage() != null) {
                ev.add(new DeploymentEvent.StageEntered(at, cur.lifecycleStage()));
            }
        }
        if (prev == null || !Objects.equals(prev.greenProd(), cur.greenProd())
                || !Objects.equals(prev.greenTest(), cur.greenTest()) || !Objects.equals(prev.blueProd(), cur.blueProd())
                || !Objects.equals(prev.blueTest(), cur.blueTest())) {
            if (cur.greenProd() != null || cur.greenTest() != null || cur.blueProd() != null || cur.blueTest() != null) {
                ev.add(new DeploymentEvent.TrafficChanged(at, cur.greenProd(), cur.greenTest(), cur.blueProd(), cur.blueTest()));
            }
        }
        if (prev == null || prev.greenRequested() != cur.greenRequested() || prev.greenRunning() != cur.greenRunning()
                || prev.greenPending() != cur.greenPending()) {
            ev.add(new DeploymentEvent.TasksChanged(at, "green", cur.targetArn(), cur.greenRequested(), cur.greenRunning(),
                    cur.greenPending()));
        }
        if (prev == null || prev.blueRequested() != cur.blueRequested() || prev.blueRunning() != cur.blueRunning()
                || prev.bluePending() != cur.bluePending()) {
            ev.add(new DeploymentEvent.TasksChanged(at, "blue", cur.sourceArns().isEmpty() ? null : cur.sourceArns().get(0),
                    cur.blueRequested(), cur.blueRunning(), cur.bluePending()));
        }
        boolean forward = !cur.rollingBack() && cur.rollbackStartedAt() == null && before.rollbackStartedAt() == null
                && !"STOP_REQUESTED".equals(cur.status()) && !"STOPPED".equals(cur.status())
                && !"ROLLBACK_SUCCESSFUL".equals(cur.status()) && !"ROLLBACK_FAILED".equals(cur.status());
        List<DeploymentSnapshot.Hook> cutShort = new ArrayList<>();
        for (DeploymentSnapshot.Hook h : vanished(before, cur)) {
            String decided = gateState(before, h.hookId());
            if ("CONTINUED".equals(decided) || "ROLLED_BACK".equals(decided)) {
                // Our decision (or one seen earlier) was applied: ECS drops a decided hook from lifecycleHookDetails.
                ev.add(finalStatus(at, h, "CONTINUED".equals(decided) ? "SUCCEEDED" : "FAILED"));
            } else if (h.expiresAt() != null && !h.expiresAt().isAfter(at)) {
                ev.add(finalStatus(at, h, "TIMED_OUT"));
            } else if (forward) {
                // Gone while the deployment goes on: it let the deployment through (answered CONTINUE elsewhere,
                // or a Lambda hook that succeeded between two polls).
                ev.add(finalStatus(at, h, "SUCCEEDED"));
                if ("PAUSE".equals(h.targetType()) && "AWAITING_ACTION".equals(decided)) {
                    ev.add(new DeploymentEvent.GateDecided(at, h.stage(), h.hookId(), HookAction.CONTINUE, null, null));
                }
            } else {
                cutShort.add(h); // closed after the rollback's cause is known (below)
            }
        }
        for (Observation.HookView h : cur.hooks()) {
            String stage = hookStages.computeIfAbsent(h.hookId(),
                    k -> cur.lifecycleStage() == null ? "UNKNOWN" : cur.lifecycleStage());
            DeploymentSnapshot.Hook last = null;
            for (DeploymentSnapshot.Hook x : before.hooks()) {
                if (x.hookId().equals(h.hookId())) {
                    last = x;
                }
            }
            if (last == null || !Objects.equals(last.status(), h.status())
                    || h.expiresAt() != null && !Objects.equals(last.expiresAt(), h.expiresAt())) {
                ev.add(new DeploymentEvent.HookStatusChanged(at, stage, h.hookId(), h.targetType(), h.targetArn(),
                        h.status(), h.expiresAt(), h.timeoutAction()));
            }
            if (isGate(h)) {
                boolean gateKnown = before.gates().stream().anyMatch(g -> g.hookId().equals(h.hookId()));
                if ("AWAITING_ACTION".equals(h.status()) && !gateKnown) {
                    ev.add(new DeploymentEvent.GateAwaiting(at, stage, h.hookId(), h.expiresAt()));
                } else if (("SUCCEEDED".equals(h.status()) || "FAILED".equals(h.status()))) {
                    boolean decided = before.gates().stream().anyMatch(g -> g.hookId().equals(h.hookId())
                            && !"AWAITING_ACTION".equals(g.state()));
                    if (!decided) {
                        // Decided outside this engine (another controller, the console): we do not know by whom.
                        ev.add(new DeploymentEvent.GateDecided(at, stage, h.hookId(),
                                "SUCCEEDED".equals(h.status()) ? HookAction.CONTINUE : HookAction.ROLLBACK, null, null));
                    }
                }
            }
        }
        List<String> newAlarms = new ArrayList<>();
        for (String a : cur.triggeredAlarms()) {
            if (!before.triggeredAlarms().contains(a)) {
                newAlarms.add(a);
            }
        }
        if (!newAlarms.isEmpty()) {
            ev.add(new DeploymentEvent.AlarmTriggered(at, newAlarms));
        }
        if ("TRIGGERED".equals(cur.circuitBreakerStatus()) && !before.circuitBreakerTriggered()) {
            ev.add(new DeploymentEvent.CircuitBreakerTriggered(at, cur.circuitBreakerFailures(), cur.circuitBreakerThreshold()));
        }
        boolean rollbackSeen = before.rollbackStartedAt() != null;
        if (!rollbackSeen && (cur.rollingBack() || cur.rollbackStartedAt() != null
                || "ROLLBACK_SUCCESSFUL".equals(cur.status()) || "ROLLBACK_FAILED".equals(cur.status()))) {
            // Classify against the snapshot including this round's events (alarm names, hook failures).
            DeploymentSnapshot s = before;
            for (DeploymentEvent e : ev) {
                s = s.apply(e);
            }
            OutcomeClassifier.Cause c = OutcomeClassifier.cause(cur, s, intent);
            ev.add(new DeploymentEvent.RollbackStarted(cur.rollbackStartedAt() != null ? cur.rollbackStartedAt() : at,
                    c.cause(), c.reason()));
        }
        if (!cutShort.isEmpty()) {
            // Gone because the deployment rolls back or stops. Closed only now, after the cause was classified from
            // the hooks as last seen (OutcomeClassifier reads an awaiting gate / a running Lambda hook as a clue).
            DeploymentSnapshot s = before;
            for (DeploymentEvent e : ev) {
                s = s.apply(e);
            }
            String why = s.rollbackReason() != null ? s.rollbackReason()
                    : (cur.statusReason() != null ? cur.statusReason() : "the deployment " + cur.status());
            for (DeploymentSnapshot.Hook h : cutShort) {
                ev.add(finalStatus(at, h, "FAILED"));
                if ("PAUSE".equals(h.targetType()) && "AWAITING_ACTION".equals(gateState(before, h.hookId()))) {
                    ev.add(new DeploymentEvent.GateDecided(at, h.stage(), h.hookId(), HookAction.ROLLBACK, null,
                            s.rollbackCause() == io.jenkins.plugins.ecsdeploy.engine.RollbackCause.GATE_REJECTED
                                    && (s.rollbackReason() == null || s.rollbackReason().contains(h.stage()))
                                    ? null : "not decided; " + why));
                }
            }
        }
        if (cur.terminal()) {
            DeploymentSnapshot s = before;
            for (DeploymentEvent e : ev) {
                s = s.apply(e);
            }
            Outcome o = OutcomeClassifier.outcome(cur, s, intent);
            ev.add(new DeploymentEvent.Finished(at, o));
        }
        return ev;
    }

    /**
     * Hooks last seen AWAITING_ACTION or IN_PROGRESS that ECS no longer lists. ECS lists only the hooks of the current
     * stage (ecs-api-facts §5b "active hooks"; docs/simulator.md: a decided or timed-out hook disappears), so a hook's
     * final status is often never reported: the engine infers it (docs/engine.md "Hooks that disappear").
     */
    private static List<DeploymentSnapshot.Hook> vanished(DeploymentSnapshot before, Observation cur) {
        List<DeploymentSnapshot.Hook> out = new ArrayList<>();
        for (DeploymentSnapshot.Hook h : before.hooks()) {
            if (("AWAITING_ACTION".equals(h.status()) || "IN_PROGRESS".equals(h.status())) && cur.hook(h.hookId()) == null) {
                out.add(h);
            }
        }
        return out;
    }

    private static String gateState(DeploymentSnapshot s, String hookId) {
        for (DeploymentSnapshot.GateState g : s.gates()) {
            if (g.hookId().equals(hookId)) {
                return g.state();
            }
        }
        return null;
    }

    private static DeploymentEvent.HookStatusChanged finalStatus(Instant at, DeploymentSnapshot.Hook h, String status) {
        return new DeploymentEvent.HookStatusChanged(at, h.stage(), h.hookId(), h.targetType(), h.targetArn(), status,
                h.expiresAt(), h.timeoutAction());
    }

    /** Every PAUSE hook on a service the engine deploys is a gate (docs/engine.md "PAUSE hooks are the engine's"). */
    static boolean isGate(Observation.HookView h) {
        return "PAUSE".equals(h.targetType());
    }
}
