package io.jenkins.plugins.ecsdeploy.engine.switchover;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows a native deployment that carries a {@link Switchover} (docs/cutovers.md "Switchover flag"). It plugs into
 * {@link DeploymentEngine#follow} without changing it: the gate at the switchover's stage is answered by this class
 * (the flag set to green's value, then ContinueServiceDeployment CONTINUE, recorded as decided by
 * {@value Switchover#DECIDED_BY} with what was written); every other gate goes to the caller's handler; and when the
 * deployment rolls back (ECS reports the rollback, or it ends other than SUCCEEDED) while the flag holds green's value,
 * the flag is set to blue's value. Restart-safe by reading the flag: a re-offered gate writes nothing new when the
 * flag already holds green's value, and a rollback after a restart still finds green's value and sets blue's.
 *
 * <p>Flag I/O runs on {@code io}, one task after another per deployment; callbacks never block.
 */
public final class SwitchoverFollower {
    private static final Logger LOG = Logger.getLogger(SwitchoverFollower.class.getName());

    private final DeploymentEngine engine;
    private final FlagStore flags;
    private final Executor io;

    public SwitchoverFollower(DeploymentEngine engine, FlagStore flags, Executor io) {
        this.engine = engine;
        this.flags = flags;
        this.io = io;
    }

    /**
     * Reads only: the parameter must exist and not be a SecureString. Call before starting the deployment (the front
     * ends do): a problem → InvalidRequestException, nothing written.
     */
    public void preflight(Switchover s) {
        FlagStore.Flag f = flags.read(s.parameter());
        if (f == null) {
            throw new InvalidRequestException(List.of(new ValidationProblem("switchover.parameter", s.parameter(),
                    "an existing " + flags.kind() + " holding blue's value (create it first, e.g. aws ssm put-parameter --type String --name "
                            + s.parameter() + " --value <blue's value>)")));
        }
        if (f.secure()) {
            throw new InvalidRequestException(List.of(new ValidationProblem("switchover.parameter", s.parameter(),
                    "a String parameter: a switchover flag is no secret, and a SecureString would need kms:Decrypt to compare")));
        }
    }

    /** A followed deployment with its switchover; {@link #outcome()} completes after any flip back is done. */
    public interface Run extends Subscription {
        SwitchoverState switchover();
    }

    public Run follow(DeploymentHandle h, Switchover s, DeploymentListener listener, GateHandler userGates,
                      Consumer<SwitchoverState> onChange) {
        return follow(h, s, listener, userGates, onChange, Map.of());
    }

    public Run follow(DeploymentHandle h, Switchover s, DeploymentListener listener, GateHandler userGates,
                      Consumer<SwitchoverState> onChange, Map<String, GateDecision> decisionsAlreadyMade) {
        RunImpl run = new RunImpl(h, s, listener, userGates, onChange);
        run.subscription = engine.follow(h, run::onEvent, run::onGate, decisionsAlreadyMade);
        run.subscription.outcome().whenComplete((o, e) -> run.enqueue(() -> run.finish(o)));
        return run;
    }

    private final class RunImpl implements Run {
        private final DeploymentHandle handle;
        private final Switchover s;
        private final DeploymentListener listener;
        private final GateHandler userGates;
        private final Consumer<SwitchoverState> onChange;
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private final Clock clock;
        private volatile Subscription subscription;
        private volatile SwitchoverState state;
        private volatile DeploymentSnapshot last;
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        private boolean rollbackSeen;

        RunImpl(DeploymentHandle h, Switchover s, DeploymentListener l, GateHandler g, Consumer<SwitchoverState> onChange) {
            this.handle = h;
            this.s = s;
            this.listener = l;
            this.userGates = g;
            this.onChange = onChange;
            this.clock = engine.scheduler().clock();
            this.state = SwitchoverState.waiting(s);
        }

        synchronized void enqueue(Runnable task) {
            tail = tail.thenRunAsync(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "switchover task failed", e);
                }
            }, io);
        }

        void onEvent(DeploymentEvent e, DeploymentSnapshot snap) {
            last = snap;
            if (listener != null) {
                listener.onEvent(e, snap);
            }
            if (e instanceof DeploymentEvent.RollbackStarted) {
                enqueue(() -> flipBack("the deployment is rolling back"));
            }
        }

        void onGate(PendingGate g) {
            if (!g.stage().equals(s.stage())) {
                if (userGates != null) {
                    userGates.onGate(g);
                }
                return;
            }
            last = g.snapshot();
            enqueue(() -> flip(g));
        }

        /** At the stage: green's value, then CONTINUE; a failure → ROLLBACK with the reason. */
        private void flip(PendingGate g) {
            String green = Switchover.resolve(s.greenValue(), greenTaskDefinition());
            String comment;
            HookAction action;
            try {
                FlagStore.Flag before = flags.read(s.parameter());
                if (before == null) {
                    throw new IllegalStateException(flags.kind() + " " + s.parameter() + " does not exist");
                }
                if (!green.equals(before.value())) {
                    try {
                        flags.write(s.parameter(), green);
                    } catch (RuntimeException writeFailed) {
                        FlagStore.Flag after = flags.read(s.parameter());   // the reply may be lost while the write applied
                        if (after == null || !green.equals(after.value())) {
                            throw writeFailed;
                        }
                    }
                }
                String previous = before.value();
                state = new SwitchoverState(s.parameter(), s.stage(), "FLIPPED", green, state.blueValue(), previous,
                        Instant.now(clock), null, null);
                comment = "switchover: " + s.parameter() + " set to '" + green + "' (was '" + previous + "')";
                action = HookAction.CONTINUE;
            } catch (RuntimeException e) {
                String why = SafeText.line(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                state = state.with("FAILED", "could not set " + s.parameter() + " to '" + green + "': " + why
                        + "; the deployment is rolled back");
                comment = "switchover: could not set " + s.parameter() + ": " + why;
                action = HookAction.ROLLBACK;
            }
            changed();
            engine.decide(handle, g.hookId(), new GateDecision(action, Switchover.DECIDED_BY, comment));
        }

        /** After a rollback began (or the deployment ended other than SUCCEEDED): blue's value, if green's is set. */
        private void flipBack(String why) {
            if (rollbackSeen) {
                return;
            }
            rollbackSeen = true;
            try {
                String green = Switchover.resolve(s.greenValue(), greenTaskDefinition());
                FlagStore.Flag now = flags.read(s.parameter());
                if (now == null || green == null || !green.equals(now.value())) {
                    if (!"FLIPPED".equals(state.status())) {
                        if (!"FAILED".equals(state.status())) {
                            state = state.with("NOT_FLIPPED", why + " before " + s.stage());
                            changed();
                        }
                        return;
                    }
                    state = state.with("FAILED", s.parameter() + " holds '" + (now == null ? null : now.value())
                            + "', not green's value: changed outside this deployment, left as it is");
                    changed();
                    return;
                }
                DeploymentSnapshot snap = last;
                String blueTd = snap == null ? null : snap.blue().taskDefinition();
                String blue = Switchover.resolve(s.blueValue(), blueTd);
                if (blue == null) {
                    blue = state.previousValue();
                }
                if (blue == null) {
                    state = state.with("FAILED", "blue's value is not known (blue's task definition was not described): set "
                            + s.parameter() + " to blue's value by hand");
                    changed();
                    return;
                }
                flags.write(s.parameter(), blue);
                state = new SwitchoverState(s.parameter(), s.stage(), "FLIPPED_BACK", green, blue, state.previousValue(),
                        state.flippedAt(), Instant.now(clock), why);
            } catch (RuntimeException e) {
                state = state.with("FAILED", "could not set " + s.parameter() + " back to blue's value: "
                        + SafeText.line(String.valueOf(e.getMessage())) + " — set it by hand");
            }
            changed();
        }

        private void finish(Outcome o) {
            if (o != null && !o.succeeded()) {
                flipBack("the deployment ended " + o.kind());
            } else if ("WAITING".equals(state.status())) {
                state = state.with("NOT_FLIPPED", "the deployment ended before " + s.stage());
                changed();
            }
            outcome.complete(o);
        }

        private String greenTaskDefinition() {
            DeploymentSnapshot snap = last;
            String td = snap == null ? null : snap.green().taskDefinition();
            return td != null ? td : handle.taskDefinitionArn();
        }

        private void changed() {
            if (onChange != null) {
                try {
                    onChange.accept(state);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "switchover listener failed", e);
                }
            }
        }

        @Override
        public SwitchoverState switchover() {
            return state;
        }

        @Override
        public void close() {
            subscription.close();
        }

        @Override
        public CompletableFuture<Outcome> outcome() {
            return outcome;
        }

        @Override
        public DeploymentSnapshot snapshot() {
            return subscription.snapshot();
        }
    }
}
