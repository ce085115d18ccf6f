package io.jenkins.plugins.ecsdeploy.apistandin;

import hudson.ProxyConfiguration;
import hudson.security.ACL;
import hudson.security.Permission;
import hudson.security.SecurityRealm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Test-only control of the stand-in's global state (NOT a Jenkins class; it ships in the {@code support} jar, never in
 * the .hpi).
 *
 * <p>Security follows core (docs/jenkins-stand-in.md "Behaviour"): the person a request runs as is a real Spring
 * {@link Authentication} in the <em>current thread's</em> {@link SecurityContextHolder}, exactly what
 * {@code Jenkins.getAuthentication2()} reads (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/jenkins/model/Jenkins.java:4819);
 * {@link #setCurrentUser} logs a user in on the calling thread only, with the authorities
 * {@code authenticated} plus the groups given by {@link #setGroups}. Grants go to a user id or a group name (a
 * "sid", as matrix authorization does); {@code Overall/Administer} implies everything, {@code Job/Configure}
 * implies {@code Job/ExtendedRead} (core Item.java:299), and {@link ACL#SYSTEM2} passes every check (ACL.java:132).
 */
public final class StandInJenkins {
    private static final Logger LOGGER = Logger.getLogger(StandInJenkins.class.getName());
    private static volatile Jenkins instance;
    private static volatile boolean secured;
    private static final Map<String, Set<Permission>> GRANTS = new HashMap<>();
    private static final Map<String, String> FULL_NAMES = new HashMap<>();
    private static final List<Object> EXTENSIONS = new CopyOnWriteArrayList<>();
    private static final List<Object> CREDENTIALS = new CopyOnWriteArrayList<>();
    private static volatile String rootUrl = "http://localhost:8080/jenkins/";
    private static volatile ScheduledExecutorService timer;
    private static final ACL ACL_INSTANCE = new ACL() { };
    private static final Map<String, List<String>> GROUPS = new HashMap<>();
    private static final SecurityRealm DEFAULT_REALM = new SecurityRealm() { };
    private static volatile SecurityRealm realm = DEFAULT_REALM;
    private static volatile ProxyConfiguration proxy;
    private static volatile java.nio.charset.Charset agentCharset = java.nio.charset.StandardCharsets.UTF_8;

    private StandInJenkins() {
    }

    /** Fresh state: security off, no user, no extensions or credentials; returns the new instance. */
    public static synchronized Jenkins install() {
        reset();
        try {
            java.lang.reflect.Method m = Jenkins.class.getDeclaredMethod("newStandIn");
            m.setAccessible(true);
            instance = (Jenkins) m.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return instance;
    }

    /** Back to "no Jenkins": Jenkins.get() throws again. The timer, if one was created, is shut down. */
    public static synchronized void reset() {
        instance = null;
        SecurityContextHolder.clearContext();
        secured = false;
        synchronized (GRANTS) {
            GRANTS.clear();
            FULL_NAMES.clear();
            GROUPS.clear();
        }
        EXTENSIONS.clear();
        CREDENTIALS.clear();
        AGENT_READS.clear();
        SCHEDULED.clear();
        refuseScheduling = false;
        rootUrl = "http://localhost:8080/jenkins/";
        realm = DEFAULT_REALM;
        proxy = null;
        agentCharset = java.nio.charset.StandardCharsets.UTF_8;
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null && t instanceof ScheduledThreadPoolExecutor) {
            t.shutdownNow();
        }
    }

    /** A build a job was asked to schedule ({@code ParameterizedJob.scheduleBuild2}): the job and the actions. */
    public record ScheduledBuild(Object job, int quietPeriod, List<hudson.model.Action> actions) {
        public <T> T action(Class<T> type) {
            for (hudson.model.Action a : actions) {
                if (type.isInstance(a)) {
                    return type.cast(a);
                }
            }
            return null;
        }
    }

    private static final List<ScheduledBuild> SCHEDULED = new CopyOnWriteArrayList<>();
    private static volatile boolean refuseScheduling;

    /**
     * What {@code ParameterizedJob.scheduleBuild2} does here: records the request and answers a future that never
     * completes (the stand-in runs no builds; a test starts the next build itself with the recorded actions), or
     * null, as a disabled job answers, after {@link #refuseScheduling}.
     */
    public static hudson.model.queue.QueueTaskFuture<?> schedule(Object job, int quietPeriod, hudson.model.Action... actions) {
        if (refuseScheduling) {
            return null;
        }
        SCHEDULED.add(new ScheduledBuild(job, quietPeriod, List.of(actions)));
        java.util.concurrent.CompletableFuture<Object> never = new java.util.concurrent.CompletableFuture<>();
        return new hudson.model.queue.QueueTaskFuture<Object>() {
            @Override public boolean cancel(boolean mayInterrupt) { return never.cancel(mayInterrupt); }
            @Override public boolean isCancelled() { return never.isCancelled(); }
            @Override public boolean isDone() { return never.isDone(); }
            @Override public Object get() throws InterruptedException, java.util.concurrent.ExecutionException { return never.get(); }
            @Override public Object get(long t, java.util.concurrent.TimeUnit u)
                    throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
                return never.get(t, u);
            }
        };
    }

    /** The builds scheduled since the last {@link #reset}, oldest first. */
    public static List<ScheduledBuild> scheduledBuilds() {
        return List.copyOf(SCHEDULED);
    }

    /** From now on scheduleBuild2 answers null, as for a disabled job. */
    public static void refuseScheduling() {
        refuseScheduling = true;
    }

    public static Jenkins instance() {
        return instance;
    }

    /**
     * Logs {@code userId} in on the calling thread (null: anonymous), like the request filter chain does for the
     * request's thread. Other threads keep their own authentication (a Timer task runs as SYSTEM).
     */
    public static void setCurrentUser(String userId) {
        if (userId == null) {
            SecurityContextHolder.clearContext();
        } else {
            SecurityContextHolder.getContext().setAuthentication(authenticationOf(userId));
        }
    }

    /** Runs {@code body} on this thread as {@code userId}, then restores the previous authentication. */
    public static <T> T as(String userId, Callable<T> body) throws Exception {
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContext c = SecurityContextHolder.createEmptyContext();
        c.setAuthentication(userId == null ? null : authenticationOf(userId));
        SecurityContextHolder.setContext(c);
        try {
            return body.call();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    /** What a security realm returns for {@code userId}: name, authorities {@code authenticated} + its groups. */
    public static Authentication authenticationOf(String userId) {
        List<GrantedAuthority> a = new ArrayList<>();
        a.add(SecurityRealm.AUTHENTICATED_AUTHORITY2);
        for (String g : groupsOf(userId)) {
            a.add(new SimpleGrantedAuthority(g));
        }
        return new UsernamePasswordAuthenticationToken(userId, "", a);
    }

    /** The user id of the calling thread's authentication, or null for anonymous and SYSTEM. */
    public static String currentUserId() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null || a == ACL.SYSTEM2 || ACL.ANONYMOUS_USERNAME.equals(a.getName())) {
            return null;
        }
        return a.getName();
    }

    public static void setFullName(String userId, String fullName) {
        synchronized (GRANTS) {
            FULL_NAMES.put(userId, fullName);
        }
    }

    public static String fullNameOf(String userId) {
        synchronized (GRANTS) {
            return FULL_NAMES.getOrDefault(userId, userId);
        }
    }

    /**
     * Turns security on (if not yet) and grants the permissions to a sid: a user id or a group (authority) name, as
     * matrix-based authorization does. Administer implies everything.
     */
    public static void grant(String sid, Permission... permissions) {
        synchronized (GRANTS) {
            secured = true;
            GRANTS.computeIfAbsent(sid, k -> new HashSet<>()).addAll(List.of(permissions));
        }
    }

    /** Security on with no grants: everybody is denied everything. */
    public static void enableSecurity() {
        secured = true;
    }

    public static boolean isSecured() {
        return secured;
    }

    /** The permission check of the user id (as if logged in with its groups). */
    public static boolean isAllowed(String userId, Permission p) {
        return isAllowed(userId == null ? Jenkins.ANONYMOUS2 : authenticationOf(userId), p);
    }

    /** The permission check of an authentication: its name and every authority are sids. */
    public static boolean isAllowed(Authentication a, Permission p) {
        if (!secured || a == ACL.SYSTEM2) {
            return true;
        }
        synchronized (GRANTS) {
            List<String> sids = new ArrayList<>();
            sids.add(a.getName());
            for (GrantedAuthority g : a.getAuthorities()) {
                sids.add(g.getAuthority());
            }
            for (String sid : sids) {
                Set<Permission> g = GRANTS.get(sid);
                if (g != null && (g.contains(Jenkins.ADMINISTER) || g.contains(p) || implied(g, p))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The implications we depend on: Configure implies ExtendedRead (core Item.java:299) and Credentials/UseItem. */
    private static boolean implied(Set<Permission> granted, Permission p) {
        boolean configure = granted.contains(hudson.model.Item.CONFIGURE);
        return (p == hudson.model.Item.EXTENDED_READ || p == com.cloudbees.plugins.credentials.CredentialsProvider.USE_ITEM)
                && configure;
    }

    /** The group names the realm knows for the user (what its authentication carries besides "authenticated"). */
    public static void setGroups(String userId, String... groups) {
        synchronized (GRANTS) {
            GROUPS.put(userId, List.of(groups));
        }
    }

    public static List<String> groupsOf(String userId) {
        synchronized (GRANTS) {
            return GROUPS.getOrDefault(userId, List.of());
        }
    }

    /** Replaces the default realm (case-insensitive user and group ids), e.g. with one using IdStrategy.CaseSensitive. */
    public static void setSecurityRealm(SecurityRealm r) {
        realm = r == null ? DEFAULT_REALM : r;
    }

    public static SecurityRealm securityRealm() {
        return realm;
    }

    public static ACL acl() {
        return ACL_INSTANCE;
    }

    /** Registers an extension (a Descriptor, a GlobalConfiguration, ...) for Jenkins.getDescriptor/ExtensionList. */
    public static void register(Object extension) {
        EXTENSIONS.add(extension);
    }

    public static List<Object> extensions() {
        return new ArrayList<>(EXTENSIONS);
    }

    /** Makes a credential visible to CredentialsProvider.findCredentialById and AWSCredentialsHelper. */
    public static void addCredentials(Object credentials) {
        CREDENTIALS.add(credentials);
    }

    public static List<Object> credentials() {
        return new ArrayList<>(CREDENTIALS);
    }

    public static void setRootUrl(String url) {
        rootUrl = url;
    }

    public static String rootUrl() {
        return rootUrl;
    }

    /** What {@code Jenkins.get().getProxy()} and the {@code proxy} field hold (null: no proxy configured). */
    public static void setProxy(ProxyConfiguration p) {
        proxy = p;
    }

    public static ProxyConfiguration proxy() {
        return proxy;
    }

    /** The default charset of the agent a {@code FilePath} lives on ({@code FilePath.readToString()} uses it). */
    public static void setAgentCharset(java.nio.charset.Charset c) {
        agentCharset = c;
    }

    public static java.nio.charset.Charset agentCharset() {
        return agentCharset;
    }

    private static volatile java.util.function.Function<hudson.model.Run<?, ?>, List<org.jenkinsci.plugins.workflow.steps.StepExecution>> executions;
    private static final Map<Object, hudson.model.Run<?, ?>> SCRIPT_RUNS = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * Where the stand-in finds the step executions currently running in a build (what
     * {@code FlowExecution.getCurrentExecutions(true)} answers in Jenkins; the input step's InputAction looks there).
     * The Pipeline harness sets it.
     */
    public static void setCurrentExecutions(java.util.function.Function<hudson.model.Run<?, ?>, List<org.jenkinsci.plugins.workflow.steps.StepExecution>> f) {
        executions = f;
    }

    public static List<org.jenkinsci.plugins.workflow.steps.StepExecution> currentExecutions(hudson.model.Run<?, ?> run) {
        java.util.function.Function<hudson.model.Run<?, ?>, List<org.jenkinsci.plugins.workflow.steps.StepExecution>> f = executions;
        return f == null ? List.of() : f.apply(run);
    }

    private static final List<String> AGENT_READS = new CopyOnWriteArrayList<>();

    /** Records the thread that read a file from an agent (FilePath.readToString); tests assert it is not the CPS VM thread. */
    public static void agentRead(String threadName) {
        AGENT_READS.add(threadName);
    }

    public static List<String> agentReads() {
        return List.copyOf(AGENT_READS);
    }

    /** The build a Pipeline script (a CpsScript) runs in; set by the harness that runs the script. */
    public static void bindScript(Object script, hudson.model.Run<?, ?> run) {
        SCRIPT_RUNS.put(script, run);
    }

    private static final Map<Object, Map<String, Object>> SCRIPT_VARIABLES = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The variables of a Pipeline script (the real CpsScript's Binding): {@code steps}, and what the script defines. */
    public static Map<String, Object> scriptVariables(Object script) {
        return SCRIPT_VARIABLES.computeIfAbsent(script, k -> new java.util.concurrent.ConcurrentHashMap<>());
    }

    public static hudson.model.Run<?, ?> runOf(Object script) {
        return SCRIPT_RUNS.get(script);
    }

    /** Replaces jenkins.util.Timer.get() (e.g. with a manually driven scheduler). */
    public static void setTimer(ScheduledExecutorService executor) {
        timer = executor;
    }

    /**
     * Core's Timer: 10 threads (created on demand), every task run as SYSTEM, an exception logged
     * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/jenkins/util/Timer.java:44-49).
     */
    public static synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            ScheduledThreadPoolExecutor t = new SystemTimer();
            t.setRemoveOnCancelPolicy(true);
            timer = t;
        }
        return timer;
    }

    /** Runs each task with ACL.SYSTEM2 as the thread's authentication and logs what a task throws. */
    private static final class SystemTimer extends ScheduledThreadPoolExecutor {
        SystemTimer() {
            super(10, r -> {
                Thread th = new Thread(r, "stand-in jenkins.util.Timer");
                th.setDaemon(true);
                return th;
            });
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Runnable r, RunnableScheduledFuture<V> task) {
            return new AsSystem<>(task);
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) {
            return new AsSystem<>(task);
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            super.afterExecute(r, t);
            if (t == null && r instanceof java.util.concurrent.Future<?> f && f.isDone() && !f.isCancelled()) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    t = e.getCause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.CancellationException ignored) {
                    // cancelled
                }
            }
            if (t != null) {
                LOGGER.log(Level.WARNING, "a jenkins.util.Timer task failed", t);
            }
        }
    }

    private record AsSystem<V>(RunnableScheduledFuture<V> task) implements RunnableScheduledFuture<V> {
        @Override
        public void run() {
            SecurityContext previous = SecurityContextHolder.getContext();
            SecurityContext c = SecurityContextHolder.createEmptyContext();
            c.setAuthentication(ACL.SYSTEM2);
            SecurityContextHolder.setContext(c);
            try {
                task.run();
            } finally {
                SecurityContextHolder.setContext(previous);
            }
        }

        @Override public boolean isPeriodic() { return task.isPeriodic(); }
        @Override public long getDelay(TimeUnit unit) { return task.getDelay(unit); }
        @Override public int compareTo(Delayed o) { return task.compareTo(o instanceof AsSystem<?> a ? a.task : o); }
        @Override public boolean cancel(boolean b) { return task.cancel(b); }
        @Override public boolean isCancelled() { return task.isCancelled(); }
        @Override public boolean isDone() { return task.isDone(); }
        @Override public V get() throws InterruptedException, java.util.concurrent.ExecutionException { return task.get(); }
        @Override public V get(long t, TimeUnit u) throws InterruptedException, java.util.concurrent.ExecutionException,
                java.util.concurrent.TimeoutException { return task.get(t, u); }
    }

    /** What the stand-in ACL throws where core throws AccessDeniedException3 (a Spring Security type). */
    public static final class AccessDenied extends org.springframework.security.access.AccessDeniedException {
        private static final long serialVersionUID = 1L;

        public AccessDenied(String message) {
            super(message);
        }
    }
}
