package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

import hudson.Extension;
import hudson.FilePath;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/** Needs node {} (FilePath); start() returns true with or without an outcome. */
public class SampleNodeStep extends Step {
    private final String mode;

    @DataBoundConstructor
    public SampleNodeStep(String mode) {
        this.mode = mode;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new StepExecution(context) {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean start() throws Exception {
                switch (mode) {
                    case "sync":
                        getContext().onSuccess(getContext().get(FilePath.class).getRemote());
                        return true;
                    case "forgetful":
                        return true;
                    case "throw":
                        throw new IllegalStateException("start failed");
                    case "early-async": {
                        Thread t = new Thread(() -> getContext().onSuccess("from another thread"));
                        t.start();
                        t.join();
                        return false;
                    }
                    default:
                        return false;
                }
            }
        };
    }

    @Override
    public String toString() {
        return "SampleNodeStep[" + mode + "]";
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class);
        }

        @Override
        public String getFunctionName() {
            return "sampleNode";
        }
    }
}
