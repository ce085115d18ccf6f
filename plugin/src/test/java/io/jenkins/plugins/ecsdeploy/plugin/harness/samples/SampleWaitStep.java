package io.jenkins.plugins.ecsdeploy.plugin.harness.samples;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** A tiny step used to test the harness: one required argument, setters of many types, a Timer-driven wait. */
public class SampleWaitStep extends Step {
    public enum OnTimeout { CONTINUE, ROLLBACK }

    /** Setter calls in order (reset by tests). */
    public static final List<String> SETTER_CALLS = new ArrayList<>();

    private final String service;
    private int timeoutMinutes = 30;
    private double percent;
    private OnTimeout onTimeout = OnTimeout.CONTINUE;
    private boolean quiet;
    private List<String> tags;
    private Set<String> names;
    private Integer boxed = 7;
    private Hook hook;
    private long delayMillis = -1;

    @DataBoundConstructor
    public SampleWaitStep(String service) {
        this.service = service;
    }

    public String getService() {
        return service;
    }

    public int getTimeoutMinutes() {
        return timeoutMinutes;
    }

    @DataBoundSetter
    public void setTimeoutMinutes(int timeoutMinutes) {
        SETTER_CALLS.add("timeoutMinutes");
        this.timeoutMinutes = timeoutMinutes;
    }

    public double getPercent() {
        return percent;
    }

    @DataBoundSetter
    public void setPercent(double percent) {
        SETTER_CALLS.add("percent");
        this.percent = percent;
    }

    public OnTimeout getOnTimeout() {
        return onTimeout;
    }

    @DataBoundSetter
    public void setOnTimeout(OnTimeout onTimeout) {
        SETTER_CALLS.add("onTimeout");
        this.onTimeout = onTimeout;
    }

    public boolean isQuiet() {
        return quiet;
    }

    @DataBoundSetter
    public void setQuiet(boolean quiet) {
        SETTER_CALLS.add("quiet");
        this.quiet = quiet;
    }

    public List<String> getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(List<String> tags) {
        SETTER_CALLS.add("tags");
        this.tags = tags;
    }

    public Set<String> getNames() {
        return names;
    }

    @DataBoundSetter
    public void setNames(Set<String> names) {
        SETTER_CALLS.add("names");
        this.names = names;
    }

    public Integer getBoxed() {
        return boxed;
    }

    @DataBoundSetter
    public void setBoxed(Integer boxed) {
        SETTER_CALLS.add("boxed");
        this.boxed = boxed;
    }

    public Hook getHook() {
        return hook;
    }

    @DataBoundSetter
    public void setHook(Hook hook) {
        SETTER_CALLS.add("hook");
        this.hook = hook;
    }

    public long getDelayMillis() {
        return delayMillis;
    }

    /** How long the execution waits before succeeding; negative = until stopped. */
    @DataBoundSetter
    public void setDelayMillis(long delayMillis) {
        SETTER_CALLS.add("delayMillis");
        this.delayMillis = delayMillis;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(context, this);
    }

    /** Waits on jenkins.util.Timer like the core sleep step (docs/jenkins-behaviour.md "Long waits that survive a restart"). */
    public static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private final String service;
        private final long delayMillis;
        private transient volatile ScheduledFuture<?> task;
        /** Counts onResume calls; the thread it ran on. */
        public volatile int resumes;
        public volatile String resumeThread;
        public volatile Throwable stoppedWith;
        public transient boolean transientMarker;

        Execution(StepContext context, SampleWaitStep step) {
            super(context);
            this.service = step.service;
            this.delayMillis = step.delayMillis;
        }

        @Override
        public boolean start() throws Exception {
            if (service == null || service.isEmpty()) {
                throw new AbortException("service: give the ECS service name");
            }
            transientMarker = true;
            getContext().get(TaskListener.class).getLogger().println("Waiting for " + service);
            schedule();
            return false;
        }

        private void schedule() {
            if (delayMillis >= 0) {
                task = Timer.get().schedule(() -> getContext().onSuccess("done:" + service), delayMillis, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onResume() {
            resumes++;
            resumeThread = Thread.currentThread().getName();
            if ("throw-on-resume".equals(service)) {
                throw new IllegalStateException("cannot resume");
            }
            schedule();
        }

        public boolean hasTask() {
            return task != null;
        }

        @Override
        public void stop(Throwable cause) throws Exception {
            stoppedWith = cause;
            if (task != null) {
                task.cancel(false);
            }
            super.stop(cause);
        }

        public Run<?, ?> run() throws Exception {
            return getContext().get(Run.class);
        }
    }

    @Extension
    public static class DescriptorImpl extends StepDescriptor {
        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public String getFunctionName() {
            return "sampleWait";
        }
    }
}
