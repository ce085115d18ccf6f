package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.model.Result;

/** Stand-in. onFailure(Throwable) is inherited from Guava's FutureCallback, as in the real class. */
public abstract class StepContext implements FutureCallback<Object>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public StepContext() {
    }

    public abstract <T> T get(Class<T> key) throws java.io.IOException, InterruptedException;

    @Override
    public abstract void onSuccess(Object result);

    public abstract void setResult(Result r);

    public abstract boolean isReady();

    public abstract ListenableFuture<Void> saveState();

    public boolean hasBody() {
        return false;
    }

    public abstract BodyInvoker newBodyInvoker() throws IllegalStateException;

    @Override
    public abstract boolean equals(Object o);

    @Override
    public abstract int hashCode();
}
