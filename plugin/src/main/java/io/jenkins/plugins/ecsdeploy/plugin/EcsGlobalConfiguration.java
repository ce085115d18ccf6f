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
    /**
     * The SQS queue an EventBridge rule feeds with ECS deployment and hook events (docs/events.md): when set, every
     * engine looks at a deployment as soon as an event names it, and polls only as a slow safety net.
     */
    private String eventsQueueUrl;
    /**
     * Whether a job may leave {@code credentialsId} empty and so deploy with the controller's OWN AWS identity (the
     * default provider chain: instance or container role, environment, profile). Off by default — the safer guess
     * (docs/credentials.md "The controller's own identity"): with it on, anyone who may configure a job can act in
     * AWS with whatever the controller's role allows, without any credentials entry being granted to them.
     */
    private boolean allowControllerCredentials;
    /** Named canary analyses any deploy step may use as {@code analysis: 'name'} (docs/analysis.md). */
    private java.util.List<AnalysisSpec> analyses = new java.util.ArrayList<>();

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

    /** The page's title in Manage Jenkins » System (core shows descriptors without one as a blank heading). */
    @Override
    public String getDisplayName() {
        return "Amazon ECS Deployments";
    }

    /** XStream runs no initialiser: an older or hand-written XML without pollFloorSeconds loads as 0. */
    protected Object readResolve() {
        if (pollFloorSeconds <= 0) {
            pollFloorSeconds = DEFAULT_POLL_FLOOR_SECONDS;
        }
        if (analyses == null) {
            analyses = new java.util.ArrayList<>();
        }
        return this;
    }

    /** See {@link #allowControllerCredentials}; false (refuse) when Jenkins is not running. */
    static boolean controllerCredentialsAllowed() {
        EcsGlobalConfiguration c = getOrNull();
        return c != null && c.allowControllerCredentials;
    }

    static String defaultRegionOrNull() {
        EcsGlobalConfiguration c = getOrNull();
        return c == null ? null : c.defaultRegion;
    }

    static int pollFloorSeconds() {
        EcsGlobalConfiguration c = getOrNull();
        return c == null || c.pollFloorSeconds <= 0 ? DEFAULT_POLL_FLOOR_SECONDS : c.pollFloorSeconds;
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

    /** The events queue URL, or null (also when Jenkins is not running): engines then follow by polling alone. */
    static String eventsQueueUrlOrNull() {
        EcsGlobalConfiguration c = getOrNull();
        return c == null ? null : c.eventsQueueUrl;
    }

    public String getEventsQueueUrl() { return eventsQueueUrl; }
    @DataBoundSetter public void setEventsQueueUrl(String v) { eventsQueueUrl = Values.trimToNull(v); save(); }

    /**
     * The engine's own check of the URL (EngineConfig refuses what is no SQS queue URL), so the form and the engine
     * can never disagree; empty is fine (polling alone).
     */
    public FormValidation doCheckEventsQueueUrl(@QueryParameter String value) {
        String v = Values.trimToNull(value);
        if (v == null) {
            return FormValidation.ok();
        }
        String problem = eventsQueueUrlProblem(v);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    /** Null when {@code url} is an SQS queue URL the engine accepts, else the engine's message naming the field. */
    static String eventsQueueUrlProblem(String url) {
        try {
            io.jenkins.plugins.ecsdeploy.engine.EngineConfig.builder().region("us-east-1").eventsQueueUrl(url).build();
            return null;
        } catch (io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException e) {
            return e.getMessage();
        }
    }

    public java.util.List<AnalysisSpec> getAnalyses() { return analyses; }
    @DataBoundSetter public void setAnalyses(java.util.List<AnalysisSpec> v) {
        analyses = v == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(v);
        save();
    }

    /** The named analysis, or null (also when Jenkins is not running). */
    static AnalysisSpec namedAnalysis(String name) {
        EcsGlobalConfiguration c = getOrNull();
        if (c == null || name == null) {
            return null;
        }
        for (AnalysisSpec a : c.analyses) {
            if (name.equals(a.getName())) {
                return a;
            }
        }
        return null;
    }

    public boolean isAllowControllerCredentials() { return allowControllerCredentials; }
    @DataBoundSetter public void setAllowControllerCredentials(boolean v) { allowControllerCredentials = v; save(); }

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
