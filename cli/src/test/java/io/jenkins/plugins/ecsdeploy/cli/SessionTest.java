package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Which credentials and region the connection flags lead to (no AWS call is made here). */
class SessionTest {
    private static Cli cli(Map<String, String> env) {
        return new Cli(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, env, 100, "t",
                new ByteArrayInputStream(new byte[0]), u -> { });
    }

    private static ConnectionOptions parse(String... args) {
        ConnectionOptions c = new ConnectionOptions();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void profileFlagUsesTheSdksProfileCredentialsProvider() {
        assertInstanceOf(ProfileCredentialsProvider.class, Session.credentials(cli(Map.of()), parse("--profile", "deployer")));
    }

    @Test
    void localEndpointWithoutAnyConfiguredCredentialsSignsWithFixedTestCredentials() {
        var p = Session.credentials(cli(Map.of()), parse("--endpoint", "http://127.0.0.1:4566"));
        assertInstanceOf(StaticCredentialsProvider.class, p);
        assertEquals("test", ((AwsBasicCredentials) p.resolveCredentials()).accessKeyId());
    }

    @Test
    void endpointWithCredentialsInTheEnvironmentKeepsTheDefaultChain() {
        assertNull(Session.credentials(cli(Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")), parse("--endpoint", "http://127.0.0.1:4566")));
        assertNull(Session.credentials(cli(Map.of()), parse()));
    }

    @Test
    void regionComesFromTheFlagThenAwsRegionThenAwsDefaultRegion() {
        assertEquals("eu-west-1", parse("--region", "eu-west-1").regionOrEnv(Map.of("AWS_REGION", "us-east-2")));
        assertEquals("us-east-2", parse().regionOrEnv(Map.of("AWS_REGION", "us-east-2", "AWS_DEFAULT_REGION", "ap-south-1")));
        assertEquals("ap-south-1", parse().regionOrEnv(Map.of("AWS_DEFAULT_REGION", "ap-south-1")));
    }
}
