package jenkins.tasks;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildStep;

/** Stand-in. As in core, an implementation overrides one of the perform methods. */
public interface SimpleBuildStep extends BuildStep {
    default void perform(Run<?, ?> run, FilePath workspace, EnvVars env, Launcher launcher, TaskListener listener) throws InterruptedException, java.io.IOException {
        throw new AbstractMethodError("Unless a build step is marked as not requiring a workspace context, you must implement the overload of the perform() method that takes both a workspace and a launcher.");
    }

    default void perform(Run<?, ?> run, EnvVars env, TaskListener listener) throws InterruptedException, java.io.IOException {
        throw new AbstractMethodError("Unless a build step is marked as requiring a workspace context, you must implement the overload of the perform() method that does not take a workspace or launcher.");
    }

    default boolean requiresWorkspace() {
        return true;
    }
}
