package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Builds the SDK clients of one engine: an explicit retry strategy (STANDARD or ADAPTIVE, maxAttempts from the
 * config; both back off on throttling), call and attempt timeouts, the endpoint override for the simulator and
 * moto, and credentials: static/caller-supplied, the default chain, or a role assumed through STS whose session
 * is refreshed before it expires (prefetch 10 min, stale 2 min) so a 24-hour bake outlives many sessions.
 */
public final class AwsClients implements AutoCloseable {
    /** Refresh assumed-role credentials this long before they expire. */
    static final Duration PREFETCH = Duration.ofMinutes(10);
    static final Duration STALE = Duration.ofMinutes(2);
    static final int SESSION_SECONDS = 3600;

    private final SdkHttpClient http;
    private final StsClient sts;
    private final StsAssumeRoleCredentialsProvider assumed;
    private final EcsClient ecs;

    private AwsClients(SdkHttpClient http, StsClient sts, StsAssumeRoleCredentialsProvider assumed, EcsClient ecs) {
        this.http = http;
        this.sts = sts;
        this.assumed = assumed;
        this.ecs = ecs;
    }

    public static AwsClients create(EngineConfig c) {
        SdkHttpClient http = Apache5HttpClient.builder()
                .maxConnections(Math.max(8, c.ioThreads() * 2))
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(c.apiCallAttemptTimeout())
                .build();
        AwsCredentialsProvider base = c.credentials() != null ? c.credentials() : DefaultCredentialsProvider.builder().build();
        ClientOverrideConfiguration override = overrideConfiguration(c);
        StsClient sts = null;
        StsAssumeRoleCredentialsProvider assumed = null;
        AwsCredentialsProvider effective = base;
        if (c.roleArn() != null && !c.roleArn().isBlank()) {
            var sb = StsClient.builder().region(Region.of(c.region())).httpClient(http).credentialsProvider(base)
                    .overrideConfiguration(override);
            if (c.endpointOverride() != null) {
                sb.endpointOverride(c.endpointOverride());
            }
            sts = sb.build();
            assumed = StsAssumeRoleCredentialsProvider.builder()
                    .stsClient(sts)
                    .refreshRequest(r -> {
                        r.roleArn(c.roleArn()).roleSessionName(c.roleSessionName()).durationSeconds(SESSION_SECONDS);
                        if (c.externalId() != null && !c.externalId().isBlank()) {
                            r.externalId(c.externalId());
                        }
                    })
                    .prefetchTime(PREFETCH)
                    .staleTime(STALE)
                    .asyncCredentialUpdateEnabled(true)
                    .build();
            effective = assumed;
        }
        var eb = EcsClient.builder().region(Region.of(c.region())).httpClient(http).credentialsProvider(effective)
                .overrideConfiguration(override);
        if (c.endpointOverride() != null) {
            eb.endpointOverride(c.endpointOverride());
        }
        return new AwsClients(http, sts, assumed, eb.build());
    }

    /** The retry and timeout policy every engine client uses. */
    public static ClientOverrideConfiguration overrideConfiguration(EngineConfig c) {
        RetryMode mode = c.retryMode() == EngineConfig.RetryMode.ADAPTIVE ? RetryMode.ADAPTIVE_V2 : RetryMode.STANDARD;
        RetryStrategy strategy = AwsRetryStrategy.forRetryMode(mode).toBuilder().maxAttempts(c.maxAttempts()).build();
        return ClientOverrideConfiguration.builder()
                .retryStrategy(strategy)
                .apiCallTimeout(c.apiCallTimeout())
                .apiCallAttemptTimeout(c.apiCallAttemptTimeout())
                .build();
    }

    public EcsClient ecs() {
        return ecs;
    }

    @Override
    public void close() {
        ecs.close();
        if (assumed != null) {
            assumed.close();
        }
        if (sts != null) {
            sts.close();
        }
        http.close();
    }
}
