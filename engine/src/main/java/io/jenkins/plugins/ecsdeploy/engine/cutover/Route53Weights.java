package io.jenkins.plugins.ecsdeploy.engine.cutover;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeBatch;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Route53Exception;

/**
 * The Route 53 side of a cutover: what the record holds now, the change batch that sets both weights at once, the
 * change itself and its status. Facts used (Route 53 API reference and Developer Guide, "Weighted routing"):
 * weighted records of one name and type are told apart by {@code SetIdentifier}, each with a {@code Weight} of 0–255 and a
 * share of answers = weight / sum of weights; a record of weight 0 gets no answers unless all are 0; a change batch is
 * applied all or nothing; {@code UPSERT} creates or replaces the record of that name, type and set identifier;
 * a change is PENDING until every Route 53 name server has it, then INSYNC (GetChange).
 *
 * <p>Only UPSERT is used for the weighted records (never DELETE by set identifier: moto deletes every record with that
 * identifier whatever its name, docs/cutovers.md "Tests"); the one DELETE is of a plain (non-weighted) record of the
 * name, replaced by the two weighted records in the first change's batch.
 */
final class Route53Weights {
    /** What the record's name holds now. */
    record Current(ResourceRecordSet blue, ResourceRecordSet green, ResourceRecordSet plain, List<String> problems,
                   List<String> leftovers) {
        Integer blueWeight() {
            return blue == null ? null : blue.weight() == null ? null : blue.weight().intValue();
        }

        Integer greenWeight() {
            return green == null ? null : green.weight() == null ? null : green.weight().intValue();
        }
    }

    private final Route53Client route53;

    Route53Weights(Route53Client route53) {
        this.route53 = route53;
    }

    /** Blocking. Lists the records of {@code name} (every type) and sorts them into ours, a plain one, and problems. */
    Current read(String zoneId, String name, String type, String blueId, String greenId) {
        ResourceRecordSet blue = null;
        ResourceRecordSet green = null;
        ResourceRecordSet plain = null;
        List<String> problems = new ArrayList<>();
        List<String> leftovers = new ArrayList<>();
        String start = name;
        String startType = null;
        String startId = null;
        while (true) {
            final String s = start;
            final String st = startType;
            final String sid = startId;
            ListResourceRecordSetsResponse r = route53.listResourceRecordSets(b -> {
                b.hostedZoneId(zoneId).startRecordName(s).maxItems("100");
                if (st != null) {
                    b.startRecordType(st);
                }
                if (sid != null) {
                    b.startRecordIdentifier(sid);
                }
            });
            boolean pastName = false;
            for (ResourceRecordSet rr : r.resourceRecordSets()) {
                if (!normalize(rr.name()).equals(name)) {
                    pastName = true;
                    break;
                }
                String t = rr.typeAsString();
                if (!t.equals(type)) {
                    if (t.equals("CNAME") || type.equals("CNAME")) {
                        problems.add("the name already has a " + t + " record, and a CNAME cannot share a name with another record");
                    }
                    continue;
                }
                String id = rr.setIdentifier();
                if (id == null) {
                    plain = rr;
                } else if (id.equals(blueId)) {
                    blue = rr;
                } else if (id.equals(greenId)) {
                    green = rr;
                } else if (rr.weight() != null && rr.weight() == 0) {
                    leftovers.add(id);   // weight 0: gets no answers while another record has weight (Weighted routing)
                } else {
                    problems.add("the record has a " + (rr.weight() != null ? "weighted record of weight " + rr.weight()
                            : "record with another routing policy") + " whose set identifier '" + id
                            + "' is neither blue's nor green's: this cutover will not move answers it does not own");
                }
            }
            if (pastName || !Boolean.TRUE.equals(r.isTruncated()) || r.nextRecordName() == null
                    || !normalize(r.nextRecordName()).equals(name)) {
                break;
            }
            start = r.nextRecordName();
            startType = r.nextRecordTypeAsString();
            startId = r.nextRecordIdentifier();
        }
        return new Current(blue, green, plain, problems, leftovers);
    }

    /** The batch that sets blue's and green's weights (and replaces a plain record of the name, once). */
    static ChangeBatch batch(Current now, String name, String type, int ttl, String blueId, ResolvedTarget blue, int blueWeight,
                             String greenId, ResolvedTarget green, int greenWeight, String comment) {
        List<Change> changes = new ArrayList<>();
        if (now != null && now.plain() != null) {
            changes.add(Change.builder().action(ChangeAction.DELETE).resourceRecordSet(now.plain()).build());
        }
        changes.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(record(name, type, ttl, blueId, blue, blueWeight)).build());
        changes.add(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(record(name, type, ttl, greenId, green, greenWeight)).build());
        return ChangeBatch.builder().comment(comment.length() > 256 ? comment.substring(0, 256) : comment).changes(changes).build();
    }

    static ResourceRecordSet record(String name, String type, int ttl, String setId, ResolvedTarget t, int weight) {
        ResourceRecordSet.Builder b = ResourceRecordSet.builder().name(name).type(type).setIdentifier(setId).weight((long) weight);
        if (t.alias()) {
            b.aliasTarget(AliasTarget.builder().dnsName(t.aliasDnsName()).hostedZoneId(t.aliasHostedZoneId())
                    .evaluateTargetHealth(t.evaluateTargetHealth()).build());
        } else {
            b.ttl((long) ttl).resourceRecords(ResourceRecord.builder().value(t.value()).build());
        }
        return b.build();
    }

    static ChangeResourceRecordSetsRequest request(String zoneId, ChangeBatch batch) {
        return ChangeResourceRecordSetsRequest.builder().hostedZoneId(zoneId).changeBatch(batch).build();
    }

    /** Blocking. The change's id without the {@code /change/} prefix. */
    String change(String zoneId, ChangeBatch batch) {
        String id = route53.changeResourceRecordSets(request(zoneId, batch)).changeInfo().id();
        return stripPrefix(id);
    }

    /** Blocking. True when the change is INSYNC. */
    boolean inSync(String changeId) {
        return route53.getChange(b -> b.id(changeId)).changeInfo().status() == ChangeStatus.INSYNC;
    }

    /**
     * Route 53 refuses a change while an earlier one of the zone is still being applied ({@code
     * PriorRequestNotComplete}, HTTP 400) and throttles at five requests a second per account (Route 53 quotas page):
     * both are worth trying again later; other refusals are not.
     */
    static boolean retryable(Throwable t) {
        if (t instanceof Route53Exception e && e.awsErrorDetails() != null) {
            String code = e.awsErrorDetails().errorCode();
            return "PriorRequestNotComplete".equals(code) || "Throttling".equals(code) || "ThrottlingException".equals(code)
                    || e.statusCode() >= 500;
        }
        return t instanceof software.amazon.awssdk.core.exception.SdkClientException;
    }

    static String stripPrefix(String id) {
        return id != null && id.startsWith("/change/") ? id.substring("/change/".length()) : id;
    }

    /** Route 53 lists names in lower case with a final dot and writes '*' as \052. */
    static String normalize(String n) {
        String s = n.replace("\\052", "*").toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s : s + ".";
    }
}
