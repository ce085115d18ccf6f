package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.time.Cancellable;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.route53.model.ChangeBatch;

/**
 * One DNS cutover, as a state machine driven by scheduled callbacks (docs/cutovers.md "How a cutover runs"):
 *
 * <pre>
 * [deploy green] → resolve targets → read the record → for each step:
 *     health check of green (attempts, scheduled apart) → ChangeResourceRecordSets (both weights, one batch)
 *     → GetChange every changePollSeconds until INSYNC → wait max(TTL, bake) → [gate]
 * after the last step: wait one TTL (clients may still resolve blue until then) → SUCCEEDED
 * rollback (gate rejected or timed out, failed health check, a request, a Route 53 failure):
 *     weights back to blue 100 / green 0 → INSYNC → ROLLED_BACK (nothing written when nothing was shifted)
 * </pre>
 *
 * Every task runs in the cutover's {@link Lane} (one at a time, in order); blocking SDK calls run there, on the
 * engine's I/O pool; every wait is a task on the {@link Scheduler}. State is only touched inside the lane.
 */
final class DnsCutoverRun implements CutoverRun {
    private static final Logger LOG = Logger.getLogger(DnsCutoverRun.class.getName());
    /** Explicit retries of a refused-for-now change or a failed GetChange: 2, 4, 8 … 64 s, then the step fails. */
    static final int MAX_RETRIES = 6;

    private final String id;
    private final DnsCutoverRequest r;
    private final Scheduler scheduler;
    private final Lane lane;
    private final CutoverClients clients;
    private final Route53Weights weights;
    private final HealthProbe probe;
    private final DeploymentEngine greenDeployments;
    private final CutoverListener listener;
    private final CutoverGateHandler gates;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private final List<Integer> steps;
    private final String type;
    private final String name;
    private final String blueId;
    private final String greenId;

    private volatile CutoverSnapshot snapshot;
    private volatile CutoverCheckpoint checkpoint;
    // state below: only inside the lane
    private ResolvedTarget blue;
    private ResolvedTarget green;
    private Route53Weights.Current current;
    private boolean written;
    private int requestedStep;        // 1-based step whose weights were last asked for (0 = none)
    private String awaitedChange;     // the change whose INSYNC we wait for
    private PendingCutoverGate pendingGate;
    private Cancellable gateTimer;
    private Cancellable waitTimer;
    private Instant waitUntil;
    private boolean rollingBack;
    private RollbackCause rollbackCause;
    private String rollbackReason;
    private String rollbackBy;
    private boolean closed;
    private Subscription greenSubscription;

    DnsCutoverRun(String id, DnsCutoverRequest r, Scheduler scheduler, Lane lane, CutoverClients clients, HealthProbe probe,
                  DeploymentEngine greenDeployments, CutoverListener listener, CutoverGateHandler gates) {
        this.id = id;
        this.r = r;
        this.scheduler = scheduler;
        this.lane = lane;
        this.clients = clients;
        this.weights = new Route53Weights(clients.route53());
        this.probe = probe;
        this.greenDeployments = greenDeployments;
        this.listener = listener;
        this.gates = gates;
        this.steps = r.effectiveSteps();
        this.type = r.effectiveRecordType();
        this.name = r.normalizedRecordName();
        this.blueId = r.effectiveBlueSetIdentifier();
        this.greenId = r.effectiveGreenSetIdentifier();
        this.snapshot = CutoverSnapshot.initial(id);
        this.checkpoint = new CutoverCheckpoint(id, 0, null, 0, false, null, null, 0);
    }

    // ---------------------------------------------------------------- public API

    @Override
    public String id() {
        return id;
    }

    @Override
    public CutoverSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public CompletableFuture<Outcome> outcome() {
        return outcome;
    }

    @Override
    public CutoverCheckpoint checkpoint() {
        return checkpoint;
    }

    @Override
    public CompletableFuture<DecisionResult> decide(String gateId, GateDecision d) {
        CompletableFuture<DecisionResult> f = new CompletableFuture<>();
        lane.submit(() -> f.complete(decideNow(gateId, d)));
        return f;
    }

    @Override
    public CompletableFuture<DecisionResult> rollback(RollbackCause cause, String reason, String by) {
        CompletableFuture<DecisionResult> f = new CompletableFuture<>();
        lane.submit(() -> {
            if (outcome.isDone() || closed) {
                f.complete(DecisionResult.DEPLOYMENT_FINISHED);
            } else if (rollingBack) {
                f.complete(DecisionResult.ALREADY_DECIDED);
            } else {
                RollbackCause c = cause == null ? RollbackCause.MANUAL : cause;
                String why = (c == RollbackCause.BUILD_ABORTED ? "the build was aborted" : "rolled back")
                        + (by == null ? "" : " by " + by) + (reason == null || reason.isBlank() ? "" : ": " + reason);
                startRollback(c, why, by);
                f.complete(DecisionResult.APPLIED);
            }
        });
        return f;
    }

    @Override
    public void close() {
        lane.submit(() -> {
            closed = true;
            cancelTimers();
            if (greenSubscription != null) {
                greenSubscription.close();
            }
        });
    }

    // ---------------------------------------------------------------- start / resume

    void start() {
        lane.submit(() -> guarded(() -> {
            emitStarted();
            if (r.deployGreen() != null) {
                deployGreen();
            } else {
                resolveAndRead(null);
            }
        }));
    }

    void resume(CutoverCheckpoint c) {
        lane.submit(() -> guarded(() -> {
            emitStarted();
            resolveAndRead(c);
        }));
    }

    private void emitStarted() {
        emit(new CutoverEvent.Started(now(), id, name, type, r.zoneId(), r.blue().describe(), r.green().describe(), blueId, greenId,
                steps, r.cacheSeconds(), r.gate() == null ? null : r.gate().describe(), r.effectiveBakeMinutes()));
    }

    private void deployGreen() {
        if (greenDeployments == null) {
            finish(Outcome.failed("green was to be deployed first, but this engine has no deployment engine for it; nothing was shifted"), null);
            return;
        }
        greenDeployments.start(r.deployGreen()).whenComplete((h, err) -> lane.submit(() -> guarded(() -> {
            if (closed || outcome.isDone()) {
                return;
            }
            if (err != null) {
                Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
                emit(new CutoverEvent.GreenDeployment(now(), null, "FAILED", SafeText.line(c.getMessage())));
                finish(Outcome.failed("green's deployment could not start: " + SafeText.line(c.getMessage()) + "; nothing was shifted"), null);
                return;
            }
            emit(new CutoverEvent.GreenDeployment(now(), h.deploymentArn(), "STARTED", null));
            greenSubscription = greenDeployments.follow(h, (e, s) -> { }, null);
            greenSubscription.outcome().thenAccept(o -> lane.submit(() -> guarded(() -> {
                if (closed || outcome.isDone()) {
                    return;
                }
                emit(new CutoverEvent.GreenDeployment(now(), h.deploymentArn(), o.kind().name(), o.plainWords()));
                if (o.succeeded()) {
                    resolveAndRead(null);
                } else {
                    finish(Outcome.failed("green's deployment did not succeed (" + o.plainWords() + "); nothing was shifted"), null);
                }
            })));
        })));
    }

    private void resolveAndRead(CutoverCheckpoint resumeFrom) {
        TargetResolver resolver = new TargetResolver(clients, r.region());
        try {
            blue = resolver.resolve("blue", r.blue());
            green = resolver.resolve("green", r.green());
        } catch (InvalidRequestException e) {
            finish(Outcome.failed(e.problems().stream().map(ValidationProblem::message).collect(Collectors.joining("; "))
                    + "; nothing was written"), null);
            return;
        }
        emit(new CutoverEvent.TargetsResolved(now(), blue.answer(), green.answer(), green.host()));
        current = weights.read(r.zoneId(), name, type, blueId, greenId);
        String note = current.plain() != null ? "a plain " + type + " record, replaced by the weighted records in the first change"
                : current.leftovers().isEmpty() ? null : "ignored at weight 0: " + String.join(", ", current.leftovers());
        emit(new CutoverEvent.RecordsRead(now(), current.blueWeight(), current.greenWeight(), note));
        if (!current.problems().isEmpty()) {
            finish(Outcome.failed(r.normalizedRecordName() + ": " + String.join("; ", current.problems()) + "; nothing was written"), null);
            return;
        }
        if (resumeFrom == null) {
            beginStep(0);
        } else {
            continueFrom(resumeFrom);
        }
    }

    /** After a restart: the weights Route 53 holds say where the cutover is (docs/cutovers.md "Restarts"). */
    private void continueFrom(CutoverCheckpoint c) {
        if (c.rollingBack()) {
            written = true;
            RollbackCause cause = c.rollbackCause() == null ? RollbackCause.UNKNOWN : RollbackCause.valueOf(c.rollbackCause());
            startRollback(cause, c.rollbackReason() == null ? "a rollback under way when the cutover stopped" : c.rollbackReason(), null);
            return;
        }
        int g = current.greenWeight() == null ? 0 : current.greenWeight();
        int b = current.blueWeight() == null ? 0 : current.blueWeight();
        if (g == 0) {
            if (c.step() == 0) {
                beginStep(0);
            } else {
                finish(new Outcome(OutcomeKind.ROLLED_BACK, RollbackCause.UNKNOWN,
                        "the weights were back on blue (blue " + b + " / green 0) when the cutover resumed", null), null);
            }
            return;
        }
        int k = steps.indexOf(g);
        if (k < 0 || b != 100 - g) {
            finish(Outcome.failed("Route 53 holds blue " + b + " / green " + g + ", which is no step of this cutover (changed outside it?); "
                    + "nothing was written"), null);
            return;
        }
        written = true;
        requestedStep = k + 1;
        saveCheckpoint();
        if (k == steps.size() - 1) {
            afterInSync(k + 1, null);
            return;
        }
        if (r.gate() != null) {
            Instant expires = c.gateId() != null && c.step() == k + 1 && c.gateExpiresAtMillis() > 0
                    ? Instant.ofEpochMilli(c.gateExpiresAtMillis()) : null;
            offerGate(k + 1, expires);
        } else {
            Instant until = c.step() == k + 1 && c.waitUntilMillis() > 0 ? Instant.ofEpochMilli(c.waitUntilMillis())
                    : now().plusSeconds(waitSeconds(k + 1));
            waitThen(k + 1, until, waitReason(k + 1), () -> beginStep(k + 1));
        }
    }

    // ---------------------------------------------------------------- steps

    /** Step index i (0-based): health check, then the shift. */
    private void beginStep(int i) {
        if (r.healthCheck() == null) {
            shift(i, 1);
        } else {
            check(i, 1);
        }
    }

    private void check(int i, int attempt) {
        HealthCheck h = r.healthCheck();
        String url = h.urlFor(green.host());
        probe.get(url, Duration.ofSeconds(h.timeoutSeconds())).whenComplete((res, err) -> lane.submit(() -> guarded(() -> {
            if (!active()) {
                return;
            }
            HealthProbe.Result result = err != null ? new HealthProbe.Result(null, SafeText.line(String.valueOf(err.getMessage()))) : res;
            boolean ok = result.status() != null && result.status() == h.expectedStatus();
            String detail = result.detail() != null ? SafeText.line(result.detail())
                    : ok ? null : "expected HTTP " + h.expectedStatus();
            emit(new CutoverEvent.HealthChecked(now(), i + 1, url, attempt, h.attempts(), result.status(), ok, detail));
            if (ok) {
                shift(i, 1);
            } else if (attempt < h.attempts()) {
                waitTimer = scheduler.schedule(Duration.ofSeconds(h.intervalSeconds()), () -> lane.submit(() -> guarded(() -> {
                    if (active()) {
                        check(i, attempt + 1);
                    }
                })));
            } else {
                String what = result.status() != null ? "HTTP " + result.status() + " (expected " + h.expectedStatus() + ")"
                        : SafeText.line(result.detail());
                startRollback(RollbackCause.HEALTH_CHECK_FAILED, "green's health check failed before step " + (i + 1) + " ("
                        + steps.get(i) + " %): " + what + " from " + url + " after " + attempt
                        + (attempt == 1 ? " attempt" : " attempts"), null);
            }
        })));
    }

    private void shift(int i, int attempt) {
        int g = steps.get(i);
        String reason = "step " + (i + 1) + " of " + steps.size();
        ChangeBatch batch = Route53Weights.batch(current, name, type, r.effectiveTtlSeconds(), blueId, blue, 100 - g, greenId, green, g,
                "ecs-deploy cutover " + id + ": " + reason + " (green " + g + " %)");
        String changeId;
        try {
            changeId = weights.change(r.zoneId(), batch);
        } catch (RuntimeException e) {
            if (Route53Weights.retryable(e) && attempt < MAX_RETRIES) {
                retryLater(attempt, () -> shift(i, attempt + 1));
                return;
            }
            String why = "Route 53 refused step " + (i + 1) + " (" + g + " %): " + message(e);
            if (written) {
                startRollback(RollbackCause.UNKNOWN, why, null);
            } else {
                finish(Outcome.failed(why + "; nothing was shifted"), null);
            }
            return;
        }
        written = true;
        current = new Route53Weights.Current(null, null, null, List.of(), List.of()); // the plain record is gone now
        requestedStep = i + 1;
        awaitedChange = changeId;
        waitUntil = null;
        saveCheckpoint();
        emit(new CutoverEvent.WeightsRequested(now(), i + 1, 100 - g, g, changeId, reason));
        pollChange(changeId, i + 1, now(), 0);
    }

    /** GetChange on the scheduler until INSYNC; {@code step} 0 = the rollback's change. */
    private void pollChange(String changeId, int step, Instant since, int errors) {
        Duration delay = errors == 0 ? Duration.ofSeconds(r.changePollSeconds()) : backoff(errors);
        waitTimer = scheduler.schedule(delay, () -> lane.submit(() -> guarded(() -> {
            if (closed || outcome.isDone() || !changeId.equals(awaitedChange)) {
                return;   // a rollback's change replaced this one
            }
            boolean insync;
            try {
                insync = weights.inSync(changeId);
            } catch (RuntimeException e) {
                if (errors + 1 < MAX_RETRIES) {
                    pollChange(changeId, step, since, errors + 1);
                } else {
                    changeFailed(step, "Route 53 did not say whether change " + changeId + " was applied: " + message(e));
                }
                return;
            }
            if (insync) {
                afterInSync(step, changeId);
            } else if (!now().isBefore(since.plus(Duration.ofMinutes(r.insyncTimeoutMinutes())))) {
                changeFailed(step, "Route 53 had not applied change " + changeId + " after " + r.insyncTimeoutMinutes() + " min");
            } else {
                pollChange(changeId, step, since, 0);
            }
        })));
    }

    private void changeFailed(int step, String why) {
        if (step == 0) {
            finish(new Outcome(OutcomeKind.ROLLBACK_FAILED, rollbackCause, rollbackReason + "; setting the weights back to blue "
                    + "was not confirmed: " + why + " (check the record)", rollbackBy), null);
        } else {
            startRollback(RollbackCause.UNKNOWN, why, null);
        }
    }

    private void afterInSync(int step, String changeId) {
        Instant until = now().plusSeconds(r.cacheSeconds());
        if (step == 0) {
            emit(new CutoverEvent.WeightsInSync(now(), 0, 100, 0, changeId, until, "green"));
            finish(new Outcome(OutcomeKind.ROLLED_BACK, rollbackCause, rollbackReason + "; weights back to blue 100 / green 0 "
                    + "(clients may still resolve green until " + time(until) + ")", rollbackBy), until);
            return;
        }
        int g = steps.get(step - 1);
        if (changeId != null) {
            emit(new CutoverEvent.WeightsInSync(now(), step, 100 - g, g, changeId, until, "blue"));
        }
        if (step == steps.size()) {
            waitThen(step, until, "TTL: until no client resolves blue any more", () -> finish(Outcome.succeeded(
                    "every answer of " + name + " goes to green (" + r.green().describe() + "); clients could resolve blue until "
                            + time(until)), until));
        } else {
            Instant end = now().plusSeconds(waitSeconds(step));
            waitThen(step, end, waitReason(step), () -> {
                if (r.gate() != null) {
                    offerGate(step, null);
                } else {
                    beginStep(step);
                }
            });
        }
    }

    private int waitSeconds(int step) {
        return Math.max(r.cacheSeconds(), r.effectiveBakeMinutes() * 60);
    }

    private String waitReason(int step) {
        return r.effectiveBakeMinutes() * 60 > r.cacheSeconds() ? "bake " + r.effectiveBakeMinutes() + " min"
                : "one TTL (" + r.cacheSeconds() + " s): clients may still resolve blue until then";
    }

    private void waitThen(int step, Instant until, String reason, Runnable then) {
        waitUntil = until;
        saveCheckpoint();
        emit(new CutoverEvent.Waiting(now(), step, until, reason));
        Duration d = Duration.between(now(), until);
        waitTimer = scheduler.schedule(d.isNegative() ? Duration.ZERO : d, () -> lane.submit(() -> guarded(() -> {
            if (active()) {
                waitUntil = null;
                then.run();
            }
        })));
    }

    // ---------------------------------------------------------------- gates

    private void offerGate(int afterStep, Instant expiresAt) {
        String gateId = id + "-gate-" + afterStep;
        Instant expires = expiresAt != null ? expiresAt : now().plus(Duration.ofMinutes(r.gate().timeoutMinutes()));
        PendingCutoverGate g = new PendingCutoverGate(id, gateId, afterStep, steps.get(afterStep - 1), expires, null);
        pendingGate = g;
        saveCheckpoint();
        emit(new CutoverEvent.GateAwaiting(now(), gateId, afterStep, expires));
        Duration d = Duration.between(now(), expires);
        gateTimer = scheduler.schedule(d.isNegative() ? Duration.ZERO : d, () -> lane.submit(() -> guarded(() -> gateTimedOut(gateId))));
        if (gates != null) {
            try {
                gates.onGate(new PendingCutoverGate(id, gateId, afterStep, g.greenPercent(), expires, snapshot));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "the cutover gate handler failed", e);
            }
        }
    }

    private DecisionResult decideNow(String gateId, GateDecision d) {
        if (outcome.isDone() || closed) {
            return DecisionResult.DEPLOYMENT_FINISHED;
        }
        if (pendingGate == null || !pendingGate.gateId().equals(gateId) || rollingBack) {
            return DecisionResult.ALREADY_DECIDED;
        }
        int after = pendingGate.afterStep();
        pendingGate = null;
        cancel(gateTimer);
        HookAction action = d.action() == null ? HookAction.ROLLBACK : d.action();
        emit(new CutoverEvent.GateDecided(now(), gateId, after, action, d.decidedBy(), d.comment(), false));
        if (action == HookAction.CONTINUE) {
            saveCheckpoint();
            beginStep(after);
        } else {
            startRollback(RollbackCause.GATE_REJECTED, "gate after step " + after + " (" + steps.get(after - 1) + " %) rejected"
                    + (d.decidedBy() == null ? "" : " by " + d.decidedBy())
                    + (d.comment() == null || d.comment().isBlank() ? "" : ": " + d.comment()), d.decidedBy());
        }
        return DecisionResult.APPLIED;
    }

    private void gateTimedOut(String gateId) {
        if (!active() || pendingGate == null || !pendingGate.gateId().equals(gateId)) {
            return;
        }
        int after = pendingGate.afterStep();
        pendingGate = null;
        HookAction action = r.gate().timeoutAction();
        emit(new CutoverEvent.GateDecided(now(), gateId, after, action, null, null, true));
        if (action == HookAction.CONTINUE) {
            saveCheckpoint();
            beginStep(after);
        } else {
            startRollback(RollbackCause.GATE_TIMED_OUT, "gate after step " + after + " (" + steps.get(after - 1) + " %) timed out after "
                    + r.gate().timeoutMinutes() + " min without a decision", null);
        }
    }

    // ---------------------------------------------------------------- rollback and end

    private void startRollback(RollbackCause cause, String reason, String by) {
        if (rollingBack || outcome.isDone()) {
            return;
        }
        rollingBack = true;
        rollbackCause = cause;
        rollbackReason = reason;
        rollbackBy = by;
        cancelTimers();
        if (pendingGate != null) {
            PendingCutoverGate g = pendingGate;
            pendingGate = null;
            emit(new CutoverEvent.GateDecided(now(), g.gateId(), g.afterStep(), HookAction.ROLLBACK, null, "not decided; " + reason, false));
        }
        emit(new CutoverEvent.RollbackStarted(now(), cause, reason));
        saveCheckpoint();
        if (!written) {
            finish(new Outcome(OutcomeKind.ROLLED_BACK, cause, reason + ": nothing was shifted, blue keeps every answer", by), null);
            return;
        }
        rollbackChange(1);
    }

    private void rollbackChange(int attempt) {
        ChangeBatch batch = Route53Weights.batch(current, name, type, r.effectiveTtlSeconds(), blueId, blue, 100, greenId, green, 0,
                "ecs-deploy cutover " + id + ": rollback (blue 100 %)");
        String changeId;
        try {
            changeId = weights.change(r.zoneId(), batch);
        } catch (RuntimeException e) {
            if (Route53Weights.retryable(e) && attempt < MAX_RETRIES) {
                retryLater(attempt, () -> rollbackChange(attempt + 1));
                return;
            }
            finish(new Outcome(OutcomeKind.ROLLBACK_FAILED, rollbackCause, rollbackReason + "; Route 53 refused the weights back to blue: "
                    + message(e) + " (check the record)", rollbackBy), null);
            return;
        }
        awaitedChange = changeId;
        emit(new CutoverEvent.WeightsRequested(now(), 0, 100, 0, changeId, "rollback"));
        pollChange(changeId, 0, now(), 0);
    }

    private void retryLater(int attempt, Runnable again) {
        waitTimer = scheduler.schedule(backoff(attempt), () -> lane.submit(() -> guarded(() -> {
            if (!closed && !outcome.isDone()) {
                again.run();
            }
        })));
    }

    private void finish(Outcome o, Instant clientsMayResolveOldUntil) {
        if (outcome.isDone()) {
            return;
        }
        cancelTimers();
        pendingGate = null;
        emit(new CutoverEvent.Finished(now(), o, clientsMayResolveOldUntil));
        saveCheckpoint();
        outcome.complete(o);
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a lane task; an unexpected failure rolls back (something was shifted) or fails (nothing was). */
    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cutover " + id + " failed", e);
            if (outcome.isDone()) {
                return;
            }
            String why = "unexpected error: " + message(e);
            if (rollingBack) {
                finish(new Outcome(OutcomeKind.ROLLBACK_FAILED, rollbackCause, rollbackReason + "; " + why + " (check the record)", rollbackBy), null);
            } else if (written) {
                startRollback(RollbackCause.UNKNOWN, why, null);
            } else {
                finish(Outcome.failed(why + "; nothing was written"), null);
            }
        }
    }

    private boolean active() {
        return !closed && !outcome.isDone() && !rollingBack;
    }

    private void emit(CutoverEvent e) {
        CutoverSnapshot s = snapshot.apply(e);
        snapshot = s;
        if (closed || listener == null) {
            return;
        }
        try {
            listener.onEvent(e, s);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "a cutover listener failed", ex);
        }
    }

    private void saveCheckpoint() {
        checkpoint = new CutoverCheckpoint(id, requestedStep, pendingGate == null ? null : pendingGate.gateId(),
                pendingGate == null ? 0 : pendingGate.expiresAt().toEpochMilli(), rollingBack,
                rollbackCause == null ? null : rollbackCause.name(), rollbackReason, waitUntil == null ? 0 : waitUntil.toEpochMilli());
    }

    private void cancelTimers() {
        cancel(gateTimer);
        cancel(waitTimer);
        gateTimer = null;
        waitTimer = null;
    }

    private static void cancel(Cancellable c) {
        if (c != null) {
            c.cancel();
        }
    }

    private Instant now() {
        return scheduler.clock().instant();
    }

    private static Duration backoff(int attempt) {
        return Duration.ofSeconds(Math.min(64, 1L << Math.min(6, attempt)));
    }

    static String time(Instant i) {
        return i.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String message(Throwable e) {
        String m = e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a && a.awsErrorDetails() != null
                ? a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage() : e.getMessage();
        return SafeText.line(m == null ? e.getClass().getSimpleName() : m);
    }
}
