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

    private EngineRegistry(Scheduler scheduler, URI endpointOverride, AwsCredentialsProvider fixedCredentials) {
        this.scheduler = scheduler;
        this.endpointOverride = endpointOverride;
        this.fixedCredentials = fixedCredentials;
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
     * The engine for these credentials in the context of {@code run} (credentials are looked up in the
     * job's context, so folder-scoped credentials work; CredentialsProvider tracks the use).
     *
     * @throws AbortException when the credentials id is unknown or not AWS credentials
     */
    Lease acquire(Run<?, ?> run, String credentialsId, String region, String roleArn) throws AbortException {
        SdkSupport.requirePauseHooks();
        Object credential = null;
        if (fixedCredentials == null && credentialsId != null) {
            credential = AwsCredentialsSupport.find(run, credentialsId);
        }
        URI endpoint = endpointOverride != null ? endpointOverride : EcsGlobalConfiguration.endpointOrNull();
        Key key = new Key(region, roleArn, credentialsId, credential == null ? 0 : System.identityHashCode(credential), endpoint);
        synchronized (this) {
            // Closing here, under this lock, is safe: engine callbacks never run under the engine's own lock
            // (docs/engine.md §4 "Callbacks"), so a follower that closes its Lease from a callback only waits for
            // this lock while engine.close() never waits for a callback.
            closeIdle();
            Entry e = engines.get(key);
            if (e == null) {
                AwsCredentialsProvider provider = fixedCredentials != null ? fixedCredentials
                        : credential == null ? null : AwsCredentialsSupport.provider(credential);
                EngineConfig.Builder b = EngineConfig.builder().region(region).scheduler(scheduler)
                        .credentials(provider).roleArn(roleArn)
                        .pollFloor(Duration.ofSeconds(EcsGlobalConfiguration.pollFloorSeconds()));
                if (endpoint != null) {
                    b.endpointOverride(endpoint);
                }
                e = new Entry(new DeploymentEngine(b.build()));
                engines.put(key, e);
            }
            e.users++;
            e.lastUsed = System.nanoTime();
            return new Lease(e);
        }
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

    private record Key(String region, String roleArn, String credentialsId, int credentialIdentity, URI endpoint) {
        Key {
            Objects.requireNonNull(region, "region");
        }
    }
}
