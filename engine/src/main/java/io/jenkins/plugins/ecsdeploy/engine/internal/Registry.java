package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registration: which deployments the watcher follows, their subscriptions, the rollback intents recorded before a
 * deployment was followed, and the ARNs recently seen finished. Owns the watcher's one lock; every method that is not
 * named {@code ...Locked} takes it, the others must be called with it held.
 */
final class Registry {
    /** The watcher's one lock: guards every Tracked, this registry and the round state. */
    final Object lock = new Object();
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    /** Followed deployments by service ARN: deployment state change events name the service only. */
    private final Map<String, List<Tracked>> byService = new HashMap<>();
    /** Rollbacks/decisions made through this engine on deployments nobody follows yet: picked up by follow(). */
    private final Map<String, EventDiff.Intent> pendingIntents = new HashMap<>();
    /**
     * ARNs of deployments this watcher saw finish and has dropped: lets decide() answer DEPLOYMENT_FINISHED without a
     * call. Bounded (an ARN and a map entry, ~0.3 KiB each): the oldest are forgotten, and a decision on a forgotten
     * one simply asks ECS again.
     */
    private final Map<String, Boolean> recentlyFinished = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENTLY_FINISHED;
        }
    };
    static final int RECENTLY_FINISHED = 1024;
    private boolean closed;

    /** The Tracked of this ARN (made when new) with the decisions the caller already made; must hold the lock. */
    Tracked registerLocked(DeploymentHandle h, Map<String, GateDecision> known) {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        Tracked t = tracked.get(h.deploymentArn());
        if (t == null) {
            t = new Tracked(h);
            t.intent = pendingIntents.remove(h.deploymentArn());
            tracked.put(t.arn, t);
            if (t.serviceArn != null) {
                byService.computeIfAbsent(t.serviceArn, k -> new ArrayList<>(1)).add(t);
            }
        } else if (t.handle.gateStages().isEmpty() && !h.gateStages().isEmpty()) {
            t.handle = h;
        }
        if (known != null) {
            t.decisions.putAll(known);
            for (GateDecision d : known.values()) {
                if (d != null && d.action() == HookAction.ROLLBACK && t.intent == null) {
                    String stage = h.gateStages().size() == 1 ? h.gateStages().get(0) : null;
                    t.intent = rejection(stage, d);
                }
            }
        }
        return t;
    }

    /** A subscription closed: nobody listens any more → stop polling it; a later follow() starts from ECS's state. */
    void unsubscribe(FollowSubscription s) {
        synchronized (lock) {
            s.closed = true;
            s.t.subs.remove(s);
            if (s.t.subs.isEmpty() && !s.t.finished && tracked.remove(s.t.arn, s.t)) {
                unindexLocked(s.t);
            }
        }
    }

    private void unindexLocked(Tracked t) {
        List<Tracked> l = t.serviceArn == null ? null : byService.get(t.serviceArn);
        if (l != null) {
            l.remove(t);
            if (l.isEmpty()) {
                byService.remove(t.serviceArn);
            }
        }
    }

    /** The followed deployments an event names: by deployment ARN, or every one of the service it names. */
    List<Tracked> namedLocked(EventHint h) {
        if (h.deploymentArn() != null) {
            Tracked t = tracked.get(h.deploymentArn());
            return t == null ? List.of() : List.of(t);
        }
        return h.serviceArn() == null ? List.of() : List.copyOf(byService.getOrDefault(h.serviceArn(), List.of()));
    }

    Tracked getLocked(String arn) {
        return tracked.get(arn);
    }

    Tracked get(String arn) {
        synchronized (lock) {
            return tracked.get(arn);
        }
    }

    /** Still current (not dropped and followed anew since); must hold the lock. */
    boolean isCurrentLocked(Tracked t) {
        return tracked.get(t.arn) == t;
    }

    /** Unfinished deployments, in registration order; must hold the lock. */
    List<Tracked> activeLocked() {
        List<Tracked> out = new ArrayList<>();
        for (Tracked t : tracked.values()) {
            if (!t.finished) {
                out.add(t);
            }
        }
        return out;
    }

    int sizeLocked() {
        return tracked.size();
    }

    boolean closedLocked() {
        return closed;
    }

    /**
     * True when this watcher saw the deployment finish (still delivering its last callbacks, or dropped recently):
     * ECS's terminal statuses are final, so no call is needed to know a decision can no longer apply.
     */
    boolean isFinished(String arn) {
        synchronized (lock) {
            Tracked t = tracked.get(arn);
            return t != null ? t.finished : recentlyFinished.containsKey(arn);
        }
    }

    /**
     * A finished deployment whose last callbacks were all delivered leaves the watcher: a long-lived engine (the plugin
     * keeps one per credentials and region) must not keep, or iterate in every round, every deployment it ever
     * followed. Its subscriptions keep their Tracked (final snapshot, completed outcome). Must hold the lock.
     */
    void dropIfDoneLocked(Tracked t) {
        if (t.finished && !t.delivering && t.outbox.isEmpty() && tracked.remove(t.arn, t)) {
            recentlyFinished.put(t.arn, Boolean.TRUE);
            unindexLocked(t);
        }
    }

    /** A rollback the engine asked for (manual, build aborted): kept for the outcome, also before follow(). */
    void recordIntent(String arn, EventDiff.Intent intent) {
        synchronized (lock) {
            Tracked t = tracked.get(arn);
            if (t == null) {
                pendingIntents.putIfAbsent(arn, intent);
            } else if (t.intent == null || t.intent.cause() == RollbackCause.UNKNOWN) {
                t.intent = intent;
            }
        }
    }

    /** A ROLLBACK decision on a deployment nobody follows: remembered for a later follow(); must hold the lock. */
    void pendingRejectionLocked(String arn, GateDecision d) {
        if (d.action() == HookAction.ROLLBACK) {
            pendingIntents.putIfAbsent(arn, rejection(null, d));
        }
    }

    /** The rollback cause of a gate rejected through this engine: "gate [at STAGE] rejected by WHO[: COMMENT]". */
    static EventDiff.Intent rejection(String stage, GateDecision d) {
        return new EventDiff.Intent(RollbackCause.GATE_REJECTED, "gate" + (stage == null ? "" : " at " + stage)
                + " rejected by " + (d.decidedBy() == null ? "an unnamed user" : d.decidedBy())
                + (d.comment() == null || d.comment().isBlank() ? "" : ": " + d.comment()), d.decidedBy());
    }

    /** Stops following everything; outcome futures of unfinished deployments stay incomplete. Must hold the lock. */
    void closeLocked() {
        closed = true;
        tracked.clear();
        byService.clear();
        recentlyFinished.clear();
    }
}
