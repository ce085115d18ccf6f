package org.jenkinsci.plugins.workflow.steps;

/** Stand-in: the context is a (serialized) field, as in the real class. */
public abstract class StepExecution implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final StepContext context;

    protected StepExecution(StepContext context) {
        this.context = context;
    }

    @Deprecated
    protected StepExecution() {
        this.context = null;
    }

    public StepContext getContext() {
        if (context == null) {
            throw new IllegalStateException("you must either pass in a StepContext to the StepExecution constructor or have the StepExecution be created automatically");
        }
        return context;
    }

    public abstract boolean start() throws Exception;

    /** Default as the real one: fail the context with the cause. */
    public void stop(Throwable cause) throws Exception {
        getContext().onFailure(cause);
    }

    public void onResume() {
    }

    public boolean blocksRestart() {
        return false;
    }

    public String getStatus() {
        return null;
    }
}
