package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Map;
import java.util.Set;
import hudson.util.FormValidation;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;

/** Descriptor shared by the steps that act on a running deployment (ecsWait, ecsApprove, ecsAtGate, ecsRollback). */
public abstract class DeploymentStepDescriptor extends StepDescriptor {
    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.of(Run.class, TaskListener.class);
    }

    /**
     * The Snippet Generator and other forms: {@code deployment} is required. Left empty, the generator would write a
     * call without it ({@code ecsWait()}), which then fails when the Pipeline runs (a found defect); so the form is
     * refused with a message saying what to put there (in a Jenkinsfile: the value a deploy step returned).
     */
    @Override
    public Step newInstance(StaplerRequest2 req, JSONObject formData) throws FormException {
        String d = formData == null ? null : Values.trimToNull(formData.optString("deployment", null));
        if (d == null || !d.startsWith("arn:")) {
            throw new FormException("deployment: " + (d == null ? "required" : "'" + Console.safe(d) + "' is not a service-deployment ARN")
                    + ". Give the deployment's ARN here; in a Jenkinsfile pass the value a deploy step returned (deployment: d).",
                    "deployment");
        }
        return req.bindJSON(clazz, formData);
    }

    public FormValidation doCheckDeployment(@QueryParameter String value) {
        String d = Values.trimToNull(value);
        if (d == null) {
            return FormValidation.error("Required: the service-deployment ARN (in a Jenkinsfile: deployment: d, the value a deploy step returned).");
        }
        return d.startsWith("arn:") ? FormValidation.ok() : FormValidation.error("Expected a service-deployment ARN (arn:aws:ecs:…:service-deployment/…).");
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
