package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Creates ready-made resources in-process (no HTTP, not counted in {@link CallStats}): a cluster, a task
 * definition family with containers "web" and "log-router", and a service whose first deployment is already
 * SUCCESSFUL, so later deployments have a revision to roll back to (deployment-failure-detection page: rollback needs a completed deployment).
 */
public final class Seeder {
    public static final String WEB_IMAGE = "public.ecr.aws/nginx/nginx:1.27";
    public static final String SIDECAR_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable";

    private final EcsSimulator sim;

    Seeder(EcsSimulator sim) {
        this.sim = sim;
    }

    /** Creates the cluster if needed; returns its ARN. */
    public String cluster(String name) {
        ObjectNode req = Json.obj();
        req.put("clusterName", name);
        return sim.call("CreateCluster", req).path("cluster").path("clusterArn").asText();
    }

    /** Registers a new revision of {@code family} with container "web" running {@code webImage} plus the sidecar; returns its ARN. */
    public String taskDefinition(String family, String webImage) {
        Map<String, String> images = new LinkedHashMap<>();
        images.put("web", webImage);
        images.put("log-router", SIDECAR_IMAGE);
        return taskDefinition(family, images);
    }

    /** Registers a new revision of {@code family} with the given containers (name → image, in order; the first gets port 80). */
    public String taskDefinition(String family, Map<String, String> imagesByContainer) {
        ObjectNode req = Json.obj();
        req.put("family", family);
        req.put("networkMode", "awsvpc");
        req.putArray("requiresCompatibilities").add("FARGATE");
        req.put("cpu", "256");
        req.put("memory", "512");
        req.put("executionRoleArn", "arn:aws:iam::" + sim.accountId() + ":role/ecsTaskExecutionRole");
        ArrayNode cds = req.putArray("containerDefinitions");
        boolean first = true;
        for (Map.Entry<String, String> e : imagesByContainer.entrySet()) {
            ObjectNode cd = cds.addObject();
            cd.put("name", e.getKey());
            cd.put("image", e.getValue());
            cd.put("essential", first);
            if (first) {
                ObjectNode pm = cd.putArray("portMappings").addObject();
                pm.put("containerPort", 80);
                pm.put("protocol", "tcp");
            }
            first = false;
        }
        return sim.call("RegisterTaskDefinition", req).path("taskDefinition").path("taskDefinitionArn").asText();
    }

    /** A service behind an ALB or NLB, ready for BLUE_GREEN/CANARY/LINEAR (strategy ROLLING until an update says otherwise). */
    public SeededService loadBalancedService(String cluster, String service, int desiredCount, LoadBalancerType type) {
        return loadBalancedService(cluster, service, desiredCount, type, null);
    }

    /**
     * As {@link #loadBalancedService(String, String, int, LoadBalancerType)} with an initial deploymentConfiguration
     * (JSON text in the API's member names, e.g. {@code {"strategy":"BLUE_GREEN","bakeTimeInMinutes":5}}), or null.
     */
    public SeededService loadBalancedService(String cluster, String service, int desiredCount, LoadBalancerType type,
                                             String deploymentConfigurationJson) {
        String region = sim.region();
        String account = sim.accountId();
        String elb = "arn:aws:elasticloadbalancing:" + region + ":" + account + ":";
        String tg = elb + "targetgroup/" + service + "-blue/" + hex16(service, 1);
        String alt = elb + "targetgroup/" + service + "-green/" + hex16(service, 2);
        String prod;
        String test;
        if (type == LoadBalancerType.NLB) {
            String lb = "net/" + service + "-nlb/" + hex16(service, 3);
            prod = elb + "listener/" + lb + "/" + hex16(service, 4);
            test = elb + "listener/" + lb + "/" + hex16(service, 5);
        } else {
            String lb = "app/" + service + "-alb/" + hex16(service, 3);
            String listener = hex16(service, 4);
            prod = elb + "listener-rule/" + lb + "/" + listener + "/" + hex16(service, 6);
            test = elb + "listener-rule/" + lb + "/" + hex16(service, 5) + "/" + hex16(service, 7);
        }
        String role = "arn:aws:iam::" + account + ":role/ecsInfrastructureRoleForLoadBalancers";
        ObjectNode lbNode = Json.obj();
        lbNode.put("targetGroupArn", tg);
        lbNode.put("containerName", "web");
        lbNode.put("containerPort", 80);
        ObjectNode ac = lbNode.putObject("advancedConfiguration");
        ac.put("alternateTargetGroupArn", alt);
        ac.put("productionListenerRule", prod);
        ac.put("testListenerRule", test);
        ac.put("roleArn", role);
        return create(cluster, service, desiredCount, "ECS", lbNode, deploymentConfigurationJson,
                tg, alt, prod, test, role);
    }

    /** A service with no load balancer (BLUE_GREEN allowed, no traffic shifting: blue/green "how it works" page). */
    public SeededService headlessService(String cluster, String service, int desiredCount) {
        return create(cluster, service, desiredCount, "ECS", null, null, null, null, null, null, null);
    }

    /** A service with deploymentController CODE_DEPLOY (for the engine's preflight refusal). */
    public SeededService codeDeployService(String cluster, String service, int desiredCount) {
        String tg = "arn:aws:elasticloadbalancing:" + sim.region() + ":" + sim.accountId() + ":targetgroup/"
                + service + "-cd/" + hex16(service, 8);
        ObjectNode lbNode = Json.obj();
        lbNode.put("targetGroupArn", tg);
        lbNode.put("containerName", "web");
        lbNode.put("containerPort", 80);
        return create(cluster, service, desiredCount, "CODE_DEPLOY", lbNode, null, tg, null, null, null, null);
    }

    /**
     * An Amazon ECS Express Mode service: ECS manages it ({@code resourceManagementType} ECS) and deploys it as a canary
     * (5 % of traffic, 3-minute bakes: "Updating an Amazon ECS Express Mode service",
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-update-full.html).
     */
    public SeededService expressService(String cluster, String service, int desiredCount) {
        SeededService s = loadBalancedService(cluster, service, desiredCount, LoadBalancerType.ALB,
                "{\"strategy\":\"CANARY\",\"canaryConfiguration\":{\"canaryPercent\":5.0,\"canaryBakeTimeInMinutes\":3},"
                        + "\"bakeTimeInMinutes\":3}");
        synchronized (sim.controller) {
            sim.controller.clusters.get(cluster).services.get(service).resourceManagementType = "ECS";
        }
        return s;
    }

    private SeededService create(String cluster, String service, int desired, String controllerType, ObjectNode lb,
                                 String configJson, String tg, String alt, String prod, String test, String role) {
        String clusterArn = cluster(cluster);
        String td = taskDefinition(service, WEB_IMAGE);
        ObjectNode req = Json.obj();
        req.put("cluster", cluster);
        req.put("serviceName", service);
        req.put("taskDefinition", td);
        req.put("desiredCount", desired);
        req.put("launchType", "FARGATE");
        ObjectNode aws = req.putObject("networkConfiguration").putObject("awsvpcConfiguration");
        aws.putArray("subnets").add("subnet-0a1b2c3d4e5f60001").add("subnet-0a1b2c3d4e5f60002");
        aws.putArray("securityGroups").add("sg-0a1b2c3d4e5f60003");
        aws.put("assignPublicIp", "DISABLED");
        req.putObject("deploymentController").put("type", controllerType);
        if (lb != null) {
            req.putArray("loadBalancers").add(lb);
        }
        if (configJson != null) {
            try {
                JsonNode cfg = Json.MAPPER.readTree(configJson);
                req.set("deploymentConfiguration", cfg);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("deploymentConfigurationJson: not valid JSON: " + e.getOriginalMessage(), e);
            }
        }
        String serviceArn;
        String deploymentArn = null;
        synchronized (sim.controller) {
            JsonNode svc = sim.call("CreateService", req).path("service");
            serviceArn = svc.path("serviceArn").asText();
            if ("ECS".equals(controllerType)) {
                deploymentArn = svc.path("currentServiceDeployment").asText();
                sim.controller.completeNow(sim.controller.deployments.get(deploymentArn));
            }
        }
        return new SeededService(cluster, clusterArn, service, serviceArn, service, td, tg, alt, prod, test, role, deploymentArn);
    }

    private static String hex16(String seed, int salt) {
        return String.format("%016x", (seed.hashCode() * 31L + salt) * 0x9E3779B97F4A7C15L);
    }
}
