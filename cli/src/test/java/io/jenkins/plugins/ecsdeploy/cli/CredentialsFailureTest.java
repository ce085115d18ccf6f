package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missing-credentials failure (issue 11): one line that names every source the SDK's default chain tries, in its
 * order, and what to do — not the SDK's 1,300-character dump after a long instance-metadata wait (docs/cli.md
 * "Credentials").
 */
class CredentialsFailureTest {
    static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc123";

    @TempDir
    Path home;

    @Test
    void withoutAnySourceTheCliSaysInOneLineWhichSourcesItTriedAndWhatToDo() {
        // HOME without ~/.aws, no AWS_* variables, instance metadata not answering (Cli's test default)
        CliRun r = CliRun.run(Map.of("HOME", home.toString()), "status", "--region", "us-east-1", ARN);
        assertEquals(ExitCodes.AWS_ERROR, r.exitCode(), r.toString());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), r.toString());
        String line = lines.get(0);
        assertTrue(line.startsWith("No AWS credentials found (tried: environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "), line);
        int at = 0;
        for (String source : List.of("Java system properties", "web identity token file", "profile 'default' in ~/.aws/config",
                "container credentials", "EC2 instance metadata")) {
            int i = line.indexOf(source);
            assertTrue(i > at, "the chain's sources in its order: " + source + " in " + line);
            at = i;
        }
        assertTrue(line.contains("Use --profile NAME (or export AWS_PROFILE)"), line);
        assertTrue(line.contains("'aws configure' / 'aws sso login'"), line);
        assertTrue(line.length() < 500, "one readable line, not a dump: " + line.length() + " characters");
        assertFalse(r.toString().contains("Unable to load credentials"), r.toString());
    }

    @Test
    void theProfileNamedByAwsProfileIsTheOneReported() {
        CliException e = assertThrows(CliException.class,
                () -> CredentialsCheck.requireSome(Map.of("HOME", home.toString(), "AWS_PROFILE", "staging"), () -> false));
        assertEquals(ExitCodes.AWS_ERROR, e.exitCode());
        assertTrue(e.getMessage().contains("profile 'staging' in ~/.aws/config"), e.getMessage());
    }

    @Test
    void aProfileInTheSharedConfigFileIsASource() throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[profile dev]\nregion = eu-west-1\n");
        assertDoesNotThrow(() -> CredentialsCheck.requireSome(Map.of("HOME", home.toString(), "AWS_PROFILE", "dev"), () -> false));
        assertThrows(CliException.class,
                () -> CredentialsCheck.requireSome(Map.of("HOME", home.toString(), "AWS_PROFILE", "other"), () -> false),
                "a profile the files do not have is no source");
    }

    @Test
    void instanceMetadataIsAskedOnlyWhenNothingElseIsThereAndNeverWhenDisabled() {
        AtomicInteger asked = new AtomicInteger();
        CredentialsCheck.requireSome(Map.of("HOME", home.toString(), "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"), () -> {
            asked.incrementAndGet();
            return false;
        });
        assertEquals(0, asked.get(), "environment credentials: no instance-metadata lookup");
        assertDoesNotThrow(() -> CredentialsCheck.requireSome(Map.of("HOME", home.toString()), () -> {
            asked.incrementAndGet();
            return true;
        }));
        assertEquals(1, asked.get(), "nothing else: instance metadata asked once, and its answer counts");
        assertThrows(CliException.class, () -> CredentialsCheck.requireSome(
                Map.of("HOME", home.toString(), "AWS_EC2_METADATA_DISABLED", "true"), () -> {
                    asked.incrementAndGet();
                    return true;
                }));
        assertEquals(1, asked.get(), "AWS_EC2_METADATA_DISABLED=true: not asked");
    }
}
