package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.model.InvisibleAction;

/**
 * "Redeploy this revision" (docs/approvals.md "Redeploy this revision"): carried by the build that a click on a
 * finished deployment's page queued. The job's own deploy step for the same region, cluster and service then deploys
 * this task definition instead of the image or task definition its script names — through the same Pipeline, so the
 * same gates, approvers, smoke tests and notifications apply to the undo. Strings only (saved in build.xml).
 */
public class EcsRedeployAction extends InvisibleAction implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final String region;
    private final String cluster;
    private final String service;
    private final String taskDefinition;
    private final String requestedBy;
    private final String fromBuild;
    private final String fromDeploymentArn;

    public EcsRedeployAction(String region, String cluster, String service, String taskDefinition, String requestedBy,
                             String fromBuild, String fromDeploymentArn) {
        this.region = region;
        this.cluster = cluster;
        this.service = service;
        this.taskDefinition = taskDefinition;
        this.requestedBy = requestedBy;
        this.fromBuild = fromBuild;
        this.fromDeploymentArn = fromDeploymentArn;
    }

    public String getRegion() { return region; }
    public String getCluster() { return cluster; }
    public String getService() { return service; }
    /** The task definition ARN to deploy again. */
    public String getTaskDefinition() { return taskDefinition; }
    public String getRequestedBy() { return requestedBy; }
    /** The build whose deployment is repeated, e.g. "#12". */
    public String getFromBuild() { return fromBuild; }
    public String getFromDeploymentArn() { return fromDeploymentArn; }
}
