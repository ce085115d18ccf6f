package io.jenkins.plugins.ecsdeploy.plugin;

import java.io.Serializable;
import org.jenkinsci.plugins.workflow.steps.Step;

/**
 * A step that acts on a deployment started earlier ({@code ecsAtGate}; through {@link DeploymentAccessStep} also
 * {@code ecsApprove}, {@code ecsWait}, {@code ecsRollback}): the value a deploy step returned, or an ARN.
 *
 * <p>The concrete steps keep their own {@code @DataBoundConstructor} (Stapler and Pipeline bind it on the concrete
 * class); the getter here is found along the class hierarchy like the setters of {@link DeploymentAccessStep}, and
 * so are the help files ({@code DeploymentAccessStep/help-roleArn.html}; a step's own help file wins).
 */
public abstract class DeploymentHandleStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Object deployment;

    protected DeploymentHandleStep(Object deployment) {
        this.deployment = deployment;
    }

    /** The deploy step's returned map, or a service-deployment ARN. */
    public Object getDeployment() { return deployment; }
}
