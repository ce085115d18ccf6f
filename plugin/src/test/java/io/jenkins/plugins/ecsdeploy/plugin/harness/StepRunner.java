package io.jenkins.plugins.ecsdeploy.plugin.harness;

import hudson.model.Result;
import jenkins.model.RunAction2;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.TimeoutStepExecution;

/**
 * Runs a Step the way {@code DSL.invokeStep} does (docs/jenkins-behaviour.md "Order of checks") and drives what happens to it later:
 * restart ("What the test harness emulates" "Restart"), user abort, {@code timeout} expiry with its grace period, and {@code /term} ("Stopping a step").
 *
 * <pre>
 *   StepRunner r = StepRunner.create();                       // installs a stand-in Jenkins if none is
 *   FakeStepContext c = r.call(EcsWaitStep.class, List.of(Map.of("service", "web")));
 *   r.abort(c, "alice");                                     // stop(FIE(ABORTED, UserInterruption("alice")))
 *   c.awaitDone(Duration.ofSeconds(5)).failure();
 * </pre>
 *
 * Threads: {@code start()} and {@code stop()} run on the calling thread (standing in for the CPS VM thread);
 * bodies queued during start() launch right after it returns false; {@code onResume()} runs on a separate thread.
 */
public final class StepRunner {
    private final FakeRun run;
    private PipelineBinder binder = PipelineBinder.strict();
    private boolean lenient;
    private final List<Object> enclosing = new ArrayList<>();
    private FakeBody body;
    private Duration stopLimit = Duration.ofSeconds(30);
    private final AtomicInteger nodeIds = new AtomicInteger(2);
    private final List<Runnable> restartHooks = new ArrayList<>();

    /** Every context started per build: what {@code FlowExecution.getCurrentExecutions} answers (the unfinished ones). */
    private static final Map<hudson.model.Run<?, ?>, List<FakeStepContext>> LIVE = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    static {
        StandInJenkins.setCurrentExecutions(r -> {
            List<StepExecution> out = new ArrayList<>();
            List<FakeStepContext> l = LIVE.get(r);
            if (l != null) {
                synchronized (l) {
                    for (FakeStepContext c : l) {
                        StepExecution e = c.state().execution;
                        if (!c.isDone() && e != null) {
                            out.add(e);
                        }
                    }
                }
            }
            return out;
        });
    }

    private StepRunner(FakeRun run) {
        this.run = run;
    }

    /** A runner on build #1 of job "p"; installs a stand-in Jenkins unless one is installed already. */
    public static StepRunner create() {
        if (StandInJenkins.instance() == null) {
            StandInJenkins.install();
        }
        return new StepRunner(new FakeRun(new FakeJob("p"), 1));
    }

    public static StepRunner on(FakeRun run) {
        if (StandInJenkins.instance() == null) {
            StandInJenkins.install();
        }
        return new StepRunner(run);
    }

    public FakeRun run() {
        return run;
    }

    /** Unknown argument keys: strict (default, JenkinsRule) or lenient (production: a WARNING line in the log). */
    public StepRunner lenient() {
        this.lenient = true;
        return this;
    }

    public StepRunner binder(PipelineBinder b) {
        this.binder = b;
        return this;
    }

    /**
     * What enclosing blocks provide to the next step, innermost first: e.g. a FilePath and Launcher for
     * {@code node {}}, or an EnvironmentExpander for {@code withEnv}.
     */
    public StepRunner enclosedBy(Object... contextObjects) {
        enclosing.addAll(List.of(contextObjects));
        return this;
    }

    /** The closure passed to the next call (a block step). */
    public StepRunner withBody(FakeBody b) {
        this.body = b;
        return this;
    }

    /** How long stop() may run before the harness fails the test (Pipeline: 30 s, then the thread is interrupted). */
    public StepRunner stopLimit(Duration d) {
        this.stopLimit = d;
        return this;
    }

    /** Called on every {@link #restart}, after the old timer was dropped (e.g. to reset a test's own scheduler). */
    public StepRunner onRestart(Runnable hook) {
        restartHooks.add(hook);
        return this;
    }

    // ------------------------------------------------------------------------------------------ invoking

    /**
     * The full DSL path: parse the Groovy arguments (named args first, as Groovy passes them), check the body,
     * then bind and start. Errors of parsing and of the missing body are thrown to the caller
     * ("into the script"); everything later fails the context.
     */
    public FakeStepContext call(Class<? extends Step> type, List<?> groovyArgs) {
        StepDescriptor d = descriptorOf(type);
        Map<String, Object> named = binder.namedArgs(type, groovyArgs);
        return invoke(type, d, named);
    }

    /** {@code DSL.invokeStep} from step 2 on, with already named arguments. */
    public FakeStepContext start(Class<? extends Step> type, Map<String, ?> namedArgs) {
        return invoke(type, descriptorOf(type), new java.util.LinkedHashMap<>(namedArgs));
    }

    /** Starts an already built step (no binding). */
    public FakeStepContext start(Step step) {
        StepDescriptor d;
        try {
            d = step.getDescriptor();
        } catch (RuntimeException | AssertionError notRegistered) {
            d = null;
        }
        if (d == null) {
            d = descriptorOf(step.getClass());
        }
        FakeStepContext ctx = newContext(d);
        if (checkContext(d, ctx)) {
            begin(step, ctx);
        }
        return ctx;
    }

    private FakeStepContext invoke(Class<? extends Step> type, StepDescriptor d, Map<String, Object> named) {
        if (d.takesImplicitBlockArgument() && body == null) {
            throw new IllegalStateException(d.getFunctionName() + " step must be called with a body");
        }
        FakeStepContext ctx = newContext(d);
        if (!checkContext(d, ctx)) {
            return ctx;
        }
        Step step;
        try {
            PipelineBinder b = lenient ? PipelineBinder.lenient(ctx.listener()) : binder;
            step = b.instantiate(type, named);
        } catch (Exception e) {
            ctx.onFailure(e);
            return ctx;
        }
        begin(step, ctx);
        return ctx;
    }

    private FakeStepContext newContext(StepDescriptor d) {
        FakeFlowNode node = new FakeFlowNode(String.valueOf(nodeIds.incrementAndGet()),
                body != null ? FakeFlowNode.Kind.STEP_START : FakeFlowNode.Kind.ATOM, d.getDisplayName());
        FakeStepContext.State s = new FakeStepContext.State(d.getFunctionName(), run, d, node, enclosing, body, nodeIds);
        body = null;
        enclosing.clear();
        FakeStepContext ctx = new FakeStepContext(s);
        LIVE.computeIfAbsent(run, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(ctx);
        return ctx;
    }

    private static boolean checkContext(StepDescriptor d, FakeStepContext ctx) {
        try {
            d.checkContextAvailability(ctx);
            return true;
        } catch (Exception e) {
            ctx.onFailure(e);
            return false;
        }
    }

    private void begin(Step step, FakeStepContext ctx) {
        FakeStepContext.State s = ctx.state();
        boolean sync;
        try {
            StepExecution e = step.start(ctx);
            s.execution = e;
            s.inStart = true;
            try {
                sync = e.start();
            } finally {
                s.inStart = false;
            }
        } catch (Throwable t) {
            ctx.onFailure(t);
            return;
        }
        if (!sync) {
            try {
                s.checkpoint = program(s);   // the program is saved when start() returns
            } catch (IOException x) {
                s.checkpoint = null;   // a sample that cannot be saved: restart()/crash() report it when asked
            }
        }
        if (sync) {
            if (!ctx.isDone()) {
                ctx.onFailure(new AssertionError("Step " + step + " claimed to have ended synchronously, but didn't set the result via StepContext.onSuccess/onFailure"));
            }
            return;
        }
        List<Runnable> queued = new ArrayList<>(s.queuedBodies);
        s.queuedBodies.clear();
        queued.forEach(Runnable::run);
    }

    /** The step's descriptor: a registered one, else its nested StepDescriptor class (then registered). */
    public static StepDescriptor descriptorOf(Class<?> type) {
        for (Object o : StandInJenkins.extensions()) {
            if (o instanceof StepDescriptor && ((StepDescriptor) o).clazz == type) {
                return (StepDescriptor) o;
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> nested : c.getDeclaredClasses()) {
                if (StepDescriptor.class.isAssignableFrom(nested) && !java.lang.reflect.Modifier.isAbstract(nested.getModifiers())) {
                    try {
                        java.lang.reflect.Constructor<?> k = nested.getDeclaredConstructor();
                        k.setAccessible(true);
                        StepDescriptor d = (StepDescriptor) k.newInstance();
                        if (d.clazz == type) {
                            StandInJenkins.register(d);
                            return d;
                        }
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot create " + nested, e);
                    }
                }
            }
        }
        throw new IllegalStateException("no StepDescriptor for " + type + ": register one with StandInJenkins.register");
    }

    // ------------------------------------------------------------------------------------------ restart

    /**
     * A controller restart: the execution is Java-serialized together with its context (transient fields come back
     * null, readResolve runs), the old timer and its pending tasks are dropped (the old JVM is gone), run actions that
     * are Serializable are round-tripped too and get RunAction2.onLoad; then onResume() is called once on another
     * thread, and an exception from it fails the context ("What the test harness emulates").
     *
     * @return the execution now in memory (also {@code ctx.execution()})
     */
    public StepExecution restart(FakeStepContext ctx) throws Exception {
        FakeStepContext.State s = ctx.state();
        StepExecution old = s.execution;
        if (old == null) {
            throw new IllegalStateException(ctx + " has no execution to persist");
        }
        byte[] bytes = program(s);
        java.util.concurrent.ScheduledExecutorService t = jenkins.util.Timer.get();
        StandInJenkins.setTimer(null);
        t.shutdownNow();
        restartHooks.forEach(Runnable::run);
        for (hudson.model.Action a : new ArrayList<>(run.getAllActions())) {
            hudson.model.Action reloaded = a instanceof Serializable ? (hudson.model.Action) deserialize(serialize(a)) : a;
            if (reloaded != a) {
                run.removeAction(a);
                ((hudson.model.Actionable) run).getActions().add(reloaded);   // as loading build.xml: no onAttached
            }
            if (reloaded instanceof RunAction2) {
                ((RunAction2) reloaded).onLoad(run);
            }
        }
        StepExecution fresh = restore(s, bytes, false);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread resumer = new Thread(() -> {
            try {
                fresh.onResume();
            } catch (Throwable x) {
                thrown.set(x);
            }
        }, "harness Computer.threadPoolForRemoting onResume");
        resumer.start();
        resumer.join(stopLimit.toMillis());
        if (resumer.isAlive()) {
            resumer.interrupt();
            throw new AssertionError("onResume() of " + fresh + " did not return within " + stopLimit);
        }
        if (thrown.get() != null) {
            ctx.onFailure(thrown.get());
        }
        return fresh;
    }

    /**
     * A controller crash (a killed JVM), unlike {@link #restart}: the execution comes back from its LAST CHECKPOINT
     * (when start() returned, or the last saveState()), not from its live state; fields set since then on other
     * threads are lost. The build's actions come back from the last {@code Run.save()} (XStream build.xml,
     * {@link FakeRun#save}); pending Timer tasks are dropped with the old timer; the restart hooks run (a test drops its
     * executors and engines there). Then onResume() once, on another thread.
     */
    public StepExecution crash(FakeStepContext ctx) throws Exception {
        FakeStepContext.State s = ctx.state();
        byte[] bytes = s.checkpoint;
        if (bytes == null) {
            throw new IllegalStateException(ctx + " was never saved");
        }
        java.util.concurrent.ScheduledExecutorService t = jenkins.util.Timer.get();
        StandInJenkins.setTimer(null);
        t.shutdownNow();
        restartHooks.forEach(Runnable::run);
        run.reloadFromBuildXml();
        StepExecution fresh = restore(s, bytes, true);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread resumer = new Thread(() -> {
            try {
                fresh.onResume();
            } catch (Throwable x) {
                thrown.set(x);
            }
        }, "harness onResume after a crash");
        resumer.start();
        resumer.join(stopLimit.toMillis());
        if (thrown.get() != null) {
            ctx.onFailure(thrown.get());
        }
        return fresh;
    }

    /**
     * The step's part of program.dat: its execution together with the callbacks of its bodies, written as ONE object
     * graph (as the CPS program is), so that after a restart a callback and the execution it points to are the same
     * object again. A callback that cannot be written (a test's lambda) leaves the execution alone in the image.
     */
    static byte[] program(FakeStepContext.State s) throws IOException {
        List<Object> graph = new ArrayList<>();
        graph.add(s.execution);
        for (FakeStepContext.BodyRun b : s.bodies) {
            graph.add(new ArrayList<>(b.callbacks));
        }
        try {
            return serialize(graph);
        } catch (java.io.NotSerializableException e) {
            return serialize(new ArrayList<>(List.of(s.execution)));
        }
    }

    /**
     * Reads {@link #program}'s image back: the execution is now this, the bodies' callbacks the copies read with it. After
     * a crash ({@code crashed}), a body launched after the image was written has no callback any more: it was never
     * saved (program.dat is written at checkpoints only).
     */
    @SuppressWarnings("unchecked")
    static StepExecution restore(FakeStepContext.State s, byte[] bytes, boolean crashed) throws IOException, ClassNotFoundException {
        List<Object> graph = (List<Object>) deserialize(bytes);
        StepExecution fresh = (StepExecution) graph.get(0);
        for (int i = 1; i - 1 < s.bodies.size(); i++) {
            if (i < graph.size()) {
                s.bodies.get(i - 1).callbacks = (List<org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback>) graph.get(i);
            } else if (crashed) {
                s.bodies.get(i - 1).callbacks = List.of();
            }
        }
        s.execution = fresh;
        return fresh;
    }

    /**
     * program.dat's format: JBoss River, as workflow-support's RiverWriter writes it (a plain MarshallingConfiguration
     * with the RiverMarshallerFactory,
     * jenkinsci/workflow-support-plugin@1015.v785e5a_b_b_8b_22:src/main/java/org/jenkinsci/plugins/workflow/support/pickles/serialization/RiverWriter.java:112-139;
     * its pickles — Run, TaskListener… written as references — are not modelled, our executions hold none). River
     * honours {@code Serializable}, {@code transient}, {@code readResolve} and {@code writeReplace}. River 2.2.1.Final
     * stands in for the bundled 2.3.0, which does not resolve here.
     */
    static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        org.jboss.marshalling.Marshaller m = RIVER.createMarshaller(riverConfig());
        m.start(org.jboss.marshalling.Marshalling.createByteOutput(bos));
        m.writeObject(o);
        m.finish();
        m.close();
        return bos.toByteArray();
    }

    static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        org.jboss.marshalling.Unmarshaller u = RIVER.createUnmarshaller(riverConfig());
        u.start(org.jboss.marshalling.Marshalling.createByteInput(new ByteArrayInputStream(bytes)));
        Object o = u.readObject();
        u.finish();
        u.close();
        return o;
    }

    private static final org.jboss.marshalling.MarshallerFactory RIVER = new org.jboss.marshalling.river.RiverMarshallerFactory();

    private static org.jboss.marshalling.MarshallingConfiguration riverConfig() {
        org.jboss.marshalling.MarshallingConfiguration c = new org.jboss.marshalling.MarshallingConfiguration();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        c.setClassResolver(new org.jboss.marshalling.SimpleClassResolver(cl != null ? cl : StepRunner.class.getClassLoader()));
        return c;
    }

    // ------------------------------------------------------------------------------------------ stop

    /** The user clicks abort: the build result becomes ABORTED and the innermost step gets stop(FIE) ("Stopping a step"). */
    public void abort(FakeStepContext ctx, String userId) {
        run.setResult(Result.ABORTED);
        interrupt(ctx, new FlowInterruptedException(Result.ABORTED, true, new CauseOfInterruption.UserInterruption(userId)));
    }

    /** An enclosing {@code timeout} expires: stop(FIE(ABORTED, ExceededTimeout)) to the innermost step ("Stopping a step"). */
    public void timeout(FakeStepContext ctx) {
        ctx.listener().getLogger().println("Cancelling nested steps due to timeout");
        interrupt(ctx, new FlowInterruptedException(Result.ABORTED, true, new TimeoutStepExecution.ExceededTimeout("1")));
    }

    /**
     * The timeout's grace period is over and the step is still running: the context is failed directly, without a
     * second stop() ("Stopping a step"; 5 s in unit tests, the harness lets the test decide when).
     */
    public void expireTimeoutGracePeriod(FakeStepContext ctx) {
        if (ctx.isDone()) {
            return;
        }
        ctx.listener().getLogger().println("Body did not finish within grace period; terminating with extreme prejudice");
        FlowInterruptedException fie = new FlowInterruptedException(Result.ABORTED, true, new TimeoutStepExecution.ExceededTimeout("1"));
        for (FakeStepContext.BodyRun b : ctx.state().bodies) {
            if (!b.isDone()) {
                b.finish(null, fie);   // the innermost step (in the body) is failed directly, whatever its stop() did
                return;
            }
        }
        ctx.onFailure(fie);
    }

    /** "Click here to forcibly terminate running steps" ({@code /term}): onFailure without stop() ("Stopping a step"). */
    public void terminate(FakeStepContext ctx) {
        ctx.onFailure(new FlowInterruptedException(Result.ABORTED, true));
    }

    /**
     * Delivers {@code cause} to the innermost step: the body, if one is running (the block step itself then sees the
     * failure in its callback), else the step's own stop(); an exception from stop() is added as suppressed and the
     * context is failed with the cause ("Stopping a step" "Rules for stop()").
     */
    public void interrupt(FakeStepContext ctx, Throwable cause) {
        FakeStepContext.State s = ctx.state();
        for (FakeStepContext.BodyRun b : s.bodies) {
            if (!b.isDone()) {
                b.stop(cause);
                return;
            }
        }
        StepExecution e = s.execution;
        if (e == null) {
            ctx.onFailure(cause);
            return;
        }
        long t0 = System.nanoTime();
        try {
            e.stop(cause);
        } catch (Throwable x) {
            cause.addSuppressed(x);
            ctx.onFailure(cause);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        if (took.compareTo(stopLimit) > 0) {
            throw new AssertionError("stop() took " + took + ", more than the " + stopLimit + " Pipeline allows on the CPS VM thread");
        }
    }
}
