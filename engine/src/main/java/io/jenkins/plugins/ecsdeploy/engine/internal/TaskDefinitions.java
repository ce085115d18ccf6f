package io.jenkins.plugins.ecsdeploy.engine.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/** Building RegisterTaskDefinition requests: from image overrides, or from a task definition JSON file. */
public final class TaskDefinitions {
    private TaskDefinitions() {}

    /**
     * A RegisterTaskDefinition request that copies {@code current} with only the named containers' images changed.
     * Only the writable fields go back: the read-only ones DescribeTaskDefinition adds (taskDefinitionArn, revision,
     * status, requiresAttributes, compatibilities, registeredAt/By, deregisteredAt, deleteRequestedAt) are left out,
     * and the tags of the current revision are carried over.
     */
    @SuppressWarnings("deprecation") // inferenceAccelerators: deprecated (Elastic Inference retired), still copied
    public static RegisterTaskDefinitionRequest withImages(TaskDefinition current, List<Tag> tags, Map<String, String> images) {
        List<ContainerDefinition> containers = new ArrayList<>();
        for (ContainerDefinition c : current.containerDefinitions()) {
            String img = images.get(c.name());
            containers.add(img == null ? c : c.toBuilder().image(img).build());
        }
        RegisterTaskDefinitionRequest.Builder b = RegisterTaskDefinitionRequest.builder()
                .family(current.family())
                .taskRoleArn(current.taskRoleArn())
                .executionRoleArn(current.executionRoleArn())
                .networkMode(current.networkModeAsString())
                .containerDefinitions(containers)
                .cpu(current.cpu())
                .memory(current.memory())
                .pidMode(current.pidModeAsString())
                .ipcMode(current.ipcModeAsString())
                .proxyConfiguration(current.proxyConfiguration())
                .ephemeralStorage(current.ephemeralStorage())
                .runtimePlatform(current.runtimePlatform())
                .enableFaultInjection(current.enableFaultInjection());
        if (current.hasVolumes()) {
            b.volumes(current.volumes());
        }
        if (current.hasPlacementConstraints()) {
            b.placementConstraints(current.placementConstraints());
        }
        if (current.hasRequiresCompatibilities()) {
            b.requiresCompatibilitiesWithStrings(current.requiresCompatibilitiesAsStrings());
        }
        if (current.hasInferenceAccelerators()) {
            b.inferenceAccelerators(current.inferenceAccelerators());
        }
        if (tags != null && !tags.isEmpty()) {
            b.tags(tags);
        }
        return b.build();
    }

    /** Container names of a task definition that the overrides name but the task definition lacks. */
    public static List<String> unknownContainers(TaskDefinition current, Map<String, String> images) {
        List<String> names = current.containerDefinitions().stream().map(ContainerDefinition::name).toList();
        return images.keySet().stream().filter(n -> !names.contains(n)).toList();
    }

    /**
     * A RegisterTaskDefinition request from JSON in the API's own shape (what {@code aws ecs
     * register-task-definition --cli-input-json} takes, or DescribeTaskDefinition's "taskDefinition" object). The
     * SDK's model builders are Jackson-readable; the read-only members of a described task definition are ignored.
     */
    public static RegisterTaskDefinitionRequest fromJson(String json, String origin) {
        ObjectMapper m = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try {
            var node = m.readTree(json);
            if (node.has("taskDefinition") && node.get("taskDefinition").isObject()) {
                node = node.get("taskDefinition"); // a DescribeTaskDefinition answer saved to a file
            }
            Object b = m.treeToValue(node, RegisterTaskDefinitionRequest.serializableBuilderClass());
            return ((RegisterTaskDefinitionRequest.Builder) b).build();
        } catch (Exception e) {
            throw new InvalidRequestException(List.of(new ValidationProblem(
                    "taskDefinitionJson" + (origin == null ? "" : "(" + origin + ")"), origin,
                    "JSON in the RegisterTaskDefinition shape: " + e.getMessage().split("\n")[0])));
        }
    }
}
