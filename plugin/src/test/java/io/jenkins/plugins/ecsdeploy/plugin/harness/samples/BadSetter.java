package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** A @DataBoundSetter that is not a setter: building the model fails. */
public class BadSetter {
    @DataBoundConstructor
    public BadSetter() {
    }

    @DataBoundSetter
    public void configure(String a, String b) {
    }
}
