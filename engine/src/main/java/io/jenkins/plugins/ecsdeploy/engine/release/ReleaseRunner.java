package io.jenkins.plugins.ecsdeploy.engine.release;

import io.jenkins.plugins.ecsdeploy.engine.DecisionResult;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.RevisionNames;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The state machine of one release (docs/releases.md "How a release runs"). Every change happens under this object's
 * lock; calls to the engines (which answer with futures at once) and to the listener and gate handler are made after
 * the lock is released, so a callback that arrives on the caller's thread (a finished deployment's outcome on
 * {@code follow}) never finds the state half changed.
 */
final class ReleaseRunner implements ReleaseRun {
    private static final Logger LOG = Logger.getLogger(ReleaseRunner.class.getName());
    /** Who the engine records for a rollback the release itself asks for. */
    static final String BY = "release";

    private static final Set<String> OPEN = Set.of("PENDING", "STARTING", "RUNNING", "AT_GATE", "ROLLING_BACK", "REVERTING", "SUCCEEDED");

    private final ReleaseRequest request;
    private final ReleaseEngine.Engines engines;
    private final ReleaseListener listener;
    private final ReleaseGateHandler gates;
    private final Map<String, Svc> svcs = new LinkedHashMap<>();
    private final CompletableFuture<ReleaseOutcome> outcome = new CompletableFuture<>();
    private final Set<Integer> continued = new TreeSet<>();
    private final Set<Integer> offered = new TreeSet<>();
    private final Map<Integer, String> gateState = new HashMap<>();
    private final Map<Integer, String> gateBy = new HashMap<>();
    private int wave;
    private boolean rollingBack;
    private String causeService;
    private String reason;
    private ReleaseOutcome ended;
    private boolean closed;

    private static final class Svc {
        final ReleaseService spec;
        final int wave;
        String state = "PENDING";
        DeploymentHandle handle;
        Subscription sub;
        DeploymentSnapshot snap;
        PendingGate gate;
        Outcome outcome;
        String previousTaskDefinition;
        DeploymentHandle revert;
        Subscription revertSub;
        String note;

        Svc(ReleaseService spec, int wave) {
            this.spec = spec;
            this.wave = wave;
        }
    }

    ReleaseRunner(ReleaseRequest request, ReleaseEngine.Engines engines, ReleaseListener listener, ReleaseGateHandler gates) {
        this.request = request;
        this.engines = engines;
        this.listener = listener;
        this.gates = gates;
        for (int w = 0; w < request.waves().size(); w++) {
            for (String n : request.waves().get(w)) {
                svcs.put(n, new Svc(request.service(n), w));
            }
        }
    }

    private DeploymentEngine engine(Svc s) {
        return engines.engineFor(s.spec);
    }

    // ------------------------------------------------------------------ start and resume

    void start() {
        // every service's read-only preflight first: a missing service in wave 2 must not be found after wave 1 shipped
        List<CompletableFuture<?>> checks = new ArrayList<>();
        Map<String, CompletableFuture<?>> byName = new LinkedHashMap<>();
        for (Svc s : svcs.values()) {
            CompletableFuture<?> f = engine(s).preflight(requestFor(s));
            checks.add(f);
            byName.put(s.spec.name(), f);
        }
        CompletableFuture.allOf(checks.toArray(new CompletableFuture<?>[0])).whenComplete((ok, err) -> {
            if (err == null) {
                List<Runnable> later = new ArrayList<>();
                synchronized (this) {
                    startWave(0, later);
                }
                run(later);
                changed("started");
                return;
            }
            List<String> problems = new ArrayList<>();
            byName.forEach((n, f) -> {
                if (f.isCompletedExceptionally()) {
                    try {
                        f.join();
                    } catch (RuntimeException e) {
                        Throwable c = e.getCause() == null ? e : e.getCause();
                        problems.add(n + ": " + SafeText.line(String.valueOf(c.getMessage()), 500));
                    }
                }
            });
            synchronized (this) {
                for (Svc s : svcs.values()) {
                    s.state = "NOT_STARTED";
                }
                finish(OutcomeKind.FAILED, null, "nothing was deployed; the preflight refused: " + String.join("; ", problems));
            }
            changed("outcome");
        });
    }

    void resume(ReleaseCheckpoint c) {
        List<Runnable> later = new ArrayList<>();
        synchronized (this) {
            wave = c.wave();
            rollingBack = c.rollingBack();
            causeService = c.causeService();
            reason = c.reason();
            continued.addAll(c.wavesContinued());
            for (Integer w : c.wavesContinued()) {
                gateState.put(w, "CONTINUED");
            }
            for (Svc s : svcs.values()) {
                s.previousTaskDefinition = c.previousTaskDefinitions().get(s.spec.name());
                String arn = c.deploymentArns().get(s.spec.name());
                String revertArn = c.revertArns().get(s.spec.name());
                if (arn != null) {
                    s.handle = handleOf(s, arn);
                    s.state = s.wave < wave && !rollingBack ? "SUCCEEDED" : "RUNNING";
                    later.add(() -> follow(s));
                }
                if (revertArn != null) {
                    s.revert = handleOf(s, revertArn);
                    s.state = "REVERTING";
                    later.add(() -> followRevert(s));
                }
                if (arn == null && s.wave > wave) {
                    s.state = rollingBack ? "NOT_STARTED" : "PENDING";
                }
            }
            if (!rollingBack) {
                // services of the current wave that had not started when the checkpoint was taken
                for (String n : request.waves().get(wave)) {
                    Svc s = svcs.get(n);
                    if (s.handle == null) {
                        startService(s, later);
                    }
                }
            } else {
                for (String n : request.waves().get(wave)) {
                    Svc s = svcs.get(n);
                    if (s.handle == null) {
                        s.state = "NOT_STARTED";
                    }
                }
            }
        }
        run(later);
        changed("resumed");
    }

    private DeploymentHandle handleOf(Svc s, String arn) {
        DeploymentHandle h = DeploymentHandle.fromArn(arn);
        return new DeploymentHandle(arn, h.region(), h.accountId(), h.cluster(), h.service(), null,
                s.spec.request().strategy().ecsName(), requestFor(s).gateStages());
    }

    /** The service's request, with the wave's gate added when the release has wave gates and the request none. */
    DeploymentRequest requestFor(Svc s) {
        DeploymentRequest r = s.spec.request();
        if (request.gate() == null || !r.gates().isEmpty()) {
            return r;
        }
        String strategy = r.strategy().ecsName();
        String stage = "ROLLING".equals(strategy) ? "POST_SCALE_UP" : Gate.DEFAULT_STAGE;
        return r.toBuilder().gate(new Gate(stage, request.gate().timeoutMinutes(), request.gate().timeoutActionOrDefault())).build();
    }

    private void startWave(int w, List<Runnable> later) {
        wave = w;
        for (String n : request.waves().get(w)) {
            startService(svcs.get(n), later);
        }
    }

    private void startService(Svc s, List<Runnable> later) {
        s.state = "STARTING";
        DeploymentRequest r = requestFor(s);
        later.add(() -> engine(s).start(r).whenComplete((h, err) -> started(s, h, err)));
    }

    private void started(Svc s, DeploymentHandle h, Throwable err) {
        List<Runnable> later = new ArrayList<>();
        synchronized (this) {
            if (err != null) {
                Throwable c = err.getCause() == null ? err : err.getCause();
                s.state = "FAILED";
                s.note = "could not start: " + SafeText.line(String.valueOf(c.getMessage()), 500);
                if (!rollingBack) {
                    startRollback(s.spec.name(), s.spec.name() + " " + s.note, later);
                }
                checkFinished();
            } else {
                s.handle = h;
                s.state = rollingBack ? "ROLLING_BACK" : "RUNNING";
                later.add(() -> follow(s));
                if (rollingBack) {
                    // the release began rolling back while this one was starting
                    later.add(() -> engine(s).requestRollback(h, RollbackCause.MANUAL, "release " + name() + " rolled back: " + reason, BY));
                }
            }
        }
        run(later);
        changed("checkpoint");
    }

    private void follow(Svc s) {
        Subscription sub = engine(s).follow(s.handle, (e, snap) -> event(s, snap), g -> gate(s, g));
        synchronized (this) {
            s.sub = sub;
        }
        sub.outcome().thenAccept(o -> ended(s, o));
    }

    private void event(Svc s, DeploymentSnapshot snap) {
        synchronized (this) {
            s.snap = snap;
            if (s.previousTaskDefinition == null && snap.blue() != null && snap.blue().taskDefinition() != null
                    && snap.green() != null && !snap.blue().taskDefinition().equals(snap.green().taskDefinition())) {
                s.previousTaskDefinition = snap.blue().taskDefinition();
            }
        }
        changed("event");
    }

    // ------------------------------------------------------------------ gates

    private void gate(Svc s, PendingGate g) {
        PendingWaveGate offer = null;
        List<Runnable> later = new ArrayList<>();
        synchronized (this) {
            if (rollingBack || ended != null) {
                later.add(() -> engine(s).decide(s.handle, g.hookId(), new GateDecision(HookAction.ROLLBACK, BY,
                        "release " + name() + " is rolling back")));
            } else {
                s.gate = g;
                s.state = "AT_GATE";
                if (s.wave == wave && allAtGate(wave) && !continued.contains(wave) && offered.add(wave)) {
                    gateState.put(wave, "WAITING");
                    offer = new PendingWaveGate(name(), wave, request.waves().get(wave), earliestExpiry(wave), snapshotLocked());
                }
            }
        }
        run(later);
        changed("gate");
        if (offer != null && gates != null) {
            try {
                gates.onGate(offer);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "release gate handler failed", e);
            }
        }
    }

    private boolean allAtGate(int w) {
        for (String n : request.waves().get(w)) {
            if (svcs.get(n).gate == null) {
                return false;
            }
        }
        return true;
    }

    private Instant earliestExpiry(int w) {
        Instant e = null;
        for (String n : request.waves().get(w)) {
            PendingGate g = svcs.get(n).gate;
            if (g != null && g.expiresAt() != null && (e == null || g.expiresAt().isBefore(e))) {
                e = g.expiresAt();
            }
        }
        return e;
    }

    @Override
    public CompletableFuture<DecisionResult> decide(int w, GateDecision d) {
        List<Runnable> later = new ArrayList<>();
        List<CompletableFuture<DecisionResult>> sent = new ArrayList<>();
        synchronized (this) {
            if (ended != null) {
                return CompletableFuture.completedFuture(DecisionResult.DEPLOYMENT_FINISHED);
            }
            if (w != wave || rollingBack || continued.contains(w) || !allAtGate(w)) {
                return CompletableFuture.completedFuture(DecisionResult.ALREADY_DECIDED);
            }
            gateBy.put(w, d.decidedBy());
            if (d.action() == HookAction.CONTINUE) {
                continued.add(w);
                gateState.put(w, "CONTINUED");
                for (String n : request.waves().get(w)) {
                    Svc s = svcs.get(n);
                    PendingGate g = s.gate;
                    s.gate = null;
                    s.state = "RUNNING";
                    CompletableFuture<DecisionResult> f = new CompletableFuture<>();
                    sent.add(f);
                    later.add(() -> {
                        try {
                            engine(s).decide(s.handle, g.hookId(), d).whenComplete((r, e) -> {
                                if (e != null) {
                                    f.completeExceptionally(e);
                                } else {
                                    f.complete(r);
                                }
                            });
                        } catch (RuntimeException e) {
                            f.completeExceptionally(e);   // the caller hears of it at once, not after its own timeout
                        }
                    });
                }
            } else {
                gateState.put(w, "ROLLED_BACK");
                startRollback(null, "the gate of wave " + (w + 1) + " was rejected by " + d.decidedBy()
                        + (d.comment() == null || d.comment().isBlank() ? "" : ": " + d.comment()), later, d);
                sent.add(CompletableFuture.completedFuture(DecisionResult.APPLIED));
            }
        }
        run(later);
        changed(d.action() == HookAction.CONTINUE ? "checkpoint" : "gate");
        return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            for (CompletableFuture<DecisionResult> f : sent) {
                if (f.join() != DecisionResult.APPLIED) {
                    return f.join();
                }
            }
            return DecisionResult.APPLIED;
        });
    }

    @Override
    public CompletableFuture<DecisionResult> rollback(String why, String by) {
        List<Runnable> later = new ArrayList<>();
        synchronized (this) {
            if (ended != null) {
                return CompletableFuture.completedFuture(DecisionResult.DEPLOYMENT_FINISHED);
            }
            if (rollingBack) {
                return CompletableFuture.completedFuture(DecisionResult.ALREADY_DECIDED);
            }
            startRollback(null, "rolled back by " + by + (why == null || why.isBlank() ? "" : ": " + why), later);
        }
        run(later);
        changed("checkpoint");
        return CompletableFuture.completedFuture(DecisionResult.APPLIED);
    }

    // ------------------------------------------------------------------ outcomes and rollback

    private void ended(Svc s, Outcome o) {
        List<Runnable> later = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            s.outcome = o;
            s.gate = null;
            if (!rollingBack) {
                if (o.succeeded()) {
                    s.state = "SUCCEEDED";
                    if (s.wave == wave && waveSucceeded(wave)) {
                        if (wave + 1 < request.waves().size()) {
                            startWave(wave + 1, later);
                        } else {
                            finish(OutcomeKind.SUCCEEDED, null, "every wave succeeded: " + String.join(" → ",
                                    request.waves().stream().map(l -> String.join(" + ", l)).toList()));
                        }
                    }
                } else {
                    s.state = o.kind() == OutcomeKind.ROLLED_BACK ? "ROLLED_BACK" : "FAILED";
                    startRollback(s.spec.name(), s.spec.name() + " " + (o.kind() == OutcomeKind.ROLLED_BACK ? "was rolled back" : "failed")
                            + " (" + o.describe() + ")", later);
                }
            } else {
                if (o.succeeded()) {
                    // finished before the rollback reached it (or an earlier wave seen again after a restart): revert it
                    s.state = "SUCCEEDED";
                    revert(s, later);
                } else {
                    s.state = o.kind() == OutcomeKind.ROLLED_BACK ? "ROLLED_BACK" : "FAILED";
                }
                checkFinished();
            }
        }
        run(later);
        changed(ended != null ? "outcome" : "checkpoint");
    }

    private boolean waveSucceeded(int w) {
        for (String n : request.waves().get(w)) {
            if (!"SUCCEEDED".equals(svcs.get(n).state)) {
                return false;
            }
        }
        return true;
    }

    private void startRollback(String cause, String why, List<Runnable> later) {
        startRollback(cause, why, later, null);
    }

    /**
     * The release goes back: the deployments of this wave still running are rolled back (a waiting gate is answered
     * ROLLBACK, else StopServiceDeployment ROLLBACK), every deployment that already SUCCEEDED is reverted (its previous
     * task definition deployed again), later waves never start (docs/releases.md "What is rolled back").
     */
    private void startRollback(String cause, String why, List<Runnable> later, GateDecision gateDecision) {
        rollingBack = true;
        causeService = cause;
        reason = why;
        String text = "release " + name() + " rolled back: " + why;
        for (Svc s : svcs.values()) {
            if (s.spec.name().equals(cause)) {
                continue;
            }
            if (s.wave > wave || (s.wave == wave && "PENDING".equals(s.state))) {
                s.state = "NOT_STARTED";
            } else if ("SUCCEEDED".equals(s.state)) {
                revert(s, later);
            } else if (s.handle != null && s.outcome == null) {
                s.state = "ROLLING_BACK";
                PendingGate g = s.gate;
                s.gate = null;
                DeploymentHandle h = s.handle;
                if (g != null) {
                    GateDecision d = gateDecision != null ? gateDecision : new GateDecision(HookAction.ROLLBACK, BY, text);
                    later.add(() -> engine(s).decide(h, g.hookId(), d));
                } else {
                    later.add(() -> engine(s).requestRollback(h, RollbackCause.MANUAL, text, BY));
                }
            }
            // STARTING: rolled back as soon as it has started (started())
        }
        checkFinished();
    }

    private void revert(Svc s, List<Runnable> later) {
        if (s.revert != null) {
            return;
        }
        if (s.previousTaskDefinition == null) {
            s.state = "NOT_REVERTIBLE";
            s.note = "its previous revision is not known (the service had no earlier task definition)";
            return;
        }
        s.state = "REVERTING";
        s.note = "deploying " + RevisionNames.familyRevision(s.previousTaskDefinition) + " again";
        DeploymentRequest r = s.spec.request();
        Strategy strategy = r.strategy() instanceof Strategy.Rolling ? r.strategy() : new Strategy.BlueGreen(0, null, null);
        DeploymentRequest back = r.toBuilder().revision(new RevisionSource.TaskDefinition(s.previousTaskDefinition))
                .strategy(strategy).gates(List.of()).hooks(List.of()).analysis(null).build();
        later.add(() -> engine(s).start(back).whenComplete((h, err) -> revertStarted(s, h, err)));
    }

    private void revertStarted(Svc s, DeploymentHandle h, Throwable err) {
        List<Runnable> later = new ArrayList<>();
        synchronized (this) {
            if (err != null) {
                Throwable c = err.getCause() == null ? err : err.getCause();
                s.state = "REVERT_FAILED";
                s.note = "the revert could not start: " + SafeText.line(String.valueOf(c.getMessage()), 500);
                checkFinished();
            } else {
                s.revert = h;
                later.add(() -> followRevert(s));
            }
        }
        run(later);
        changed(ended != null ? "outcome" : "checkpoint");
    }

    private void followRevert(Svc s) {
        Subscription sub = engine(s).follow(s.revert, (e, snap) -> {
            synchronized (this) {
                s.snap = snap;
            }
            changed("event");
        }, null);
        synchronized (this) {
            s.revertSub = sub;
        }
        sub.outcome().thenAccept(o -> {
            synchronized (this) {
                if (closed) {
                    return;
                }
                s.state = o.succeeded() ? "REVERTED" : "REVERT_FAILED";
                s.note = o.succeeded() ? "reverted to " + RevisionNames.familyRevision(s.previousTaskDefinition)
                        : "the revert ended " + o.describe();
                checkFinished();
            }
            changed(ended != null ? "outcome" : "event");
        });
    }

    /** Under the lock: the release ends once nothing is open any more. */
    private void checkFinished() {
        if (!rollingBack || ended != null) {
            return;
        }
        for (Svc s : svcs.values()) {
            if (OPEN.contains(s.state)) {
                return;
            }
        }
        boolean clean = true;
        List<String> rolled = new ArrayList<>();
        List<String> reverted = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (Svc s : svcs.values()) {
            switch (s.state) {
                case "ROLLED_BACK" -> {
                    if (!s.spec.name().equals(causeService)) {
                        rolled.add(s.spec.name());
                    }
                }
                case "REVERTED" -> reverted.add(s.spec.name());
                case "NOT_STARTED" -> { }
                default -> {
                    // the cause is clean when ECS rolled it back, or when it never started (nothing of it was deployed)
                    boolean causeClean = s.spec.name().equals(causeService) && s.outcome == null && s.handle == null;
                    if (!causeClean) {
                        clean = false;
                        bad.add(s.spec.name() + " " + s.state + (s.note == null ? "" : " (" + s.note + ")"));
                    }
                }
            }
        }
        StringBuilder why = new StringBuilder(reason == null ? "rolled back" : reason);
        if (!rolled.isEmpty()) {
            why.append("; rolled back: ").append(String.join(", ", rolled));
        }
        if (!reverted.isEmpty()) {
            why.append("; reverted: ").append(String.join(", ", reverted));
        }
        if (!bad.isEmpty()) {
            why.append("; not rolled back: ").append(String.join(", ", bad));
        }
        finish(clean ? OutcomeKind.ROLLED_BACK : OutcomeKind.ROLLBACK_FAILED, causeService, why.toString());
    }

    /** Under the lock. */
    private void finish(OutcomeKind kind, String cause, String why) {
        if (ended != null) {
            return;
        }
        Map<String, String> per = new LinkedHashMap<>();
        for (Svc s : svcs.values()) {
            String t = s.state;
            if (s.outcome != null && !"REVERTED".equals(s.state) && !"REVERT_FAILED".equals(s.state)) {
                t = s.outcome.describe();
            } else if (s.note != null) {
                t = s.state + ": " + s.note;
            }
            per.put(s.spec.name(), t);
        }
        ended = new ReleaseOutcome(kind, cause, why, per);
        for (Integer w : offered) {
            gateState.putIfAbsent(w, "CLOSED");
        }
        ReleaseOutcome o = ended;
        // completed after the lock is released (a dependent action may call back into this run)
        CompletableFuture.runAsync(() -> outcome.complete(o), CompletableFuture.delayedExecutor(0, java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    // ------------------------------------------------------------------ reading

    private String name() {
        return request.name() == null ? "release" : request.name();
    }

    @Override
    public synchronized ReleaseSnapshot snapshot() {
        return snapshotLocked();
    }

    private ReleaseSnapshot snapshotLocked() {
        List<ReleaseSnapshot.Wave> waves = new ArrayList<>();
        for (int i = 0; i < request.waves().size(); i++) {
            List<String> names = request.waves().get(i);
            waves.add(new ReleaseSnapshot.Wave(i, names, waveState(names), request.gate() == null ? "NONE"
                    : gateState.getOrDefault(i, ended != null ? "CLOSED" : "PENDING"), gateBy.get(i),
                    i == wave && "WAITING".equals(gateState.get(i)) ? earliestExpiry(i) : null));
        }
        List<ReleaseSnapshot.Service> services = new ArrayList<>();
        for (Svc s : svcs.values()) {
            DeploymentRequest r = s.spec.request();
            services.add(new ReleaseSnapshot.Service(s.spec.name(), s.wave, r.region(), r.clusterOrDefault(), r.service(), s.state,
                    s.handle == null ? null : s.handle.deploymentArn(), s.outcome == null ? null : s.outcome.describe(),
                    s.revert == null ? null : s.revert.deploymentArn(), s.note, s.snap));
        }
        String status = ended != null ? ended.kind().name() : rollingBack ? "ROLLING_BACK"
                : "WAITING".equals(gateState.get(wave)) ? "WAITING_AT_GATE" : "RUNNING";
        return new ReleaseSnapshot(name(), status, wave, causeService, reason, waves, services, ended);
    }

    private String waveState(List<String> names) {
        Set<String> states = new TreeSet<>();
        for (String n : names) {
            states.add(svcs.get(n).state);
        }
        if (states.equals(Set.of("SUCCEEDED"))) {
            return "SUCCEEDED";
        }
        if (states.equals(Set.of("PENDING"))) {
            return "PENDING";
        }
        if (states.equals(Set.of("NOT_STARTED"))) {
            return "NOT_STARTED";
        }
        if (states.equals(Set.of("REVERTED"))) {
            return "REVERTED";
        }
        if (states.contains("ROLLING_BACK") || states.contains("REVERTING")) {
            return "ROLLING_BACK";
        }
        if (rollingBack && states.stream().noneMatch(OPEN::contains)) {
            return "ROLLED_BACK";
        }
        return "RUNNING";
    }

    @Override
    public synchronized ReleaseCheckpoint checkpoint() {
        Map<String, String> arns = new LinkedHashMap<>();
        Map<String, String> prev = new LinkedHashMap<>();
        Map<String, String> reverts = new LinkedHashMap<>();
        for (Svc s : svcs.values()) {
            if (s.handle != null) {
                arns.put(s.spec.name(), s.handle.deploymentArn());
            }
            if (s.previousTaskDefinition != null) {
                prev.put(s.spec.name(), s.previousTaskDefinition);
            }
            if (s.revert != null) {
                reverts.put(s.spec.name(), s.revert.deploymentArn());
            }
        }
        return new ReleaseCheckpoint(wave, arns, prev, reverts, continued, rollingBack, causeService, reason);
    }

    @Override
    public CompletableFuture<ReleaseOutcome> outcome() {
        return outcome;
    }

    @Override
    public void close() {
        List<Subscription> subs = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Svc s : svcs.values()) {
                if (s.sub != null) {
                    subs.add(s.sub);
                }
                if (s.revertSub != null) {
                    subs.add(s.revertSub);
                }
            }
        }
        subs.forEach(Subscription::close);
    }

    private void changed(String what) {
        if (listener == null) {
            return;
        }
        ReleaseSnapshot s = snapshot();
        try {
            listener.onChange(what, s);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "release listener failed", e);
        }
    }

    private static void run(List<Runnable> later) {
        for (Runnable r : later) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "release action failed", e);
            }
        }
    }
}
