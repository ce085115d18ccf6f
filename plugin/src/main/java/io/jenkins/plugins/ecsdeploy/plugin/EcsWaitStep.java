package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.Extension;
import hudson.util.ListBoxModel;
import java.io.Serializable;
import jenkins.util.Timer;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code ecsWait(deployment: d, until: 'COMPLETED')}: waits (holding no thread, no executor) until the
 * deployment reaches a stage or finishes; returns the updated handle, fails when ECS rolled back.
 */
public class EcsWaitStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Object deployment;
    private String until = Values.COMPLETED;
    private String credentialsId;
    private String roleArn;

    @DataBoundConstructor
    public EcsWaitStep(Object deployment) {
        this.deployment = deployment;
    }

    public Object getDeployment() { return deployment; }

    public String getUntil() { return until; }
    @DataBoundSetter public void setUntil(String v) { until = Values.trimToNull(v) == null ? Values.COMPLETED : Values.upper(v); }

    public String getCredentialsId() { return credentialsId; }
    @DataBoundSetter public void setCredentialsId(String v) { credentialsId = Values.trimToNull(v); }

    public String getRoleArn() { return roleArn; }
    @DataBoundSetter public void setRoleArn(String v) { roleArn = Values.trimToNull(v); }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    static final class Execution extends DeploymentStepExecution {
        private static final long serialVersionUID = 1L;
        private final String until;
        private transient EcsWaitStep step;

        Execution(StepContext context, EcsWaitStep step) {
            super(context);
            this.step = step;
            this.until = step.until;
        }

        @Override
        protected String functionName() {
            return "ecsWait";
        }

        @Override
        public boolean start() throws Exception {
            if (!Values.WAIT_STAGES.contains(until)) {
                throw new AbortException("ecsWait: " + Values.problem("until", until, "COMPLETED or one of "
                        + String.join(", ", Values.WAIT_STAGES.subList(0, Values.WAIT_STAGES.size() - 1))));
            }
            ref = DeploymentRef.from(step.deployment, "deployment", step.credentialsId, step.roleArn);
            ensureProgressRecord(getContext().get(hudson.model.Run.class));
            log("waiting until " + until);
            Timer.get().submit(() -> {
                try {
                    follow();
                } catch (Exception e) {
                    fail(explain(e, "ecsWait: could not follow " + ref.deploymentArn));
                }
            });
            return false;
        }

        @Override
        protected void follow() throws Exception {
            EngineRegistry.Lease lease = EngineRegistry.get().acquire(run(), ref.credentialsId, ref.region, ref.roleArn);
            follower = new Follower(run(), listener(), ref, until, this::onResult, null, lease).start();
        }
    }

    @Extension
    @Symbol("ecsWait")
    public static class DescriptorImpl extends DeploymentStepDescriptor {
        @Override public String getFunctionName() { return "ecsWait"; }
        @Override public String getDisplayName() { return "Wait for an Amazon ECS deployment"; }

        public ListBoxModel doFillUntilItems() {
            ListBoxModel m = new ListBoxModel();
            m.add("COMPLETED");
            for (String s : Values.WAIT_STAGES) {
                if (!s.equals("COMPLETED")) {
                    m.add(s);
                }
            }
            return m;
        }
    }
}
