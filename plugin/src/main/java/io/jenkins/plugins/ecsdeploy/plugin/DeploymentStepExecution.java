package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * What every waiting step shares (deploy steps, ecsWait, ecsApprove, ecsAtGate): asynchronous,
 * restart-safe and abortable.
 *
 * <ul>
 *   <li>{@code start()} returns false and never touches AWS: the work runs on {@link Timer} (docs/jenkins-behaviour.md "Long waits that survive a restart").</li>
 *   <li>Only {@link DeploymentRef} (ids and policy) is serialized with the program; the follower, engine and
 *       listeners are transient and rebuilt in {@code onResume()}, which re-follows by ARN (the engine offers a
 *       gate that still awaits action again).</li>
 *   <li>{@code stop()} classifies the interruption (docs/jenkins-behaviour.md "Telling an abort from a timeout") and applies the
 *       deployment's {@code onAbort}: ROLLBACK calls the engine's rollback with cause BUILD_ABORTED — on
 *       {@link Timer}, never on the CPS VM thread ("Stopping a step": stop() runs there under a 30 s limit) — then fails
 *       the step with the interruption so the build ends ABORTED.</li>
 * </ul>
 */
abstract class DeploymentStepExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(DeploymentStepExecution.class.getName());

    /** Ids and policy of the deployment this step waits for (null until known). */
    protected DeploymentRef ref;
    /** Set once the step has completed; persisted so a resumed copy does nothing. */
    protected volatile boolean completed;
    /** Set once the deployment reached a terminal state (no rollback on abort then). */
    protected volatile boolean deploymentFinished;

    protected transient volatile Follower follower;
    protected transient volatile boolean stopping;
    /**
     * The interruption stop() received, saved with the program at once ({@code saveState()}): stop() hands the work to
     * another thread, and a restart before that work ran must not lose the abort (a found defect). onResume() applies it.
     */
    protected volatile Throwable pendingStop;
    /** Set by onResume(): the next follower skips console lines the record already holds. */
    protected transient volatile boolean resuming;

    protected DeploymentStepExecution(StepContext context) {
        super(context);
    }

    protected Run<?, ?> run() {
        try {
            return getContext().get(Run.class);
        } catch (Exception e) {
            return null;
        }
    }

    protected TaskListener listener() {
        try {
            return getContext().get(TaskListener.class);
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * A console line of this step, only while it runs: Jenkins closes a step's log when its node ends, and lines
     * written later are lost (workflow-support DefaultStepContext: a finished node's log cannot be opened again).
     */
    protected void log(String text) {
        if (completed) {
            LOGGER.log(Level.FINE, "{0} (after the step ended): {1}", new Object[] {functionName(), text});
            return;
        }
        Console.line(listener(), ref == null ? functionName() : ref.label(), text);
    }

    protected abstract String functionName();

    protected synchronized boolean complete() {
        if (completed) {
            return false;
        }
        completed = true;
        return true;
    }

    protected void succeed(Object value) {
        if (complete()) {
            afterComplete();
            getContext().onSuccess(value);
        }
    }

    protected void fail(Throwable t) {
        if (complete()) {
            afterComplete();
            getContext().onFailure(t);
        }
    }

    /** Called once, right before the step's context is completed (e.g. to end a pause). */
    protected void afterComplete() {
    }

    /** Turns an engine failure into a one-line AbortException (the log then shows "ERROR: …", no stack). */
    protected Throwable explain(Throwable t, String what) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof AbortException) {
            return c;
        }
        if (c instanceof InvalidRequestException ire) {
            return new AbortException(functionName() + ": " + ire.getMessage());
        }
        LOGGER.log(Level.FINE, what, c);
        return new AbortException(what + ": " + AwsErrors.oneLine(c)); // the SDK's credentials dump as one line
    }

    /**
     * Gives the deployment a section on this build's progress page when it has none here (a bare ARN, or a
     * value from another build), so every deployment a build waits for is shown.
     */
    protected void ensureProgressRecord(Run<?, ?> run) {
        if (run == null || ref == null) {
            return;
        }
        EcsProgressAction p = EcsProgressAction.of(run);
        if (ref.recordId == null || p.record(ref.recordId) == null) {
            ref.recordId = p.newRecord(ref, ref.strategy == null ? "?" : ref.strategy);
            p.started(ref.recordId, ref.deploymentArn);
        }
    }

    /**
     * Binds {@link #ref} to the step's deployment (with the step's own credentials and role when it has them) and
     * gives it a section on the progress page. No AWS call.
     */
    protected void bind(DeploymentHandleStep step) throws Exception {
        String credentialsId = step instanceof DeploymentAccessStep a ? a.getCredentialsId() : null;
        String roleArn = step instanceof DeploymentAccessStep a ? a.getRoleArn() : null;
        ref = DeploymentRef.from(step.getDeployment(), "deployment", credentialsId, roleArn);
        ensureProgressRecord(getContext().get(Run.class));
    }

    /**
     * Runs {@link #follow()} off the CPS VM thread, on the plugin's own executor (it may look credentials up and build an
     * engine: never on {@code jenkins.util.Timer}); a failure fails the step.
     */
    protected void followOnTimer() {
        PluginExecutors.io().submit(() -> {
            try {
                follow();
            } catch (Exception e) {
                fail(explain(e, functionName() + ": could not follow " + ref.deploymentArn));
            }
        });
    }

    /** A lease on the engine for {@link #ref}'s credentials, region and role; close it when done. */
    protected EngineRegistry.Lease lease() throws AbortException {
        return EngineRegistry.get().acquire(run(), ref.credentialsId, ref.region, ref.roleArn);
    }

    /**
     * Follows {@link #ref}'s deployment with a new lease (the follower closes it).
     *
     * @param until null: until it finishes; a stage: report when it gets there
     * @param gates what to do with an awaiting gate; null: offer it for approval when the deployment asked
     */
    protected void startFollower(String until, Consumer<Follower.Result> done, Consumer<PendingGate> gates)
            throws AbortException {
        startFollower(lease(), until, done, gates);
    }

    private void startFollower(EngineRegistry.Lease lease, String until, Consumer<Follower.Result> done,
                               Consumer<PendingGate> gates) {
        // Set before start(): the engine may offer an awaiting gate from inside follow() (on this thread), and the
        // gate policies (ecsApprove, ecsAtGate) use the field.
        Follower f = new Follower(run(), listener(), ref, until, done, gates, lease);
        Run<?, ?> r = run();
        // a step that starts after a restart (ecsWait after the resumed ecsApprove) follows a deployment the record
        // already tells: like a resumed step it prints only what is new (found in a real Jenkins, issue 16)
        if (resuming || (r != null && ref != null && EcsProgressAction.of(r).knownBeforeRestart(ref.recordId))) {
            f.resumed();
        }
        follower = f;
        f.start();
    }

    /**
     * On {@link Timer}: takes a lease, makes one engine call on {@link #ref}'s deployment (e.g. a rollback), and once
     * ECS accepted it runs {@code accepted} and follows the deployment to its end with that lease. A refused call
     * closes the lease and fails the step with "{@code refused}: …"; a failure before the call with
     * "{@code failed}: …".
     */
    protected void callThenFollow(Function<DeploymentEngine, CompletableFuture<?>> call, Runnable accepted,
                                  Consumer<Follower.Result> done, String refused, String failed) {
        PluginExecutors.io().submit(() -> {
            EngineRegistry.Lease lease = null;
            try {
                lease = lease();
                EngineRegistry.Lease l = lease;
                call.apply(lease.engine()).whenComplete((v, err) -> {
                    if (err != null) {
                        l.close();
                        fail(explain(err, refused));
                        return;
                    }
                    accepted.run();
                    startFollower(l, null, done, null);
                });
            } catch (Exception e) {
                if (lease != null) {
                    lease.close();
                }
                fail(explain(e, failed));
            }
        });
    }

    /** Re-follows after a restart; subclasses with more state override. */
    @Override
    public void onResume() {
        if (completed) {
            return;
        }
        Throwable stop = pendingStop;
        if (stop != null) {
            // aborted before the restart, and the abort's work may not have run: apply it now
            stopping = true;
            Interruption why = Interruption.classify(stop);
            PluginExecutors.run("applying onAbort after a restart", () -> applyOnAbort(why, stop));
            return;
        }
        resuming = true;
        if (ref == null || ref.deploymentArn == null) {
            fail(new AbortException(functionName() + ": Jenkins restarted before the deployment's ARN was known, so it "
                    + "cannot be followed. Check the service's deployments in the ECS console; run the build again to deploy."));
            return;
        }
        PluginExecutors.io().submit(() -> {
            try {
                log("Jenkins restarted; resuming (the deployment went on in ECS meanwhile)");
                follow();
            } catch (Exception e) {
                fail(explain(e, "could not follow " + ref.deploymentArn + " after the restart"));
            }
        });
    }

    /** Starts (or restarts) following {@link #ref}; called on a Timer thread. */
    protected abstract void follow() throws Exception;

    @Override
    public void stop(Throwable cause) {
        stopping = true;
        pendingStop = cause;
        try {
            getContext().saveState();   // the abort survives a restart before the work below ran
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "saveState", e);
        }
        Interruption why = Interruption.classify(cause);
        PluginExecutors.run("applying onAbort", () -> applyOnAbort(why, cause));
    }

    /** Interruption seen before the deployment's ARN was known: applied as soon as it is (see started()). */
    protected transient volatile Interruption pendingAbort;

    /** Runs on Timer: stop following, close our gates, roll back when the policy says so, then fail with the cause. */
    protected void applyOnAbort(Interruption why, Throwable cause) {
        Follower f = follower;
        if (f != null) {
            f.close();
        }
        if (ref != null && ref.deploymentArn == null && !completed) {
            pendingAbort = why; // the start is in flight: roll back once ECS tells us the ARN
        }
        if (ref == null || ref.deploymentArn == null || deploymentFinished || completed) {
            fail(cause);
            return;
        }
        rollbackFor(why, () -> fail(cause));
    }

    /** Applies onAbort to {@link #ref}'s deployment, then runs {@code then} (on whatever thread the engine answers). */
    protected void rollbackFor(Interruption why, Runnable then) {
        Run<?, ?> run = run();
        if (run != null) {
            EcsApprovalAction a = run.getAction(EcsApprovalAction.class);
            if (a != null) {
                for (GateRecord g : a.getWaitingGates()) {
                    if (ref.deploymentArn.equals(g.deploymentArn)) {
                        a.closed(g.hookId, GateRecord.Status.CLOSED, "build " + why.text());
                    }
                }
            }
        }
        if (!ref.rollbackOnAbort()) {
            log("build " + why.text() + "; onAbort: LEAVE, so the deployment " + ref.deploymentArn + " goes on in ECS");
            try {
                keepRecordCurrent(run, EngineRegistry.get().acquire(run, ref.credentialsId, ref.region, ref.roleArn));
            } catch (Exception e) {
                LOGGER.log(Level.FINE, "cannot keep following " + ref.deploymentArn, e);
            }
            then.run();
            return;
        }
        log("build " + why.text() + "; onAbort: ROLLBACK, rolling back " + ref.deploymentArn);
        EngineRegistry.Lease lease;
        try {
            lease = EngineRegistry.get().acquire(run, ref.credentialsId, ref.region, ref.roleArn);
        } catch (Exception e) {
            log("could not roll back: " + e.getMessage());
            then.run();
            return;
        }
        try {
            lease.engine().rollback(ref.handle(), RollbackCause.BUILD_ABORTED, "build " + why.text(), why.userId())
                    .whenComplete((v, err) -> {
                        if (err != null) {
                            lease.close();
                            log("the rollback request failed: " + explain(err, "rollback").getMessage());
                        } else {
                            log("ECS accepted the rollback; it goes on in ECS "
                                    + Console.link(run, EcsProgressAction.URL_NAME + "/", "(live progress)"));
                            keepRecordCurrent(run, lease);
                        }
                        then.run();
                    });
        } catch (RuntimeException e) {
            lease.close();
            log("could not roll back: " + e.getMessage());
            then.run();
        }
    }

    /**
     * After an abort the step is over but the deployment is not: keep following it (no console, the step's log is
     * closed) so the build's progress record and gate records end with ECS's outcome instead of staying IN_PROGRESS
     * with a gate AWAITING_ACTION (a found defect). The follower closes itself and the lease at the end.
     */
    protected void keepRecordCurrent(Run<?, ?> run, EngineRegistry.Lease lease) {
        if (run == null || ref == null || ref.deploymentArn == null) {
            lease.close();
            return;
        }
        try {
            new Follower(run, null, ref, null, r -> { }, g -> { }, lease).start();
        } catch (RuntimeException e) {
            lease.close();
            LOGGER.log(Level.FINE, "cannot keep following " + ref.deploymentArn, e);
        }
    }

    /** The follower's report: the handle map on success or early return, a one-line failure otherwise. */
    protected void onResult(Follower.Result r) {
        if (r.finished()) {
            deploymentFinished = true;
        }
        if (r.failed()) {
            fail(new AbortException(r.failureText(ref.label())));
        } else {
            if (r.finished() && r.outcome() != null) {
                log("deployment finished: " + r.outcome().describe());
            }
            succeed(ref.toMap(r.snapshot(), r.approvedBy()));
        }
    }

    @Override
    public String getStatus() {
        Follower f = follower;
        String stage = f == null ? null : f.lastStage();
        return ref == null || ref.deploymentArn == null ? "starting an ECS deployment"
                : "following " + ref.deploymentArn + (stage == null ? "" : " at " + stage);
    }
}
