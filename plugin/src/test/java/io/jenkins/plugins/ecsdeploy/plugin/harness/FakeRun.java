package io.jenkins.plugins.ecsdeploy.plugin.harness;

import hudson.EnvVars;
import hudson.model.Run;
import hudson.model.TaskListener;

/** A build of a {@link FakeJob}: holds actions (RunAction2.onAttached is called), number, result and env. */
public final class FakeRun extends Run<FakeJob, FakeRun> {
    private final EnvVars environment = new EnvVars();

    public FakeRun(FakeJob job, int number) {
        super(job);
        this.number = number;
    }

    /** Variables of the run's environment (what EnvironmentAction/Run.getEnvironment provides, §2.2 step 1). */
    public FakeRun env(String key, String value) {
        environment.put(key, value);
        return this;
    }

    @Override
    public EnvVars getEnvironment(TaskListener listener) throws java.io.IOException, InterruptedException {
        EnvVars env = super.getEnvironment(listener);
        env.putAll(environment);
        return env;
    }
}
