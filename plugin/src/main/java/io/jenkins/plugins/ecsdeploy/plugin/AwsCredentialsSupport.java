package io.jenkins.plugins.ecsdeploy.plugin;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsHelper;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import java.lang.reflect.Method;
import jenkins.model.Jenkins;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * AWS credentials from the Jenkins credentials store (aws-credentials' {@code AmazonWebServicesCredentials}).
 *
 * <p>Only Strings cross the plugin boundary (decision D5, jenkins-facts (g)/(h)): the AWS SDK classes of
 * aws-credentials live in another class loader (the aws-java-sdk2 API plugins), so we never call a method
 * whose signature names an SDK type from our code. {@code resolveCredentials()} is called reflectively on
 * the credential each time the SDK asks us (so an assumed role or rotated key refreshes as aws-credentials
 * refreshes it), and the key id, secret and session token are copied into our own SDK's types. Nothing
 * here is ever logged.
 */
final class AwsCredentialsSupport {
    private AwsCredentialsSupport() {}

    /** The credential with this id as seen by the build's job (tracked as used by the run). */
    static Object find(Run<?, ?> run, String credentialsId) throws AbortException {
        AmazonWebServicesCredentials c;
        try {
            c = CredentialsProvider.findCredentialById(credentialsId, AmazonWebServicesCredentials.class, run);
        } catch (LinkageError e) {
            throw new AbortException("credentialsId: the aws-credentials plugin is not installed or too old: " + e);
        }
        if (c == null) {
            throw new AbortException(Values.problem("credentialsId", credentialsId,
                    "the id of an 'AWS Credentials' entry visible to this job (Manage Jenkins » Credentials), or leave it empty for the default provider chain"));
        }
        return c;
    }

    /** A provider of our SDK that asks the Jenkins credential, by reflection, for fresh keys on every call. */
    static AwsCredentialsProvider provider(Object credential) {
        return new AwsCredentialsProvider() {
            @Override
            public AwsCredentials resolveCredentials() {
                return copy(invoke(credential, "resolveCredentials"));
            }

            @Override
            public String toString() {
                return "JenkinsAwsCredentials"; // never the keys
            }
        };
    }

    /** Copies key id, secret and (when present) session token out of an SDK object of any class loader. */
    static AwsCredentials copy(Object foreign) {
        String keyId = (String) invoke(foreign, "accessKeyId");
        String secret = (String) invoke(foreign, "secretAccessKey");
        String token = null;
        Method m = publicMethod(foreign.getClass(), "sessionToken");
        if (m != null) {
            try {
                token = (String) m.invoke(foreign);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("could not read the session token of the AWS credentials", e);
            }
        }
        return token == null ? AwsBasicCredentials.create(keyId, secret) : AwsSessionCredentials.create(keyId, secret, token);
    }

    private static Object invoke(Object target, String name) {
        Method m = publicMethod(target.getClass(), name);
        if (m == null) {
            throw new IllegalStateException("AWS credentials object " + target.getClass().getName() + " has no " + name + "()");
        }
        try {
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("could not resolve the AWS credentials: " + c.getMessage(), c);
        }
    }

    /** A no-argument public method reachable through a public class or interface (the impl may be private). */
    static Method publicMethod(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (java.lang.reflect.Modifier.isPublic(k.getModifiers())) {
                try {
                    return k.getMethod(name);
                } catch (NoSuchMethodException ignored) {
                    // try interfaces
                }
            }
            for (Class<?> i : k.getInterfaces()) {
                Method m = publicMethod(i, name);
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }

    /** The credentials drop-down: AWS credentials visible in the item's context, plus "default provider chain". */
    static ListBoxModel fillCredentialsIdItems(Item item, ItemGroup<?> context, String current) {
        ListBoxModel m = new ListBoxModel();
        m.add("- default provider chain (instance role, environment) -", "");
        boolean allowed = item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(Item.CONFIGURE);
        if (!allowed) {
            if (current != null && !current.isBlank()) {
                m.add(current, current);
            }
            return m;
        }
        if (context != null) {
            m.addAll(AWSCredentialsHelper.doFillCredentialsIdItems(context));
        }
        return m;
    }
}
