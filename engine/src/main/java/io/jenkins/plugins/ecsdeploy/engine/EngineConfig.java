package io.jenkins.plugins.ecsdeploy.engine;

import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * How an engine talks to AWS and how it paces itself. One engine per (credentials, region). Build with
 * {@link #builder()}; only region is required.
 */
public final class EngineConfig {
    /**
     * An HTTP proxy for every AWS call of the engine (ECS and STS), given by the host (Jenkins: Manage Jenkins »
     * Plugins » Advanced); null = no proxy. The engine never reads the JVM's proxy system properties or environment:
     * the host decides. {@code nonProxyHosts} are host patterns where {@code *} stands for any text
     * (e.g. {@code *.internal}, {@code 169.254.169.254}). Carries no host (Jenkins) type.
     */
    public record Proxy(String host, int port, String username, String password, java.util.List<String> nonProxyHosts) {
        public Proxy {
            nonProxyHosts = nonProxyHosts == null ? java.util.List.of() : java.util.List.copyOf(nonProxyHosts);
        }

        /** Never the password. */
        @Override
        public String toString() {
            return "Proxy[" + host + ":" + port + (username == null ? "" : ", user " + username) + ", no proxy for " + nonProxyHosts + "]";
        }
    }

    /** SDK retry mode (software.amazon.awssdk.core.retry.RetryMode names). */
    public enum RetryMode { STANDARD, ADAPTIVE }

    private final String region;
    private final URI endpointOverride;
    private final AwsCredentialsProvider credentials;
    private final String roleArn;
    private final String externalId;
    private final String roleSessionName;
    private final Scheduler scheduler;
    private final Duration pollFloor;
    private final Duration pollCeiling;
    private final int maxAttempts;
    private final RetryMode retryMode;
    private final Duration apiCallTimeout;
    private final Duration apiCallAttemptTimeout;
    private final int ioThreads;
    private final int pollThreads;
    private final int maxStartCallsPerSecond;
    private final Duration findDeploymentTimeout;
    private final Duration clockSkewAllowance;
    private final double jitter;
    private final Proxy proxy;
    private final String eventsQueueUrl;

    private EngineConfig(Builder b) {
        this.region = b.region;
        this.endpointOverride = b.endpointOverride;
        this.credentials = b.credentials;
        this.roleArn = b.roleArn;
        this.externalId = b.externalId;
        this.roleSessionName = b.roleSessionName;
        this.scheduler = b.scheduler;
        this.pollFloor = b.pollFloor;
        this.pollCeiling = b.pollCeiling;
        this.maxAttempts = b.maxAttempts;
        this.retryMode = b.retryMode;
        this.apiCallTimeout = b.apiCallTimeout;
        this.apiCallAttemptTimeout = b.apiCallAttemptTimeout;
        this.ioThreads = b.ioThreads;
        this.pollThreads = b.pollThreads;
        this.maxStartCallsPerSecond = b.maxStartCallsPerSecond;
        this.findDeploymentTimeout = b.findDeploymentTimeout;
        this.clockSkewAllowance = b.clockSkewAllowance;
        this.jitter = b.jitter;
        this.proxy = b.proxy;
        this.eventsQueueUrl = b.eventsQueueUrl;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String region() { return region; }
    /** Simulator or moto endpoint; null = the real AWS endpoint of the region. */
    public URI endpointOverride() { return endpointOverride; }
    /**
     * Null = the default chain of the engine's OWN making (environment, system properties, web identity, profile,
     * container, instance role), every STS client in it built with the engine's explicit HTTP client
     * ({@code AwsClients}); the host decides whether that is allowed at all.
     */
    public AwsCredentialsProvider credentials() { return credentials; }
    /** Optional role to assume through STS (credentials above are the source), refreshed before expiry. */
    public String roleArn() { return roleArn; }
    public String externalId() { return externalId; }
    public String roleSessionName() { return roleSessionName; }
    /** Null = a {@link io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler} owned by the engine. */
    public Scheduler scheduler() { return scheduler; }
    /** The quickest the shared watcher polls (default 5 s). */
    public Duration pollFloor() { return pollFloor; }
    /** The slowest the shared watcher polls an active deployment (default 60 s). */
    public Duration pollCeiling() { return pollCeiling; }
    /** SDK attempts per call, first one included (default 8). */
    public int maxAttempts() { return maxAttempts; }
    public RetryMode retryMode() { return retryMode; }
    /** Upper bound of one SDK call with all its retries (default 2 min). */
    public Duration apiCallTimeout() { return apiCallTimeout; }
    /** Upper bound of one HTTP attempt (default 20 s). */
    public Duration apiCallAttemptTimeout() { return apiCallAttemptTimeout; }
    /** Threads of the I/O pool that runs the blocking SDK calls (default 4). */
    public int ioThreads() { return ioThreads; }
    /** Threads of the watcher's own poll lane (DescribeServiceDeployments rounds), apart from the I/O pool (default 2). */
    public int pollThreads() { return pollThreads; }
    /**
     * The most ECS calls the start path (preflight, register, UpdateService, finding the deployment, attach) makes in
     * any one second of the engine's clock (default 10: half of ECS's ~20 req/s read budget, request-throttling page https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html). Polls and
     * gate decisions are not counted.
     */
    public int maxStartCallsPerSecond() { return maxStartCallsPerSecond; }
    /** How long (engine clock) start() looks for the new service deployment after UpdateService (default 2 min). */
    public Duration findDeploymentTimeout() { return findDeploymentTimeout; }
    /** Allowed difference between the engine's clock and ECS's when matching createdAt (default 5 min). */
    public Duration clockSkewAllowance() { return clockSkewAllowance; }
    /** Poll jitter as a fraction of the delay (default 0.1 = ±10 %). */
    public double jitter() { return jitter; }
    /** The HTTP proxy for every AWS call, or null (see {@link Proxy}). */
    public Proxy proxy() { return proxy; }
    /**
     * The SQS queue an EventBridge rule feeds with ECS deployment and hook events (docs/events.md); null = polling only.
     * Events are hints: the watcher looks at a deployment as soon as one names it, polling stays as the safety net.
     */
    public String eventsQueueUrl() { return eventsQueueUrl; }

    public static final class Builder {
        private String region;
        private URI endpointOverride;
        private AwsCredentialsProvider credentials;
        private String roleArn;
        private String externalId;
        private String roleSessionName = "ecs-deploy";
        private Scheduler scheduler;
        private Duration pollFloor = Duration.ofSeconds(5);
        private Duration pollCeiling = Duration.ofSeconds(60);
        private int maxAttempts = 8;
        private RetryMode retryMode = RetryMode.STANDARD;
        private Duration apiCallTimeout = Duration.ofMinutes(2);
        private Duration apiCallAttemptTimeout = Duration.ofSeconds(20);
        private int ioThreads = 4;
        private int pollThreads = 2;
        private int maxStartCallsPerSecond = 10;
        private Duration findDeploymentTimeout = Duration.ofMinutes(2);
        private Duration clockSkewAllowance = Duration.ofMinutes(5);
        private double jitter = 0.1;
        private Proxy proxy;

        private Builder() {}

        public Builder region(String v) { region = v; return this; }
        public Builder endpointOverride(URI v) { endpointOverride = v; return this; }
        public Builder credentials(AwsCredentialsProvider v) { credentials = v; return this; }
        public Builder roleArn(String v) { roleArn = v; return this; }
        public Builder externalId(String v) { externalId = v; return this; }
        public Builder roleSessionName(String v) { roleSessionName = v; return this; }
        public Builder scheduler(Scheduler v) { scheduler = v; return this; }
        public Builder pollFloor(Duration v) { pollFloor = v; return this; }
        public Builder pollCeiling(Duration v) { pollCeiling = v; return this; }
        public Builder maxAttempts(int v) { maxAttempts = v; return this; }
        public Builder retryMode(RetryMode v) { retryMode = v; return this; }
        public Builder apiCallTimeout(Duration v) { apiCallTimeout = v; return this; }
        public Builder apiCallAttemptTimeout(Duration v) { apiCallAttemptTimeout = v; return this; }
        public Builder ioThreads(int v) { ioThreads = v; return this; }
        public Builder pollThreads(int v) { pollThreads = v; return this; }
        public Builder maxStartCallsPerSecond(int v) { maxStartCallsPerSecond = v; return this; }
        public Builder findDeploymentTimeout(Duration v) { findDeploymentTimeout = v; return this; }
        public Builder clockSkewAllowance(Duration v) { clockSkewAllowance = v; return this; }
        public Builder jitter(double v) { jitter = v; return this; }
        public Builder proxy(Proxy v) { proxy = v; return this; }
        private String eventsQueueUrl;
        public Builder eventsQueueUrl(String v) { eventsQueueUrl = v == null || v.isBlank() ? null : v.trim(); return this; }

        /** Checks the configuration; a problem names the field, the value and what is allowed. */
        public EngineConfig build() {
            java.util.List<ValidationProblem> p = new java.util.ArrayList<>();
            if (region == null || region.isBlank()) {
                p.add(new ValidationProblem("region", region, "a region is required, e.g. us-east-1"));
            }
            if (pollFloor == null || pollFloor.isNegative() || pollFloor.isZero()) {
                p.add(new ValidationProblem("pollFloor", String.valueOf(pollFloor), "a positive duration"));
            } else if (pollCeiling == null || pollCeiling.compareTo(pollFloor) < 0) {
                p.add(new ValidationProblem("pollCeiling", String.valueOf(pollCeiling), "at least pollFloor (" + pollFloor + ")"));
            }
            if (maxAttempts < 1 || maxAttempts > 30) {
                p.add(new ValidationProblem("maxAttempts", String.valueOf(maxAttempts), "from 1 to 30"));
            }
            if (ioThreads < 1 || ioThreads > 64) {
                p.add(new ValidationProblem("ioThreads", String.valueOf(ioThreads), "from 1 to 64"));
            }
            if (pollThreads < 1 || pollThreads > 16) {
                p.add(new ValidationProblem("pollThreads", String.valueOf(pollThreads), "from 1 to 16"));
            }
            if (maxStartCallsPerSecond < 1 || maxStartCallsPerSecond > 1000) {
                p.add(new ValidationProblem("maxStartCallsPerSecond", String.valueOf(maxStartCallsPerSecond),
                        "from 1 to 1000 calls per second"));
            }
            if (jitter < 0 || jitter >= 1) {
                p.add(new ValidationProblem("jitter", String.valueOf(jitter), "a fraction from 0 (none) to below 1"));
            }
            if (proxy != null && (proxy.host() == null || proxy.host().isBlank() || proxy.port() < 1 || proxy.port() > 65535)) {
                p.add(new ValidationProblem("proxy", String.valueOf(proxy), "a host name and a port from 1 to 65535"));
            }
            io.jenkins.plugins.ecsdeploy.engine.internal.EventQueue.checkUrl(eventsQueueUrl, p);
            if (!p.isEmpty()) {
                throw new InvalidRequestException(p);
            }
            return new EngineConfig(this);
        }
    }
}
