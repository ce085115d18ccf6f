package org.jenkinsci.plugins.workflow.steps;

/** Stand-in. */
public abstract class BodyInvoker {
    public BodyInvoker() {
    }

    public abstract BodyInvoker withContext(Object override);

    public BodyInvoker withContexts(Object... overrides) {
        for (Object o : overrides) {
            withContext(o);
        }
        return this;
    }

    public BodyInvoker withContexts(java.util.Collection<?> overrides) {
        for (Object o : overrides) {
            withContext(o);
        }
        return this;
    }

    public abstract BodyInvoker withCallback(BodyExecutionCallback callback);

    public abstract BodyInvoker withDisplayName(String name);

    public abstract BodyExecution start();
}
