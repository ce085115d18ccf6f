package io.jenkins.plugins.ecsdeploy.plugin.harness;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.GroovyShell;
import hudson.AbortException;
import hudson.EnvVars;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.runtime.InvokerInvocationException;
import org.jenkinsci.plugins.workflow.cps.CpsScript;
import org.jenkinsci.plugins.workflow.cps.GlobalVariable;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

/**
 * Runs a Jenkinsfile with the real Groovy 2.4.21 (the version core bundles), NOT the CPS interpreter: the script runs
 * on a thread of its own and a step call blocks that thread until the step's context completes (Pipeline suspends the
 * program instead; docs/jenkins-stand-in.md "Fidelity limits"). What stays as in Pipeline:
 * <ul>
 *   <li>a call is resolved as CpsScript does: binding variable, then a registered {@link GlobalVariable} (such as
 *       {@code ecsApprove}, whose Groovy resource is compiled by this Groovy through the script's class loader), then a
 *       step by its function name ({@code steps}, the DSL); unknown names fail with a "No such DSL method" error;</li>
 *   <li>GStrings are evaluated by Groovy and turned into Strings before binding (DSL's clean-up, docs/jenkins-behaviour.md
 *       "Binding a step call"); named arguments come first, the closure last;</li>
 *   <li>{@code env} is a global variable reading the environment of the current body (its EnvironmentExpanders) or
 *       the build.</li>
 * </ul>
 * Two modes. {@link #running}: each step is bound and started for real through a {@link StepRunner} (a closure becomes
 * a body on its own thread, {@link FakeBody#onThread}); {@code input} is pipeline-input-step's (the stand-in). {@link
 * #bindingOnly}: each step is bound strictly by {@link PipelineBinder} and answers a canned value (docs examples).
 * In both, {@code echo}, {@code sh}, {@code node}, {@code stage}, {@code withEnv}, {@code timeout}, {@code error} are
 * stubs ({@code sh} only logs the command).
 */
public final class GroovyPipeline {
    private final StepRunner runner;   // null: binding only
    private final Map<String, Class<? extends Step>> steps = new LinkedHashMap<>();
    private final Map<String, Object> variables = new LinkedHashMap<>();
    private final java.util.Set<String> symbols = new java.util.HashSet<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final StringBuffer log = new StringBuffer();
    private final Map<Thread, FakeStepContext> awaiting = new ConcurrentHashMap<>();
    /** A stop that reached a body before its thread started a step: delivered to the next step it starts. */
    private final Map<Thread, Throwable> pendingStops = new ConcurrentHashMap<>();
    private final List<FakeStepContext> started = new CopyOnWriteArrayList<>();
    private BiFunction<String, Step, Object> cannedResult = (name, step) -> null;
    private Duration stepLimit = Duration.ofSeconds(60);
    private static final ThreadLocal<StepContext> BODY = new ThreadLocal<>();
    private volatile Thread scriptThread;
    private volatile Object result;
    private volatile Throwable failure;

    private GroovyPipeline(StepRunner runner) {
        this.runner = runner;
        StandInJenkins.register(new EnvVariable());
    }

    /** Steps start for real through {@code runner} (against the simulator, say). */
    public static GroovyPipeline running(StepRunner runner) {
        return new GroovyPipeline(runner);
    }

    /** Steps are only bound (strictly); {@code canned} gives each call's return value. */
    public static GroovyPipeline bindingOnly(BiFunction<String, Step, Object> canned) {
        GroovyPipeline p = new GroovyPipeline(null);
        p.cannedResult = canned;
        return p;
    }

    /** Makes a step callable by its descriptor's function name (the descriptor is registered). */
    @SafeVarargs
    public final GroovyPipeline steps(Class<? extends Step>... types) {
        for (Class<? extends Step> t : types) {
            StepDescriptor d = StepRunner.descriptorOf(t);
            steps.put(d.getFunctionName(), t);
        }
        return this;
    }

    /**
     * Names that are a {@code @Symbol} of a (non-step) Descriptor: such a call returns an uninstantiated describable for
     * the enclosing step's argument (docs/jenkins-behaviour.md "Binding a step call" item 3), here the binder's SymbolCall.
     */
    public GroovyPipeline symbols(String... names) {
        symbols.addAll(List.of(names));
        return this;
    }

    public GroovyPipeline variable(String name, Object value) {
        variables.put(name, value);
        return this;
    }

    public GroovyPipeline stepLimit(Duration d) {
        this.stepLimit = d;
        return this;
    }

    /** Function names called, in order (steps, stubs and global variables' steps alike). */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** What echo and sh wrote. */
    public String log() {
        return log.toString();
    }

    /** Every step context started, in order. */
    public List<FakeStepContext> started() {
        return List.copyOf(started);
    }

    /** Runs the script to its end on the calling thread; returns its value or throws what it threw. */
    public Object run(String script) throws Throwable {
        start(script);
        return await(stepLimit.multipliedBy(3));
    }

    /** Starts the script on a thread of its own. */
    public GroovyPipeline start(String script) {
        Thread t = new Thread(() -> {
            try {
                result = execute(script);
            } catch (Throwable x) {
                failure = unwrap(x);
            }
        }, "harness Jenkinsfile");
        t.setDaemon(true);
        scriptThread = t;
        t.start();
        return this;
    }

    public Object await(Duration d) throws Throwable {
        scriptThread.join(d.toMillis());
        if (scriptThread.isAlive()) {
            throw new TimeoutException("the Jenkinsfile still runs after " + d + "; log:\n" + log);
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    public boolean isDone() {
        return scriptThread != null && !scriptThread.isAlive();
    }

    public Throwable failure() {
        return failure;
    }

    private Object execute(String script) throws Exception {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(JenkinsfileScript.class.getName());
        GroovyShell shell = new GroovyShell(new AllowlistedGroovySources(GroovyPipeline.class.getClassLoader()), new Binding(), cc);
        // a Groovy subclass: its class loader is the script's GroovyClassLoader (global variables load .groovy through it)
        Class<?> wsClass = shell.getClassLoader().parseClass(
                "class WorkflowScript extends " + HarnessCpsScript.class.getName() + " { }", "WorkflowScript.groovy");
        HarnessCpsScript cps = (HarnessCpsScript) wsClass.getDeclaredConstructor().newInstance();
        if (runner != null) {
            StandInJenkins.bindScript(cps, runner.run());
        }
        Map<String, Object> vars = StandInJenkins.scriptVariables(cps);
        vars.putAll(variables);
        vars.put("steps", new Dsl());
        JenkinsfileScript s = (JenkinsfileScript) shell.parse(script, "Jenkinsfile");
        s.cps = cps;
        variables.forEach((k, v) -> s.getBinding().setVariable(k, v));
        return s.run();
    }

    /**
     * As the loader workflow-cps puts under a build's trusted shell: a {@code .groovy} resource is hidden unless a
     * registered {@link org.jenkinsci.plugins.workflow.cps.GroovySourceFileAllowlist} accepts its URL
     * (jenkinsci/workflow-cps-plugin@4350.vcc65d4958821:plugin/src/main/java/org/jenkinsci/plugins/workflow/cps/GroovySourceFileAllowlist.java:109-120,
     * CpsGroovyShellFactory.java:115), so a global variable whose source is not allowed fails here as it does there.
     */
    public static final class AllowlistedGroovySources extends ClassLoader {
        public AllowlistedGroovySources(ClassLoader parent) {
            super(parent);
        }

        static boolean allowed(java.net.URL url) {
            return org.jenkinsci.plugins.workflow.cps.GroovySourceFileAllowlist.all().stream().anyMatch(a -> a.isAllowed(url.toString()));
        }

        @Override
        public java.net.URL getResource(String name) {
            java.net.URL url = super.getResource(name);
            return url == null || !name.toLowerCase(java.util.Locale.ROOT).endsWith(".groovy") || allowed(url) ? url : null;
        }

        @Override
        public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
            java.util.List<java.net.URL> out = new java.util.ArrayList<>(java.util.Collections.list(super.getResources(name)));
            if (name.toLowerCase(java.util.Locale.ROOT).endsWith(".groovy")) {
                out.removeIf(u -> !allowed(u));
            }
            return java.util.Collections.enumeration(out);
        }
    }

    private static Throwable unwrap(Throwable x) {
        while (x instanceof InvokerInvocationException && x.getCause() != null) {
            x = x.getCause();
        }
        return x;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** The DSL: a call by a step's function name (CpsScript's last resort). */
    final class Dsl extends GroovyObjectSupport {
        @Override
        public Object invokeMethod(String name, Object args) {
            Object[] argv = args instanceof Object[] ? (Object[]) args : new Object[] {args};
            calls.add(name);
            List<Object> a = new ArrayList<>();
            Closure<?> body = null;
            for (int i = 0; i < argv.length; i++) {
                Object v = strings(argv[i]);
                if (i == argv.length - 1 && v instanceof Closure) {
                    body = (Closure<?>) v;
                } else {
                    a.add(v);
                }
            }
            try {
                return call(name, a, body);
            } catch (Throwable t) {
                throw sneaky(unwrap(t));
            }
        }
    }

    /** DSL's clean-up: every GString becomes a String, recursively in lists and maps (docs/jenkins-behaviour.md "Binding a step call"). */
    private static Object strings(Object v) {
        if (v instanceof groovy.lang.GString) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), strings(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(strings(x)));
            return out;
        }
        return v;
    }

    private Object call(String name, List<Object> args, Closure<?> body) throws Throwable {
        switch (name) {
            case "echo":
                log.append(args.isEmpty() ? "" : String.valueOf(args.get(0))).append('\n');
                return null;
            case "sh":
                log.append("+ ").append(args.isEmpty() ? "" : args.get(0) instanceof Map<?, ?> m ? m.get("script") : args.get(0)).append('\n');
                return null;
            case "slackSend": case "mail": case "emailext":
                // other plugins' notification steps, used by docs/notify-on-gate.md: logged, not bound
                log.append(name).append(' ').append(args).append('\n');
                return null;
            case "error":
                throw new AbortException(String.valueOf(args.isEmpty() ? "" : args.get(0)));
            case "node": case "stage": case "withEnv": case "timeout": case "dir": case "catchError":
                return body == null ? null : body.call();
            default:
                break;
        }
        Class<? extends Step> type = steps.get(name);
        if (type == null && symbols.contains(name)) {
            return new JenkinsfileParser.SymbolCall(name, args);
        }
        if (type == null) {
            throw new NoSuchMethodError("No such DSL method '" + name + "' found among steps " + steps.keySet()
                    + " or globals " + globals());
        }
        if (runner == null) {
            Step step = PipelineBinder.strict().bindCall(type, args);
            if (StepRunner.descriptorOf(type).takesImplicitBlockArgument()) {
                if (body == null) {
                    throw new IllegalStateException(name + " step must be called with a body");
                }
                Object v = body.call();
                Object canned = cannedResult.apply(name, step);
                return canned != null ? canned : v;
            }
            return cannedResult.apply(name, step);
        }
        FakeStepContext ctx;
        StepContext outer = BODY.get();
        synchronized (runner) {
            if (outer != null) {
                EnvironmentExpander e = outer.get(EnvironmentExpander.class);
                if (e != null) {
                    runner.enclosedBy(e);
                }
            }
            if (body != null) {
                Closure<?> b = body;
                runner.withBody(FakeBody.onThread(c -> {
                    BODY.set(c);
                    try {
                        return b.call();
                    } catch (Throwable t) {
                        throw unwrap(t);
                    } finally {
                        BODY.remove();
                    }
                }, (thread, cause) -> {
                    FakeStepContext inner;
                    synchronized (runner) {
                        inner = thread == null ? null : awaiting.get(thread);
                        if (inner == null && thread != null) {
                            pendingStops.put(thread, cause);
                        }
                    }
                    if (inner != null) {
                        runner.interrupt(inner, cause);
                    }
                }));
            }
            ctx = runner.call(type, args);
            started.add(ctx);
            awaiting.put(Thread.currentThread(), ctx);
        }
        Throwable early = pendingStops.remove(Thread.currentThread());
        if (early != null) {
            runner.interrupt(ctx, early);
        }
        try {
            ctx.awaitDone(stepLimit);
        } finally {
            awaiting.remove(Thread.currentThread());
        }
        if (ctx.failure() != null) {
            throw ctx.failure();
        }
        return ctx.returnValue();
    }

    private static List<String> globals() {
        List<String> out = new ArrayList<>();
        GlobalVariable.forRun(null).forEach(v -> out.add(v.getName()));
        return out;
    }

    /** The innermost step still running (what an abort of the build stops first). */
    public FakeStepContext innermost() {
        for (int i = started.size() - 1; i >= 0; i--) {
            if (!started.get(i).isDone()) {
                return started.get(i);
            }
        }
        return null;
    }

    /** The build's abort button: the innermost running step is stopped with the user's interruption. */
    public void abort(String userId) {
        FakeStepContext c = innermost();
        if (c != null) {
            runner.abort(c, userId);
        }
    }

    /** {@code env}: workflow-cps' EnvActionImpl.Binder — the current body's environment, or the build's. */
    static final class EnvVariable extends GlobalVariable {
        @Override
        public String getName() {
            return "env";
        }

        @Override
        public Object getValue(CpsScript script) throws Exception {
            return new GroovyObjectSupport() {
                @Override
                public Object getProperty(String property) {
                    try {
                        StepContext c = BODY.get();
                        EnvVars env = c != null ? c.get(EnvVars.class) : null;
                        if (env == null && script.$buildNoException() != null) {
                            env = script.$buildNoException().getEnvironment(null);
                        }
                        return env == null ? null : env.get(property);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        }
    }
}
