package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.release.PendingWaveGate;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseCheckpoint;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseEngine;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseOutcome;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseRequest;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseRun;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseService;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseSnapshot;

import java.util.HashMap;
import java.util.LinkedHashMap;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The running {@code ecsRelease} (docs/releases.md). Only Strings and the engine's {@link ReleaseCheckpoint} (ids) are
 * saved with the program; {@code start()} checks the release and returns at once, the release runs on the engines'
 * threads, and {@code onResume()} takes it over from its checkpoint ({@code ReleaseEngine.resume}: deployments followed
 * again by ARN, nothing started twice, a waiting wave gate offered again).
 */
final class EcsReleaseExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(EcsReleaseExecution.class.getName());

    private final String treeJson;
    private final String credentialsId;
    private String releaseId;
    /** The release's checkpoint (ids only) as JSON text: plain Strings in program.dat. */
    private volatile String checkpoint;
    private volatile boolean completed;

    private transient volatile ReleaseRun live;
    private transient Map<String, EngineRegistry.Lease> leases;
    private transient Map<String, String> lastState;

    EcsReleaseExecution(StepContext context, EcsReleaseStep step) {
        super(context);
        this.treeJson = step.tree().toString();
        this.credentialsId = step.getCredentialsId();
    }

    private Run<?, ?> run() {
        try {
            return getContext().get(Run.class);
        } catch (Exception e) {
            return null;
        }
    }

    private TaskListener listener() {
        try {
            return getContext().get(TaskListener.class);
        } catch (Exception e) {
            return null;
        }
    }

    private void log(String text) {
        if (!completed) {
            Console.line(listener(), "release", text);
        }
    }

    @Override
    public boolean start() throws Exception {
        ReleaseRequest r;
        try {
            r = EcsReleaseStep.parse(treeJson);
        } catch (InvalidRequestException e) {
            // every problem, before any AWS call (docs/releases.md)
            throw new AbortException("ecsRelease: " + String.join("; ", e.problems().stream().map(ValidationProblem::message).toList()));
        }
        Run<?, ?> run = run();
        releaseId = "r" + (EcsReleaseAction.of(run).getReleases().size() + 1);
        log("releasing " + (r.name() == null ? "" : r.name() + ": ") + String.join(" → ",
                r.waves().stream().map(l -> String.join(" + ", l)).toList()) + " "
                + Console.link(run, EcsReleaseAction.URL_NAME + "/", "(release page)"));
        PluginExecutors.run("starting ecsRelease", () -> begin(r, null));
        return false;
    }

    @Override
    public void onResume() {
        if (completed || releaseId == null) {
            return;
        }
        ReleaseRequest r = EcsReleaseStep.parse(treeJson);
        PluginExecutors.run("resuming ecsRelease", () -> begin(r, checkpoint == null ? ReleaseCheckpoint.START : fromText(checkpoint)));
    }

    private synchronized EngineRegistry.Lease lease(ReleaseService s) {
        if (leases == null) {
            leases = new HashMap<>();
        }
        String k = s.request().region() + "|" + s.roleArn();
        return leases.computeIfAbsent(k, x -> {
            try {
                return EngineRegistry.get().acquire(run(), credentialsId, s.request().region(), s.roleArn());
            } catch (AbortException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private void begin(ReleaseRequest r, ReleaseCheckpoint from) {
        try {
            for (ReleaseService s : r.services()) {
                lease(s);   // unknown credentials: refused before anything starts
            }
            ReleaseEngine engine = new ReleaseEngine(s -> lease(s).engine());
            Run<?, ?> run = run();
            EcsReleaseAction a = EcsReleaseAction.of(run);
            // the record first: a wave gate offered at once (a resumed release) must find it
            a.register(releaseId, r.name() == null ? "release" : r.name(), r.approval(), Follower.starterOf(run), null, listener());
            ReleaseRun started = from == null ? engine.start(r, this::changed, this::gate)
                    : engine.resume(r, from, this::changed, this::gate);
            live = started;
            a.register(releaseId, r.name() == null ? "release" : r.name(), r.approval(), Follower.starterOf(run), started, listener());
            changed("checkpoint", started.snapshot());
            started.outcome().thenAccept(this::ended);
        } catch (RuntimeException e) {
            fail(new AbortException("ecsRelease: " + (e instanceof InvalidRequestException ire
                    ? String.join("; ", ire.problems().stream().map(ValidationProblem::message).toList()) : String.valueOf(e.getMessage()))));
        }
    }

    private void changed(String what, ReleaseSnapshot s) {
        ReleaseRun r = live;
        Run<?, ?> run = run();
        if (run == null) {
            return;
        }
        boolean persist = !"event".equals(what);
        EcsReleaseAction.of(run).snapshot(releaseId, s.toJson(), persist);
        if (persist && r != null) {
            checkpoint = toText(r.checkpoint());
            try {
                getContext().saveState();
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "saveState", e);
            }
        }
        report(s);
    }

    /** One console line per change of a wave's or a service's state. */
    private synchronized void report(ReleaseSnapshot s) {
        if (lastState == null) {
            lastState = new HashMap<>();
        }
        for (ReleaseSnapshot.Service x : s.services()) {
            String stage = x.snapshot() == null ? null : x.snapshot().lifecycleStage();
            String v = x.state() + (stage == null || stage.isEmpty() ? "" : " at " + stage);
            if (!v.equals(lastState.put(x.name(), v))) {
                log("wave " + (x.wave() + 1) + " · " + x.name() + " (" + x.cluster() + "/" + x.service() + "): " + v
                        + (x.note() == null ? "" : " — " + x.note()));
            }
        }
    }

    static String toText(ReleaseCheckpoint c) {
        return EcsReleaseStep.JSON.valueToTree(c).toString();
    }

    static ReleaseCheckpoint fromText(String text) {
        try {
            return EcsReleaseStep.JSON.readValue(text, ReleaseCheckpoint.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the saved release checkpoint cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    private void gate(PendingWaveGate g) {
        Run<?, ?> run = run();
        EcsReleaseAction.of(run).gateOffered(releaseId, g.wave(), g.services());
        log("wave " + (g.wave() + 1) + " (" + String.join(", ", g.services()) + ") waits at its gate: Approve or roll back "
                + Console.link(run, EcsReleaseAction.URL_NAME + "/", "(release page)"));
    }

    private void ended(ReleaseOutcome o) {
        ReleaseRun r = live;
        if (r != null) {
            report(r.snapshot());   // the last states, before the step's log closes
        }
        Run<?, ?> run = run();
        if (run != null) {
            if (r != null) {
                EcsReleaseAction.of(run).snapshot(releaseId, r.snapshot().toJson(), false);
            }
            EcsReleaseAction.of(run).ended(releaseId);
        }
        closeLeases();
        if (o.succeeded()) {
            log("release " + o.describe());
            succeed(result(o));
        } else {
            log("release " + o.describe());
            o.services().forEach((k, v) -> log("  " + k + ": " + v));
            fail(new AbortException("ecsRelease: " + o.describe()));
        }
    }

    /** The step's value: the outcome, the service that caused a rollback, and each service's deployment handle. */
    private Map<String, Object> result(ReleaseOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outcome", o.kind().name());
        m.put("causeService", o.causeService());
        m.put("reason", o.reason());
        Map<String, Object> deployments = new LinkedHashMap<>();
        ReleaseRun r = live;
        if (r != null) {
            for (ReleaseSnapshot.Service s : r.snapshot().services()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("deploymentArn", s.deploymentArn());
                d.put("region", s.region());
                d.put("cluster", s.cluster());
                d.put("service", s.service());
                d.put("outcome", s.state());
                if (credentialsId != null) {
                    d.put("credentialsId", credentialsId);
                }
                deployments.put(s.name(), d);
            }
        }
        m.put("deployments", deployments);
        return m;
    }

    private synchronized boolean complete() {
        if (completed) {
            return false;
        }
        completed = true;
        return true;
    }

    private void succeed(Object v) {
        if (complete()) {
            getContext().onSuccess(v);
        }
    }

    private void fail(Throwable t) {
        if (complete()) {
            closeLeases();
            getContext().onFailure(t);
        }
    }

    private synchronized void closeLeases() {
        if (leases != null) {
            leases.values().forEach(EngineRegistry.Lease::close);
            leases.clear();
        }
    }

    /** An abort rolls the release back (the wave rolled back, earlier waves reverted), then ends the step with the abort. */
    @Override
    public void stop(Throwable cause) throws Exception {
        ReleaseRun r = live;
        if (r != null && !completed) {
            String by = cause instanceof org.jenkinsci.plugins.workflow.steps.FlowInterruptedException ? "build aborted" : "stopped";
            PluginExecutors.run("rolling back ecsRelease", () -> r.rollback(by, "SYSTEM"));
        }
        Run<?, ?> run = run();
        if (run != null && releaseId != null) {
            EcsReleaseAction.of(run).unregister(releaseId);
        }
        fail(cause);
    }

    @Override
    public String getStatus() {
        ReleaseRun r = live;
        return r == null ? "starting the release" : "release " + r.snapshot().status();
    }

}
