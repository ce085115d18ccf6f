package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

import org.kohsuke.stapler.DataBoundConstructor;

/** A second implementation of AbstractHook. */
public class OtherHook extends AbstractHook {
    @DataBoundConstructor
    public OtherHook() {
    }
}
