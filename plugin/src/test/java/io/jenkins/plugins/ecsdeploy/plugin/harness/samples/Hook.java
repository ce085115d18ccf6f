package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** A nested describable value for binding tests. */
public class Hook extends AbstractHook {
    private final String function;
    private int timeoutMinutes;

    @DataBoundConstructor
    public Hook(String function) {
        this.function = function;
    }

    public String getFunction() {
        return function;
    }

    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @DataBoundSetter
    public void setTimeoutMinutes(int timeoutMinutes) {
        this.timeoutMinutes = timeoutMinutes;
    }

    /** Listed in the test classes' @Symbol index by our processor, so {@code sampleHook(...)} resolves. */
    @org.jenkinsci.Symbol("sampleHook")
    public static class DescriptorImpl extends hudson.model.Descriptor<AbstractHook> {
    }
}
