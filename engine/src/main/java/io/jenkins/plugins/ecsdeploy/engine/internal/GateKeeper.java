package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.EngineException;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookAction;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentStopType;

/**
 * Gate decisions and manual rollbacks: the two writes besides start(). A decision goes to ECS at once
 * (ContinueServiceDeployment on the decision threads, not on the next poll). Unless the watcher has just seen the hook
 * awaiting action, its state is read first; a hook no longer awaiting action is reported, never retried blindly, and
 * a call ECS refuses is explained from ECS's state.
 */
public final class GateKeeper {
    private final EcsClient ecs;
    private final Executor io;
    private final DeploymentWatcher watcher;
    private final Scheduler scheduler;
    /** Hooks with a decision in flight: a second concurrent decision on the same hook is ALREADY_DECIDED. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public GateKeeper(EcsClient ecs, Executor io, DeploymentWatcher watcher, Scheduler scheduler) {
        this.ecs = ecs;
        this.io = io;
        this.watcher = watcher;
        this.scheduler = scheduler;
    }

    public CompletableFuture<DecisionResult> decide(DeploymentHandle h, String hookId, GateDecision d) {
        if (hookId == null || d == null || d.action() == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("hookId and a decision with an action are required"));
        }
        String arn = h.deploymentArn();
        if (watcher.decisionOf(arn, hookId) != null || !inFlight.add(arn + "#" + hookId)) {
            return CompletableFuture.completedFuture(DecisionResult.ALREADY_DECIDED);
        }
        if (watcher.isFinished(arn)) {
            // The watcher saw it finish (completed statuses are final, ecs-api-facts §5d): no call needed.
            inFlight.remove(arn + "#" + hookId);
            return CompletableFuture.completedFuture(DecisionResult.DEPLOYMENT_FINISHED);
        }
        // When the watcher's latest look shows the hook awaiting action and not expired, send the decision at once
        // (one call); ECS refusing it is handled below by reading its state. Otherwise read first: a decision must
        // be about the hook as it is now.
        Observation last = watcher.lastObservation(arn);
        Observation.HookView seen = last == null || last.terminal() ? null : last.hook(hookId);
        boolean awaiting = seen != null && "AWAITING_ACTION".equals(seen.status())
                && (seen.expiresAt() == null || seen.expiresAt().isAfter(scheduler.clock().instant()));
        return Throttled.call(scheduler, io, () -> {
            if (!awaiting) {
                DecisionResult blocked = check(watcher.fetchNow(arn), hookId);
                if (blocked != null) {
                    return blocked;
                }
            }
            try {
                ecs.continueServiceDeployment(r -> r.serviceDeploymentArn(arn).hookId(hookId)
                        .action(d.action() == HookAction.CONTINUE ? DeploymentLifecycleHookAction.CONTINUE
                                : DeploymentLifecycleHookAction.ROLLBACK));
            } catch (AwsServiceException e) {
                if (DeploymentWatcher.isThrottling(e)) {
                    throw e; // not applied: Throttled tries again later
                }
                // ECS refused: find out why from its state rather than retrying.
                ServiceDeployment now = watcher.fetchNow(arn);
                DecisionResult why = check(now, hookId);
                if (why != null) {
                    return why;
                }
                throw new EngineException("ContinueServiceDeployment(" + hookId + ", " + d.action() + ") was refused: "
                        + e.awsErrorDetails().errorMessage(), e);
            }
            watcher.recordDecision(arn, hookId, d);
            watcher.poke(arn);
            return DecisionResult.APPLIED;
        }).whenComplete((r, e) -> inFlight.remove(arn + "#" + hookId));
    }

    /** Null when the hook awaits action; else why a decision cannot be applied. */
    private DecisionResult check(ServiceDeployment sd, String hookId) {
        Observation o = Observation.of(sd, scheduler.clock().instant());
        if (o.terminal()) {
            return DecisionResult.DEPLOYMENT_FINISHED;
        }
        Observation.HookView hv = o.hook(hookId);
        if (hv == null) {
            // Not among the active hooks: either long decided, or expired. The watcher's history may tell which.
            var snap = watcher.snapshotOf(sd.serviceDeploymentArn());
            if (snap != null) {
                for (var hk : snap.hooks()) {
                    if (hk.hookId().equals(hookId) && "TIMED_OUT".equals(hk.status())) {
                        return DecisionResult.EXPIRED;
                    }
                    if (hk.hookId().equals(hookId) && "AWAITING_ACTION".equals(hk.status()) && hk.expiresAt() != null
                            && hk.expiresAt().isBefore(scheduler.clock().instant())) {
                        return DecisionResult.EXPIRED;
                    }
                }
            }
            return DecisionResult.ALREADY_DECIDED;
        }
        if ("TIMED_OUT".equals(hv.status())) {
            return DecisionResult.EXPIRED;
        }
        if (!"AWAITING_ACTION".equals(hv.status())) {
            return DecisionResult.ALREADY_DECIDED;
        }
        Instant now = scheduler.clock().instant();
        if (hv.expiresAt() != null && hv.expiresAt().isBefore(now)) {
            return DecisionResult.EXPIRED;
        }
        return null;
    }

    /**
     * StopServiceDeployment(ROLLBACK) — the only stop type ECS documents (ecs-api-facts §5d). Idempotent: a
     * deployment already rolling back, stopping or finished is left as it is and the future completes normally.
     */
    public CompletableFuture<Void> rollback(DeploymentHandle h, RollbackCause cause, String reason, String by) {
        String arn = h.deploymentArn();
        RollbackCause c = cause == null ? RollbackCause.MANUAL : cause;
        String why = (c == RollbackCause.BUILD_ABORTED ? "build aborted" : "rolled back")
                + (by == null ? "" : " by " + by) + (reason == null || reason.isBlank() ? "" : ": " + reason);
        return Throttled.call(scheduler, io, () -> {
            Observation o = Observation.of(watcher.fetchNow(arn), scheduler.clock().instant());
            if (o.terminal() || o.rollingBack() || "STOP_REQUESTED".equals(o.status())) {
                return null;
            }
            watcher.recordIntent(arn, new EventDiff.Intent(c, why, by));
            try {
                ecs.stopServiceDeployment(r -> r.serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ROLLBACK));
            } catch (AwsServiceException e) {
                if (DeploymentWatcher.isThrottling(e)) {
                    throw e;
                }
                // ConflictException and friends: fine if ECS is already on its way back or done (ecs-api-facts §10.12).
                Observation now = Observation.of(watcher.fetchNow(arn), scheduler.clock().instant());
                if (!(now.terminal() || now.rollingBack() || "STOP_REQUESTED".equals(now.status()))) {
                    throw new EngineException("StopServiceDeployment(ROLLBACK) on " + arn + " was refused: "
                            + e.awsErrorDetails().errorMessage(), e);
                }
            }
            watcher.poke(arn);
            return (Void) null;
        });
    }
}
