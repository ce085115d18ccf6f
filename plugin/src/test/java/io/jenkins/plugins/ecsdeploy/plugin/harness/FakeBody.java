package io.jenkins.plugins.ecsdeploy.plugin.harness;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * What a block step's body does when the harness runs it (the Groovy closure of {@code ecsBlueGreen { ... }}).
 * A body can run many times, each time through a new invoker.
 *
 * <ul>
 *   <li>{@link #returning} / {@link #failing} / {@link #of}: runs synchronously at launch.</li>
 *   <li>{@link #pending()}: stays running until the test calls {@link #complete} or {@link #fail}; a
 *       {@code stop} (abort, timeout, BodyFailed) reaching it fails it with that cause, like a step's default
 *       {@code stop()}, unless {@link #ignoringStops()} models an unresponsive body.</li>
 * </ul>
 */
public final class FakeBody {
    /** The body's code; {@code context} answers like the context of a step inside the body. */
    @FunctionalInterface
    public interface Script {
        Object run(StepContext context) throws Throwable;
    }

    private final Script script;
    private final boolean pending;
    /** Set for {@link #onThread}: the body runs on its own thread and a stop goes to this handler. */
    private java.util.function.BiConsumer<Thread, Throwable> stopHandler;
    private volatile Thread thread;
    private volatile boolean ignoreStops;
    private final List<Throwable> stops = new CopyOnWriteArrayList<>();
    private final List<StepContext> contexts = new CopyOnWriteArrayList<>();
    private volatile FakeStepContext.BodyRun current;

    private FakeBody(Script script, boolean pending) {
        this.script = script;
        this.pending = pending;
    }

    public static FakeBody returning(Object value) {
        return new FakeBody(c -> value, false);
    }

    public static FakeBody failing(Throwable t) {
        return new FakeBody(c -> {
            throw t;
        }, false);
    }

    public static FakeBody of(Script script) {
        return new FakeBody(script, false);
    }

    /**
     * A body that runs on a thread of its own, as a Pipeline body is scheduled on the CPS VM thread and never runs inline
     * in the step that started it (jenkinsci/workflow-cps-plugin@4350.vcc65d4958821:plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/CpsBodyInvoker.java:124-165);
     * a stop reaching it goes to {@code onStop} (the Groovy harness delivers it to the step the body waits in).
     */
    public static FakeBody onThread(Script script, java.util.function.BiConsumer<Thread, Throwable> onStop) {
        FakeBody b = new FakeBody(script, false);
        b.stopHandler = onStop;
        return b;
    }

    public static FakeBody pending() {
        return new FakeBody(null, true);
    }

    /** A stop reaching the body is recorded but does not end it (TimeoutStepTest's unresponsive body). */
    public FakeBody ignoringStops() {
        this.ignoreStops = true;
        return this;
    }

    /** Ends the running (pending) body normally with this value. */
    public void complete(Object value) {
        running().finish(value, null);
    }

    /** Ends the running (pending) body with this failure. */
    public void fail(Throwable t) {
        running().finish(null, t);
    }

    public boolean isRunning() {
        FakeStepContext.BodyRun r = current;
        return r != null && !r.isDone();
    }

    /** How many times the body was launched. */
    public int runs() {
        return contexts.size();
    }

    /** The context each run saw (for env var / context assertions). */
    public List<StepContext> contexts() {
        return List.copyOf(contexts);
    }

    /** Every stop cause that reached the body, in order. */
    public List<Throwable> stops() {
        return List.copyOf(stops);
    }

    private FakeStepContext.BodyRun running() {
        FakeStepContext.BodyRun r = current;
        if (r == null || r.isDone()) {
            throw new IllegalStateException("the body is not running");
        }
        return r;
    }

    // called by the harness
    void launch(FakeStepContext.BodyRun run, StepContext context) {
        current = run;
        contexts.add(context);
        if (pending) {
            return;
        }
        if (stopHandler != null) {
            Thread t = new Thread(() -> {
                Object v;
                try {
                    v = script.run(context);
                } catch (Throwable x) {
                    run.finish(null, x);
                    return;
                }
                run.finish(v, null);
            }, "harness body of " + context);
            t.setDaemon(true);
            thread = t;
            t.start();
            return;
        }
        Object v;
        try {
            v = script.run(context);
        } catch (Throwable t) {
            run.finish(null, t);
            return;
        }
        run.finish(v, null);
    }

    void stop(FakeStepContext.BodyRun run, Throwable cause) {
        stops.add(cause);
        if (stopHandler != null) {
            stopHandler.accept(thread, cause);
            return;
        }
        if (!ignoreStops && !run.isDone()) {
            run.finish(null, cause);
        }
    }
}
