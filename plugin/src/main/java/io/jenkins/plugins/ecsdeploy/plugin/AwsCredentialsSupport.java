package io.jenkins.plugins.ecsdeploy.plugin;

import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.security.ACL;
import hudson.AbortException;
import hudson.model.Item;
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
 * <p>Only Strings cross the plugin boundary (decision D5, docs/jenkins-behaviour.md "AWS credentials from aws-credentials", "AWS SDK inside Jenkins"): the AWS SDK classes of
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

    /**
     * What our SDK gets from the Jenkins credential: {@code resolveCredentials()} called by reflection and copied into
     * our own SDK's types; null when the credential yielded nothing (aws-credentials returns null for blank keys).
     * Wrapped in {@link CachedAwsCredentials} by the registry, so it runs once per session, not once per request.
     */
    static java.util.function.Supplier<AwsCredentials> resolver(Object credential) {
        return () -> {
            Object foreign = invoke(credential, "resolveCredentials");
            return foreign == null ? null : copy(foreign);
        };
    }

    /**
     * A stable identity of a credential for the registry's key, so that one entry gets one engine however often it is
     * looked up (core may hand out a new object per lookup) and two folders' entries with the same id never share one:
     * a SHA-256 over the class, id, description and — when the implementation has them — access key id and role
     * (read through public getters, never the secret).
     */
    static String fingerprint(Object credential) {
        StringBuilder b = new StringBuilder(credential.getClass().getName());
        for (String getter : new String[] {"getId", "getDescription", "getAccessKey", "getIamRoleArn", "getIamExternalId"}) {
            Method m = publicMethod(credential.getClass(), getter);
            Object v = null;
            if (m != null) {
                try {
                    v = m.invoke(credential);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    v = null;
                }
            }
            b.append('\u0000').append(v);
        }
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
        if (keyId == null || secret == null) {
            return null;
        }
        if (token == null) {
            return AwsBasicCredentials.create(keyId, secret);
        }
        java.time.Instant expiry = null;
        Method e = publicMethod(foreign.getClass(), "expirationTime");
        if (e != null) {
            try {
                Object o = e.invoke(foreign);
                if (o instanceof java.util.Optional<?> opt && opt.orElse(null) instanceof java.time.Instant i) {
                    expiry = i;
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // no expiry known: cached like static keys
            }
        }
        return AwsSessionCredentials.builder().accessKeyId(keyId).secretAccessKey(secret).sessionToken(token)
                .expirationTime(expiry).build();
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

    /**
     * The credentials drop-down, as the credentials plugin's own {@code <c:select/>} expects it: listed for the
     * {@code Item} being configured (not its folder: aws-credentials' helper lists nothing unless the user may
     * configure the FOLDER, jenkinsci/aws-credentials-plugin@262.v0efb_28f71f94:src/main/java/com/cloudbees/jenkins/plugins/awscredentials/AWSCredentialsHelper.java:35-52),
     * for users who may see the job's configuration (Job/ExtendedRead, implied by Job/Configure) or use its credentials;
     * others see only the current value. Exactly one entry has the empty value: the controller's own identity when the
     * administrator allows it, else "- none -" (docs/credentials.md).
     */
    static ListBoxModel fillCredentialsIdItems(Item item, String current) {
        StandardListBoxModel m = new StandardListBoxModel();
        boolean allowed = item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER)
                : item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
        if (!allowed) {
            m.includeCurrentValue(current == null ? "" : current);
            return m;
        }
        m.includeEmptyValue();
        m.includeAs(ACL.SYSTEM2, item, AmazonWebServicesCredentials.class);
        m.includeCurrentValue(current == null ? "" : current);
        for (ListBoxModel.Option o : m) {
            if ("".equals(o.value)) {
                o.name = EcsGlobalConfiguration.controllerCredentialsAllowed()
                        ? "- the controller's own AWS identity (default provider chain) -"
                        : "- none -";
            }
        }
        return m;
    }
}
