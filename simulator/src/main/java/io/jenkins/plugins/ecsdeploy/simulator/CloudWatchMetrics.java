package io.jenkins.plugins.ecsdeploy.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The CloudWatch metrics the simulator publishes for its load-balanced services' target groups, so that a canary
 * analysis can compare green with blue in a test (docs/simulator.md "CloudWatch metrics"). Requests arrive at a
 * steady rate (production and test traffic, {@link #requestsPerSecond}, {@link #testRequestsPerSecond}) and are split
 * between the target groups by the traffic weights the simulator itself applies during a deployment, over virtual
 * time; each revision answers them with the error rate and latency of the first {@link Profile} whose image substring
 * matches one of its images (else {@link #defaultProfile}). Served by {@code GetMetricData} in Smithy RPC v2 CBOR
 * ({@link CloudWatchServer}) on the simulator's own port.
 *
 * <p>Metrics (namespace {@code AWS/ApplicationELB}, dimensions {@code TargetGroup} = "targetgroup/name/id" and
 * {@code LoadBalancer} = "app/name/id", as ALB publishes them: "CloudWatch metrics for your Application Load
 * Balancer", https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html):
 * {@code RequestCount}, {@code HTTPCode_Target_5XX_Count}, {@code HTTPCode_Target_2XX_Count} and
 * {@code TargetResponseTime} (seconds). Thread-safe; knobs apply to every later query.
 */
public final class CloudWatchMetrics {

    /**
     * How a revision answers: the share of requests that get a 5xx (0–1) and its latency distribution, log-normal
     * through the median and the 99th percentile (seconds). Chosen for revisions whose images contain
     * {@code imageContains} (null = any revision).
     */
    public record Profile(String imageContains, double errorRate, double medianSeconds, double p99Seconds) {
        public Profile {
            if (errorRate < 0 || errorRate > 1) {
                throw new IllegalArgumentException("errorRate: '" + errorRate + "' is not allowed; 0 to 1");
            }
            if (medianSeconds <= 0 || p99Seconds < medianSeconds) {
                throw new IllegalArgumentException("latency: median " + medianSeconds + " s, p99 " + p99Seconds
                        + " s is not allowed; 0 < median <= p99");
            }
        }
    }

    /** One GetMetricData call as it arrived: when (virtual time), how many queries it carried. */
    public record Call(Instant at, int queries, Instant startTime, Instant endTime) {}

    private volatile double requestsPerSecond = 20.0;
    private volatile double testRequestsPerSecond = 2.0;
    private volatile Profile defaultProfile = new Profile(null, 0.01, 0.05, 0.2);
    private final List<Profile> profiles = new CopyOnWriteArrayList<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    CloudWatchMetrics() {
    }

    /** Production requests per second across the service's target groups (default 20), split by production weight. */
    public CloudWatchMetrics requestsPerSecond(double perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("requestsPerSecond: '" + perSecond + "' is not allowed; >= 0");
        }
        this.requestsPerSecond = perSecond;
        return this;
    }

    /** Test-listener requests per second (default 2), split by test weight (before the test shift: all to blue). */
    public CloudWatchMetrics testRequestsPerSecond(double perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("testRequestsPerSecond: '" + perSecond + "' is not allowed; >= 0");
        }
        this.testRequestsPerSecond = perSecond;
        return this;
    }

    /** Revisions whose images contain {@code imageContains} answer with this error rate and latency. First match wins. */
    public CloudWatchMetrics profile(String imageContains, double errorRate, double medianSeconds, double p99Seconds) {
        profiles.add(new Profile(Objects.requireNonNull(imageContains, "imageContains"), errorRate, medianSeconds,
                p99Seconds));
        return this;
    }

    /** What every other revision does (default: 1 % errors, median 50 ms, p99 200 ms). */
    public CloudWatchMetrics defaultProfile(double errorRate, double medianSeconds, double p99Seconds) {
        this.defaultProfile = new Profile(null, errorRate, medianSeconds, p99Seconds);
        return this;
    }

    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    public double testRequestsPerSecond() {
        return testRequestsPerSecond;
    }

    /** Every GetMetricData call that reached the simulator, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Queries (MetricDataQuery structures) of every call, summed. */
    public int queries() {
        return calls.stream().mapToInt(Call::queries).sum();
    }

    public void reset() {
        calls.clear();
    }

    void record(Call c) {
        calls.add(c);
    }

    Profile profileOf(List<String> images) {
        for (Profile p : profiles) {
            for (String i : images) {
                if (i.contains(p.imageContains())) {
                    return p;
                }
            }
        }
        return defaultProfile;
    }

    // ------------------------------------------------------------------ traffic over virtual time

    /**
     * What one target group served in [from, to): requests, and per revision the requests it served (a window in which
     * the target group changed revision has two parts). Computed from the deployments' stage history (the target
     * revision's weights on entering each stage: weights change only at a stage's start, docs/simulator.md).
     */
    record Served(double requests, List<Part> parts) {
        record Part(Profile profile, double requests) {}

        double errors() {
            double e = 0;
            for (Part p : parts) {
                e += p.requests() * p.profile().errorRate();
            }
            return e;
        }

        /** The profile that served most of the window (for latency statistics). */
        Profile main() {
            Part best = null;
            for (Part p : parts) {
                if (best == null || p.requests() > best.requests()) {
                    best = p;
                }
            }
            return best == null ? null : best.profile();
        }
    }

    /**
     * The traffic of the target group whose ARN ends with {@code targetGroupSuffix} ("targetgroup/name/id") on the load
     * balancer {@code loadBalancer} ("app/name/id", null = any) in [from, to). Null when no service uses it.
     */
    Served served(Controller c, String targetGroupSuffix, String loadBalancer, Instant from, Instant to) {
        synchronized (c) {
            Model.Service svc = serviceOf(c, targetGroupSuffix, loadBalancer);
            if (svc == null) {
                return null;
            }
            // cut [from, to) at every instant the weights or the serving revision may change
            List<Instant> cuts = new ArrayList<>();
            cuts.add(from);
            for (Model.Deployment d : svc.deployments) {
                addCut(cuts, d.createdAt, from, to);
                addCut(cuts, d.finishedAt, from, to);
                for (StageVisit v : d.history) {
                    addCut(cuts, v.enteredAt(), from, to);
                }
            }
            cuts.add(to);
            cuts.sort(null);
            double total = 0;
            List<Served.Part> parts = new ArrayList<>();
            for (int i = 0; i + 1 < cuts.size(); i++) {
                Instant a = cuts.get(i);
                Instant b = cuts.get(i + 1);
                double seconds = Duration.between(a, b).toMillis() / 1000.0;
                if (seconds <= 0) {
                    continue;
                }
                Share s = share(svc, targetGroupSuffix, a);
                if (s == null) {
                    continue;
                }
                double n = seconds * (requestsPerSecond * s.production / 100.0 + testRequestsPerSecond * s.test / 100.0);
                if (n <= 0) {
                    continue;
                }
                total += n;
                Profile p = profileOf(s.revision.taskDef.images());
                parts.add(new Served.Part(p, n));
            }
            return new Served(total, parts);
        }
    }

    private static void addCut(List<Instant> cuts, Instant t, Instant from, Instant to) {
        if (t != null && t.isAfter(from) && t.isBefore(to)) {
            cuts.add(t);
        }
    }

    private record Share(Model.Revision revision, double production, double test) {}

    /** Which revision the target group serves at {@code t}, with which production and test weights (percent). */
    private static Share share(Model.Service svc, String tgSuffix, Instant t) {
        Model.Deployment gov = null;
        for (Model.Deployment d : svc.deployments) {
            if (d.createdAt != null && !d.createdAt.isAfter(t)) {
                gov = d; // the latest deployment created by t governs the listener's weights
            }
        }
        if (gov == null || gov.target == null) {
            return null;
        }
        double g;
        double gt;
        StageVisit last = null;
        for (StageVisit v : gov.history) {
            if (!v.enteredAt().isAfter(t)) {
                last = v;
            }
        }
        if (last == null) {
            // no stage yet: a seeded deployment that ended SUCCESSFUL at once serves everything; else nothing shifted
            boolean done = "SUCCESSFUL".equals(gov.status) && gov.finishedAt != null && !gov.finishedAt.isAfter(t);
            g = done ? 100 : 0;
            gt = g;
        } else {
            g = last.productionWeight() == null ? 0 : last.productionWeight();
            gt = last.testWeight() == null ? 0 : last.testWeight();
        }
        if (gov.target.targetGroup != null && gov.target.targetGroup.endsWith(tgSuffix)) {
            return new Share(gov.target, g, gt);
        }
        for (Model.Revision r : gov.sources) {
            if (r.targetGroup != null && r.targetGroup.endsWith(tgSuffix)) {
                return new Share(r, 100 - g, 100 - gt);
            }
        }
        if (gov.rollbackTo != null && gov.rollbackTo.targetGroup != null && gov.rollbackTo.targetGroup.endsWith(tgSuffix)) {
            return new Share(gov.rollbackTo, 100 - g, 100 - gt);
        }
        return null;
    }

    private static Model.Service serviceOf(Controller c, String tgSuffix, String loadBalancer) {
        for (Model.Cluster cl : c.clusters.values()) {
            for (Model.Service s : cl.services.values()) {
                for (var lb : s.loadBalancers) {
                    String tg = lb.path("targetGroupArn").asText("");
                    String alt = lb.path("advancedConfiguration").path("alternateTargetGroupArn").asText("");
                    String rule = lb.path("advancedConfiguration").path("productionListenerRule").asText("");
                    boolean lbMatches = loadBalancer == null || rule.contains("/" + loadBalancer + "/");
                    if (lbMatches && (tg.endsWith(":" + tgSuffix) || alt.endsWith(":" + tgSuffix))) {
                        return s;
                    }
                }
            }
        }
        return null;
    }
}
