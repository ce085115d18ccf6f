package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

/** Descriptor shared by the steps that act on a running deployment (ecsWait, ecsApprove, ecsAtGate, ecsRollback). */
public abstract class DeploymentStepDescriptor extends StepDescriptor {
    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.of(Run.class, TaskListener.class);
    }

    /** Pipeline Graph View label: the service the deployment belongs to. */
    @Override
    public String argumentsToString(Map<String, Object> namedArgs) {
        Object d = namedArgs.get("deployment");
        if (d instanceof Map<?, ?> m && m.get("service") != null) {
            return String.valueOf(m.get("service"));
        }
        return d instanceof CharSequence ? d.toString() : null;
    }
}
