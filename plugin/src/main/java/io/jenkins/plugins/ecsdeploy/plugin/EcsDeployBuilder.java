package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.AbstractProject;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStepDescriptor;
import hudson.tasks.Builder;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jenkins.tasks.SimpleBuildStep;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * Freestyle build step "Deploy to Amazon ECS". The strategy drop-down chooses one of the four Pipeline
 * steps' descriptors, so the options are the Pipeline steps' own (one definition, docs/freestyle.md).
 *
 * <p>Freestyle has no asynchronous steps: the build's executor thread waits on a future that the
 * follower completes (the deployment's end, or {@code waitUntil}); an approval is decided on the
 * build's "ECS approval" page exactly as in Pipeline — the click calls ECS, ECS moves on, the follower
 * sees it. Aborting the build interrupts the wait and applies {@code onAbort}. A controller restart
 * ends a freestyle build (Jenkins does not resume them); the deployment goes on in ECS, where the
 * gate's own timeout action is the safety net.
 */
public class EcsDeployBuilder extends Builder implements SimpleBuildStep {
    private final DeployStepBase deployment;

    @DataBoundConstructor
    public EcsDeployBuilder(DeployStepBase deployment) {
        this.deployment = deployment;
    }

    public DeployStepBase getDeployment() {
        return deployment;
    }

    @Override
    public boolean requiresWorkspace() {
        return deployment != null && deployment.getTaskDefinitionFile() != null;
    }

    @Override
    public void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener)
            throws InterruptedException, IOException {
        deploy(run, workspace, listener);
    }

    @Override
    public void perform(Run<?, ?> run, EnvVars env, TaskListener listener) throws InterruptedException, IOException {
        deploy(run, null, listener);
    }

    void deploy(Run<?, ?> run, FilePath workspace, TaskListener listener) throws InterruptedException, IOException {
        if (deployment == null) {
            throw new AbortException("Deploy to Amazon ECS: choose a strategy");
        }
        String json = null;
        if (deployment.getTaskDefinitionFile() != null) {
            if (workspace == null) {
                throw new AbortException(Values.problem("taskDefinitionFile", deployment.getTaskDefinitionFile(), "a file in the workspace"));
            }
            json = workspace.child(deployment.getTaskDefinitionFile()).readToString();
        }
        DeploymentRequest request = deployment.toRequest(EcsGlobalConfiguration.defaultRegionOrNull(), json);
        DeploymentRef ref = DeploymentRef.of(deployment, request.region());
        request = Redeploys.apply(run, request, listener, ref.label()); // "Redeploy this revision" (docs/approvals.md)
        ref.analysis(request); // docs/analysis.md
        ref.strategy = request.strategy().ecsName();
        ref.recordId = EcsProgressAction.of(run).newRecord(ref, ref.strategy);
        Console.line(listener, ref.label(), "starting a " + ref.strategy + " deployment in " + ref.region);
        EngineRegistry.Lease lease = EngineRegistry.get().acquire(run, ref.credentialsId, ref.region, ref.roleArn);
        if (ref.switchover() != null) {
            try {
                // reads only: the switchover flag must exist and be a String parameter (docs/cutovers.md)
                Switchovers.follower(lease.engine()).preflight(ref.switchover());
            } catch (io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException e) {
                lease.close();
                EcsProgressAction.of(run).failedToStart(ref.recordId, e.getMessage());
                throw new AbortException(e.getMessage());
            }
            Console.line(listener, ref.label(), ref.switchover().describe());
        }
        DeploymentHandle handle;
        try {
            handle = lease.engine().start(request).get();
        } catch (ExecutionException e) {
            lease.close();
            Throwable c = e.getCause() == null ? e : e.getCause();
            EcsProgressAction.of(run).failedToStart(ref.recordId, AwsErrors.oneLine(c));
            throw new AbortException("ECS did not start the deployment of " + ref.label() + ": " + AwsErrors.oneLine(c));
        } catch (InterruptedException e) {
            lease.close();
            throw e;
        }
        ref.setHandle(handle);
        EcsProgressAction.of(run).started(ref.recordId, handle.deploymentArn());
        Console.line(listener, ref.label(), "deployment " + handle.deploymentArn() + " started "
                + Console.link(run, EcsProgressAction.URL_NAME + "/", "(live progress)"));
        CompletableFuture<Follower.Result> done = new CompletableFuture<>();
        Follower follower = new Follower(run, listener, ref, deployment.getWaitUntil(), done::complete, null, lease).start();
        Follower.Result r;
        try {
            r = done.get();
        } catch (InterruptedException e) {
            follower.close();
            abort(run, listener, ref, "build aborted");
            throw e;
        } catch (ExecutionException e) {
            follower.close();
            throw new AbortException(String.valueOf(e.getCause()));
        }
        if (r.failed()) {
            throw new AbortException(r.failureText(ref.label()));
        }
        Console.line(listener, ref.label(), r.finished() ? "deployment finished: " + r.outcome().describe()
                : "reached " + deployment.getWaitUntil() + "; the build goes on while ECS continues");
    }

    /**
     * The build was aborted while waiting: close the build's waiting gates at once (no Approve is offered for a build
     * that is over), apply onAbort (a freestyle executor may block briefly for it), and keep following the deployment
     * without console so its record ends with ECS's outcome, not IN_PROGRESS (a found defect).
     */
    private static void abort(Run<?, ?> run, TaskListener listener, DeploymentRef ref, String why) {
        EcsApprovalAction a = run.getAction(EcsApprovalAction.class);
        if (a != null) {
            for (GateRecord g : a.getWaitingGates()) {
                if (ref.deploymentArn != null && ref.deploymentArn.equals(g.deploymentArn)) {
                    a.closed(g.hookId, GateRecord.Status.CLOSED, why);
                }
            }
        }
        EngineRegistry.Lease lease;
        try {
            lease = EngineRegistry.get().acquire(run, ref.credentialsId, ref.region, ref.roleArn);
        } catch (Exception e) {
            Console.line(listener, ref.label(), "could not roll back: " + Console.safe(e.getMessage()));
            return;
        }
        if (!ref.rollbackOnAbort()) {
            Console.line(listener, ref.label(), why + "; onAbort: LEAVE, the deployment goes on in ECS");
        } else {
            Console.line(listener, ref.label(), why + "; onAbort: ROLLBACK, rolling back " + ref.deploymentArn);
            try {
                lease.engine().rollback(ref.handle(), RollbackCause.BUILD_ABORTED, why, null).get(60, TimeUnit.SECONDS);
                Console.line(listener, ref.label(), "ECS accepted the rollback");
            } catch (Exception e) {
                Console.line(listener, ref.label(), "could not roll back: " + Console.safe(e.getMessage()));
            }
        }
        new Follower(run, null, ref, null, r -> { }, g -> { }, lease).start();
    }

    /*
     * No @Symbol: Pipeline resolves a name as a step before a symbol, even inside another step's arguments
     * (jenkinsci/workflow-cps-plugin@4350.vcc65d4958821:plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/DSL.java:192-203),
     * so `ecsDeploy(deployment: ecsBlueGreen(...))` would START a real ecsBlueGreen while binding the argument (a found
     * defect). The builder is for freestyle jobs; Pipeline calls the strategy steps (docs/freestyle.md).
     */
    @Extension
    public static class DescriptorImpl extends BuildStepDescriptor<Builder> {
        @Override
        @SuppressWarnings("rawtypes") // the signature core declares
        public boolean isApplicable(Class<? extends AbstractProject> jobType) {
            return true;
        }

        @Override
        public String getDisplayName() {
            return "Deploy to Amazon ECS";
        }

        /** The strategy drop-down: the four deploy steps' descriptors. */
        public List<DeployStepDescriptor> getStrategyDescriptors() {
            List<DeployStepDescriptor> l = new ArrayList<>();
            for (StepDescriptor d : StepDescriptor.all()) {
                if (d instanceof DeployStepDescriptor dd) {
                    l.add(dd);
                }
            }
            return l;
        }
    }
}
