package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Result;
import java.util.Collection;
import jenkins.model.CauseOfInterruption;

/** Stand-in. */
public abstract class BodyExecution implements java.util.concurrent.Future<Object>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public BodyExecution() {
    }

    public abstract Collection<StepExecution> getCurrentExecutions();

    /** Stops the innermost steps of the body with {@code t}; false if the body is done. */
    public boolean cancel(Throwable t) {
        throw new UnsupportedOperationException("stand-in: cancel(Throwable) must be implemented by the body execution");
    }

    @Deprecated
    public boolean cancel(CauseOfInterruption... causes) {
        return cancel(new FlowInterruptedException(Result.ABORTED, true, causes));
    }

    @Deprecated
    @Override
    public boolean cancel(boolean b) {
        return cancel(new CauseOfInterruption[0]);
    }
}
