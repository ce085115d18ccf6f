package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.EngineException;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookAction;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.StopServiceDeploymentStopType;

/**
 * Gate decisions and manual rollbacks: the two writes besides start(). A decision goes to ECS at once
 * (ContinueServiceDeployment on the decision threads, not on the next poll). Unless the watcher has just seen the hook
 * awaiting action, its state is read first; a hook no longer awaiting action is reported, never retried blindly, and
 * a call ECS refuses is explained from ECS's state. A call whose reply was lost is judged by ECS's state afterwards
 * (APPLIED when its effect is there; docs/reliability.md "Writes"). Every applied decision is also kept on the
 * service for other processes ({@link DecisionLedger}).
 */
public final class GateKeeper {
    private final EcsClient ecs;
    private final Executor io;
    private final DeploymentWatcher watcher;
    private final Scheduler scheduler;
    /** Hooks with a decision in flight: a second concurrent decision on the same hook is ALREADY_DECIDED. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final DecisionLedger ledger;
    private final java.util.concurrent.atomic.AtomicInteger lostReplies = new java.util.concurrent.atomic.AtomicInteger();

    public GateKeeper(EcsClient ecs, Executor io, DeploymentWatcher watcher, Scheduler scheduler) {
        this.ecs = ecs;
        this.io = io;
        this.watcher = watcher;
        this.scheduler = scheduler;
        this.ledger = new DecisionLedger(ecs);
        watcher.onDecidedOutside(this::decidedOutside);
    }

    /** Looks for who decided a gate decided outside this engine: at once, then 2, 4 … 64 s later (engine clock). */
    static final int OUTSIDE_LOOKS = 7;

    /**
     * A gate this engine saw decided by someone else: the deciding engine keeps who, when and why on the service
     * (DecisionLedger), usually a moment after ECS applied it — so the record is looked for now and, if not there yet,
     * a few times more on the scheduler (never a sleeping thread). Found: it is recorded like a decision of this
     * engine, so the snapshot, the events and the outcome name the person (and their comment) instead of "someone
     * outside this engine". Must not block: called from the watcher's callback queue.
     */
    private void decidedOutside(String arn, String hookId, HookAction seen) {
        lookOutside(arn, hookId, seen, 0);
    }

    private void lookOutside(String arn, String hookId, HookAction seen, int n) {
        io.execute(() -> {
            if (watcher.decisionOf(arn, hookId) != null) {
                return; // meanwhile known
            }
            io.jenkins.plugins.ecsdeploy.engine.RecordedDecision r = null;
            try {
                r = ledger.find(DeploymentHandle.fromArn(arn), hookId);
            } catch (RuntimeException e) {
                // unreadable (permissions, throttling): try again below, then give up; the gate stays "outside"
            }
            if (r != null && seen.name().equals(r.action())) {
                watcher.recordDecision(arn, hookId, new GateDecision(seen, r.by(),
                        r.comment() == null || r.comment().isEmpty() ? null : r.comment()));
                outsideFound.incrementAndGet();
            } else if (n + 1 < OUTSIDE_LOOKS && !watcher.isFinished(arn)) {
                scheduler.schedule(java.time.Duration.ofSeconds(2L << n), () -> lookOutside(arn, hookId, seen, n + 1));
            }
        });
    }

    private final java.util.concurrent.atomic.AtomicInteger outsideFound = new java.util.concurrent.atomic.AtomicInteger();

    /** Gates decided elsewhere whose decider was found on the service (tests, docs/reliability.md). */
    public int outsideDecisionsFound() {
        return outsideFound.get();
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
            // The watcher saw it finish (completed statuses are final: docs/engine.md "4. Follow"): no call needed.
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
        watcher.decisionStarting(arn);
        return Throttled.call(scheduler, io, () -> {
            if (!awaiting) {
                DecisionResult blocked = check(watcher.fetchNow(arn), hookId);
                if (blocked != null) {
                    return blocked;
                }
            }
            DecisionResult r = send(h, hookId, d);
            if (r == DecisionResult.APPLIED) {
                watcher.recordDecision(arn, hookId, d);
                watcher.poke(arn);
                java.time.Instant at = scheduler.clock().instant();
                // after the answer, not before it: decide() completes when ECS applied the decision
                recordLater(() -> ledger.recordGate(h, hookId, d.action().name(), d.decidedBy(), d.comment(), at));
            }
            return r;
        }).whenComplete((r, e) -> {
            inFlight.remove(arn + "#" + hookId);
            watcher.decisionEnded(arn);
        });
    }

    /**
     * ContinueServiceDeployment, never repeated blindly (docs/reliability.md "Writes"). The SDK retries it only when
     * throttled (not applied). After a lost reply or a 5xx the deployment is read again: the hook gone the way of the
     * decision (CONTINUE: the deployment went on; ROLLBACK: it rolls back) means the first attempt was applied →
     * APPLIED; the hook still awaiting action means it was not → sent once more; anything else is explained.
     */
    private DecisionResult send(DeploymentHandle h, String hookId, GateDecision d) {
        String arn = h.deploymentArn();
        for (int attempt = 1; ; attempt++) {
            try {
                ecs.continueServiceDeployment(software.amazon.awssdk.services.ecs.model.ContinueServiceDeploymentRequest
                        .builder().serviceDeploymentArn(arn).hookId(hookId)
                        .action(d.action() == HookAction.CONTINUE ? DeploymentLifecycleHookAction.CONTINUE
                                : DeploymentLifecycleHookAction.ROLLBACK)
                        .overrideConfiguration(WritePolicy.noBlindRetry()).build());
                return DecisionResult.APPLIED;
            } catch (SdkException e) {
                if (DeploymentWatcher.isThrottling(e)) {
                    throw e; // not applied: Throttled tries again later
                }
                boolean unknown = WritePolicy.outcomeUnknown(e);
                ServiceDeployment now = watcher.fetchNow(arn);
                if (unknown || attempt > 1) {
                    // The first attempt may have been applied (or this refusal is ECS answering our own earlier attempt).
                    DecisionResult effect = effectOf(h, now, hookId, d);
                    if (effect == DecisionResult.APPLIED) {
                        lostReplies.incrementAndGet();
                        return effect;
                    }
                    if (effect == null && attempt < 2) {
                        continue; // still awaiting action: the lost attempt did nothing, send it once more
                    }
                    if (effect != null) {
                        return effect;
                    }
                    throw new EngineException("ContinueServiceDeployment(" + hookId + ", " + d.action() + ") got no answer "
                            + "twice and the gate still awaits action: " + SafeText.line(e.getMessage(), 300), e);
                }
                // ECS refused: find out why from its state rather than retrying.
                DecisionResult why = check(now, hookId);
                if (why != null) {
                    return why;
                }
                throw new EngineException("ContinueServiceDeployment(" + hookId + ", " + d.action() + ") was refused: "
                        + SafeText.line(message(e), 500), e);
            }
        }
    }

    /**
     * Whether the decision's effect is there after an attempt whose outcome is unknown: null when the hook still
     * awaits action (nothing happened), APPLIED when ECS went the decision's way and no other process recorded a
     * different decision of this gate, else why not (ALREADY_DECIDED, EXPIRED, DEPLOYMENT_FINISHED).
     */
    private DecisionResult effectOf(DeploymentHandle h, ServiceDeployment sd, String hookId, GateDecision d) {
        Observation o = Observation.of(sd, scheduler.clock().instant());
        Observation.HookView hv = o.hook(hookId);
        boolean continued = d.action() == HookAction.CONTINUE;
        if (hv != null) {
            switch (String.valueOf(hv.status())) {
                case "AWAITING_ACTION", "IN_PROGRESS":
                    return hv.expiresAt() != null && hv.expiresAt().isBefore(scheduler.clock().instant())
                            ? DecisionResult.EXPIRED : null;
                case "SUCCEEDED":
                    return continued ? decidedByUs(h, hookId, d) : DecisionResult.ALREADY_DECIDED;
                case "FAILED":
                    return continued ? DecisionResult.ALREADY_DECIDED : decidedByUs(h, hookId, d);
                case "TIMED_OUT":
                    return DecisionResult.EXPIRED;
                default:
                    return DecisionResult.ALREADY_DECIDED;
            }
        }
        // ECS lists only the current stage's hooks: a decided gate disappears as the next stage starts.
        boolean back = o.rollingBack() || "ROLLBACK_SUCCESSFUL".equals(o.status()) || "ROLLBACK_FAILED".equals(o.status());
        if (continued ? !back && !"STOPPED".equals(o.status()) && !"STOP_REQUESTED".equals(o.status()) : back) {
            return decidedByUs(h, hookId, d);
        }
        return o.terminal() ? DecisionResult.DEPLOYMENT_FINISHED : DecisionResult.ALREADY_DECIDED;
    }

    /** APPLIED unless another process recorded a different decision of this gate on the service. */
    private DecisionResult decidedByUs(DeploymentHandle h, String hookId, GateDecision d) {
        try {
            var rec = ledger.find(h, hookId);
            if (rec != null && !(d.action().name().equals(rec.action()) && java.util.Objects.equals(d.decidedBy(), rec.by()))) {
                return DecisionResult.ALREADY_DECIDED;
            }
        } catch (RuntimeException unreadable) {
            // no record to contradict ECS's state: the state says the decision took effect
        }
        return DecisionResult.APPLIED;
    }

    private static String message(SdkException e) {
        return e instanceof AwsServiceException a && a.awsErrorDetails() != null ? a.awsErrorDetails().errorMessage()
                : e.getMessage();
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
     * StopServiceDeployment(ROLLBACK) — the only stop type ECS documents
     * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopServiceDeployment.html). Idempotent: a
     * deployment already rolling back, stopping or finished is left as it is and the future completes normally.
     */
    public CompletableFuture<Void> rollback(DeploymentHandle h, RollbackCause cause, String reason, String by) {
        return requestRollback(h, cause, reason, by).thenApply(r -> null);
    }

    /**
     * As {@link #rollback}, saying what really happened: APPLIED (this call started the rollback — also when its reply
     * was lost and ECS shows the deployment rolling back), ALREADY_DECIDED (it was already rolling back or stopping),
     * DEPLOYMENT_FINISHED (nothing left to roll back). StopServiceDeployment is never repeated blindly.
     */
    public CompletableFuture<DecisionResult> requestRollback(DeploymentHandle h, RollbackCause cause, String reason, String by) {
        String arn = h.deploymentArn();
        RollbackCause c = cause == null ? RollbackCause.MANUAL : cause;
        String why = (c == RollbackCause.BUILD_ABORTED ? "build aborted" : "rolled back")
                + (by == null ? "" : " by " + by) + (reason == null || reason.isBlank() ? "" : ": " + reason);
        return Throttled.call(scheduler, io, () -> {
            Observation o = Observation.of(watcher.fetchNow(arn), scheduler.clock().instant());
            if (o.terminal()) {
                return DecisionResult.DEPLOYMENT_FINISHED;
            }
            if (o.rollingBack() || "STOP_REQUESTED".equals(o.status())) {
                return DecisionResult.ALREADY_DECIDED;
            }
            watcher.recordIntent(arn, new EventDiff.Intent(c, why, by));
            DecisionResult r = stop(arn);
            watcher.poke(arn);
            if (r == DecisionResult.APPLIED) {
                java.time.Instant at = scheduler.clock().instant();
                String text = (c == RollbackCause.BUILD_ABORTED ? "build aborted" : "")
                        + (reason == null || reason.isBlank() ? "" : (c == RollbackCause.BUILD_ABORTED ? ": " : "") + reason);
                recordLater(() -> ledger.recordRollback(h, by, text, at));
            }
            return r;
        });
    }

    private DecisionResult stop(String arn) {
        for (int attempt = 1; ; attempt++) {
            try {
                ecs.stopServiceDeployment(software.amazon.awssdk.services.ecs.model.StopServiceDeploymentRequest.builder()
                        .serviceDeploymentArn(arn).stopType(StopServiceDeploymentStopType.ROLLBACK)
                        .overrideConfiguration(WritePolicy.noBlindRetry()).build());
                return DecisionResult.APPLIED;
            } catch (SdkException e) {
                if (DeploymentWatcher.isThrottling(e)) {
                    throw e;
                }
                boolean unknown = WritePolicy.outcomeUnknown(e) || attempt > 1;
                Observation now = Observation.of(watcher.fetchNow(arn), scheduler.clock().instant());
                boolean back = now.rollingBack() || "STOP_REQUESTED".equals(now.status())
                        || "ROLLBACK_SUCCESSFUL".equals(now.status()) || "ROLLBACK_FAILED".equals(now.status())
                        || "STOPPED".equals(now.status());
                if (back) {
                    if (unknown) {
                        lostReplies.incrementAndGet();
                        return DecisionResult.APPLIED; // our lost attempt did it
                    }
                    // ConflictException and friends: ECS was already on its way back (someone else's stop, a gate, an alarm)
                    return DecisionResult.ALREADY_DECIDED;
                }
                if (now.terminal()) {
                    return DecisionResult.DEPLOYMENT_FINISHED;
                }
                if (WritePolicy.outcomeUnknown(e) && attempt < 2) {
                    continue; // not rolling back: the lost attempt did nothing, send it once more
                }
                throw new EngineException("StopServiceDeployment(ROLLBACK) on " + arn + " was refused: "
                        + SafeText.line(message(e), 500), e);
            }
        }
    }

    /** Writes (ContinueServiceDeployment, StopServiceDeployment) whose reply was lost and whose effect was found. */
    public int appliedAfterLostReply() {
        return lostReplies.get();
    }

    private final Set<CompletableFuture<Void>> recording = ConcurrentHashMap.newKeySet();

    /** Writes a decision record on the decision threads, after the decision's own answer. */
    private void recordLater(Runnable write) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        recording.add(f);
        f.whenComplete((x, e) -> recording.remove(f));
        try {
            io.execute(() -> {
                try {
                    write.run();
                } finally {
                    f.complete(null);
                }
            });
        } catch (RuntimeException rejected) { // pool shut down: the record is lost (logged by nobody else)
            f.complete(null);
        }
    }

    /** Completes when every decision record asked for so far has been written (or failed, logged). */
    public CompletableFuture<Void> recordsWritten() {
        return CompletableFuture.allOf(recording.toArray(CompletableFuture[]::new));
    }

    /** The decisions kept on the service (tags), for every process to read. */
    public DecisionLedger ledger() {
        return ledger;
    }
}
