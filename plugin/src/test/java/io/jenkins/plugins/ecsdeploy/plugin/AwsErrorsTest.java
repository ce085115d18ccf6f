package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.EngineException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A step on the controller's own identity where the controller has none (issue 11, item 5): one line with the sources
 * the SDK tried and what to do, instead of the SDK's list of every provider's refusal.
 */
class AwsErrorsTest {
    /** The SDK's own "nothing found" answer, from its real default chain with every source switched off. */
    static SdkClientException realChainDump() {
        String[] props = {"aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken", "aws.webIdentityTokenFile",
            "aws.sharedCredentialsFile", "aws.configFile", "aws.disableEc2Metadata", "aws.containerCredentialsFullUri"};
        String[] old = new String[props.length];
        for (int i = 0; i < props.length; i++) {
            old[i] = System.getProperty(props[i]);
        }
        System.setProperty("aws.sharedCredentialsFile", "/nonexistent/credentials");
        System.setProperty("aws.configFile", "/nonexistent/config");
        System.setProperty("aws.disableEc2Metadata", "true");
        try (DefaultCredentialsProvider p = DefaultCredentialsProvider.builder().build()) {
            p.resolveCredentials();
            return null; // the machine has credentials in its environment: the real dump cannot be produced here
        } catch (SdkClientException e) {
            return e;
        } finally {
            for (int i = 0; i < props.length; i++) {
                if (old[i] == null) {
                    System.clearProperty(props[i]);
                } else {
                    System.setProperty(props[i], old[i]);
                }
            }
        }
    }

    @Test
    void theSdksNoCredentialsDumpBecomesOneLineNamingTheSourcesAndWhatToDo() {
        SdkClientException dump = realChainDump();
        if (dump == null) {
            dump = SdkClientException.create("Unable to load credentials from any of the providers in the chain "
                    + "AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), …]) : […]");
        }
        assertTrue(dump.getMessage().length() > 300, "the SDK's own text is long: " + dump.getMessage().length());
        String line = AwsErrors.oneLine(new CompletionException(dump));
        assertEquals(AwsErrors.NO_CREDENTIALS, line);
        assertFalse(line.contains("\n"));
        assertTrue(line.startsWith("no AWS credentials for the controller's own identity (tried: environment variables"), line);
        assertTrue(line.contains("EC2 instance metadata). Give the step a credentialsId"), line);
        // wrapped by the engine, it is still recognised
        assertEquals(AwsErrors.NO_CREDENTIALS, AwsErrors.oneLine(new EngineException("UpdateService on demo/web was refused: "
                + dump.getMessage(), dump)));
    }

    @Test
    void anyOtherFailureKeepsItsOwnMessage() {
        assertEquals("UpdateService on demo/web was refused: AccessDenied", AwsErrors.oneLine(
                new EngineException("UpdateService on demo/web was refused: AccessDenied", null)));
        assertEquals("java.lang.IllegalStateException", AwsErrors.oneLine(new IllegalStateException()));
    }
}
