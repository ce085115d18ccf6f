package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The execution of {@code ecsBlueGreen}, {@code ecsCanary}, {@code ecsLinear} and {@code ecsRolling}:
 * validate (on the CPS thread, no I/O) → start the deployment (on Timer) → follow it until
 * {@code waitUntil} or the end. Persisted state is {@link DeploymentRef} only; the step itself is
 * transient because everything it said is in the request already sent (or in the ref).
 */
public class DeployStepExecution extends DeploymentStepExecution {
    private static final long serialVersionUID = 1L;

    private final String until;
    private final String function;
    private transient DeployStepBase step;
    private transient DeploymentRequest request;

    DeployStepExecution(StepContext context, DeployStepBase step) {
        super(context);
        this.step = step;
        this.until = step.getWaitUntil();
        this.function = step.functionName();
    }

    @Override
    protected String functionName() {
        return function;
    }

    @Override
    public boolean start() throws Exception {
        Run<?, ?> run = getContext().get(Run.class);
        TaskListener listener = getContext().get(TaskListener.class);
        // Every check first: a bad value fails here with one ERROR line, before any AWS call.
        request = step.toRequest(EcsGlobalConfiguration.defaultRegionOrNull(), null);
        ref = DeploymentRef.of(step, request.region());
        request = Redeploys.apply(run, request, listener, ref.label()); // "Redeploy this revision" (docs/approvals.md)
        ref.analysis(request); // docs/analysis.md: re-followed with the analysis after a restart too
        ref.strategy = request.strategy().ecsName();
        ref.recordId = EcsProgressAction.of(run).newRecord(ref, ref.strategy);
        Console.line(listener, ref.label(), "starting a " + ref.strategy + " deployment in " + ref.region
                + (ref.credentialsId == null ? " with the default AWS credentials provider chain" : " with credentials '" + ref.credentialsId + "'")
                + (ref.roleArn == null ? "" : ", assuming " + ref.roleArn)
                + (ref.gateStage == null ? "" : "; gate at " + ref.gateStage)
                + (Values.COMPLETED.equals(until) ? "" : "; the step returns at " + until));
        // off the CPS VM thread, and not on jenkins.util.Timer either: reading a workspace file may wait for an agent
        PluginExecutors.io().submit(this::launch);
        return false;
    }

    /**
     * On the plugin's executor: read the task definition file if any — through {@code FilePath.readToString()}, which
     * decodes with the AGENT's default charset (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/FilePath.java:2479),
     * as the file was written there — then StartDeployment through the engine.
     */
    private void launch() {
        Run<?, ?> run = run();
        EngineRegistry.Lease lease = null;
        try {
            DeploymentRequest r = request;
            if (step.getTaskDefinitionFile() != null) {
                FilePath ws = getContext().get(FilePath.class);
                if (ws == null) {
                    throw new AbortException(Values.problem("taskDefinitionFile", step.getTaskDefinitionFile(),
                            "a file in the workspace: call " + function + " inside node { } so there is one"));
                }
                FilePath f = ws.child(step.getTaskDefinitionFile());
                if (!f.exists()) {
                    throw new AbortException(Values.problem("taskDefinitionFile", step.getTaskDefinitionFile(),
                            "a file that exists in the workspace " + ws.getRemote()));
                }
                r = Redeploys.apply(run, step.toRequest(EcsGlobalConfiguration.defaultRegionOrNull(), f.readToString()),
                        getContext().get(TaskListener.class), ref.label());
            }
            lease = EngineRegistry.get().acquire(run, ref.credentialsId, ref.region, ref.roleArn);
            if (ref.switchover() != null) {
                // reads only: the flag must exist and be a String parameter, before anything is written
                Switchovers.follower(lease.engine()).preflight(ref.switchover());
                log(ref.switchover().describe());
            }
            EngineRegistry.Lease l = lease;
            lease.engine().start(r).whenComplete((h, err) -> {
                if (err != null) {
                    l.close();
                    Throwable t = explain(err, function + ": ECS did not start the deployment of " + ref.label());
                    EcsProgressAction.of(run).failedToStart(ref.recordId, t.getMessage());
                    fail(t);
                } else {
                    started(h, l);
                }
            });
        } catch (Exception | LinkageError e) {
            if (lease != null) {
                lease.close();
            }
            Throwable t = explain(e, function + ": could not start the deployment of " + ref.label());
            if (run != null) {
                EcsProgressAction.of(run).failedToStart(ref.recordId, t.getMessage());
            }
            fail(t);
        }
    }

    private void started(DeploymentHandle h, EngineRegistry.Lease lease) {
        ref.setHandle(h);
        Run<?, ?> run = run();
        if (run != null) {
            EcsProgressAction.of(run).started(ref.recordId, h.deploymentArn());
        }
        log("deployment " + h.deploymentArn() + " started " + Console.link(run, EcsProgressAction.URL_NAME + "/", "(live progress)"));
        try {
            getContext().saveState(); // the ARN is what a restart needs: persist it now
        } catch (RuntimeException e) {
            // best effort; the program is saved again at the next checkpoint anyway
        }
        step = null;
        request = null;
        if (stopping) {
            lease.close();
            Interruption why = pendingAbort;
            if (why != null) {
                rollbackFor(why, () -> { }); // the step already failed with the interruption
            }
            return;
        }
        followWith(lease);
    }

    @Override
    protected void follow() throws Exception {
        followWith(EngineRegistry.get().acquire(run(), ref.credentialsId, ref.region, ref.roleArn));
    }

    private void followWith(EngineRegistry.Lease lease) {
        Follower f = new Follower(run(), listener(), ref, until, this::onResult, null, lease);
        if (resuming) {
            f.resumed();
        }
        follower = f.start();
    }
}
