package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

import org.kohsuke.stapler.DataBoundConstructor;

/** A parameter that cannot be read back: no snippet can be generated. */
public class NoGetter {
    private final String hidden;

    @DataBoundConstructor
    public NoGetter(String hidden) {
        this.hidden = hidden;
    }

    @Override
    public String toString() {
        return hidden;
    }
}
