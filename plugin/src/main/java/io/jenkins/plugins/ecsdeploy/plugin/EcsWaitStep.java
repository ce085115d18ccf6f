package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.Extension;
import hudson.util.ListBoxModel;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code ecsWait(deployment: d, until: 'COMPLETED')}: waits (holding no thread, no executor) until the
 * deployment reaches a stage or finishes; returns the updated handle, fails when ECS rolled back.
 */
public class EcsWaitStep extends DeploymentAccessStep {
    private static final long serialVersionUID = 1L;

    private String until = Values.COMPLETED;

    @DataBoundConstructor
    public EcsWaitStep(Object deployment) {
        super(deployment);
    }

    /** A missing element (XStream runs no initialiser) means the default. */
    protected Object readResolve() {
        if (until == null) {
            until = Values.COMPLETED;
        }
        return this;
    }

    public String getUntil() { return until; }
    @DataBoundSetter public void setUntil(String v) { until = Values.trimToNull(v) == null ? Values.COMPLETED : Values.upper(v); }

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
            bind(step);
            log("waiting until " + until);
            followOnTimer();
            return false;
        }

        @Override
        protected void follow() throws Exception {
            startFollower(until, this::onResult, null);
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
