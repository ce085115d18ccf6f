package io.jenkins.plugins.ecsdeploy.plugin.harness;

import hudson.model.Job;

/** A Pipeline job for the harness: a name under the root. */
public final class FakeJob extends Job<FakeJob, FakeRun> {
    public FakeJob(String name) {
        super(null, name);
    }
}
