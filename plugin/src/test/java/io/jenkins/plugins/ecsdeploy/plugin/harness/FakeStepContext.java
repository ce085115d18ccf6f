package io.jenkins.plugins.ecsdeploy.plugin.harness;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import hudson.EnvVars;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.StreamTaskListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jenkinsci.plugins.workflow.actions.ErrorAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * The StepContext a step gets from the harness (docs/jenkins-behaviour.md "What the test harness emulates" "StepContext.get", "Completion", "Body").
 *
 * <p>Serializable like CpsStepContext: only an id is written; after deserialization (a simulated restart) the
 * context finds its build, log, node and outcome again, so completions before and after a restart land in the same
 * place and "exactly one completion" can be asserted.
 */
public final class FakeStepContext extends StepContext {
    private static final long serialVersionUID = 1L;
    private static final Map<String, State> REGISTRY = new ConcurrentHashMap<>();
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id;
    private transient volatile State state;

    /** Everything that survives a restart, kept outside the serialized form. */
    static final class State {
        final String functionName;
        final FakeRun run;
        final StepDescriptor descriptor;
        final FakeFlowNode node;
        final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        final TaskListener listener = new StreamTaskListener(new PrintStream(logBytes, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        final List<Object> enclosingContext;
        final FakeBody body;
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicInteger completionCalls = new AtomicInteger();
        final AtomicInteger nodeIds;
        volatile boolean listenerOpened;
        volatile StepExecution execution;
        /** The execution as last written (start() returned, saveState()); what a crash restores. */
        volatile byte[] checkpoint;
        /** How often saveState() wrote the program (the checkpoint at start() not counted). */
        final AtomicInteger saves = new AtomicInteger();
        volatile boolean inStart;
        final List<Runnable> queuedBodies = new CopyOnWriteArrayList<>();
        final List<BodyRun> bodies = new CopyOnWriteArrayList<>();
        // outcome
        boolean completed;
        Object value;
        Throwable failure;
        boolean pendingSet;
        Object pendingValue;
        Throwable pendingFailure;

        State(String functionName, FakeRun run, StepDescriptor descriptor, FakeFlowNode node, List<Object> enclosingContext,
                FakeBody body, AtomicInteger nodeIds) {
            this.functionName = functionName;
            this.run = run;
            this.descriptor = descriptor;
            this.node = node;
            this.enclosingContext = List.copyOf(enclosingContext);
            this.body = body;
            this.nodeIds = nodeIds;
        }

        String displayName() {
            return descriptor != null ? descriptor.getDisplayName() : functionName;
        }
    }

    FakeStepContext(State state) {
        this.id = "ctx-" + IDS.incrementAndGet();
        this.state = state;
        REGISTRY.put(id, state);
    }

    State state() {
        State s = state;
        if (s == null) {
            s = REGISTRY.get(id);
            if (s == null) {
                throw new IllegalStateException("no harness state for " + id);
            }
            state = s;
        }
        return s;
    }

    // ------------------------------------------------------------------------------------------ StepContext

    @Override
    public <T> T get(Class<T> key) throws IOException, InterruptedException {
        State s = state();
        return lookup(key, s.node, s.enclosingContext, s);
    }

    /** The lookup shared by the step's context and body sub-contexts ("Bodies", "What the test harness emulates"). */
    static <T> T lookup(Class<T> key, FakeFlowNode node, List<Object> overrides, State s) throws IOException, InterruptedException {
        if (key == FlowNode.class || key == FakeFlowNode.class) {
            return key.cast(node);
        }
        if (key == TaskListener.class) {
            if (!node.active() && !s.listenerOpened) {
                throw new IOException("cannot start writing logs to a finished node " + node);
            }
            s.listenerOpened = true;
            return key.cast(s.listener);
        }
        if (key == EnvVars.class) {
            EnvVars contextual = null;
            for (Object o : overrides) {
                if (o instanceof EnvVars) {
                    contextual = (EnvVars) o;
                    break;
                }
            }
            EnvironmentExpander expander = lookup(EnvironmentExpander.class, node, overrides, s);
            return key.cast(EnvironmentExpander.getEffectiveEnvironment(s.run.getEnvironment(s.listener), contextual, expander, null, s.listener));
        }
        for (Object o : overrides) {   // withContext overrides (innermost first), then the enclosing blocks
            if (key.isInstance(o)) {
                return key.cast(o);
            }
        }
        if (key.isInstance(s.run) && Run.class.isAssignableFrom(key)) {
            return key.cast(s.run);
        }
        if (Job.class.isAssignableFrom(key) && key.isInstance(s.run.getParent())) {
            return key.cast(s.run.getParent());
        }
        if (key.isInstance(s.descriptor) && StepDescriptor.class.isAssignableFrom(key)) {
            return key.cast(s.descriptor);
        }
        return null;   // Launcher, FilePath, Computer, Node: null outside node {} (unless the test provided them)
    }

    @Override
    public void onSuccess(Object result) {
        complete(result, null);
    }

    @Override
    public void onFailure(Throwable t) {
        if (t == null) {
            throw new IllegalArgumentException("null failure");
        }
        complete(null, t);
    }

    private void complete(Object v, Throwable t) {
        State s = state();
        BodyRun stopBody = null;
        synchronized (s) {
            s.completionCalls.incrementAndGet();
            if (s.completed || s.pendingSet) {
                // First completion wins; a later, different failure is added as suppressed ("Bodies").
                Throwable first = s.completed ? s.failure : s.pendingFailure;
                if (t != null && first != null && first != t) {
                    first.addSuppressed(t);
                }
                return;
            }
            BodyRun running = runningBody(s);
            if (running != null) {
                // Completion waits for the body; a failed step stops the step running in the body ("Bodies").
                s.pendingSet = true;
                s.pendingValue = v;
                s.pendingFailure = t;
                if (t != null) {
                    stopBody = running;
                }
            } else {
                settle(s, v, t);
            }
        }
        if (stopBody != null) {
            stopBody.stop(new FlowInterruptedException(Result.FAILURE, true, new BodyFailed()));
        }
    }

    private static BodyRun runningBody(State s) {
        for (BodyRun b : s.bodies) {
            if (!b.isDone()) {
                return b;
            }
        }
        return null;
    }

    private static void settle(State s, Object v, Throwable t) {
        s.completed = true;
        s.value = v;
        s.failure = t;
        s.node.finish();
        s.done.countDown();
    }

    /** Called when a body ends: a completion that arrived while it ran is delivered now. */
    static void bodyEnded(State s) {
        synchronized (s) {
            if (s.pendingSet && !s.completed && runningBody(s) == null) {
                settle(s, s.pendingValue, s.pendingFailure);
            }
        }
    }

    @Override
    public void setResult(Result r) {
        state().run.setResult(r);
    }

    @Override
    public boolean isReady() {
        return true;
    }

    /**
     * As CpsStepContext: the program (with this step's execution) is written now; the harness keeps those bytes as the
     * last checkpoint that {@code StepRunner.crash} restores from (program.dat is written only at checkpoints and on
     * saveState(), workflow-cps CpsStepContext.java:586-621).
     */
    @Override
    public ListenableFuture<Void> saveState() {
        State s = state();
        StepExecution e = s.execution;
        if (e != null) {
            try {
                s.checkpoint = StepRunner.program(s);
                s.saves.incrementAndGet();
            } catch (IOException x) {
                return Futures.immediateFailedFuture(x);
            }
        }
        return Futures.immediateFuture(null);
    }

    @Override
    public boolean hasBody() {
        return state().body != null;
    }

    @Override
    public BodyInvoker newBodyInvoker() {
        State s = state();
        if (s.body == null) {
            throw new IllegalStateException("There is no body to invoke");
        }
        return new Invoker(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeStepContext && ((FakeStepContext) o).id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "FakeStepContext[" + id + " " + state().functionName + "]";
    }

    // ------------------------------------------------------------------------------------------ test API

    public boolean isDone() {
        synchronized (state()) {
            return state().completed;
        }
    }

    /** Waits (real time) for the outcome; fails if none arrives in time. */
    public FakeStepContext awaitDone(Duration timeout) throws InterruptedException, TimeoutException {
        if (!state().done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(this + " was not completed within " + timeout + "; log:\n" + log());
        }
        return this;
    }

    /** The value given to onSuccess; throws if the step failed or is still running. */
    public Object returnValue() {
        State s = state();
        synchronized (s) {
            if (!s.completed) {
                throw new IllegalStateException(this + " has not completed");
            }
            if (s.failure != null) {
                throw new AssertionError(this + " failed instead of succeeding", s.failure);
            }
            return s.value;
        }
    }

    /** The throwable given to onFailure, null if it succeeded; throws if still running. */
    public Throwable failure() {
        State s = state();
        synchronized (s) {
            if (!s.completed) {
                throw new IllegalStateException(this + " has not completed");
            }
            return s.failure;
        }
    }

    /** How often onSuccess/onFailure were called (the first one won). */
    /** How often the step called saveState() successfully (a test waits for a checkpoint before it crashes). */
    public int saveStateCalls() {
        return state().saves.get();
    }

    public int completionCalls() {
        return state().completionCalls.get();
    }

    /** The step's log (the node's log and the body's, as one text). */
    public String log() {
        return state().logBytes.toString(StandardCharsets.UTF_8);
    }

    /** The listener the step writes to (as {@code get(TaskListener.class)} without the finished-node check). */
    public TaskListener listener() {
        return state().listener;
    }

    public FakeFlowNode node() {
        return state().node;
    }

    public FakeRun run() {
        return state().run;
    }

    /** The execution currently in memory (a new object after {@link StepRunner#restart}). */
    public StepExecution execution() {
        return state().execution;
    }

    public FakeBody body() {
        return state().body;
    }

    /** All nodes of every body run so far, in order (start, end, start, end...). */
    public List<FakeFlowNode> bodyNodes() {
        List<FakeFlowNode> out = new ArrayList<>();
        for (BodyRun b : state().bodies) {
            out.add(b.startNode);
            if (b.endNode != null) {
                out.add(b.endNode);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ bodies

    /** The builder returned by newBodyInvoker ("Bodies"). */
    static final class Invoker extends BodyInvoker {
        private final FakeStepContext owner;
        private final List<Object> contexts = new ArrayList<>();
        private final List<BodyExecutionCallback> callbacks = new ArrayList<>();
        private String displayName;
        private boolean started;

        Invoker(FakeStepContext owner) {
            this.owner = owner;
        }

        @Override
        public BodyInvoker withContext(Object override) {
            contexts.add(override);   // lookup takes the first override that isInstance ("Bodies")
            return this;
        }

        @Override
        public BodyInvoker withCallback(BodyExecutionCallback callback) {
            callbacks.add(callback);
            return this;
        }

        @Override
        public BodyInvoker withDisplayName(String name) {
            this.displayName = name;
            return this;
        }

        @Override
        public BodyExecution start() {
            if (started) {
                throw new IllegalStateException("Already started");
            }
            started = true;
            State s = owner.state();
            synchronized (s) {
                if (s.completed) {
                    throw new IllegalStateException("The " + s.displayName() + " step has already completed.");
                }
            }
            List<Object> overrides = new ArrayList<>(contexts);
            overrides.addAll(s.enclosingContext);
            BodyRun run = new BodyRun(owner, s, overrides, List.copyOf(callbacks), displayName);
            s.bodies.add(run);
            if (s.inStart) {
                s.queuedBodies.add(run::launch);   // launched once start() has returned false ("Order of checks" row 10)
            } else {
                run.launch();
            }
            return run.execution;
        }
    }

    /** One run of the body. */
    static final class BodyRun {
        final FakeStepContext owner;
        final State s;
        final List<Object> overrides;
        /** Replaced on a restart by the copies written with the execution (program.dat holds both). */
        volatile List<BodyExecutionCallback> callbacks;
        final FakeFlowNode startNode;
        volatile FakeFlowNode endNode;
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean cancelled;
        Object value;
        Throwable failure;
        final Exec execution = new Exec(this);

        BodyRun(FakeStepContext owner, State s, List<Object> overrides, List<BodyExecutionCallback> callbacks, String displayName) {
            this.owner = owner;
            this.s = s;
            this.overrides = overrides;
            this.callbacks = callbacks;
            this.startNode = new FakeFlowNode(String.valueOf(s.nodeIds.incrementAndGet()), FakeFlowNode.Kind.BODY_START,
                    displayName != null ? displayName : s.functionName + " : Body : Start", s.node);
        }

        boolean isDone() {
            return done.getCount() == 0;
        }

        void launch() {
            SubContext startCtx = new SubContext(owner, startNode, overrides);
            for (BodyExecutionCallback cb : callbacks) {
                try {
                    cb.onStart(startCtx);
                } catch (RuntimeException e) {
                    owner.onFailure(e);
                }
            }
            s.body.launch(this, startCtx);
        }

        void stop(Throwable cause) {
            s.body.stop(this, cause);
        }

        /** The body ended: end node, outcome, callbacks ("Bodies"). */
        void finish(Object v, Throwable t) {
            synchronized (this) {
                if (isDone()) {
                    return;
                }
                value = v;
                failure = t;
                endNode = new FakeFlowNode(String.valueOf(s.nodeIds.incrementAndGet()), FakeFlowNode.Kind.BODY_END,
                        s.functionName + " : Body : End", startNode);
                if (t != null) {
                    endNode.addAction(new ErrorAction(t));
                }
                startNode.finish();   // the end node stays the head (its log usable) while the callbacks run
                done.countDown();
            }
            bodyEnded(s);
            SubContext endCtx = new SubContext(owner, endNode, overrides);
            if (t == null) {
                for (BodyExecutionCallback cb : callbacks) {
                    try {
                        cb.onSuccess(endCtx, v);
                    } catch (Throwable x) {
                        owner.onFailure(x);
                    }
                }
            } else {
                Throwable thrown = null;
                for (BodyExecutionCallback cb : callbacks) {
                    try {
                        cb.onFailure(endCtx, t);
                    } catch (Throwable x) {
                        t.addSuppressed(x);
                        thrown = x;
                    }
                }
                if (thrown != null) {
                    owner.onFailure(t);
                }
            }
            endNode.finish();
        }
    }

    /** The BodyExecution handed to the step. */
    static final class Exec extends BodyExecution {
        private static final long serialVersionUID = 1L;
        private final transient BodyRun run;

        Exec(BodyRun run) {
            this.run = run;
        }

        @Override
        public Collection<StepExecution> getCurrentExecutions() {
            return Collections.emptyList();
        }

        /** Stops the innermost step of the body, i.e. reaches the FakeBody; false if the body is done. */
        @Override
        public boolean cancel(Throwable t) {
            if (run.isDone()) {
                return false;
            }
            run.cancelled = true;
            run.stop(t);
            return true;
        }

        @Override
        public boolean isCancelled() {
            return run.cancelled;
        }

        @Override
        public boolean isDone() {
            return run.isDone();
        }

        @Override
        public Object get() throws InterruptedException, ExecutionException {
            run.done.await();
            return outcome();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            if (!run.done.await(timeout, unit)) {
                throw new TimeoutException();
            }
            return outcome();
        }

        private Object outcome() throws ExecutionException {
            if (run.failure != null) {
                throw new ExecutionException(run.failure);
            }
            return run.value;
        }
    }

    /**
     * The context body callbacks and the body's own steps see: completion and newBodyInvoker go to the step's
     * context; FlowNode is the body's start node (onStart) or end node (afterwards); lookups try the invoker's
     * withContext overrides first ("Bodies").
     */
    static final class SubContext extends StepContext {
        private static final long serialVersionUID = 1L;
        private final FakeStepContext parent;
        private final transient FakeFlowNode node;
        private final transient List<Object> overrides;

        SubContext(FakeStepContext parent, FakeFlowNode node, List<Object> overrides) {
            this.parent = parent;
            this.node = node;
            this.overrides = overrides;
        }

        @Override
        public <T> T get(Class<T> key) throws IOException, InterruptedException {
            return lookup(key, node, overrides, parent.state());
        }

        @Override
        public void onSuccess(Object result) {
            parent.onSuccess(result);
        }

        @Override
        public void onFailure(Throwable t) {
            parent.onFailure(t);
        }

        @Override
        public void setResult(Result r) {
            parent.setResult(r);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public ListenableFuture<Void> saveState() {
            return parent.saveState();
        }

        @Override
        public boolean hasBody() {
            return parent.hasBody();
        }

        @Override
        public BodyInvoker newBodyInvoker() {
            return parent.newBodyInvoker();
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
