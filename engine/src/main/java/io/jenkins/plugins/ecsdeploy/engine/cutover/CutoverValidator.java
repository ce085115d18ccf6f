package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.RequestValidator;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every problem of a {@link DnsCutoverRequest} at once, before any AWS call, as {@code <field>: '<value>' is not
 * allowed; <what is allowed>}. Limits come from the Route 53 API reference (ResourceRecordSet: SetIdentifier 1–128
 * characters, Weight 0–255, TTL 0–2147483647; HostedZone Id at most 32 characters) and the ECS naming rules the
 * native requests follow; the rest are this engine's choices, each said in docs/cutovers.md "Validation".
 */
public final class CutoverValidator {
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    static final Pattern ZONE_ID = Pattern.compile("(/hostedzone/)?[A-Z0-9]{1,32}");
    static final Pattern ECS_NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    static final Pattern CLUSTER_ARN = Pattern.compile("arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:cluster/[A-Za-z0-9_-]{1,255}");
    static final Pattern SERVICE_ARN = Pattern.compile(
            "arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255}");
    static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
    /** Route 53 SetIdentifier: 1–128 characters; we also refuse control and invisible characters. */
    static final int MAX_SET_IDENTIFIER = 128;
    /** A cutover waits at least one TTL after every step: a day is the longest wait this engine accepts per step. */
    public static final int MAX_TTL_SECONDS = 86400;
    public static final int MAX_STEPS = 10;
    public static final int MAX_BAKE_MINUTES = 1440;

    private CutoverValidator() {}

    public static List<ValidationProblem> validate(DnsCutoverRequest r) {
        List<ValidationProblem> p = new ArrayList<>();
        if (r.id() != null && (r.id().isEmpty() || r.id().length() > 64 || SafeText.hasUnsafeCharacters(r.id())
                || !r.id().matches("[A-Za-z0-9._:-]+"))) {
            p.add(new ValidationProblem("id", r.id(), "1-64 letters, digits, '.', '_', ':' or '-' (or none: the engine makes one)"));
        }
        if (r.region() == null || !REGION.matcher(r.region()).matches()) {
            p.add(new ValidationProblem("region", r.region(), "a region is required, e.g. eu-west-1"));
        }
        if (r.hostedZoneId() == null || !ZONE_ID.matcher(r.hostedZoneId()).matches()) {
            p.add(new ValidationProblem("hostedZoneId", r.hostedZoneId(),
                    "a Route 53 hosted zone id, e.g. Z0123456789ABCDEFGHIJ (upper-case letters and digits, at most 32)"));
        }
        if (!Hosts.isHostName(r.recordName(), true)) {
            p.add(new ValidationProblem("recordName", r.recordName(),
                    "a DNS name such as api.example.com (labels of letters, digits, '-' or '_', at most 63 each, 253 in all; '*' only as the first label)"));
        }
        String type = r.recordType();
        if (type != null && !List.of("A", "AAAA", "CNAME").contains(type.toUpperCase(java.util.Locale.ROOT))) {
            p.add(new ValidationProblem("recordType", type, "A, AAAA or CNAME (or none: derived from the targets)"));
        }
        if (r.ttlSeconds() != null && (r.ttlSeconds() < 0 || r.ttlSeconds() > MAX_TTL_SECONDS)) {
            p.add(new ValidationProblem("ttlSeconds", String.valueOf(r.ttlSeconds()),
                    "0 to " + MAX_TTL_SECONDS + " seconds (the cutover waits one TTL after every step; 60 is usual)"));
        }
        target("blue", r.blue(), p);
        target("green", r.green(), p);
        if (r.blue() != null && r.blue().equals(r.green())) {
            p.add(new ValidationProblem("green", r.green().describe(), "a target other than blue's"));
        }
        types(r, p);
        setIdentifier("blueSetIdentifier", r.effectiveBlueSetIdentifier(), r.blueSetIdentifier() != null, p);
        setIdentifier("greenSetIdentifier", r.effectiveGreenSetIdentifier(), r.greenSetIdentifier() != null, p);
        String bs = r.effectiveBlueSetIdentifier();
        if (bs != null && bs.equals(r.effectiveGreenSetIdentifier()) && !java.util.Objects.equals(r.blue(), r.green())) {
            p.add(new ValidationProblem("greenSetIdentifier", bs, "a set identifier other than blue's"));
        }
        steps(r.steps(), p);
        if (r.bakeMinutes() != null && (r.bakeMinutes() < 0 || r.bakeMinutes() > MAX_BAKE_MINUTES)) {
            p.add(new ValidationProblem("bakeMinutes", String.valueOf(r.bakeMinutes()), "0 to " + MAX_BAKE_MINUTES + " minutes"));
        }
        if (r.gate() != null && (r.gate().timeoutMinutes() < 1 || r.gate().timeoutMinutes() > CutoverGate.MAX_TIMEOUT_MINUTES)) {
            p.add(new ValidationProblem("gate.timeoutMinutes", String.valueOf(r.gate().timeoutMinutes()),
                    "1 to " + CutoverGate.MAX_TIMEOUT_MINUTES + " minutes (14 days, as native gates)"));
        }
        healthCheck(r, p);
        if (r.changePollSeconds() < 1 || r.changePollSeconds() > 300) {
            p.add(new ValidationProblem("changePollSeconds", String.valueOf(r.changePollSeconds()), "1 to 300 seconds"));
        }
        if (r.insyncTimeoutMinutes() < 1 || r.insyncTimeoutMinutes() > 60) {
            p.add(new ValidationProblem("insyncTimeoutMinutes", String.valueOf(r.insyncTimeoutMinutes()),
                    "1 to 60 minutes (Route 53 changes generally propagate within 60 seconds)"));
        }
        if (r.deployGreen() != null) {
            for (ValidationProblem d : RequestValidator.validate(r.deployGreen())) {
                p.add(new ValidationProblem("deployGreen." + d.field(), d.value(), d.allowed()));
            }
            if (!r.deployGreen().gates().isEmpty()) {
                p.add(new ValidationProblem("deployGreen.gates", String.join(", ", r.deployGreen().gateStages()),
                        "none: the cutover does not offer the green deployment's gates; deploy green with its own step first"));
            }
            if (!(r.green() instanceof CutoverTarget.EcsService g) || !sameService(g, r)) {
                p.add(new ValidationProblem("deployGreen.service", r.deployGreen().service(),
                        "the ECS service of the green target (green must be that service)"));
            }
        }
        return p;
    }

    public static void check(DnsCutoverRequest r) {
        List<ValidationProblem> p = validate(r);
        if (!p.isEmpty()) {
            throw new InvalidRequestException(p);
        }
    }

    private static boolean sameService(CutoverTarget.EcsService g, DnsCutoverRequest r) {
        var d = r.deployGreen();
        String region = g.region() == null ? r.region() : g.region();
        return d.service() != null && d.service().equals(g.service()) && d.clusterOrDefault().equals(g.clusterOrDefault())
                && region != null && region.equals(d.region());
    }

    private static void target(String field, CutoverTarget t, List<ValidationProblem> p) {
        if (t == null) {
            p.add(new ValidationProblem(field, null, "a target is required: an ECS service, an alias target or a value"));
            return;
        }
        if (t instanceof CutoverTarget.EcsService s) {
            if (s.region() != null && !REGION.matcher(s.region()).matches()) {
                p.add(new ValidationProblem(field + ".region", s.region(), "a region such as eu-west-1 (or none: the cutover's)"));
            }
            if (s.cluster() != null && !ECS_NAME.matcher(s.cluster()).matches() && !CLUSTER_ARN.matcher(s.cluster()).matches()) {
                p.add(new ValidationProblem(field + ".cluster", s.cluster(), "a cluster name (1-255 of A-Za-z0-9_-) or cluster ARN"));
            }
            if (s.service() == null || !ECS_NAME.matcher(s.service()).matches() && !SERVICE_ARN.matcher(s.service()).matches()) {
                p.add(new ValidationProblem(field + ".service", s.service(), "a service name (1-255 of A-Za-z0-9_-) or service ARN"));
            }
            if (s.roleArn() != null && !ROLE_ARN.matcher(s.roleArn()).matches()) {
                p.add(new ValidationProblem(field + ".roleArn", s.roleArn(), "an IAM role ARN, e.g. arn:aws:iam::123456789012:role/reader"));
            }
        } else if (t instanceof CutoverTarget.Alias a) {
            if (!Hosts.isHostName(a.dnsName(), false)) {
                p.add(new ValidationProblem(field + ".dnsName", a.dnsName(), "the alias target's DNS name, e.g. my-alb-123.eu-west-1.elb.amazonaws.com"));
            }
            if (a.hostedZoneId() == null || !ZONE_ID.matcher(a.hostedZoneId()).matches()) {
                p.add(new ValidationProblem(field + ".hostedZoneId", a.hostedZoneId(),
                        "the alias target's hosted zone id (a load balancer's CanonicalHostedZoneId, e.g. Z32O12XQLNTSW2)"));
            }
        } else if (t instanceof CutoverTarget.Value v) {
            if (!Hosts.isIpv4(v.value()) && !Hosts.isIpv6(v.value()) && !Hosts.isHostName(v.value(), false)) {
                p.add(new ValidationProblem(field + ".value", v.value(), "an IPv4 or IPv6 address or a host name"));
            }
        }
    }

    /** Weighted records of one name and type share the type (Route 53): both sides must fit the record's type. */
    private static void types(DnsCutoverRequest r, List<ValidationProblem> p) {
        if (r.blue() == null || r.green() == null) {
            return;
        }
        String type = r.effectiveRecordType();
        for (var side : List.of(new Object[] {"blue", r.blue()}, new Object[] {"green", r.green()})) {
            CutoverTarget t = (CutoverTarget) side[1];
            String own = DnsCutoverRequest.typeOf(t);
            boolean alias = !(t instanceof CutoverTarget.Value);
            if (alias && type.equals("CNAME")) {
                p.add(new ValidationProblem(side[0] + "", t.describe(), "a host-name value: a CNAME record cannot be an alias "
                        + "to a load balancer (Route 53 aliases are A or AAAA); give both sides as aliases or ECS services, "
                        + "or both as host names"));
            } else if (!alias && !own.equals(type)) {
                p.add(new ValidationProblem(side[0] + ".value", ((CutoverTarget.Value) t).value(),
                        "a value of the record's type " + type + " (" + (type.equals("A") ? "an IPv4 address"
                                : type.equals("AAAA") ? "an IPv6 address" : "a host name") + "): weighted records of one name share one type"));
            }
        }
    }

    private static void setIdentifier(String field, String v, boolean given, List<ValidationProblem> p) {
        if (v == null) {
            return;
        }
        if (v.isEmpty() || v.length() > MAX_SET_IDENTIFIER || SafeText.hasUnsafeCharacters(v)) {
            p.add(new ValidationProblem(field, v, "1 to " + MAX_SET_IDENTIFIER + " visible characters (Route 53 SetIdentifier)"
                    + (given ? "" : "; the one derived from the target does not fit: name one")));
        }
    }

    private static void steps(List<Integer> steps, List<ValidationProblem> p) {
        if (steps == null) {
            return;
        }
        String given = steps.toString();
        if (steps.isEmpty() || steps.size() > MAX_STEPS) {
            p.add(new ValidationProblem("steps", given, "1 to " + MAX_STEPS + " percentages of green, e.g. [10, 50, 100]"));
            return;
        }
        Set<Integer> seen = new HashSet<>();
        int last = 0;
        for (Integer s : steps) {
            if (s == null || s < 1 || s > 100) {
                p.add(new ValidationProblem("steps", given, "whole percentages from 1 to 100 (Route 53 weights are integers)"));
                return;
            }
            if (s <= last || !seen.add(s)) {
                p.add(new ValidationProblem("steps", given, "increasing percentages, e.g. [10, 50, 100]"));
                return;
            }
            last = s;
        }
        if (last != 100) {
            p.add(new ValidationProblem("steps", given, "a last step of 100 (the cutover ends with every answer on green)"));
        }
    }

    private static void healthCheck(DnsCutoverRequest r, List<ValidationProblem> p) {
        HealthCheck h = r.healthCheck();
        if (h == null) {
            return;
        }
        if (h.url() != null) {
            URI u = null;
            try {
                u = URI.create(h.url());
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (u == null || u.getScheme() == null || !List.of("http", "https").contains(u.getScheme().toLowerCase(java.util.Locale.ROOT))
                    || u.getHost() == null || SafeText.hasUnsafeCharacters(h.url())) {
                p.add(new ValidationProblem("healthCheck.url", h.url(), "an absolute http:// or https:// URL of green's endpoint"));
            } else if (u.getRawUserInfo() != null) {
                p.add(new ValidationProblem("healthCheck.url", h.url().replace(u.getRawUserInfo(), "…"),
                        "a URL without user name or password (they would be shown in the progress)"));
            }
        } else {
            if (h.path() == null || !h.path().startsWith("/") || h.path().length() > 2048 || SafeText.hasUnsafeCharacters(h.path())
                    || h.path().contains(" ")) {
                p.add(new ValidationProblem("healthCheck.path", h.path(), "a path starting with '/', without spaces, e.g. /health"));
            }
            if (r.green() instanceof CutoverTarget.Alias a && a.dnsName() != null && a.dnsName().startsWith("*")) {
                p.add(new ValidationProblem("healthCheck.url", null, "a URL: green's host cannot be derived"));
            }
        }
        if (h.expectedStatus() < 100 || h.expectedStatus() > 599) {
            p.add(new ValidationProblem("healthCheck.expectedStatus", String.valueOf(h.expectedStatus()), "an HTTP status from 100 to 599"));
        }
        if (h.attempts() < 1 || h.attempts() > 10) {
            p.add(new ValidationProblem("healthCheck.attempts", String.valueOf(h.attempts()), "1 to 10"));
        }
        if (h.intervalSeconds() < 1 || h.intervalSeconds() > 300) {
            p.add(new ValidationProblem("healthCheck.intervalSeconds", String.valueOf(h.intervalSeconds()), "1 to 300 seconds"));
        }
        if (h.timeoutSeconds() < 1 || h.timeoutSeconds() > 60) {
            p.add(new ValidationProblem("healthCheck.timeoutSeconds", String.valueOf(h.timeoutSeconds()), "1 to 60 seconds"));
        }
    }
}
