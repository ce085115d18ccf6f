package io.jenkins.plugins.ecsdeploy.plugin;

/**
 * AWS SDK failures said in one line. The SDK's default credentials chain, when it finds nothing, answers with a
 * 1,300-character list of every provider's refusal ("Unable to load credentials from any of the providers in the
 * chain …"); a step that uses the controller's own identity (no {@code credentialsId}, docs/credentials.md "The
 * controller's own identity") shows instead which sources were tried and what to do. The sources and their order are
 * the SDK's default chain (https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/credentials-chain.html).
 */
final class AwsErrors {
    static final String NO_CREDENTIALS = "no AWS credentials for the controller's own identity (tried: environment "
            + "variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, Java system properties, web identity token file, the "
            + "controller's ~/.aws/config and ~/.aws/credentials, container credentials, EC2 instance metadata). Give the "
            + "step a credentialsId of an 'AWS Credentials' entry, or give the controller an instance or container role "
            + "(docs/credentials.md)";

    private AwsErrors() {
    }

    /** The failure's text for the build log: one line for the SDK's "no credentials" chain dump, else its own message. */
    static String oneLine(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("Unable to load credentials from any of the providers")) {
                return NO_CREDENTIALS; // also when the engine wrapped it ("… was refused: Unable to load …")
            }
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
