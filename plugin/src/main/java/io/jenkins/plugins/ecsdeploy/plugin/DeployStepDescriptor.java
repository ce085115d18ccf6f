package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;

/**
 * The descriptor the four strategy steps share: required context, the snippet generator's drop-downs
 * and field checks for every common field. Each strategy's {@code DescriptorImpl} adds only its
 * function name, display name and the checks of its own parameters.
 */
public abstract class DeployStepDescriptor extends StepDescriptor {

    /** ROLLING | BLUE_GREEN | CANARY | LINEAR: shown by the freestyle builder's strategy drop-down. */
    public abstract String getStrategyName();

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        // No node is needed: the deployment runs in ECS. A taskDefinitionFile is read from the workspace
        // when one is there (FilePath is then optional context, looked up at run time).
        return Set.of(Run.class, TaskListener.class);
    }

    /** Pipeline Graph View label: "cluster/service" instead of nothing (docs/jenkins-behaviour.md "Snippets and labels"). */
    @Override
    public String argumentsToString(Map<String, Object> namedArgs) {
        Object service = namedArgs.get("service");
        if (service == null) {
            return null;
        }
        Object cluster = namedArgs.get("cluster");
        return (cluster == null ? "" : cluster + "/") + service;
    }

    // ---- drop-downs for the snippet generator and the freestyle form ----

    /** The job being configured ({@code @AncestorInPath Item}): its permission and its credentials context. */
    public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String credentialsId) {
        return AwsCredentialsSupport.fillCredentialsIdItems(item, credentialsId);
    }

    /** An empty id is the controller's own identity: refused unless the administrator allows it. */
    public FormValidation doCheckCredentialsId(@QueryParameter String value) {
        return Values.trimToNull(value) == null && !EcsGlobalConfiguration.controllerCredentialsAllowed()
                ? FormValidation.error("Choose AWS credentials: the administrator does not allow jobs to use the controller's own AWS identity.")
                : FormValidation.ok();
    }

    public ListBoxModel doFillApprovalStageItems() {
        ListBoxModel m = new ListBoxModel();
        for (String s : Values.PAUSE_STAGES) {
            m.add(s);
        }
        return m;
    }

    public ListBoxModel doFillWaitUntilItems() {
        ListBoxModel m = new ListBoxModel();
        m.add("COMPLETED");
        for (String s : Values.WAIT_STAGES) {
            if (!s.equals("COMPLETED")) {
                m.add(s);
            }
        }
        return m;
    }

    public ListBoxModel doFillOnAbortItems() {
        ListBoxModel m = new ListBoxModel();
        m.add("ROLLBACK");
        m.add("LEAVE");
        return m;
    }

    public ListBoxModel doFillApprovalTimeoutActionItems() {
        ListBoxModel m = new ListBoxModel();
        m.add("ROLLBACK");
        m.add("CONTINUE");
        return m;
    }

    // ---- field checks ----

    public FormValidation doCheckService(@QueryParameter String value) {
        return Values.trimToNull(value) == null ? FormValidation.error("The ECS service name or ARN is required.") : FormValidation.ok();
    }

    public FormValidation doCheckRegion(@QueryParameter String value) {
        if (Values.trimToNull(value) == null) {
            String def = EcsGlobalConfiguration.defaultRegionOrNull();
            return def == null ? FormValidation.error("A region is required (no default region is configured).")
                    : FormValidation.ok("Default: " + def);
        }
        return value.trim().matches("[a-z]{2}(-[a-z]+)+-\\d+") ? FormValidation.ok()
                : FormValidation.warning("'" + value.trim() + "' does not look like an AWS region (e.g. eu-west-1).");
    }

    public FormValidation doCheckRoleArn(@QueryParameter String value) {
        String v = Values.trimToNull(value);
        return v == null || v.matches("arn:aws[a-z-]*:iam::\\d{12}:role/.+") ? FormValidation.ok()
                : FormValidation.error("Expected an IAM role ARN like arn:aws:iam::123456789012:role/deployer.");
    }

    public FormValidation doCheckImage(@QueryParameter String value) {
        for (String p : Values.list(value)) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                return FormValidation.error("'" + p + "' is not container=image (e.g. web=registry/web:1.4.2).");
            }
        }
        return FormValidation.ok();
    }

    public FormValidation doCheckApprovalTimeout(@QueryParameter String value) {
        return checkRange(value, 1, DeployStepBase.MAX_PAUSE_MINUTES - DeployStepBase.APPROVAL_TIMEOUT_MARGIN, "minutes");
    }

    public FormValidation doCheckDesiredCount(@QueryParameter String value) {
        return checkRange(value, 0, 100000, "tasks");
    }

    /** A number in [min, max]; empty is fine (the field is optional). */
    static FormValidation checkRange(String value, double min, double max, String unit) {
        String v = Values.trimToNull(value);
        if (v == null) {
            return FormValidation.ok();
        }
        try {
            double d = Double.parseDouble(v);
            if (d < min || d > max) {
                return FormValidation.error(Values.problem("value", v, unit + " between " + fmt(min) + " and " + fmt(max)));
            }
            return FormValidation.ok();
        } catch (NumberFormatException e) {
            return FormValidation.error("'" + v + "' is not a number.");
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
