package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import hudson.model.Run;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code ecsRollback(deployment: d, reason: '…')}: StopServiceDeployment(ROLLBACK) through the engine (cause
 * MANUAL), then waits until ECS has rolled back; returns the handle with outcome ROLLED_BACK.
 */
public class EcsRollbackStep extends DeploymentAccessStep {
    private static final long serialVersionUID = 1L;

    private String reason;

    @DataBoundConstructor
    public EcsRollbackStep(Object deployment) {
        super(deployment);
    }

    public String getReason() { return reason; }
    @DataBoundSetter public void setReason(String v) { reason = Values.trimToNull(v); }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    static final class Execution extends DeploymentStepExecution {
        private static final long serialVersionUID = 1L;
        private final String reason;
        private boolean requested;
        private transient EcsRollbackStep step;

        Execution(StepContext context, EcsRollbackStep step) {
            super(context);
            this.step = step;
            this.reason = step.reason;
        }

        @Override
        protected String functionName() {
            return "ecsRollback";
        }

        @Override
        public boolean start() throws Exception {
            bind(step);
            Run<?, ?> run = getContext().get(Run.class);
            String by = run == null ? "pipeline" : run.getFullDisplayName();
            log("rolling back " + ref.deploymentArn + (reason == null ? "" : ": " + reason));
            callThenFollow(engine -> engine.rollback(ref.handle(), RollbackCause.MANUAL, reason == null ? "ecsRollback" : reason, by),
                    () -> requested = true, this::rolledBack,
                    "ecsRollback: ECS did not roll back " + ref.deploymentArn,
                    "ecsRollback: could not roll back " + ref.deploymentArn);
            return false;
        }

        /** A rolled-back outcome is this step's success. */
        private void rolledBack(Follower.Result r) {
            deploymentFinished = r.finished();
            if (r.outcome() != null) {
                log("deployment finished: " + r.outcome().describe());
            }
            succeed(ref.toMap(r.snapshot(), r.approvedBy()));
        }

        @Override
        protected void follow() throws Exception {
            if (!requested) {
                fail(new hudson.AbortException("ecsRollback: Jenkins restarted before ECS confirmed the rollback of "
                        + ref.deploymentArn + "; check the deployment and run ecsRollback again if needed"));
                return;
            }
            startFollower(null, this::rolledBack, null);
        }

        /** Aborting a rollback only stops waiting: rolling back a rollback makes no sense. */
        @Override
        protected void applyOnAbort(Interruption why, Throwable cause) {
            Follower f = follower;
            if (f != null) {
                f.close();
            }
            fail(cause);
        }
    }

    @Extension
    @Symbol("ecsRollback")
    public static class DescriptorImpl extends DeploymentStepDescriptor {
        @Override public String getFunctionName() { return "ecsRollback"; }
        @Override public String getDisplayName() { return "Roll back an Amazon ECS deployment"; }
    }
}
