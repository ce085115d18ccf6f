package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Turns a {@link CutoverTarget} into what its record will hold (reads only, before any Route 53 write). An ECS service:
 * DescribeServices → its first {@code loadBalancers[].targetGroupArn} → ELBv2 DescribeTargetGroups → the target
 * group's load balancer → DescribeLoadBalancers → {@code DNSName} and {@code CanonicalHostedZoneId}, the alias target
 * Route 53 needs (AliasTarget API reference: "the value of CanonicalHostedZoneId" for an ELB load balancer). For a
 * blue/green ECS service both target groups sit behind the same load balancer, so either one names it.
 */
final class TargetResolver {
    private final CutoverClients clients;
    private final String defaultRegion;

    TargetResolver(CutoverClients clients, String defaultRegion) {
        this.clients = clients;
        this.defaultRegion = defaultRegion;
    }

    /** Blocking: call on an I/O thread. A target that cannot be used → InvalidRequestException naming the field. */
    ResolvedTarget resolve(String field, CutoverTarget t) {
        if (t instanceof CutoverTarget.Alias a) {
            return ResolvedTarget.ofAlias(a.dnsName(), a.hostedZoneId().replace("/hostedzone/", ""),
                    a.evaluateTargetHealth() == null || a.evaluateTargetHealth());
        }
        if (t instanceof CutoverTarget.Value v) {
            return ResolvedTarget.ofValue(v.value());
        }
        CutoverTarget.EcsService s = (CutoverTarget.EcsService) t;
        String region = s.region() == null ? defaultRegion : s.region();
        DescribeServicesResponse r = clients.ecs(region, s.roleArn())
                .describeServices(b -> b.cluster(s.clusterOrDefault()).services(s.service()));
        if (r.services().isEmpty() || !"ACTIVE".equals(r.services().get(0).status())) {
            throw refuse(field, t, "an ACTIVE ECS service: " + s.describe() + " was "
                    + (r.services().isEmpty() ? "not found" + (r.failures().isEmpty() ? "" : " (" + r.failures().get(0).reason() + ")")
                    : r.services().get(0).status()));
        }
        Service svc = r.services().get(0);
        String tg = null;
        for (LoadBalancer lb : svc.loadBalancers()) {
            if (lb.targetGroupArn() != null) {
                tg = lb.targetGroupArn();
                break;
            }
        }
        if (tg == null) {
            boolean classic = svc.loadBalancers().stream().anyMatch(lb -> lb.loadBalancerName() != null);
            throw refuse(field, t, classic
                    ? "a service behind an Application or Network Load Balancer (a Classic Load Balancer has no target group to follow)"
                    : "a service behind a load balancer; for a service without one, name an alias or a value as the target");
        }
        final String tgArn = tg;
        List<TargetGroup> groups = clients.elb(region, s.roleArn()).describeTargetGroups(b -> b.targetGroupArns(tgArn)).targetGroups();
        if (groups.isEmpty() || groups.get(0).loadBalancerArns().isEmpty()) {
            throw refuse(field, t, "a service whose target group " + tgArn + " is attached to a load balancer");
        }
        String lbArn = groups.get(0).loadBalancerArns().get(0);
        var lbs = clients.elb(region, s.roleArn()).describeLoadBalancers(b -> b.loadBalancerArns(lbArn)).loadBalancers();
        if (lbs.isEmpty()) {
            throw refuse(field, t, "a service whose load balancer " + lbArn + " exists");
        }
        return ResolvedTarget.ofAlias(lbs.get(0).dnsName(), lbs.get(0).canonicalHostedZoneId(), true);
    }

    private static InvalidRequestException refuse(String field, CutoverTarget t, String allowed) {
        return new InvalidRequestException(List.of(new ValidationProblem(field, t.describe(), allowed)));
    }
}
