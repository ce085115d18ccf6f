package hudson.tasks;

import hudson.Launcher;
import hudson.model.AbstractBuild;
import hudson.model.AbstractProject;
import hudson.model.Action;
import hudson.model.BuildListener;

/** Stand-in. */
@Deprecated
public abstract class BuildStepCompatibilityLayer implements BuildStep {
    public BuildStepCompatibilityLayer() {
    }

    @Override
    public boolean prebuild(AbstractBuild<?, ?> build, BuildListener listener) {
        return true;
    }

    @Override
    public boolean perform(AbstractBuild<?, ?> build, Launcher launcher, BuildListener listener) throws InterruptedException, java.io.IOException {
        throw new UnsupportedOperationException("stand-in: AbstractBuild.perform is not emulated; use SimpleBuildStep.perform");
    }

    @Override
    public java.util.Collection<? extends Action> getProjectActions(AbstractProject<?, ?> project) {
        return java.util.Collections.emptyList();
    }
}
