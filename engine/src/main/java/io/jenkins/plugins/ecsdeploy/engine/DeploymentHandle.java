package io.jenkins.plugins.ecsdeploy.engine;

import java.io.Serializable;
import java.util.List;

/**
 * A started (or attached) service deployment: everything needed to follow it again after a restart.
 * Holds only Strings so Jenkins can persist it. taskDefinitionArn, strategy and accountId may be null
 * when unknown (e.g. attached to a deployment whose revision could not be described).
 */
public record DeploymentHandle(String deploymentArn, String region, String accountId, String cluster, String service,
                               String taskDefinitionArn, String strategy, List<String> gateStages)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final java.util.regex.Pattern SHAPE = java.util.regex.Pattern.compile(
            "arn:aws[a-z-]*:ecs:[a-z]{2}(-[a-z]+)+-\\d{1,2}:\\d{12}:service-deployment/[A-Za-z0-9_-]{1,255}/[A-Za-z0-9_-]{1,255}/[A-Za-z0-9_-]{1,64}");

    public DeploymentHandle {
        gateStages = gateStages == null ? List.of() : List.copyOf(gateStages);
    }

    /**
     * Parses region, account, cluster and service out of a service-deployment ARN
     * {@code arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>} (ServiceDeployment in the ECS API reference; docs/engine.md "8. Re-attach").
     */
    public static DeploymentHandle fromArn(String deploymentArn) {
        String[] p = deploymentArn == null ? new String[0] : deploymentArn.split(":", 6);
        if (p.length != 6 || !p[0].equals("arn") || !p[2].equals("ecs") || !p[5].startsWith("service-deployment/")) {
            throw new InvalidRequestException(List.of(new ValidationProblem("deploymentArn", deploymentArn,
                    "expected arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>")));
        }
        String[] r = p[5].split("/");
        // every part in the characters ECS uses (names: letters, digits, - and _; the id: letters and digits), so a
        // control character or markup in a pasted ARN is refused here, before any call (issue 10)
        if (r.length != 4 || !SHAPE.matcher(deploymentArn).matches()) {
            throw new InvalidRequestException(List.of(new ValidationProblem("deploymentArn", deploymentArn,
                    "expected arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>")));
        }
        return new DeploymentHandle(deploymentArn, p[3], p[4], r[1], r[2], null, null, List.of());
    }
}
