package com.cloudbees.jenkins.plugins.awscredentials;

import hudson.model.ItemGroup;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;

/** Stand-in over the credentials registered with {@link StandInJenkins#addCredentials}. */
public class AWSCredentialsHelper {
    private AWSCredentialsHelper() {
    }

    public static AmazonWebServicesCredentials getCredentials(String credentialsId, ItemGroup context) {
        if (credentialsId == null || credentialsId.isEmpty()) {
            return null;
        }
        for (Object c : StandInJenkins.credentials()) {
            if (c instanceof AmazonWebServicesCredentials && ((AmazonWebServicesCredentials) c).getId().equals(credentialsId)) {
                return (AmazonWebServicesCredentials) c;
            }
        }
        return null;
    }

    /** As the real one: a "- none -" entry first, then "display name" → id. */
    public static ListBoxModel doFillCredentialsIdItems(ItemGroup context) {
        ListBoxModel m = new ListBoxModel();
        m.add("- none -", "");
        for (Object c : StandInJenkins.credentials()) {
            if (c instanceof AmazonWebServicesCredentials) {
                AmazonWebServicesCredentials a = (AmazonWebServicesCredentials) c;
                m.add(a.getDisplayName(), a.getId());
            }
        }
        return m;
    }
}
