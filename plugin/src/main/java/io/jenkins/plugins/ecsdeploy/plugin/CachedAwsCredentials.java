package io.jenkins.plugins.ecsdeploy.plugin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * A Jenkins AWS credential as our SDK's provider, resolved ONCE and cached: the SDK asks its provider for keys on
 * every request, and aws-credentials' {@code resolveCredentials()} with an IAM role builds a new STS and HTTP client
 * and calls AssumeRole on every call without closing them
 * (jenkinsci/aws-credentials-plugin@262.v0efb_28f71f94:src/main/java/com/cloudbees/jenkins/plugins/awscredentials/AWSCredentialsImpl.java:171-201).
 *
 * <ul>
 *   <li>Session keys are kept until {@link #REFRESH_BEFORE} their expiry; from then on the next request starts one
 *       refresh on the plugin's own executor and keeps using the valid keys (refresh off the request path); only keys
 *       that are already within {@link #EXPIRED_BEFORE} of expiry are refreshed on the caller's thread.</li>
 *   <li>Keys without an expiry (an access key and secret) are re-read every {@link #STATIC_TTL}, so a rotated key is
 *       picked up without a restart.</li>
 *   <li>A credential that yields nothing, or a blank key id or secret, fails with a message naming the credentials id
 *       (aws-credentials returns null for blank keys, :292-300) — never a NullPointerException.</li>
 * </ul>
 * {@code toString()} never shows a key.
 */
final class CachedAwsCredentials implements AwsCredentialsProvider {
    private static final Logger LOGGER = Logger.getLogger(CachedAwsCredentials.class.getName());
    static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
    static final Duration EXPIRED_BEFORE = Duration.ofSeconds(60);
    static final Duration STATIC_TTL = Duration.ofMinutes(15);

    private final String credentialsId;
    private final Supplier<AwsCredentials> source;
    private final Clock clock;
    private final Executor refresher;

    private AwsCredentials cached;
    private Instant refreshAt;
    private Instant mustRefreshAt;
    private boolean refreshing;
    private int resolutions;

    CachedAwsCredentials(String credentialsId, Supplier<AwsCredentials> source, Clock clock, Executor refresher) {
        this.credentialsId = credentialsId;
        this.source = source;
        this.clock = clock;
        this.refresher = refresher;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        Instant now = clock.instant();
        boolean startRefresh = false;
        synchronized (this) {
            if (cached != null && now.isBefore(refreshAt)) {
                return cached;
            }
            if (cached != null && now.isBefore(mustRefreshAt)) {
                if (!refreshing) {
                    refreshing = true;
                    startRefresh = true;
                }
                if (!startRefresh) {
                    return cached;
                }
            }
        }
        if (startRefresh) {
            AwsCredentials current;
            synchronized (this) {
                current = cached;
            }
            try {
                refresher.execute(this::refreshQuietly);
            } catch (RuntimeException e) {
                synchronized (this) {
                    refreshing = false;
                }
                LOGGER.log(Level.FINE, "could not schedule a refresh of AWS credentials " + credentialsId, e);
            }
            return current;
        }
        return refresh();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "refreshing AWS credentials '" + credentialsId + "' failed; the current keys are used until they expire", e);
        } finally {
            synchronized (this) {
                refreshing = false;
            }
        }
    }

    private AwsCredentials refresh() {
        AwsCredentials c = source.get();
        if (c == null || blank(c.accessKeyId()) || blank(c.secretAccessKey())) {
            throw new IllegalStateException("The AWS credentials '" + credentialsId + "' gave no access key and secret "
                    + "(blank or missing in Manage Jenkins » Credentials, or the role could not be assumed): fix that entry "
                    + "or choose another credentialsId");
        }
        Instant now = clock.instant();
        Instant expiry = c instanceof AwsSessionCredentials s ? s.expirationTime().orElse(null) : c.expirationTime().orElse(null);
        synchronized (this) {
            cached = c;
            resolutions++;
            if (expiry == null) {
                refreshAt = now.plus(STATIC_TTL);
                mustRefreshAt = now.plus(STATIC_TTL).plus(STATIC_TTL);
            } else {
                refreshAt = expiry.minus(REFRESH_BEFORE);
                mustRefreshAt = expiry.minus(EXPIRED_BEFORE);
            }
        }
        return c;
    }

    /** How often the Jenkins credential was asked (tests). */
    synchronized int resolutions() {
        return resolutions;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "JenkinsAwsCredentials[" + credentialsId + "]"; // never the keys
    }
}
