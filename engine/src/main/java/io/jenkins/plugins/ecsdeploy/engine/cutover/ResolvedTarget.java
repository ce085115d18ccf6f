package io.jenkins.plugins.ecsdeploy.engine.cutover;

/**
 * What one side's weighted record will hold: an alias ({@code aliasDnsName}, {@code aliasHostedZoneId},
 * {@code evaluateTargetHealth}) or a plain {@code value}; {@code host} is where green's health check goes by default.
 */
public record ResolvedTarget(String aliasDnsName, String aliasHostedZoneId, boolean evaluateTargetHealth, String value,
                             String host) {
    public boolean alias() {
        return aliasDnsName != null;
    }

    /** What the record answers, for people. */
    public String answer() {
        return alias() ? "alias " + aliasDnsName : value;
    }

    static ResolvedTarget ofAlias(String dnsName, String zoneId, boolean evaluate) {
        return new ResolvedTarget(dnsName, zoneId, evaluate, null, dnsName);
    }

    static ResolvedTarget ofValue(String value) {
        return new ResolvedTarget(null, null, false, value, value);
    }
}
