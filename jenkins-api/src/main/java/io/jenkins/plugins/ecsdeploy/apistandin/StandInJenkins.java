package io.jenkins.plugins.ecsdeploy.apistandin;

import hudson.security.ACL;
import hudson.security.Permission;
import hudson.security.SecurityRealm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import jenkins.model.Jenkins;

/**
 * Test-only control of the stand-in's global state (NOT a Jenkins class; the API check skips this package and it
 * never reaches the .hpi because jenkins-api is a provided dependency).
 *
 * <p>{@link #install()} makes {@code Jenkins.get()} work; security is off (everything allowed) until
 * {@link #grant} is called; the current user is whoever {@link #setCurrentUser} named (null = anonymous).
 */
public final class StandInJenkins {
    private static volatile Jenkins instance;
    private static volatile String currentUser;
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
        currentUser = null;
        secured = false;
        synchronized (GRANTS) {
            GRANTS.clear();
            FULL_NAMES.clear();
            GROUPS.clear();
        }
        EXTENSIONS.clear();
        CREDENTIALS.clear();
        rootUrl = "http://localhost:8080/jenkins/";
        realm = DEFAULT_REALM;
        ScheduledExecutorService t = timer;
        timer = null;
        if (t != null && t instanceof ScheduledThreadPoolExecutor) {
            t.shutdownNow();
        }
    }

    public static Jenkins instance() {
        return instance;
    }

    public static void setCurrentUser(String userId) {
        currentUser = userId;
    }

    public static String currentUserId() {
        return currentUser;
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

    /** Turns security on (if not yet) and grants the permissions to the user (Administer implies everything). */
    public static void grant(String userId, Permission... permissions) {
        synchronized (GRANTS) {
            secured = true;
            GRANTS.computeIfAbsent(userId, k -> new HashSet<>()).addAll(List.of(permissions));
        }
    }

    /** Security on with no grants: everybody is denied everything. */
    public static void enableSecurity() {
        secured = true;
    }

    public static boolean isSecured() {
        return secured;
    }

    public static boolean isAllowed(String userId, Permission p) {
        if (!secured) {
            return true;
        }
        synchronized (GRANTS) {
            Set<Permission> g = userId == null ? null : GRANTS.get(userId);
            return g != null && (g.contains(p) || g.contains(Jenkins.ADMINISTER));
        }
    }

    /** The group names User.getAuthorities() returns for the user. */
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

    /** Replaces jenkins.util.Timer.get() (e.g. with a manually driven scheduler). */
    public static void setTimer(ScheduledExecutorService executor) {
        timer = executor;
    }

    public static synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "stand-in jenkins.util.Timer");
                th.setDaemon(true);
                return th;
            });
            t.setRemoveOnCancelPolicy(true);
            timer = t;
        }
        return timer;
    }

    /** What the stand-in ACL throws where core throws AccessDeniedException3 (a Spring Security type). */
    public static final class AccessDenied extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public AccessDenied(String message) {
            super(message);
        }
    }
}
