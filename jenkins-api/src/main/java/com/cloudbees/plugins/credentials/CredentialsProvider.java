package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.model.Run;
import hudson.security.Permission;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import java.util.Objects;

/**
 * Stand-in: {@link #findCredentialById} looks in the credentials a test registered with
 * {@link StandInJenkins#addCredentials}, with the real preconditions: id and run must be non-null and the id is
 * trimmed (jenkinsci/credentials-plugin@1502.v5c95e620ddfe:src/main/java/com/cloudbees/plugins/credentials/CredentialsProvider.java:988-999).
 * The real lookup then searches the job's context as the job's authentication, then as SYSTEM with USE_ITEM; the
 * stand-in's store is global, so every job sees every credential.
 */
public abstract class CredentialsProvider {
    /** Credentials/UseItem (implied by Job/Configure in the real plugin, :150-153). */
    public static final Permission USE_ITEM = Permission.fromId("com.cloudbees.plugins.credentials.CredentialsProvider.UseItem");

    private CredentialsProvider() {
    }

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run) {
        Objects.requireNonNull(id);
        Objects.requireNonNull(type);
        Objects.requireNonNull(run);
        String wanted = id.trim();
        for (Object c : StandInJenkins.credentials()) {
            if (type.isInstance(c) && ((IdCredentials) c).getId().equals(wanted)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
