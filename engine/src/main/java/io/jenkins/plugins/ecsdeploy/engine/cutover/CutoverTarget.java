package io.jenkins.plugins.ecsdeploy.engine.cutover;

/**
 * One side of a DNS cutover: where the weighted record of that side points (docs/cutovers.md "Targets").
 * <ul>
 *   <li>{@link EcsService}: an ECS service behind an Application or Network Load Balancer, in any cluster, region or
 *       account; the engine finds its load balancer (ECS DescribeServices → the target group's load balancer, ELBv2
 *       DescribeTargetGroups and DescribeLoadBalancers) and writes an alias record to it.</li>
 *   <li>{@link Alias}: any alias target named directly (a load balancer's DNS name and canonical hosted zone id,
 *       a CloudFront distribution, another record of the zone …).</li>
 *   <li>{@link Value}: a plain value: an IPv4 or IPv6 address, or a host name (then the record is a CNAME).</li>
 * </ul>
 */
public sealed interface CutoverTarget permits CutoverTarget.EcsService, CutoverTarget.Alias, CutoverTarget.Value {

    /** One line for plans, logs and the page. */
    String describe();

    /**
     * The weighted record's set identifier when the request names none: derived from the target, so that a later
     * cutover from this target to another finds "its" record again (docs/cutovers.md "Set identifiers").
     */
    String defaultSetIdentifier();

    /**
     * An ECS service; {@code region} null = the cutover's region; {@code roleArn} (nullable) is assumed to read a
     * service of another account (ecs:DescribeServices, elasticloadbalancing:DescribeTargetGroups and
     * DescribeLoadBalancers in that account).
     */
    record EcsService(String region, String cluster, String service, String roleArn) implements CutoverTarget {
        public EcsService(String cluster, String service) {
            this(null, cluster, service, null);
        }

        public String clusterOrDefault() {
            return cluster == null || cluster.isBlank() ? "default" : cluster;
        }

        @Override
        public String describe() {
            return "ECS service " + clusterOrDefault() + "/" + service + (region == null ? "" : " in " + region)
                    + (roleArn == null ? "" : " (as " + roleArn + ")");
        }

        @Override
        public String defaultSetIdentifier() {
            // ':' rather than '/': moto 5.2.1 lists a set identifier with a '/' as only its last part (docs/cutovers.md "Tests")
            String s = "ecs:" + (region == null ? "" : region + ":") + shortName(clusterOrDefault()) + ":" + shortName(service);
            return s.length() <= 128 ? s : s.substring(0, 128);
        }

        private static String shortName(String nameOrArn) {
            if (nameOrArn == null) {
                return "";
            }
            int i = nameOrArn.lastIndexOf('/');
            return i < 0 ? nameOrArn : nameOrArn.substring(i + 1);
        }
    }

    /**
     * An alias target: its DNS name and hosted zone id (for a load balancer: DescribeLoadBalancers'
     * {@code DNSName} and {@code CanonicalHostedZoneId}, the AliasTarget API reference). An alias record has no TTL of
     * its own: Route 53 answers with the target's (60 s for a load balancer); for other targets the cutover assumes the
     * request's {@code ttlSeconds} (docs/cutovers.md "TTL"). {@code evaluateTargetHealth} null = true.
     */
    record Alias(String dnsName, String hostedZoneId, Boolean evaluateTargetHealth) implements CutoverTarget {
        @Override
        public String describe() {
            return "alias " + dnsName + " (zone " + hostedZoneId + ")";
        }

        @Override
        public String defaultSetIdentifier() {
            String s = dnsName == null ? "alias" : dnsName.toLowerCase(java.util.Locale.ROOT);
            return s.length() <= 128 ? s : s.substring(0, 128);
        }
    }

    /** A plain record value: an IP address (A or AAAA record) or a host name (CNAME record). */
    record Value(String value) implements CutoverTarget {
        @Override
        public String describe() {
            return "value " + value;
        }

        @Override
        public String defaultSetIdentifier() {
            String s = value == null ? "value" : value.toLowerCase(java.util.Locale.ROOT);
            return s.length() <= 128 ? s : s.substring(0, 128);
        }
    }
}
