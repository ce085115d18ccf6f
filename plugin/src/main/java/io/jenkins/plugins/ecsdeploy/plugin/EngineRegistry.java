package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.AbortException;
import hudson.model.Run;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import hudson.Extension;
import hudson.model.listeners.ItemListener;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One {@link DeploymentEngine} per (credentials, region, role, endpoint), shared by every build that
 * deploys with them: the engine owns the shared watcher that batches DescribeServiceDeployments for all
 * deployments it follows (architecture.md), so sharing it is what keeps the API budget flat when many
 * builds deploy at once. Users take a {@link Lease}; an engine nobody has used for
 * {@link #IDLE_CLOSE} is closed on the next acquire.
 */
final class EngineRegistry {
    private static final Logger LOGGER = Logger.getLogger(EngineRegistry.class.getName());
    static final Duration IDLE_CLOSE = Duration.ofMinutes(30);

    private static volatile EngineRegistry instance;

    private final Scheduler scheduler;
    private final URI endpointOverride;
    private final AwsCredentialsProvider fixedCredentials;
    private final Map<Key, Entry> engines = new HashMap<>();
    /** Tests and the sandbox only: the default chain without the administrator's permission. */
    private final boolean allowDefaultChain;
    private boolean closed;

    private EngineRegistry(Scheduler scheduler, URI endpointOverride, AwsCredentialsProvider fixedCredentials) {
        this(scheduler, endpointOverride, fixedCredentials, false);
    }

    private EngineRegistry(Scheduler scheduler, URI endpointOverride, AwsCredentialsProvider fixedCredentials,
                           boolean allowDefaultChain) {
        this.scheduler = scheduler;
        this.endpointOverride = endpointOverride;
        this.fixedCredentials = fixedCredentials;
        this.allowDefaultChain = allowDefaultChain;
    }

    /**
     * Tests of the credentials path: engines against {@code endpoint} that look credentials up in Jenkins like
     * production (no fixed credentials).
     */
    static void useForCredentialTests(Scheduler scheduler, URI endpoint) {
        EngineRegistry old;
        synchronized (EngineRegistry.class) {
            old = instance;
            instance = new EngineRegistry(scheduler, endpoint, null, false);
        }
        if (old != null) {
            old.closeAll();
        }
    }

    static EngineRegistry get() {
        EngineRegistry r = instance;
        if (r == null) {
            synchronized (EngineRegistry.class) {
                if (instance == null) {
                    instance = new EngineRegistry(new SystemScheduler(), null, null);
                }
                r = instance;
            }
        }
        return r;
    }

    /**
     * Tests and the sandbox: every engine talks to {@code endpoint} (the simulator) with {@code credentials},
     * on {@code scheduler}'s (virtual) time. Closes the engines of the previous registry.
     */
    static void useForTests(Scheduler scheduler, URI endpoint, AwsCredentialsProvider credentials) {
        EngineRegistry old;
        synchronized (EngineRegistry.class) {
            old = instance;
            instance = new EngineRegistry(scheduler, endpoint, credentials);
        }
        if (old != null) {
            old.closeAll();
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** The engine's "now": the wall clock in production, the simulator's virtual clock in tests. */
    Clock clock() {
        return scheduler.clock();
    }

    /** An engine in use; close the lease when done (the engine stays for others). */
    final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        DeploymentEngine engine() {
            return entry.engine;
        }

        @Override
        public void close() {
            synchronized (EngineRegistry.this) {
                if (!closed) {
                    closed = true;
                    entry.users--;
                    entry.lastUsed = System.nanoTime();
                }
            }
        }
    }

    /**
     * The engine for these credentials in the context of {@code run} (credentials are looked up in the job's context,
     * so folder-scoped credentials work; CredentialsProvider tracks the use). Engines are keyed by credentials id,
     * the credential's fingerprint (so two folders' entries with the same id never share an engine), region, role and
     * endpoint; the credential is resolved once per engine and cached until shortly before it expires
     * ({@link CachedAwsCredentials}).
     *
     * @throws AbortException when the credentials id is unknown or not AWS credentials, or when it is empty and the
     *         administrator does not allow the controller's own AWS identity (docs/credentials.md)
     */
    Lease acquire(Run<?, ?> run, String credentialsId, String region, String roleArn) throws AbortException {
        SdkSupport.requirePauseHooks();
        Object credential = null;
        if (fixedCredentials == null && credentialsId != null) {
            credential = AwsCredentialsSupport.find(run, credentialsId);
        }
        if (fixedCredentials == null && credentialsId == null && !allowDefaultChain && !EcsGlobalConfiguration.controllerCredentialsAllowed()) {
            throw new AbortException(Values.problem("credentialsId", null, "the id of an 'AWS Credentials' entry: the "
                    + "administrator does not allow jobs to use the controller's own AWS identity (Manage Jenkins » System » "
                    + "Amazon ECS Deployments » Allow jobs to use the controller's own AWS identity)"));
        }
        URI endpoint = endpointOverride != null ? endpointOverride : EcsGlobalConfiguration.endpointOrNull();
        EngineConfig.Proxy proxy = JenkinsProxy.current();
        String eventsQueueUrl = EcsGlobalConfiguration.eventsQueueUrlOrNull();
        Key key = new Key(region, roleArn, credentialsId,
                credential == null ? null : AwsCredentialsSupport.fingerprint(credential), endpoint, proxy, eventsQueueUrl);
        synchronized (this) {
            if (closed) {
                throw new AbortException("Jenkins is shutting down: no new ECS calls are started");
            }
            // Closing here, under this lock, is safe: engine callbacks never run under the engine's own lock
            // (docs/engine.md "4. Follow", "Callbacks"), so a follower that closes its Lease from a callback only waits for
            // this lock while engine.close() never waits for a callback.
            closeIdle();
            Entry e = engines.get(key);
            if (e == null) {
                AwsCredentialsProvider provider = fixedCredentials != null ? fixedCredentials
                        : credential == null ? null : new CachedAwsCredentials(credentialsId,
                                AwsCredentialsSupport.resolver(credential), Clock.systemUTC(), PluginExecutors.io());
                EngineConfig.Builder b = EngineConfig.builder().region(region).scheduler(scheduler)
                        .credentials(provider).roleArn(roleArn).proxy(proxy)
                        .pollFloor(Duration.ofSeconds(EcsGlobalConfiguration.pollFloorSeconds()));
                if (endpoint != null) {
                    b.endpointOverride(endpoint);
                }
                // events are hints on top of polling (docs/events.md); a new URL only applies to engines made after it
                // was saved (the key holds it), running deployments keep theirs
                b.eventsQueueUrl(eventsQueueUrl);
                EngineConfig config;
                try {
                    config = b.build();
                } catch (io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException ex) {
                    throw new AbortException(ex.getMessage() + " (Manage Jenkins » System » Amazon ECS Deployments)");
                }
                e = new Entry(new DeploymentEngine(config));
                engines.put(key, e);
            }
            e.users++;
            e.lastUsed = System.nanoTime();
            return new Lease(e);
        }
    }

    /** How many engines exist now (tests: one per credentials/region/role, whatever the number of lookups). */
    synchronized int size() {
        return engines.size();
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (Iterator<Entry> it = engines.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.users <= 0 && now - e.lastUsed > IDLE_CLOSE.toNanos()) {
                it.remove();
                close(e.engine);
            }
        }
    }

    synchronized void closeAll() {
        engines.values().forEach(e -> close(e.engine));
        engines.clear();
    }

    /** Jenkins shuts down: every engine is closed (its threads and HTTP connections) and no new one is made. */
    synchronized void shutdown() {
        closed = true;
        closeAll();
    }

    /**
     * Closes every engine at the start of Jenkins' orderly shutdown: core calls {@code ItemListener.onBeforeShutdown()}
     * (jenkinsci/jenkins@jenkins-2.541.3:core/src/main/java/hudson/model/listeners/ItemListener.java:161-167).
     */
    @Extension
    public static final class Shutdown extends ItemListener {
        @Override
        public void onBeforeShutdown() {
            EngineRegistry r = instance;
            if (r != null) {
                r.shutdown();
            }
            PluginExecutors.shutdown();
        }
    }

    private static void close(DeploymentEngine engine) {
        try {
            engine.close();
        } catch (Exception ex) {
            LOGGER.log(Level.FINE, "closing an engine", ex);
        }
    }

    private static final class Entry {
        final DeploymentEngine engine;
        int users;
        long lastUsed;

        Entry(DeploymentEngine engine) {
            this.engine = engine;
        }
    }

    private record Key(String region, String roleArn, String credentialsId, String credentialFingerprint, URI endpoint,
                       EngineConfig.Proxy proxy, String eventsQueueUrl) {
        Key {
            Objects.requireNonNull(region, "region");
        }
    }
}
