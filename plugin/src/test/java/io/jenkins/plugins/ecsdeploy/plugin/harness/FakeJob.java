package io.jenkins.plugins.ecsdeploy.plugin.harness;

import hudson.model.Job;

/**
 * A Pipeline job for the harness: a name under the root. Schedulable like WorkflowJob ({@code scheduleBuild2} records
 * the request in {@code StandInJenkins.scheduledBuilds()}; the test starts that build itself).
 */
public final class FakeJob extends Job<FakeJob, FakeRun> implements jenkins.model.ParameterizedJobMixIn.ParameterizedJob<FakeJob, FakeRun> {
    public FakeJob(String name) {
        super(null, name);
    }
}
