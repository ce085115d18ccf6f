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
import org.jenkinsci.Symbol;
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
        ref.strategy = request.strategy().ecsName();
        ref.recordId = EcsProgressAction.of(run).newRecord(ref, ref.strategy);
        Console.line(listener, ref.label(), "starting a " + ref.strategy + " deployment in " + ref.region);
        EngineRegistry.Lease lease = EngineRegistry.get().acquire(run, ref.credentialsId, ref.region, ref.roleArn);
        DeploymentHandle handle;
        try {
            handle = lease.engine().start(request).get();
        } catch (ExecutionException e) {
            lease.close();
            Throwable c = e.getCause() == null ? e : e.getCause();
            EcsProgressAction.of(run).failedToStart(ref.recordId, String.valueOf(c.getMessage()));
            throw new AbortException("ECS did not start the deployment of " + ref.label() + ": " + c.getMessage());
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
            abort(run, listener, ref);
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

    /** The build was aborted while waiting: apply onAbort (a freestyle executor may block briefly for it). */
    private static void abort(Run<?, ?> run, TaskListener listener, DeploymentRef ref) {
        if (!ref.rollbackOnAbort()) {
            Console.line(listener, ref.label(), "build aborted; onAbort: LEAVE, the deployment goes on in ECS");
            return;
        }
        Console.line(listener, ref.label(), "build aborted; onAbort: ROLLBACK, rolling back " + ref.deploymentArn);
        try (EngineRegistry.Lease lease = EngineRegistry.get().acquire(run, ref.credentialsId, ref.region, ref.roleArn)) {
            lease.engine().rollback(ref.handle(), RollbackCause.BUILD_ABORTED, "build aborted", null).get(60, TimeUnit.SECONDS);
            Console.line(listener, ref.label(), "ECS accepted the rollback");
        } catch (Exception e) {
            Console.line(listener, ref.label(), "could not roll back: " + e.getMessage());
        }
    }

    @Extension
    @Symbol("ecsDeploy")
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
