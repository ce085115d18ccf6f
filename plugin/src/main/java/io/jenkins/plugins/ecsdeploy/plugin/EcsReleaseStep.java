package io.jenkins.plugins.ecsdeploy.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseJson;
import io.jenkins.plugins.ecsdeploy.engine.release.ReleaseRequest;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code ecsRelease(name:, services: [api: [...], web: [...]], waves: [['api'], ['web']], approval:, approvalTimeout:)}:
 * several services released as one, in waves, with one gate per wave (docs/releases.md). The services' settings are
 * those of the release file (the engine's {@code ReleaseJson}); the step checks everything before any AWS call, runs
 * the release without holding a thread, keeps only ids across a restart, and returns each service's deployment (a
 * handle {@code ecsWait}, {@code ecsRollback} … take) with the outcome.
 */
public class EcsReleaseStep extends Step implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    static final ObjectMapper JSON = new ObjectMapper();

    private final Object services;
    private Object waves;
    private String name;
    private String region;
    private Object approval;
    private int approvalTimeout = DeployStepBase.DEFAULT_APPROVAL_TIMEOUT;
    private String credentialsId;

    @DataBoundConstructor
    public EcsReleaseStep(Object services) {
        this.services = services;
    }

    /** The services by name: each a map of cluster, service, image or taskDefinition, strategy and its settings, region, roleArn. */
    public Object getServices() { return services; }

    /** The waves, in order: lists of service names, e.g. {@code [['api', 'worker'], ['web']]}. */
    public Object getWaves() { return waves; }
    @DataBoundSetter public void setWaves(Object v) { waves = v; }

    public String getName() { return name; }
    @DataBoundSetter public void setName(String v) { name = Values.trimToNull(v); }

    /** The region of services that name none. */
    public String getRegion() { return region; }
    @DataBoundSetter public void setRegion(String v) { region = Values.trimToNull(v); }

    /**
     * {@code true}: one gate per wave, decided by anyone with Job/Build; or the policy as a map:
     * {@code [approvers: 'release-managers', required: 2, notBy: 'starter', rollbackBy: 'on-call']} (docs/approvals.md).
     */
    public Object getApproval() { return approval; }
    @DataBoundSetter public void setApproval(Object v) { approval = v; }

    /** Minutes each wave's gate is offered; ECS applies ROLLBACK two minutes later. */
    public int getApprovalTimeout() { return approvalTimeout; }
    @DataBoundSetter public void setApprovalTimeout(int v) { approvalTimeout = v; }

    public String getCredentialsId() { return credentialsId; }
    @DataBoundSetter public void setCredentialsId(String v) { credentialsId = Values.trimToNull(v); }

    /** The release file's tree of these arguments (the one text form, docs/releases.md "The release file"). */
    ObjectNode tree() {
        ObjectNode t = JSON.createObjectNode();
        if (name != null) {
            t.put("name", name);
        }
        String r = region != null ? region : EcsGlobalConfiguration.defaultRegionOrNull();
        if (r != null) {
            t.put("region", r);
        }
        t.set("services", JSON.valueToTree(services));
        t.set("waves", JSON.valueToTree(waves));
        if (approval != null && !Boolean.FALSE.equals(approval) && !"false".equals(String.valueOf(approval))) {
            ObjectNode g = t.putObject("gate");
            g.put("timeoutMinutes", approvalTimeout + DeployStepBase.APPROVAL_TIMEOUT_MARGIN);
            if (approval instanceof Map<?, ?> m) {
                t.set("approval", JSON.valueToTree(m));
            } else if (!Boolean.TRUE.equals(approval) && !"true".equals(String.valueOf(approval))) {
                t.putObject("approval").put("approvers", String.valueOf(approval));
            }
        }
        return t;
    }

    /** Parses and checks the release (InvalidRequestException naming every problem); no AWS call. */
    ReleaseRequest request() {
        if (approvalTimeout < 1 || approvalTimeout > DeployStepBase.MAX_PAUSE_MINUTES - DeployStepBase.APPROVAL_TIMEOUT_MARGIN) {
            throw new io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException(java.util.List.of(
                    new io.jenkins.plugins.ecsdeploy.engine.ValidationProblem("approvalTimeout", Integer.toString(approvalTimeout),
                            "minutes from 1 to " + (DeployStepBase.MAX_PAUSE_MINUTES - DeployStepBase.APPROVAL_TIMEOUT_MARGIN))));
        }
        return ReleaseJson.fromTree(tree(), "ecsRelease");
    }

    static ReleaseRequest parse(String treeJson) {
        try {
            JsonNode n = JSON.readTree(treeJson);
            return ReleaseJson.fromTree(n, "ecsRelease");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new EcsReleaseExecution(context, this);
    }

    @Extension
    @Symbol("ecsRelease")
    public static class DescriptorImpl extends StepDescriptor {
        @Override public String getFunctionName() { return "ecsRelease"; }
        @Override public String getDisplayName() { return "Release several Amazon ECS services as one, in waves"; }
        @Override public Set<? extends Class<?>> getRequiredContext() { return Set.of(Run.class, TaskListener.class); }
    }
}
