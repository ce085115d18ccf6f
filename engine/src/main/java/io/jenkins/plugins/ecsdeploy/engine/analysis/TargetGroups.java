package io.jenkins.plugins.ecsdeploy.engine.analysis;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServiceRevisionsResponse;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionLoadBalancer;

/**
 * Green's and blue's target groups and their load balancer, as CloudWatch's dimensions name them: {@code TargetGroup}
 * is the last part of the target group's ARN ({@code targetgroup/name/id}) and {@code LoadBalancer} the last part of the
 * load balancer's ({@code app/name/id}, {@code net/name/id}) — "CloudWatch metrics for your Application Load Balancer",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html ("Metric
 * dimensions"). ALB publishes target-group metrics with both dimensions together.
 *
 * <p>Which target group serves which revision: during a blue/green, canary or linear deployment ECS registers green's
 * tasks in the target group that is not live — {@code advancedConfiguration.alternateTargetGroupArn} or
 * {@code targetGroupArn}, whichever blue does not use, and after each successful deployment the roles swap. So the engine
 * does not guess from the service's configuration: it reads each revision's own {@code resolvedConfiguration
 * .loadBalancers[]} (target group and production listener rule) with one DescribeServiceRevisions for green and blue
 * ("DescribeServiceRevisions", ECS API reference,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceRevisions.html). The load balancer comes
 * from the listener (rule) ARN, {@code …:listener-rule/app/name/id/…} or {@code …:listener/net/name/id/…}.
 */
public record TargetGroups(String green, String blue, String loadBalancer) {

    /** Resolves the target groups of a deployment from its snapshot (blocking: call on an I/O thread). */
    @FunctionalInterface
    public interface Resolver {
        TargetGroups resolve(DeploymentSnapshot s);
    }

    /** The last part of a target group ARN: {@code targetgroup/name/id}; null when it is not one. */
    public static String dimensionOf(String targetGroupArn) {
        if (targetGroupArn == null) {
            return null;
        }
        int i = targetGroupArn.indexOf(":targetgroup/");
        return i < 0 ? null : targetGroupArn.substring(i + 1);
    }

    /** {@code app/name/id} or {@code net/name/id} from a listener or listener-rule ARN; null when it is neither. */
    public static String loadBalancerOf(String listenerOrRuleArn) {
        if (listenerOrRuleArn == null) {
            return null;
        }
        for (String marker : List.of(":listener-rule/", ":listener/")) {
            int i = listenerOrRuleArn.indexOf(marker);
            if (i >= 0) {
                String[] parts = listenerOrRuleArn.substring(i + marker.length()).split("/");
                if (parts.length >= 3) {
                    return parts[0] + "/" + parts[1] + "/" + parts[2];
                }
            }
        }
        return null;
    }

    /** One DescribeServiceRevisions for green and blue; fails with a sentence when a side has no target group. */
    public static Resolver fromEcs(EcsClient ecs) {
        return s -> {
            List<String> arns = new ArrayList<>(s.green().revisionArns());
            arns.addAll(s.blue().revisionArns());
            if (s.green().revisionArns().isEmpty() || s.blue().revisionArns().isEmpty()) {
                throw new IllegalStateException("the deployment's green and blue revisions are not known yet");
            }
            DescribeServiceRevisionsResponse r = ecs.describeServiceRevisions(b -> b.serviceRevisionArns(arns));
            String green = null;
            String blue = null;
            String lb = null;
            for (ServiceRevision rev : r.serviceRevisions()) {
                if (rev.resolvedConfiguration() == null || !rev.resolvedConfiguration().hasLoadBalancers()
                        || rev.resolvedConfiguration().loadBalancers().isEmpty()) {
                    continue;
                }
                ServiceRevisionLoadBalancer l = rev.resolvedConfiguration().loadBalancers().get(0);
                if (s.green().revisionArns().contains(rev.serviceRevisionArn())) {
                    green = dimensionOf(l.targetGroupArn());
                } else if (blue == null) {
                    blue = dimensionOf(l.targetGroupArn());
                }
                if (lb == null) {
                    lb = loadBalancerOf(l.productionListenerRule());
                }
            }
            if (green == null || blue == null) {
                throw new IllegalStateException("ECS names no target group for " + (green == null ? "green" : "blue")
                        + " (DescribeServiceRevisions resolvedConfiguration; a service without a load balancer cannot be"
                        + " analysed by target group)");
            }
            return new TargetGroups(green, blue, lb);
        };
    }

    /** A dimension value with its placeholders resolved for {@code side} ("green" or "blue"). */
    public String resolve(String value, String side) {
        boolean g = "green".equals(side);
        String own = g ? green : blue;
        String other = g ? blue : green;
        return value.replace("${targetGroup}", own)
                .replace("${greenTargetGroup}", own)
                .replace("${blueTargetGroup}", other)
                .replace("${loadBalancer}", loadBalancer == null ? "${loadBalancer}" : loadBalancer);
    }
}
