package io.jenkins.plugins.ecsdeploy.simulator;

/**
 * What {@link Seeder} created. Load-balancer fields are null for headless and CODE_DEPLOY services
 * (CODE_DEPLOY services get a target group but no advancedConfiguration); {@code deploymentArn} is the completed
 * first deployment (null for CODE_DEPLOY).
 */
public record SeededService(String clusterName, String clusterArn, String serviceName, String serviceArn,
                            String family, String taskDefinitionArn, String targetGroupArn,
                            String alternateTargetGroupArn, String productionListenerRule, String testListenerRule,
                            String roleArn, String deploymentArn) {
}
