package io.jenkins.plugins.ecsdeploy.engine.cutover;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.GetChangeResponse;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Route53Exception;

/**
 * Our own small Route 53, for what moto does not do faithfully (docs/cutovers.md "Tests"): moto answers every change
 * INSYNC at once, while Route 53 answers PENDING first ("the initial status of all change batch requests", GetChange
 * API reference) and refuses a change while the zone's previous one is being applied (PriorRequestNotComplete). Here a
 * change stays PENDING for {@link #pendingPolls} GetChange calls, and {@link #priorRequestNotComplete} changes are
 * refused first. Batches are all or nothing; UPSERT matches name, type and set identifier; DELETE must match exactly.
 */
final class FakeRoute53 implements Route53Client {
    final List<ResourceRecordSet> records = new ArrayList<>();
    final List<ChangeResourceRecordSetsRequest> changes = new ArrayList<>();
    final List<Instant> getChangeCalls = new ArrayList<>();
    final Map<String, Integer> pendingLeft = new HashMap<>();
    final Supplier<Instant> clock;
    int pendingPolls;
    int priorRequestNotComplete;
    int changeCount;

    FakeRoute53(Supplier<Instant> clock) {
        this.clock = clock;
    }

    @Override
    public synchronized ChangeResourceRecordSetsResponse changeResourceRecordSets(ChangeResourceRecordSetsRequest r) {
        if (priorRequestNotComplete > 0) {
            priorRequestNotComplete--;
            throw (Route53Exception) Route53Exception.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode("PriorRequestNotComplete").errorMessage("The request was rejected because Route 53 was still processing a prior request.")
                    .build()).build();
        }
        List<ResourceRecordSet> next = new ArrayList<>(records);
        for (Change c : r.changeBatch().changes()) {
            ResourceRecordSet rr = c.resourceRecordSet();
            ResourceRecordSet existing = next.stream().filter(x -> sameKey(x, rr)).findFirst().orElse(null);
            switch (c.action()) {
                case CREATE -> {
                    if (existing != null) {
                        throw InvalidChangeBatchException.builder().message("record exists").build();
                    }
                    next.add(rr);
                }
                case UPSERT -> {
                    next.remove(existing);
                    next.add(rr);
                }
                case DELETE -> {
                    if (existing == null || !existing.equals(rr)) {
                        throw InvalidChangeBatchException.builder().message("delete does not match the record").build();
                    }
                    next.remove(existing);
                }
                default -> throw new IllegalArgumentException(c.actionAsString());
            }
        }
        records.clear();
        records.addAll(next);
        changes.add(r);
        String id = "C" + (++changeCount);
        pendingLeft.put(id, pendingPolls);
        return ChangeResourceRecordSetsResponse.builder().changeInfo(ChangeInfo.builder().id("/change/" + id)
                .status(ChangeStatus.PENDING).submittedAt(clock.get()).build()).build();
    }

    @Override
    public synchronized GetChangeResponse getChange(GetChangeRequest r) {
        getChangeCalls.add(clock.get());
        int left = pendingLeft.getOrDefault(r.id(), 0);
        pendingLeft.put(r.id(), Math.max(0, left - 1));
        return GetChangeResponse.builder().changeInfo(ChangeInfo.builder().id("/change/" + r.id())
                .status(left > 0 ? ChangeStatus.PENDING : ChangeStatus.INSYNC).submittedAt(clock.get()).build()).build();
    }

    @Override
    public synchronized ListResourceRecordSetsResponse listResourceRecordSets(ListResourceRecordSetsRequest r) {
        List<ResourceRecordSet> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(ResourceRecordSet::name).thenComparing(ResourceRecordSet::typeAsString)
                .thenComparing(x -> x.setIdentifier() == null ? "" : x.setIdentifier()));
        List<ResourceRecordSet> out = sorted.stream().filter(x -> x.name().compareTo(r.startRecordName()) >= 0).toList();
        return ListResourceRecordSetsResponse.builder().resourceRecordSets(out).isTruncated(false).maxItems("100").build();
    }

    /** The weight of the record with this set identifier, or null. */
    synchronized Integer weight(String setId) {
        return records.stream().filter(x -> setId.equals(x.setIdentifier())).map(x -> x.weight().intValue()).findFirst().orElse(null);
    }

    private static boolean sameKey(ResourceRecordSet a, ResourceRecordSet b) {
        return a.name().equalsIgnoreCase(b.name()) && a.typeAsString().equals(b.typeAsString())
                && Objects.equals(a.setIdentifier(), b.setIdentifier());
    }

    @Override
    public String serviceName() {
        return "route53";
    }

    @Override
    public void close() {}
}
