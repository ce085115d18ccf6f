package io.jenkins.plugins.ecsdeploy.plugin;

import org.kohsuke.stapler.DataBoundSetter;

/**
 * A {@link DeploymentHandleStep} that calls AWS with credentials of its own choosing: {@code credentialsId} and
 * {@code roleArn} override what the deploy step recorded in the deployment value ({@code ecsApprove},
 * {@code ecsWait}, {@code ecsRollback}).
 */
public abstract class DeploymentAccessStep extends DeploymentHandleStep {
    private static final long serialVersionUID = 1L;

    private String credentialsId;
    private String roleArn;

    protected DeploymentAccessStep(Object deployment) {
        super(deployment);
    }

    public String getCredentialsId() { return credentialsId; }
    @DataBoundSetter public void setCredentialsId(String v) { credentialsId = Values.trimToNull(v); }

    public String getRoleArn() { return roleArn; }
    @DataBoundSetter public void setRoleArn(String v) { roleArn = Values.trimToNull(v); }
}
