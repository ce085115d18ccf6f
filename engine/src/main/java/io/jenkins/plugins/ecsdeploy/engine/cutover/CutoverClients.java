package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.internal.AwsClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The SDK clients a cutover uses: Route 53 (global), and ECS + ELBv2 in any region, optionally as another account's
 * role (an ECS service target of another account). {@link #create} builds them like the engine's own ECS client
 * ({@link AwsClients}: the engine's one explicit HTTP client with the host's proxy, its retries and timeouts, its
 * credentials — the configured role included); tests give their own.
 */
public interface CutoverClients extends AutoCloseable {
    Route53Client route53();

    /** ECS in {@code region}, as {@code roleArn} when not null. */
    EcsClient ecs(String region, String roleArn);

    /** ELBv2 in {@code region}, as {@code roleArn} when not null. */
    ElasticLoadBalancingV2Client elb(String region, String roleArn);

    @Override
    void close();

    /** Clients built from the engine's configuration (the endpoint override, for moto, applies to every one). */
    static CutoverClients create(EngineConfig c) {
        return new Default(c);
    }

    /**
     * Route 53's signing region for the partition of {@code region}: Route 53 is a global service with one endpoint
     * per partition (Route 53 endpoints and quotas, AWS General Reference).
     */
    static Region route53Region(String region) {
        if (region != null && region.startsWith("cn-")) {
            return Region.AWS_CN_GLOBAL;
        }
        if (region != null && region.startsWith("us-gov-")) {
            return Region.AWS_US_GOV_GLOBAL;
        }
        return Region.AWS_GLOBAL;
    }

    final class Default implements CutoverClients {
        private final EngineConfig config;
        private final AwsClients base;
        private final SdkHttpClient http;
        private final ClientOverrideConfiguration override;
        private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
        private final Route53Client route53;
        private final Map<String, Object> byKey = new ConcurrentHashMap<>();
        private final List<AutoCloseable> owned = new ArrayList<>();

        Default(EngineConfig c) {
            this.config = c;
            this.base = AwsClients.create(c); // the engine's credentials (role, default chain) and its HTTP client
            this.credentials = base.ecs().serviceClientConfiguration().credentialsProvider();
            this.http = AwsClients.httpClient(c);
            this.override = AwsClients.overrideConfiguration(c);
            var rb = Route53Client.builder().region(route53Region(c.region())).httpClient(http).credentialsProvider(credentials)
                    .overrideConfiguration(override);
            if (c.endpointOverride() != null) {
                rb.endpointOverride(c.endpointOverride());
            }
            this.route53 = rb.build();
        }

        @Override
        public Route53Client route53() {
            return route53;
        }

        @Override
        public EcsClient ecs(String region, String roleArn) {
            return (EcsClient) byKey.computeIfAbsent("ecs|" + region + "|" + roleArn, k -> {
                var b = EcsClient.builder().region(Region.of(region)).httpClient(http)
                        .credentialsProvider(credentialsFor(region, roleArn)).overrideConfiguration(override);
                if (config.endpointOverride() != null) {
                    b.endpointOverride(config.endpointOverride());
                }
                return own(b.build());
            });
        }

        @Override
        public ElasticLoadBalancingV2Client elb(String region, String roleArn) {
            return (ElasticLoadBalancingV2Client) byKey.computeIfAbsent("elb|" + region + "|" + roleArn, k -> {
                var b = ElasticLoadBalancingV2Client.builder().region(Region.of(region)).httpClient(http)
                        .credentialsProvider(credentialsFor(region, roleArn)).overrideConfiguration(override);
                if (config.endpointOverride() != null) {
                    b.endpointOverride(config.endpointOverride());
                }
                return own(b.build());
            });
        }

        @SuppressWarnings("unchecked")
        private IdentityProvider<? extends AwsCredentialsIdentity> credentialsFor(String region, String roleArn) {
            if (roleArn == null) {
                return credentials;
            }
            return (IdentityProvider<? extends AwsCredentialsIdentity>) byKey.computeIfAbsent("role|" + region + "|" + roleArn, k -> {
                var sb = StsClient.builder().region(Region.of(region)).httpClient(http).credentialsProvider(credentials)
                        .overrideConfiguration(override);
                if (config.endpointOverride() != null) {
                    sb.endpointOverride(config.endpointOverride());
                }
                StsClient sts = own(sb.build());
                return own(StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                        .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(config.roleSessionName()).durationSeconds(3600))
                        .asyncCredentialUpdateEnabled(true).build());
            });
        }

        private synchronized <T extends AutoCloseable> T own(T c) {
            owned.add(c);
            return c;
        }

        @Override
        public synchronized void close() {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
            route53.close();
            http.close();
            base.close();
        }
    }
}
