package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Callback delivery. Under the watcher's lock events are only folded into the snapshot and their callbacks queued in
 * the deployment's outbox ({@link #emitLocked}); after the lock is released, the thread that queued them runs them
 * ({@link #flush}), one at a time per deployment. So callbacks of one deployment arrive in order and never
 * concurrently, and a callback may take its own locks even when another thread holding them calls into the watcher
 * (follow, close) — docs/engine.md "4. Follow", "Callbacks never run under the watcher's lock".
 */
final class Delivery {
    private static final Logger LOG = Logger.getLogger(DeploymentWatcher.class.getName());
    private final Registry registry;
    /** Told of every gate seen decided outside this engine (issue 10: who decided is then read from the service). */
    private volatile OutsideDecisions outside;

    /** Who wants to know of gates decided outside this engine; called outside the lock, must not block. */
    interface OutsideDecisions {
        void decidedOutside(String deploymentArn, String hookId, io.jenkins.plugins.ecsdeploy.engine.HookAction action);
    }

    Delivery(Registry registry) {
        this.registry = registry;
    }

    void onDecidedOutside(OutsideDecisions o) {
        this.outside = o;
    }

    /** Folds events into the snapshot and queues their callbacks; must hold the lock. */
    void emitLocked(Tracked t, List<DeploymentEvent> events) {
        for (DeploymentEvent e : events) {
            t.snapshot = t.snapshot.apply(e);
            if (e instanceof DeploymentEvent.TrafficChanged) {
                t.trafficChangedAt = e.at();
            }
            DeploymentSnapshot snap = t.snapshot;
            OutsideDecisions od = outside;
            if (od != null && e instanceof DeploymentEvent.GateDecided gd && gd.by() == null
                    && gd.action() != null && !t.decisions.containsKey(gd.hookId())) {
                // decided by someone else (another CLI, another controller, the console) — or, when ECS's reason did
                // not say, perhaps not decided at all: ask the service who, outside the lock; only a record answers
                String arn = t.handle.deploymentArn();
                t.outbox.add(() -> od.decidedOutside(arn, gd.hookId(), gd.action()));
            }
            for (FollowSubscription s : t.subs) {
                t.outbox.add(() -> deliver(s, e, snap));
                if (e instanceof DeploymentEvent.GateAwaiting) {
                    offerAwaitingGatesLocked(t, s);
                }
            }
            if (e instanceof DeploymentEvent.Finished f) {
                t.finished = true;
                for (FollowSubscription s : t.subs) {
                    // After the Finished event, in the same queue: whatever the caller chained to the future
                    // (thenAccept, whenComplete...) runs outside the watcher's lock.
                    t.outbox.add(() -> s.outcome.complete(f.outcome()));
                }
            }
        }
    }

    /**
     * Runs the deployment's queued callbacks on this thread, outside the lock, one at a time. When another thread is
     * already running them (or this thread, in a callback that called back into the watcher), it leaves the new ones
     * to that thread, which takes them in order before it stops. Must not be called with the lock held.
     */
    void flush(Tracked t) {
        if (t == null) {
            return;
        }
        while (true) {
            Runnable next;
            synchronized (registry.lock) {
                if (t.delivering) {
                    return;
                }
                if (t.outbox.isEmpty()) {
                    registry.dropIfDoneLocked(t);
                    return;
                }
                next = t.outbox.poll();
                t.delivering = true;
            }
            try {
                next.run();
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "a deployment callback failed", ex);
            } finally {
                synchronized (registry.lock) {
                    t.delivering = false;
                }
            }
        }
    }

    private static void deliver(FollowSubscription s, DeploymentEvent e, DeploymentSnapshot snap) {
        if (s.closed || s.listener == null) {
            return;
        }
        try {
            s.listener.onEvent(e, snap);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "a deployment listener failed on " + e.describe(), ex);
        }
    }

    /**
     * Queues the offer of each awaiting gate, once per subscription, unless the caller said it was decided already;
     * must hold the lock.
     */
    void offerAwaitingGatesLocked(Tracked t, FollowSubscription s) {
        if (s.gates == null || s.closed) {
            return;
        }
        for (DeploymentSnapshot.GateState g : t.snapshot.awaitingGates()) {
            if (t.decisions.containsKey(g.hookId()) || !s.offered.add(g.hookId())) {
                continue;
            }
            PendingGate pending = new PendingGate(t.handle, g.stage(), g.hookId(), g.expiresAt(), t.snapshot);
            t.outbox.add(() -> {
                if (s.closed) {
                    return;
                }
                try {
                    s.gates.onGate(pending);
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "a gate handler failed on hook " + pending.hookId(), ex);
                }
            });
        }
    }
}
