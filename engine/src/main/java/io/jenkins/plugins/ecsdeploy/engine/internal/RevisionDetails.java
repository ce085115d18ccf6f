package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;

/**
 * Revision details (docs/engine.md "4. Follow", "Revision details"): the task definition and container images of a followed
 * deployment's revisions, from DescribeServiceRevisions (≤ 20 ARNs per call) on its first observation. Display data
 * only: a failed call leaves the images empty and never fails or delays following.
 */
final class RevisionDetails {
    private static final Logger LOG = Logger.getLogger(DeploymentWatcher.class.getName());
    private final EcsClient ecs;
    final AtomicLong calls = new AtomicLong();

    RevisionDetails(EcsClient ecs) {
        this.ecs = ecs;
    }

    /** One RevisionsDescribed event per deployment; blocking (call on the poll lane, never under the lock). */
    Map<String, DeploymentEvent.RevisionsDescribed> describe(List<ServiceDeployment> deployments, Instant at) {
        Map<String, String> sideOf = new LinkedHashMap<>();
        for (ServiceDeployment d : deployments) {
            for (String a : revisionArns(d)) {
                if (isTarget(d, a)) {
                    sideOf.put(a, "green");
                } else {
                    sideOf.putIfAbsent(a, "blue");
                }
            }
        }
        Map<String, DeploymentEvent.RevisionDetails> found;
        try {
            found = fetch(sideOf);
        } catch (RuntimeException e) {
            // Images are for display only: never fail or delay following over them.
            LOG.log(Level.FINE, "DescribeServiceRevisions failed; the snapshot shows no images", e);
            return Map.of();
        }
        Map<String, DeploymentEvent.RevisionsDescribed> out = new HashMap<>();
        for (ServiceDeployment d : deployments) {
            List<DeploymentEvent.RevisionDetails> revs = new ArrayList<>();
            List<String> notDescribed = new ArrayList<>();
            for (String a : revisionArns(d)) {
                if (found.containsKey(a)) {
                    revs.add(found.get(a));
                } else { // a MISSING failure (revisions created before 2024-10-25), or not returned at all
                    notDescribed.add(a);
                }
            }
            out.put(d.serviceDeploymentArn(), new DeploymentEvent.RevisionsDescribed(at, revs, notDescribed));
        }
        return out;
    }

    private Map<String, DeploymentEvent.RevisionDetails> fetch(Map<String, String> sideOf) {
        Map<String, DeploymentEvent.RevisionDetails> found = new HashMap<>();
        List<String> arns = new ArrayList<>(sideOf.keySet());
        for (int i = 0; i < arns.size(); i += DeploymentWatcher.BATCH) {
            List<String> chunk = arns.subList(i, Math.min(arns.size(), i + DeploymentWatcher.BATCH));
            calls.incrementAndGet();
            for (ServiceRevision sr : ecs.describeServiceRevisions(b -> b.serviceRevisionArns(chunk)).serviceRevisions()) {
                Map<String, String> images = new LinkedHashMap<>();
                if (sr.hasContainerImages()) {
                    for (var ci : sr.containerImages()) {
                        if (ci.containerName() != null && ci.image() != null) {
                            images.putIfAbsent(ci.containerName(), ci.image());
                        }
                    }
                }
                found.put(sr.serviceRevisionArn(), new DeploymentEvent.RevisionDetails(
                        sideOf.get(sr.serviceRevisionArn()), sr.serviceRevisionArn(), sr.taskDefinition(), images));
            }
        }
        return found;
    }

    /** How many DescribeServiceRevisions calls {@link #describe} makes for these deployments (≤ 20 ARNs a call). */
    static int callsFor(List<ServiceDeployment> deployments) {
        java.util.Set<String> arns = new java.util.HashSet<>();
        deployments.forEach(d -> arns.addAll(revisionArns(d)));
        return (arns.size() + DeploymentWatcher.BATCH - 1) / DeploymentWatcher.BATCH;
    }

    /** Target first, then the sources; nulls left out. */
    private static List<String> revisionArns(ServiceDeployment d) {
        List<String> own = new ArrayList<>();
        if (d.targetServiceRevision() != null && d.targetServiceRevision().arn() != null) {
            own.add(d.targetServiceRevision().arn());
        }
        if (d.hasSourceServiceRevisions()) {
            d.sourceServiceRevisions().forEach(r -> {
                if (r.arn() != null) {
                    own.add(r.arn());
                }
            });
        }
        return own;
    }

    private static boolean isTarget(ServiceDeployment d, String arn) {
        return d.targetServiceRevision() != null && arn.equals(d.targetServiceRevision().arn());
    }

    /** The revision details right after the Observed event (the first observation), when there are any. */
    static List<DeploymentEvent> withRevisions(List<DeploymentEvent> ev, DeploymentEvent.RevisionsDescribed r,
                                               Instant now) {
        if (r == null || ev.isEmpty() || !(ev.get(0) instanceof DeploymentEvent.Observed)) {
            return ev;
        }
        List<DeploymentEvent> out = new ArrayList<>(ev);
        out.add(1, new DeploymentEvent.RevisionsDescribed(now, r.revisions(), r.notDescribed()));
        return out;
    }
}
