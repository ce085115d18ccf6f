package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.model.Run;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;

/**
 * Stand-in: {@link #findCredentialById} looks in the credentials a test registered with
 * {@link StandInJenkins#addCredentials}. (The real lookup also checks the run's job and the build's user;
 * the stand-in does not.)
 */
public abstract class CredentialsProvider {
    private CredentialsProvider() {
    }

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run) {
        for (Object c : StandInJenkins.credentials()) {
            if (type.isInstance(c) && ((IdCredentials) c).getId().equals(id)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
