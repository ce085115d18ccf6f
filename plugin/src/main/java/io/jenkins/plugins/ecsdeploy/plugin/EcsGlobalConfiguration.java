package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.util.FormValidation;
import java.net.URI;
import java.net.URISyntaxException;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * Manage Jenkins » System » Amazon ECS Deployments: the default region, the floor of the shared
 * watcher's polling cadence, and (advanced) an endpoint override for a local ECS endpoint such as the
 * project's simulator. Read through the static helpers, which fall back to defaults when Jenkins is not
 * running (unit tests) so no caller needs a null check.
 */
@Extension
@Symbol("ecsDeployments")
public class EcsGlobalConfiguration extends GlobalConfiguration {
    static final int DEFAULT_POLL_FLOOR_SECONDS = 5;

    private String defaultRegion;
    private int pollFloorSeconds = DEFAULT_POLL_FLOOR_SECONDS;
    private String endpointUrl;

    public EcsGlobalConfiguration() {
        load();
    }

    static EcsGlobalConfiguration getOrNull() {
        try {
            if (Jenkins.getInstanceOrNull() == null) {
                return null;
            }
            return ExtensionList.lookupSingleton(EcsGlobalConfiguration.class);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    static String defaultRegionOrNull() {
        EcsGlobalConfiguration c = getOrNull();
        return c == null ? null : c.defaultRegion;
    }

    static int pollFloorSeconds() {
        EcsGlobalConfiguration c = getOrNull();
        return c == null ? DEFAULT_POLL_FLOOR_SECONDS : Math.max(1, c.pollFloorSeconds);
    }

    static URI endpointOrNull() {
        EcsGlobalConfiguration c = getOrNull();
        if (c == null || c.endpointUrl == null) {
            return null;
        }
        try {
            return new URI(c.endpointUrl);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    public String getDefaultRegion() { return defaultRegion; }
    @DataBoundSetter public void setDefaultRegion(String v) { defaultRegion = Values.trimToNull(v); save(); }

    /** Seconds: the shared watcher never polls a deployment more often than this (engine pollFloor). */
    public int getPollFloorSeconds() { return pollFloorSeconds; }
    @DataBoundSetter public void setPollFloorSeconds(int v) { pollFloorSeconds = v; save(); }

    public String getEndpointUrl() { return endpointUrl; }
    @DataBoundSetter public void setEndpointUrl(String v) { endpointUrl = Values.trimToNull(v); save(); }

    public FormValidation doCheckPollFloorSeconds(@QueryParameter String value) {
        return DeployStepDescriptor.checkRange(value, 1, 60, "seconds");
    }

    public FormValidation doCheckEndpointUrl(@QueryParameter String value) {
        String v = Values.trimToNull(value);
        if (v == null) {
            return FormValidation.ok();
        }
        return v.startsWith("http://") || v.startsWith("https://") ? FormValidation.warning(
                "Every ECS call will go to " + v + " instead of AWS. Use this only for a local ECS endpoint.")
                : FormValidation.error("Expected an http:// or https:// URL.");
    }
}
