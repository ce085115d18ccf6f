package io.jenkins.plugins.ecsdeploy.engine.switchover;

import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.internal.AwsClients;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The flag in SSM Parameter Store: GetParameter (without decryption: a flag is no secret) and PutParameter with
 * {@code Overwrite} and no {@code Type} (PutParameter API reference: the type of an existing parameter is kept; SSM
 * versions every write, so the parameter's history shows each flip). Needs {@code ssm:GetParameter} and
 * {@code ssm:PutParameter} on the parameter (docs/iam-policy.json).
 */
public final class SsmFlagStore implements FlagStore, AutoCloseable {
    private final SsmClient ssm;
    private final AutoCloseable owned;

    public SsmFlagStore(SsmClient ssm) {
        this.ssm = ssm;
        this.owned = null;
    }

    private SsmFlagStore(SsmClient ssm, AutoCloseable owned) {
        this.ssm = ssm;
        this.owned = owned;
    }

    /** A client built like the engine's own (its HTTP client, proxy, retries, credentials and endpoint override). */
    public static SsmFlagStore create(EngineConfig c) {
        AwsClients base = AwsClients.create(c);
        SdkHttpClient http = AwsClients.httpClient(c);
        var b = SsmClient.builder().region(Region.of(c.region())).httpClient(http)
                .credentialsProvider(base.ecs().serviceClientConfiguration().credentialsProvider())
                .overrideConfiguration(AwsClients.overrideConfiguration(c));
        if (c.endpointOverride() != null) {
            b.endpointOverride(c.endpointOverride());
        }
        SsmClient ssm = b.build();
        return new SsmFlagStore(ssm, () -> {
            ssm.close();
            http.close();
            base.close();
        });
    }

    @Override
    public Flag read(String name) {
        try {
            var p = ssm.getParameter(b -> b.name(name).withDecryption(false)).parameter();
            return new Flag(p.value(), p.type() == ParameterType.SECURE_STRING);
        } catch (ParameterNotFoundException e) {
            return null;
        }
    }

    @Override
    public void write(String name, String value) {
        ssm.putParameter(b -> b.name(name).value(value).overwrite(true));
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
