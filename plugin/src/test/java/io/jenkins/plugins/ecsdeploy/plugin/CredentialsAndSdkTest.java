package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** Strings only across the aws-credentials boundary (D5), fresh on every call; the SDK version check. */
class CredentialsAndSdkTest {
    /** Stands for an SDK object of another class loader: only its method names are known to us. */
    public static final class ForeignSession {
        public String accessKeyId() { return "ASIAFOREIGN"; }
        public String secretAccessKey() { return "foreign-secret"; }
        public String sessionToken() { return "token-1"; }
    }

    public static final class ForeignBasic {
        public String accessKeyId() { return "AKIAFOREIGN"; }
        public String secretAccessKey() { return "basic-secret"; }
    }

    /** Stands for aws-credentials' credential: resolveCredentials() answers fresh keys on every call. */
    public static final class JenkinsCredential {
        int calls;
        public Object resolveCredentials() {
            calls++;
            return new ForeignSession();
        }
    }

    @Test
    void keysAreCopiedAsStringsIntoOurOwnSdkTypes() {
        AwsCredentials s = AwsCredentialsSupport.copy(new ForeignSession());
        AwsSessionCredentials session = assertInstanceOf(AwsSessionCredentials.class, s);
        assertEquals("ASIAFOREIGN", session.accessKeyId());
        assertEquals("token-1", session.sessionToken());
        AwsBasicCredentials basic = assertInstanceOf(AwsBasicCredentials.class, AwsCredentialsSupport.copy(new ForeignBasic()));
        assertEquals("basic-secret", basic.secretAccessKey());
    }

    @Test
    void theProviderAsksTheJenkinsCredentialEveryTimeAndNeverPrintsTheKeys() {
        JenkinsCredential c = new JenkinsCredential();
        AwsCredentialsProvider p = AwsCredentialsSupport.provider(c);
        p.resolveCredentials();
        p.resolveCredentials();
        assertEquals(2, c.calls, "an assumed role or a rotated key refreshes as aws-credentials refreshes it");
        assertFalse(p.toString().contains("secret"));
        assertFalse(p.toString().contains("ASIA"));
    }

    @Test
    void anSdkWithoutContinueServiceDeploymentIsNamedWithTheVersionNeeded() throws Exception {
        assertTrue(SdkSupport.isPresent(getClass().getClassLoader(), SdkSupport.REQUIRED), "the bundled SDK 2.59.1 has it");
        assertFalse(SdkSupport.isPresent(getClass().getClassLoader(), "software.amazon.awssdk.services.ecs.model.NoSuchRequest"));
        assertTrue(SdkSupport.message().contains("software.amazon.awssdk:ecs 2.44.8 or newer"), SdkSupport.message());
        SdkSupport.requirePauseHooks(); // does not throw here
    }
}
