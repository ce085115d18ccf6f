package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** A block step for the harness tests: runs its body with DEPLOY_ID set, records what its callback saw. */
public class SampleBlockStep extends Step {
    /** What the callback saw, in order ("start", "success:v", "failure:msg"). */
    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    private final String deployId;
    private boolean failInCallback;
    private boolean completeEarly;

    @DataBoundConstructor
    public SampleBlockStep(String deployId) {
        this.deployId = deployId;
    }

    public String getDeployId() {
        return deployId;
    }

    public boolean isFailInCallback() {
        return failInCallback;
    }

    public boolean isCompleteEarly() {
        return completeEarly;
    }

    @DataBoundSetter
    public void setFailInCallback(boolean failInCallback) {
        this.failInCallback = failInCallback;
    }

    /** The step fails its own context while the body still runs. */
    @DataBoundSetter
    public void setCompleteEarly(boolean completeEarly) {
        this.completeEarly = completeEarly;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private final String deployId;
        private final boolean failInCallback;
        private final boolean completeEarly;
        transient BodyExecution body;

        Execution(StepContext c, SampleBlockStep s) {
            super(c);
            this.deployId = s.deployId;
            this.failInCallback = s.failInCallback;
            this.completeEarly = s.completeEarly;
        }

        @Override
        public boolean start() throws Exception {
            EVENTS.add("start()");
            EnvironmentExpander env = EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class),
                    EnvironmentExpander.constant(Map.of("DEPLOY_ID", deployId)));
            body = getContext().newBodyInvoker().withContext(env).withCallback(new Callback(failInCallback)).start();
            EVENTS.add("start() returns");
            return false;
        }

        void failNow() {
            getContext().onFailure(new IllegalStateException("step failed early"));
        }

        @Override
        public void onResume() {
            if (completeEarly) {
                failNow();
            }
        }
    }

    static final class Callback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final boolean failInCallback;

        Callback(boolean failInCallback) {
            this.failInCallback = failInCallback;
        }

        @Override
        public void onStart(StepContext context) {
            EVENTS.add("onStart");
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            EVENTS.add("success:" + result);
            if (failInCallback) {
                throw new IllegalStateException("callback refused " + result);
            }
            context.onSuccess(result);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            EVENTS.add("failure:" + t.getMessage());
            if (failInCallback) {
                throw new IllegalStateException("callback also failed");
            }
            context.onFailure(t);
        }
    }

    /** Lets a test make the step fail while its body runs (as a deployment failing under a running body). */
    public static void failEarly(StepExecution e) {
        ((Execution) e).failNow();
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "sampleBlock";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }
    }
}
