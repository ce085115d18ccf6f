package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
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

    /** aws-credentials' AWSCredentialsImpl with a blank key: resolveCredentials() returns null. */
    public static final class BlankCredential {
        public Object resolveCredentials() { return null; }
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

    /** A clock the test moves. */
    static final class ManualClock extends java.time.Clock {
        java.time.Instant now = java.time.Instant.parse("2026-12-02T10:00:00Z");
        @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
        @Override public java.time.Clock withZone(java.time.ZoneId z) { return this; }
        @Override public java.time.Instant instant() { return now; }
    }

    /** Session keys that expire an hour after they were made, numbered by call. */
    static final class RoleCredential {
        final ManualClock clock;
        int calls;
        RoleCredential(ManualClock clock) { this.clock = clock; }
        public AwsCredentials resolve() {
            calls++;
            return AwsSessionCredentials.builder().accessKeyId("ASIA" + calls).secretAccessKey("s").sessionToken("t")
                    .expirationTime(clock.now.plus(java.time.Duration.ofHours(1))).build();
        }
    }

    @Test
    void roleCredentialsAreResolvedOnceAndRefreshedOffTheRequestPathBeforeTheyExpire() {
        ManualClock clock = new ManualClock();
        RoleCredential c = new RoleCredential(clock);
        java.util.List<Runnable> background = new java.util.ArrayList<>();
        CachedAwsCredentials p = new CachedAwsCredentials("aws-prod", c::resolve, clock, background::add);
        for (int i = 0; i < 100; i++) {
            assertEquals("ASIA1", p.resolveCredentials().accessKeyId());
        }
        assertEquals(1, c.calls, "aws-credentials assumes the role on every call: once per session here, not per request");
        clock.now = clock.now.plus(java.time.Duration.ofMinutes(56));   // within 5 minutes of expiry
        assertEquals("ASIA1", p.resolveCredentials().accessKeyId(), "the request goes on with the valid keys");
        assertEquals(1, background.size(), "one refresh was handed to the plugin's executor");
        assertEquals(1, c.calls, "nothing was resolved on the request's thread");
        p.resolveCredentials();
        assertEquals(1, background.size(), "a refresh in flight is not started twice");
        background.get(0).run();
        assertEquals("ASIA2", p.resolveCredentials().accessKeyId());
        assertEquals(2, c.calls);
        assertFalse(p.toString().contains("ASIA"), p.toString());
    }

    @Test
    void aCredentialWithoutKeysFailsWithItsIdInsteadOfANullPointer() {
        CachedAwsCredentials none = new CachedAwsCredentials("aws-blank", () -> null, java.time.Clock.systemUTC(), Runnable::run);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, none::resolveCredentials);
        assertTrue(e.getMessage().contains("'aws-blank'"), e.getMessage());
        // aws-credentials returns null for blank keys: the reflective copy passes that on as null
        assertEquals(null, AwsCredentialsSupport.resolver(new BlankCredential()).get());
    }

    @Test
    void anSdkWithoutContinueServiceDeploymentIsNamedWithTheVersionNeeded() throws Exception {
        assertTrue(SdkSupport.isPresent(getClass().getClassLoader(), SdkSupport.REQUIRED), "the bundled SDK 2.59.1 has it");
        assertFalse(SdkSupport.isPresent(getClass().getClassLoader(), "software.amazon.awssdk.services.ecs.model.NoSuchRequest"));
        assertTrue(SdkSupport.message().contains("software.amazon.awssdk:ecs 2.44.8 or newer"), SdkSupport.message());
        SdkSupport.requirePauseHooks(); // does not throw here
    }
}
