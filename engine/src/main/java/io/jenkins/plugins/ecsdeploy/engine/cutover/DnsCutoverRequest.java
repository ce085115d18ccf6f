package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A DNS cutover: move the answers of one Route 53 record from blue to green in weighted steps (docs/cutovers.md).
 * Immutable; build with {@link #builder()}. Nothing is checked here: {@link CutoverValidator} names every problem
 * before any AWS call.
 *
 * <p>Defaults: steps 10 → 50 → 100 (green's percentage of answers), TTL 60 s for the records the engine writes, the
 * {@link HealthCheck#DEFAULT} health check, no bake and no gate (then each step waits one TTL), set identifiers derived
 * from the targets, the record type derived from them (alias or IP → A/AAAA, host name → CNAME), Route 53's change
 * status looked at every 10 s for at most 10 minutes.
 */
public final class DnsCutoverRequest {
    public static final List<Integer> DEFAULT_STEPS = List.of(10, 50, 100);
    public static final int DEFAULT_TTL_SECONDS = 60;

    private final String id;
    private final String region;
    private final String hostedZoneId;
    private final String recordName;
    private final String recordType;
    private final Integer ttlSeconds;
    private final CutoverTarget blue;
    private final CutoverTarget green;
    private final String blueSetIdentifier;
    private final String greenSetIdentifier;
    private final List<Integer> steps;
    private final Integer bakeMinutes;
    private final CutoverGate gate;
    private final HealthCheck healthCheck;
    private final DeploymentRequest deployGreen;
    private final int changePollSeconds;
    private final int insyncTimeoutMinutes;

    private DnsCutoverRequest(Builder b) {
        this.id = b.id;
        this.region = b.region;
        this.hostedZoneId = b.hostedZoneId;
        this.recordName = b.recordName;
        this.recordType = b.recordType;
        this.ttlSeconds = b.ttlSeconds;
        this.blue = b.blue;
        this.green = b.green;
        this.blueSetIdentifier = b.blueSetIdentifier;
        this.greenSetIdentifier = b.greenSetIdentifier;
        this.steps = b.steps == null ? null : List.copyOf(b.steps);
        this.bakeMinutes = b.bakeMinutes;
        this.gate = b.gate;
        this.healthCheck = b.healthCheck;
        this.deployGreen = b.deployGreen;
        this.changePollSeconds = b.changePollSeconds;
        this.insyncTimeoutMinutes = b.insyncTimeoutMinutes;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.region = region;
        b.hostedZoneId = hostedZoneId;
        b.recordName = recordName;
        b.recordType = recordType;
        b.ttlSeconds = ttlSeconds;
        b.blue = blue;
        b.green = green;
        b.blueSetIdentifier = blueSetIdentifier;
        b.greenSetIdentifier = greenSetIdentifier;
        b.steps = steps;
        b.bakeMinutes = bakeMinutes;
        b.gate = gate;
        b.healthCheck = healthCheck;
        b.deployGreen = deployGreen;
        b.changePollSeconds = changePollSeconds;
        b.insyncTimeoutMinutes = insyncTimeoutMinutes;
        return b;
    }

    /** The caller's name for this cutover (the page, Route 53 change comments); null = the engine makes one. */
    public String id() { return id; }
    /** The region of the ECS services named without a region (Route 53 itself is global). */
    public String region() { return region; }
    public String hostedZoneId() { return hostedZoneId; }
    public String recordName() { return recordName; }
    /** A, AAAA or CNAME; null = derived from the targets ({@link #effectiveRecordType()}). */
    public String recordType() { return recordType; }
    /** TTL of the non-alias records the engine writes, and the cache time assumed for named aliases; null = 60 s. */
    public Integer ttlSeconds() { return ttlSeconds; }
    public CutoverTarget blue() { return blue; }
    public CutoverTarget green() { return green; }
    public String blueSetIdentifier() { return blueSetIdentifier; }
    public String greenSetIdentifier() { return greenSetIdentifier; }
    /** Green's percentage of answers after each step, increasing, the last 100; null = {@link #DEFAULT_STEPS}. */
    public List<Integer> steps() { return steps; }
    /** Minutes to wait after each step but the last (at least one TTL is waited anyway); null = 0. */
    public Integer bakeMinutes() { return bakeMinutes; }
    /** Null = no gate: the next step follows the wait. */
    public CutoverGate gate() { return gate; }
    /** Null = no health check (the plan says so). */
    public HealthCheck healthCheck() { return healthCheck; }
    /** Deploy green first with one of the native strategies (its outcome must be SUCCEEDED); null = green is ready. */
    public DeploymentRequest deployGreen() { return deployGreen; }
    public int changePollSeconds() { return changePollSeconds; }
    public int insyncTimeoutMinutes() { return insyncTimeoutMinutes; }

    public List<Integer> effectiveSteps() {
        return steps == null ? DEFAULT_STEPS : steps;
    }

    public int effectiveTtlSeconds() {
        return ttlSeconds == null ? DEFAULT_TTL_SECONDS : ttlSeconds;
    }

    public int effectiveBakeMinutes() {
        return bakeMinutes == null ? 0 : bakeMinutes;
    }

    public String effectiveBlueSetIdentifier() {
        return blueSetIdentifier != null ? blueSetIdentifier : blue == null ? null : blue.defaultSetIdentifier();
    }

    public String effectiveGreenSetIdentifier() {
        return greenSetIdentifier != null ? greenSetIdentifier : green == null ? null : green.defaultSetIdentifier();
    }

    /** The record type: the given one, else A for alias targets and IPv4 values, AAAA for IPv6, CNAME for host names. */
    public String effectiveRecordType() {
        if (recordType != null) {
            return recordType.toUpperCase(java.util.Locale.ROOT);
        }
        String b = typeOf(blue);
        String g = typeOf(green);
        if (b == null) {
            return g == null ? "A" : g;
        }
        return b;
    }

    /**
     * How long resolvers may cache an answer of this record, in seconds: the most of both sides. An alias to a load
     * balancer (an ECS service's) is answered with the load balancer's TTL, 60 s (Route 53 FAQ: "alias records with a
     * fixed TTL of 60 seconds" for ELB, https://aws.amazon.com/route53/faqs/); a named alias is assumed to have
     * {@link #effectiveTtlSeconds()}; a value record has it (the engine writes it).
     */
    public int cacheSeconds() {
        int most = 0;
        for (CutoverTarget t : new CutoverTarget[] {blue, green}) {
            most = Math.max(most, t instanceof CutoverTarget.EcsService ? LOAD_BALANCER_ALIAS_TTL_SECONDS : effectiveTtlSeconds());
        }
        return most;
    }

    /** Route 53 answers an alias to an ELB load balancer with a TTL of 60 s (Route 53 FAQ). */
    public static final int LOAD_BALANCER_ALIAS_TTL_SECONDS = 60;

    static String typeOf(CutoverTarget t) {
        if (t instanceof CutoverTarget.Value v) {
            return Hosts.isIpv4(v.value()) ? "A" : Hosts.isIpv6(v.value()) ? "AAAA" : "CNAME";
        }
        return t == null ? null : "A";
    }

    /** The record name as Route 53 lists it: lower case with a final dot. */
    public String normalizedRecordName() {
        if (recordName == null) {
            return null;
        }
        String n = recordName.toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".") ? n : n + ".";
    }

    /** The hosted zone id without a {@code /hostedzone/} prefix. */
    public String zoneId() {
        if (hostedZoneId == null) {
            return null;
        }
        return hostedZoneId.startsWith("/hostedzone/") ? hostedZoneId.substring("/hostedzone/".length()) : hostedZoneId;
    }

    @Override
    public String toString() {
        return "DnsCutoverRequest[id=" + id + ", region=" + region + ", zone=" + hostedZoneId + ", record=" + recordName
                + " " + recordType + ", ttl=" + ttlSeconds + ", blue=" + blue + " (" + blueSetIdentifier + "), green="
                + green + " (" + greenSetIdentifier + "), steps=" + steps + ", bake=" + bakeMinutes + ", gate=" + gate
                + ", healthCheck=" + healthCheck + ", deployGreen=" + deployGreen + "]";
    }

    public static final class Builder {
        private String id;
        private String region;
        private String hostedZoneId;
        private String recordName;
        private String recordType;
        private Integer ttlSeconds;
        private CutoverTarget blue;
        private CutoverTarget green;
        private String blueSetIdentifier;
        private String greenSetIdentifier;
        private List<Integer> steps;
        private Integer bakeMinutes;
        private CutoverGate gate;
        private HealthCheck healthCheck = HealthCheck.DEFAULT;
        private DeploymentRequest deployGreen;
        private int changePollSeconds = 10;
        private int insyncTimeoutMinutes = 10;

        private Builder() {}

        public Builder id(String v) { id = v; return this; }
        public Builder region(String v) { region = v; return this; }
        public Builder hostedZoneId(String v) { hostedZoneId = v; return this; }
        public Builder recordName(String v) { recordName = v; return this; }
        public Builder recordType(String v) { recordType = v; return this; }
        public Builder ttlSeconds(Integer v) { ttlSeconds = v; return this; }
        public Builder blue(CutoverTarget v) { blue = v; return this; }
        public Builder green(CutoverTarget v) { green = v; return this; }
        public Builder blueSetIdentifier(String v) { blueSetIdentifier = v; return this; }
        public Builder greenSetIdentifier(String v) { greenSetIdentifier = v; return this; }
        public Builder steps(List<Integer> v) { steps = v == null ? null : new ArrayList<>(v); return this; }
        public Builder bakeMinutes(Integer v) { bakeMinutes = v; return this; }
        public Builder gate(CutoverGate v) { gate = v; return this; }
        /** Null turns the health check off. */
        public Builder healthCheck(HealthCheck v) { healthCheck = v; return this; }
        public Builder deployGreen(DeploymentRequest v) { deployGreen = v; return this; }
        public Builder changePollSeconds(int v) { changePollSeconds = v; return this; }
        public Builder insyncTimeoutMinutes(int v) { insyncTimeoutMinutes = v; return this; }

        public DnsCutoverRequest build() {
            return new DnsCutoverRequest(this);
        }
    }
}
