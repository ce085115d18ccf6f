package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

import org.kohsuke.stapler.DataBoundConstructor;

/** A char constructor parameter has no default. */
public class CharStep {
    private final char separator;

    @DataBoundConstructor
    public CharStep(char separator) {
        this.separator = separator;
    }

    public char getSeparator() {
        return separator;
    }
}
