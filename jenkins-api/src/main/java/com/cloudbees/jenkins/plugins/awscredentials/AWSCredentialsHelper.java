package com.cloudbees.jenkins.plugins.awscredentials;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import jenkins.model.Jenkins;

/**
 * Stand-in over the credentials registered with {@link StandInJenkins#addCredentials}, with the real permission rule
 * of the drop-down: a "- none -" entry always, the credentials only when the caller has Item/Configure on the context
 * (when the context is an Item, i.e. a folder) or Overall/Administer (the root)
 * (jenkinsci/aws-credentials-plugin@262.v0efb_28f71f94:src/main/java/com/cloudbees/jenkins/plugins/awscredentials/AWSCredentialsHelper.java:35-52).
 * So a non-admin configurer of a job at the root sees nothing here: plugins must list through the Item instead.
 */
public class AWSCredentialsHelper {
    private AWSCredentialsHelper() {
    }

    public static AmazonWebServicesCredentials getCredentials(String credentialsId, ItemGroup context) {
        if (credentialsId == null || credentialsId.isBlank()) {
            return null;
        }
        for (Object c : StandInJenkins.credentials()) {
            if (c instanceof AmazonWebServicesCredentials && ((AmazonWebServicesCredentials) c).getId().equals(credentialsId)) {
                return (AmazonWebServicesCredentials) c;
            }
        }
        return null;
    }

    public static ListBoxModel doFillCredentialsIdItems(ItemGroup context) {
        StandardListBoxModel m = new StandardListBoxModel();
        m.includeEmptyValue();
        boolean allowed = context instanceof Item i ? i.hasPermission(Item.CONFIGURE)
                : Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        if (allowed) {
            for (Object c : StandInJenkins.credentials()) {
                if (c instanceof AmazonWebServicesCredentials a) {
                    m.add(a.getDisplayName(), a.getId());
                }
            }
        }
        return m;
    }
}
