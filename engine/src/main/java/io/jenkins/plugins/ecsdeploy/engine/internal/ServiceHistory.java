package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.HistoryEntry;
import io.jenkins.plugins.ecsdeploy.engine.RecordedDecision;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * A service's recent deployments (docs/engine.md "History"): ListServiceDeployments (newest first, one page of at most
 * {@code max}; the API reference caps maxResults at 100), DescribeServiceDeployments and DescribeServiceRevisions in
 * batches of 20 (their API limit), and one ListTagsForResource on the service for the decisions
 * ({@link DecisionLedger}). Reads only; blocking (run it on the engine's I/O pool).
 */
public final class ServiceHistory {
    private static final int BATCH = 20;

    private final EcsClient ecs;

    public ServiceHistory(EcsClient ecs) {
        this.ecs = ecs;
    }

    public List<HistoryEntry> read(String cluster, String service, int max) {
        int limit = Math.max(1, Math.min(100, max));
        List<ServiceDeploymentBrief> briefs = new ArrayList<>(ecs.listServiceDeployments(b -> b.cluster(cluster)
                .service(service).maxResults(limit)).serviceDeployments());
        // newest first whatever order ECS answers in (the order is not documented)
        briefs.sort(Comparator.comparing(ServiceDeploymentBrief::createdAt, Comparator.nullsLast(Comparator.reverseOrder())));
        if (briefs.size() > limit) {
            briefs = briefs.subList(0, limit);
        }
        Map<String, ServiceDeployment> details = new HashMap<>();
        for (int i = 0; i < briefs.size(); i += BATCH) {
            List<String> arns = briefs.subList(i, Math.min(briefs.size(), i + BATCH)).stream()
                    .map(ServiceDeploymentBrief::serviceDeploymentArn).toList();
            ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(arns)).serviceDeployments()
                    .forEach(d -> details.put(d.serviceDeploymentArn(), d));
        }
        List<String> revisionArns = briefs.stream().map(ServiceDeploymentBrief::targetServiceRevisionArn)
                .filter(a -> a != null && !a.isEmpty()).distinct().toList();
        Map<String, ServiceRevision> revisions = new HashMap<>();
        for (int i = 0; i < revisionArns.size(); i += BATCH) {
            List<String> arns = revisionArns.subList(i, Math.min(revisionArns.size(), i + BATCH));
            try {
                ecs.describeServiceRevisions(b -> b.serviceRevisionArns(arns)).serviceRevisions()
                        .forEach(r -> revisions.put(r.serviceRevisionArn(), r));
            } catch (RuntimeException e) {
                // display data: a revision ECS cannot describe keeps its ARN only
            }
        }
        Map<String, List<RecordedDecision>> decisions = briefs.isEmpty() ? Map.of()
                : decisions(briefs.get(0).serviceArn() != null ? briefs.get(0).serviceArn()
                : DecisionLedger.serviceArn(briefs.get(0).serviceDeploymentArn()), briefs);
        List<HistoryEntry> out = new ArrayList<>();
        for (ServiceDeploymentBrief b : briefs) {
            ServiceDeployment d = details.get(b.serviceDeploymentArn());
            ServiceRevision r = revisions.get(b.targetServiceRevisionArn());
            Map<String, String> images = new LinkedHashMap<>();
            if (r != null && r.hasContainerImages()) {
                r.containerImages().forEach(ci -> images.put(ci.containerName(), ci.image()));
            }
            out.add(new HistoryEntry(b.serviceDeploymentArn(), b.statusAsString(), b.statusReason(), b.createdAt(),
                    b.finishedAt(), d == null || d.deploymentConfiguration() == null ? null
                    : d.deploymentConfiguration().strategyAsString(), b.targetServiceRevisionArn(),
                    r == null ? null : r.taskDefinition(), images,
                    d == null || d.rollback() == null ? null : d.rollback().serviceRevisionArn(),
                    decisions.getOrDefault(b.serviceDeploymentArn(), List.of())));
        }
        return out;
    }

    /** The service's decision tags, by deployment ARN; none when they cannot be read (history without "who"). */
    private Map<String, List<RecordedDecision>> decisions(String serviceArn, List<ServiceDeploymentBrief> briefs) {
        Map<String, String> arnById = new HashMap<>();
        briefs.forEach(b -> arnById.put(DecisionLedger.deploymentId(b.serviceDeploymentArn()), b.serviceDeploymentArn()));
        Map<String, List<RecordedDecision>> out = new HashMap<>();
        List<Tag> tags;
        try {
            tags = ecs.listTagsForResource(b -> b.resourceArn(serviceArn)).tags();
        } catch (RuntimeException e) {
            return out;
        }
        for (Tag t : tags) {
            if (t.key() == null || !t.key().startsWith(DecisionLedger.PREFIX)) {
                continue;
            }
            String rest = t.key().substring(DecisionLedger.PREFIX.length());
            int colon = rest.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String arn = arnById.get(rest.substring(0, colon));
            if (arn == null) {
                continue;
            }
            RecordedDecision d = DecisionLedger.parse(arn, rest.substring(colon + 1), t.value());
            if (d != null) {
                out.computeIfAbsent(arn, k -> new ArrayList<>()).add(d);
            }
        }
        out.values().forEach(l -> l.sort(Comparator.comparing(RecordedDecision::at, Comparator.nullsFirst(Comparator.naturalOrder()))));
        return out;
    }
}
