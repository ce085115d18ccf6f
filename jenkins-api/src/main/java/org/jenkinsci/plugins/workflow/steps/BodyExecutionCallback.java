package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;

/** Stand-in with the real helpers' semantics (docs/jenkins-behaviour.md "Bodies"). */
public abstract class BodyExecutionCallback implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public BodyExecutionCallback() {
    }

    public void onStart(StepContext context) {
    }

    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);

    /** The body's outcome becomes the given callback's (a tail call). */
    public static BodyExecutionCallback wrap(FutureCallback<Object> v) {
        if (!(v instanceof java.io.Serializable)) {
            throw new IllegalArgumentException(v.getClass() + " is not serializable");
        }
        return new Wrapper(v);
    }

    private static final class Wrapper extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final FutureCallback<Object> v;

        Wrapper(FutureCallback<Object> v) {
            this.v = v;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            v.onSuccess(result);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            v.onFailure(t);
        }
    }

    /** Runs {@link #finished} on both outcomes, then completes the step with the body's outcome. */
    public abstract static class TailCall extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;

        public TailCall() {
        }

        protected abstract void finished(StepContext context) throws Exception;

        @Override
        public final void onSuccess(StepContext context, Object result) {
            try {
                finished(context);
            } catch (Exception x) {
                context.onFailure(x);
                return;
            }
            context.onSuccess(result);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            try {
                finished(context);
            } catch (Exception x) {
                t.addSuppressed(x);
            }
            context.onFailure(t);
        }
    }
}
