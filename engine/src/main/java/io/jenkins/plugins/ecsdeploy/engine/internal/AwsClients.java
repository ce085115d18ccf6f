package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import java.net.URI;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.http.apache5.ProxyConfiguration;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
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
 * Builds the SDK clients of one engine. Every client — ECS and every STS client, including those of the default
 * credentials chain — is given the engine's one explicit Apache 5 HTTP client, so the SDK never looks an HTTP
 * implementation up through {@code META-INF/services} (inside Jenkins that lookup can find another plugin's copy of
 * the SDK; the SDK's own default chain builds such STS clients for web identity and profile {@code role_arn},
 * https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/http-configuration.html). The host's proxy, when
 * given, is applied to that client, and the JVM's proxy properties and environment are never consulted.
 * Also: an explicit retry strategy (STANDARD or ADAPTIVE, maxAttempts from the
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
    private final List<AutoCloseable> owned;

    private AwsClients(SdkHttpClient http, StsClient sts, StsAssumeRoleCredentialsProvider assumed, EcsClient ecs,
                       List<AutoCloseable> owned) {
        this.http = http;
        this.sts = sts;
        this.assumed = assumed;
        this.ecs = ecs;
        this.owned = owned;
    }

    /** The engine's one HTTP client: explicit, with the host's proxy (or none) and never the JVM's proxy settings. */
    public static SdkHttpClient httpClient(EngineConfig c) {
        Apache5HttpClient.Builder b = Apache5HttpClient.builder()
                .maxConnections(Math.max(8, c.ioThreads() * 2))
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(c.apiCallAttemptTimeout());
        b.proxyConfiguration(proxyConfiguration(c.proxy()));
        return b.build();
    }

    /** The SDK proxy settings for the host's proxy; with none, an empty one that ignores system properties and environment. */
    static ProxyConfiguration proxyConfiguration(EngineConfig.Proxy p) {
        ProxyConfiguration.Builder b = ProxyConfiguration.builder().useSystemPropertyValues(false).useEnvironmentVariableValues(false);
        if (p == null) {
            return b.build();
        }
        b.endpoint(URI.create("http://" + p.host() + ":" + p.port()));
        if (p.username() != null && !p.username().isBlank()) {
            b.username(p.username()).password(p.password());
        }
        b.nonProxyHosts(new LinkedHashSet<>(p.nonProxyHosts()));
        return b.build();
    }

    public static AwsClients create(EngineConfig c) {
        SdkHttpClient http = httpClient(c);
        ClientOverrideConfiguration override = overrideConfiguration(c);
        List<AutoCloseable> owned = new ArrayList<>();
        AwsCredentialsProvider base = c.credentials() != null ? c.credentials() : defaultChain(c, http, override, owned);
        StsClient sts = null;
        StsAssumeRoleCredentialsProvider assumed = null;
        AwsCredentialsProvider effective = base;
        if (c.roleArn() != null && !c.roleArn().isBlank()) {
            sts = sts(c, http, override, base);
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
        return new AwsClients(http, sts, assumed, eb.build(), owned);
    }

    /**
     * The default provider chain in the SDK's order (environment, system properties, web identity, profile, container,
     * instance role; https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/credentials-chain.html), built here
     * so that the STS clients of web identity and of a profile's {@code role_arn} use {@code http}.
     */
    static AwsCredentialsProvider defaultChain(EngineConfig c, SdkHttpClient http, ClientOverrideConfiguration override,
                                               List<AutoCloseable> owned) {
        List<AwsCredentialsProvider> chain = new ArrayList<>();
        chain.add(EnvironmentVariableCredentialsProvider.create());
        chain.add(SystemPropertyCredentialsProvider.create());
        String tokenFile = setting("aws.webIdentityTokenFile", "AWS_WEB_IDENTITY_TOKEN_FILE");
        String webRole = setting("aws.roleArn", "AWS_ROLE_ARN");
        if (tokenFile != null && webRole != null) {
            StsClient anonymous = sts(c, http, override, AnonymousCredentialsProvider.create());
            owned.add(anonymous);
            String session = setting("aws.roleSessionName", "AWS_ROLE_SESSION_NAME");
            StsWebIdentityTokenFileCredentialsProvider web = StsWebIdentityTokenFileCredentialsProvider.builder()
                    .stsClient(anonymous).roleArn(webRole).roleSessionName(session != null ? session : c.roleSessionName())
                    .webIdentityTokenFile(Paths.get(tokenFile)).prefetchTime(PREFETCH).staleTime(STALE)
                    .asyncCredentialUpdateEnabled(true).build();
            owned.add(web);
            chain.add(web);
        }
        AwsCredentialsProvider profile = profileProvider(c, http, override, owned);
        if (profile != null) {
            chain.add(profile);
        }
        chain.add(ContainerCredentialsProvider.builder().build());
        chain.add(InstanceProfileCredentialsProvider.builder().build());
        return AwsCredentialsProviderChain.builder().credentialsProviders(chain).reuseLastProviderEnabled(true).build();
    }

    /**
     * The profile of {@code AWS_PROFILE} (or {@code default}): static keys through the SDK's profile provider; a
     * {@code role_arn} with a {@code source_profile} assumed through our own STS client.
     */
    private static AwsCredentialsProvider profileProvider(EngineConfig c, SdkHttpClient http,
                                                          ClientOverrideConfiguration override, List<AutoCloseable> owned) {
        ProfileFile file;
        String name;
        try {
            file = ProfileFile.defaultProfileFile();
            name = ProfileFileSystemSetting.AWS_PROFILE.getStringValueOrThrow();
        } catch (RuntimeException e) {
            return null;   // no readable profile file: the chain goes on
        }
        Optional<Profile> p = file.profile(name);
        if (p.isEmpty()) {
            return null;
        }
        Optional<String> role = p.get().property("role_arn");
        Optional<String> source = p.get().property("source_profile");
        if (role.isEmpty()) {
            return ProfileCredentialsProvider.builder().profileFile(file).profileName(name).build();
        }
        if (source.isEmpty()) {
            return null;   // credential_source et al.: the container/instance providers below cover those roles
        }
        AwsCredentialsProvider sourceKeys = ProfileCredentialsProvider.builder().profileFile(file).profileName(source.get()).build();
        StsClient sts = sts(c, http, override, sourceKeys);
        owned.add(sts);
        StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> {
                    r.roleArn(role.get()).roleSessionName(p.get().property("role_session_name").orElse(c.roleSessionName()))
                            .durationSeconds(SESSION_SECONDS);
                    p.get().property("external_id").ifPresent(r::externalId);
                })
                .prefetchTime(PREFETCH).staleTime(STALE).asyncCredentialUpdateEnabled(true).build();
        owned.add(assumed);
        return assumed;
    }

    private static StsClient sts(EngineConfig c, SdkHttpClient http, ClientOverrideConfiguration override,
                                 AwsCredentialsProvider credentials) {
        var sb = StsClient.builder().region(Region.of(c.region())).httpClient(http).credentialsProvider(credentials)
                .overrideConfiguration(override);
        if (c.endpointOverride() != null) {
            sb.endpointOverride(c.endpointOverride());
        }
        return sb.build();
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v;
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
        for (AutoCloseable o : owned) {
            try {
                o.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
        http.close();
    }
}
