package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot.GateState;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot.Hook;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Lifecycle hooks (Lambda and PAUSE) and gates (the PAUSE hooks the engine placed): {@code HookStatusChanged},
 * {@code GateAwaiting}, {@code GateDecided}. JSON members: hooks, gates.
 */
public record SnapshotGates(List<Hook> hooks, List<GateState> gates) implements SnapshotPart<SnapshotGates> {

    public static final SnapshotGates EMPTY = new SnapshotGates(List.of(), List.of());

    public SnapshotGates {
        hooks = hooks == null ? List.of() : List.copyOf(hooks);
        gates = gates == null ? List.of() : List.copyOf(gates);
    }

    @Override
    public SnapshotGates fold(DeploymentEvent e, DeploymentSnapshot before) {
        if (e instanceof DeploymentEvent.HookStatusChanged hs) {
            return withHook(hs);
        }
        if (e instanceof DeploymentEvent.GateAwaiting ga) {
            if (gateState(ga.hookId()) != null) {
                return this;
            }
            List<GateState> g = new ArrayList<>(gates);
            g.add(new GateState(ga.stage(), ga.hookId(), "AWAITING_ACTION", ga.expiresAt(), ga.at(), null, null, null,
                    timeoutActionOf(ga.hookId())));
            return new SnapshotGates(hooks, g);
        }
        if (e instanceof DeploymentEvent.GateDecided gd) {
            String state = gd.action() == HookAction.CONTINUE ? "CONTINUED" : "ROLLED_BACK";
            if (gateState(gd.hookId()) == null) {
                List<GateState> g = new ArrayList<>(gates);
                g.add(new GateState(gd.stage(), gd.hookId(), state, null, null, gd.by(), gd.comment(), gd.at(),
                        timeoutActionOf(gd.hookId())));
                return new SnapshotGates(hooks, g);
            }
            return new SnapshotGates(hooks, updateGate(gd.hookId(), g -> new GateState(g.stage(), g.hookId(), state,
                    g.expiresAt(), g.awaitingSince(), gd.by() != null ? gd.by() : g.decidedBy(),
                    gd.comment() != null ? gd.comment() : g.comment(), gd.at(), g.timeoutAction())));
        }
        return this;
    }

    /** A hook seen for the first time, or its new status; a PAUSE hook that timed out marks its gate TIMED_OUT. */
    private SnapshotGates withHook(DeploymentEvent.HookStatusChanged hs) {
        List<Hook> h = new ArrayList<>(hooks);
        boolean replaced = false;
        for (int i = 0; i < h.size(); i++) {
            Hook old = h.get(i);
            if (old.hookId().equals(hs.hookId())) {
                h.set(i, new Hook(old.hookId(), old.stage(), hs.targetType(), hs.targetArn(), hs.status(),
                        hs.expiresAt() == null ? old.expiresAt() : hs.expiresAt(), hs.timeoutAction(), hs.at()));
                replaced = true;
            }
        }
        if (!replaced) {
            h.add(new Hook(hs.hookId(), hs.stage(), hs.targetType(), hs.targetArn(), hs.status(), hs.expiresAt(),
                    hs.timeoutAction(), hs.at()));
        }
        List<GateState> g = !"TIMED_OUT".equals(hs.status()) ? gates : updateGate(hs.hookId(), x -> new GateState(
                x.stage(), x.hookId(), "TIMED_OUT", x.expiresAt(), x.awaitingSince(), x.decidedBy(), x.comment(),
                x.decidedAt() == null ? hs.at() : x.decidedAt(), x.timeoutAction()));
        if (hs.timeoutAction() != null) { // a gate seen before its hook's timeout action was known
            g = updateGate(g, hs.hookId(), x -> x.timeoutAction() != null ? x : new GateState(x.stage(), x.hookId(),
                    x.state(), x.expiresAt(), x.awaitingSince(), x.decidedBy(), x.comment(), x.decidedAt(),
                    hs.timeoutAction()));
        }
        return new SnapshotGates(h, g);
    }

    /** What ECS does when the gate's hook times out (the hook's timeoutAction as last reported), or null. */
    private String timeoutActionOf(String hookId) {
        for (Hook h : hooks) {
            if (h.hookId().equals(hookId)) {
                return h.timeoutAction();
            }
        }
        return null;
    }

    private List<GateState> updateGate(String hookId, UnaryOperator<GateState> f) {
        return updateGate(gates, hookId, f);
    }

    private static List<GateState> updateGate(List<GateState> gates, String hookId, UnaryOperator<GateState> f) {
        List<GateState> g = new ArrayList<>(gates);
        g.replaceAll(x -> x.hookId().equals(hookId) ? f.apply(x) : x);
        return g;
    }

    private String gateState(String hookId) {
        return stateOf(gates, hookId);
    }

    /** The gate's state (AWAITING_ACTION, CONTINUED, ROLLED_BACK, TIMED_OUT), null when no such gate. */
    static String stateOf(List<GateState> gates, String hookId) {
        for (GateState g : gates) {
            if (g.hookId().equals(hookId)) {
                return g.state();
            }
        }
        return null;
    }

    // ---- diff ----

    /**
     * Hook and gate events between two observations. Hooks ECS no longer lists get an inferred final status
     * (docs/engine.md "Hooks that disappear"); those cut short by a rollback or stop are returned instead, to be closed
     * by {@link #closeCutShort} once the rollback's cause was classified from the hooks as last seen.
     * {@code hookStages} maps hookId to the stage it was first seen in and is updated here.
     */
    static List<Hook> diff(Observation cur, DeploymentSnapshot before, Map<String, String> hookStages,
                           List<DeploymentEvent> out) {
        Instant at = cur.at();
        boolean forward = !cur.rollingBack() && cur.rollbackStartedAt() == null && before.rollbackStartedAt() == null
                && !"STOP_REQUESTED".equals(cur.status()) && !"STOPPED".equals(cur.status())
                && !"ROLLBACK_SUCCESSFUL".equals(cur.status()) && !"ROLLBACK_FAILED".equals(cur.status());
        List<Hook> cutShort = new ArrayList<>();
        for (Hook h : vanished(before, cur)) {
            String decided = stateOf(before.gates(), h.hookId());
            if ("CONTINUED".equals(decided) || "ROLLED_BACK".equals(decided)) {
                // Our decision (or one seen earlier) was applied: ECS drops a decided hook from lifecycleHookDetails.
                out.add(finalStatus(at, h, "CONTINUED".equals(decided) ? "SUCCEEDED" : "FAILED"));
            } else if (h.expiresAt() != null && !h.expiresAt().isAfter(at)) {
                out.add(finalStatus(at, h, "TIMED_OUT"));
            } else if (forward) {
                // Gone while the deployment goes on: it let the deployment through (answered CONTINUE elsewhere,
                // or a Lambda hook that succeeded between two polls).
                out.add(finalStatus(at, h, "SUCCEEDED"));
                if ("PAUSE".equals(h.targetType()) && "AWAITING_ACTION".equals(decided)) {
                    out.add(new DeploymentEvent.GateDecided(at, h.stage(), h.hookId(), HookAction.CONTINUE, null, null));
                }
            } else {
                cutShort.add(h);
            }
        }
        for (Observation.HookView h : cur.hooks()) {
            String stage = hookStages.computeIfAbsent(h.hookId(),
                    k -> cur.stageOf(h)); // the configuration tells when ECS reports no stage (ROLLING)
            seen(h, stage, at, before, out);
        }
        return cutShort;
    }

    /** A listed hook: its new status, and for a gate, awaiting or decided outside this engine. */
    private static void seen(Observation.HookView h, String stage, Instant at, DeploymentSnapshot before,
                             List<DeploymentEvent> out) {
        Hook last = null;
        for (Hook x : before.hooks()) {
            if (x.hookId().equals(h.hookId())) {
                last = x;
            }
        }
        if (last == null || !Objects.equals(last.status(), h.status())
                || h.expiresAt() != null && !Objects.equals(last.expiresAt(), h.expiresAt())) {
            out.add(new DeploymentEvent.HookStatusChanged(at, stage, h.hookId(), h.targetType(), h.targetArn(),
                    h.status(), h.expiresAt(), h.timeoutAction()));
        }
        if (!isGate(h)) {
            return;
        }
        String state = stateOf(before.gates(), h.hookId());
        if ("AWAITING_ACTION".equals(h.status()) && state == null) {
            out.add(new DeploymentEvent.GateAwaiting(at, stage, h.hookId(), h.expiresAt()));
        } else if (("SUCCEEDED".equals(h.status()) || "FAILED".equals(h.status()))
                && (state == null || "AWAITING_ACTION".equals(state))) {
            // Decided outside this engine (another controller, the console): we do not know by whom.
            out.add(new DeploymentEvent.GateDecided(at, stage, h.hookId(),
                    "SUCCEEDED".equals(h.status()) ? HookAction.CONTINUE : HookAction.ROLLBACK, null, null));
        }
    }

    /**
     * Closes the hooks that disappeared because the deployment rolls back or stops: FAILED, and an undecided gate
     * ROLLED_BACK without a decider ("not decided; " + the rollback's reason), unless that gate's rejection elsewhere
     * was the rollback's cause. {@code after} = the snapshot with this round's events so far (the rollback included).
     */
    static void closeCutShort(List<Hook> cutShort, Observation cur, DeploymentSnapshot before, DeploymentSnapshot after,
                              List<DeploymentEvent> out) {
        String why = after.rollbackReason() != null ? after.rollbackReason()
                : (cur.statusReason() != null ? cur.statusReason() : "the deployment " + cur.status());
        for (Hook h : cutShort) {
            out.add(finalStatus(cur.at(), h, "FAILED"));
            if ("PAUSE".equals(h.targetType()) && "AWAITING_ACTION".equals(stateOf(before.gates(), h.hookId()))) {
                boolean thisGateWasTheCause = after.rollbackCause() == RollbackCause.GATE_REJECTED
                        && (after.rollbackReason() == null || after.rollbackReason().contains(h.stage()));
                out.add(new DeploymentEvent.GateDecided(cur.at(), h.stage(), h.hookId(), HookAction.ROLLBACK, null,
                        thisGateWasTheCause ? null : "not decided; " + why));
            }
        }
    }

    /**
     * Hooks last seen AWAITING_ACTION or IN_PROGRESS that ECS no longer lists. ECS lists only the hooks of the current
     * stage (docs/engine.md "Hooks that disappear"; docs/simulator.md: a decided or timed-out hook disappears), so a
     * hook's final status is often never reported: the engine infers it.
     */
    private static List<Hook> vanished(DeploymentSnapshot before, Observation cur) {
        List<Hook> out = new ArrayList<>();
        for (Hook h : before.hooks()) {
            if (("AWAITING_ACTION".equals(h.status()) || "IN_PROGRESS".equals(h.status())) && cur.hook(h.hookId()) == null) {
                out.add(h);
            }
        }
        return out;
    }

    private static DeploymentEvent.HookStatusChanged finalStatus(Instant at, Hook h, String status) {
        return new DeploymentEvent.HookStatusChanged(at, h.stage(), h.hookId(), h.targetType(), h.targetArn(), status,
                h.expiresAt(), h.timeoutAction());
    }

    /** Every PAUSE hook on a service the engine deploys is a gate (docs/engine.md "The PAUSE-hook rule"). */
    static boolean isGate(Observation.HookView h) {
        return "PAUSE".equals(h.targetType());
    }
}
