package io.jenkins.plugins.ecsdeploy.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the caller asks for. Immutable; build with {@link #builder()}. Nothing is checked here:
 * {@link RequestValidator} reports every problem at once, before any AWS call.
 *
 * <p>Unset means "keep": {@code alarms == null} keeps the service's alarm configuration, an empty
 * {@code hooks} list keeps the service's Lambda hooks, null strategy parameters keep the service's
 * values (see docs/engine.md "What UpdateService sends").
 */
public final class DeploymentRequest {
    private final String region;
    private final String cluster;
    private final String service;
    private final RevisionSource revision;
    private final Strategy strategy;
    private final Alarms alarms;
    private final List<LambdaHook> hooks;
    private final List<Gate> gates;
    private final Integer desiredCount;
    private final boolean forceNewDeployment;
    private final boolean attachIfInProgress;
    private final List<String> allowedRoleAccounts;
    private final io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition analysis;

    private DeploymentRequest(Builder b) {
        this.region = b.region;
        this.cluster = b.cluster;
        this.service = b.service;
        this.revision = b.revision;
        this.strategy = b.strategy;
        this.alarms = b.alarms;
        this.hooks = List.copyOf(b.hooks);
        this.gates = List.copyOf(b.gates);
        this.desiredCount = b.desiredCount;
        this.forceNewDeployment = b.forceNewDeployment;
        this.attachIfInProgress = b.attachIfInProgress;
        this.allowedRoleAccounts = List.copyOf(b.allowedRoleAccounts);
        this.analysis = b.analysis;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this request, to change a few fields. */
    public Builder toBuilder() {
        Builder b = new Builder().region(region).cluster(cluster).service(service).revision(revision)
                .strategy(strategy).alarms(alarms).desiredCount(desiredCount)
                .forceNewDeployment(forceNewDeployment).attachIfInProgress(attachIfInProgress)
                .allowedRoleAccounts(allowedRoleAccounts).analysis(analysis);
        b.hooks.addAll(hooks);
        b.gates.addAll(gates);
        return b;
    }

    public String region() { return region; }
    /** Cluster name or ARN; null = the account's "default" cluster, as ECS itself does. */
    public String cluster() { return cluster; }
    public String service() { return service; }
    public RevisionSource revision() { return revision; }
    public Strategy strategy() { return strategy; }
    /** Nullable: keep the service's alarms. */
    public Alarms alarms() { return alarms; }
    public List<LambdaHook> hooks() { return hooks; }
    public List<Gate> gates() { return gates; }
    /** Nullable: keep the service's desired count. */
    public Integer desiredCount() { return desiredCount; }
    public boolean forceNewDeployment() { return forceNewDeployment; }
    /** When a deployment is already in progress: follow it instead of refusing. */
    public boolean attachIfInProgress() { return attachIfInProgress; }
    /**
     * Accounts other than the deployment's own whose IAM roles a task definition file may name (taskRoleArn,
     * executionRoleArn); empty = only the deployment's own account (docs/security.md "Roles of other accounts").
     */
    public List<String> allowedRoleAccounts() { return allowedRoleAccounts; }

    /** The cluster name ECS uses when none is given. */
    public String clusterOrDefault() {
        return cluster == null || cluster.isBlank() ? "default" : cluster;
    }

    /**
     * Automated canary analysis at its gates (docs/analysis.md); null = none. The engine places a PAUSE hook at each of
     * its stages ({@link #pauseGates()}); the caller wraps its gate handler with the engine's analyses.
     */
    public io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition analysis() { return analysis; }

    /**
     * Every PAUSE hook the engine places: the caller's gates, then one per analysis stage (its timeout: the measuring
     * time plus a person's time for an inconclusive result, then ROLLBACK; a dry run's: the measuring time, then
     * CONTINUE — ECS itself lets a dry run's gate go, the analysis decides nothing).
     */
    public List<Gate> pauseGates() {
        List<Gate> all = new ArrayList<>(gates);
        if (analysis != null && strategy != null) {
            for (String st : analysis.stagesFor(strategy.ecsName())) {
                if (all.stream().noneMatch(g -> g.stage().equals(st))) {
                    all.add(new Gate(st, analysis.gateTimeoutMinutes(),
                            analysis.dryRun() ? HookAction.CONTINUE : HookAction.ROLLBACK));
                }
            }
        }
        return all;
    }

    public List<String> gateStages() {
        List<String> s = new ArrayList<>();
        for (Gate g : pauseGates()) {
            s.add(g.stage());
        }
        return s;
    }

    @Override
    public String toString() {
        return "DeploymentRequest[region=" + region + ", cluster=" + cluster + ", service=" + service
                + ", revision=" + revision + ", strategy=" + strategy + ", alarms=" + alarms + ", hooks=" + hooks
                + ", gates=" + gates + ", desiredCount=" + desiredCount + ", forceNewDeployment="
                + forceNewDeployment + ", attachIfInProgress=" + attachIfInProgress
                + (allowedRoleAccounts.isEmpty() ? "" : ", allowedRoleAccounts=" + allowedRoleAccounts)
                + (analysis == null ? "" : ", analysis=" + analysis) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeploymentRequest r && toString().equals(r.toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }

    public static final class Builder {
        private String region;
        private String cluster;
        private String service;
        private RevisionSource revision;
        private Strategy strategy;
        private Alarms alarms;
        private final List<LambdaHook> hooks = new ArrayList<>();
        private final List<Gate> gates = new ArrayList<>();
        private Integer desiredCount;
        private boolean forceNewDeployment;
        private boolean attachIfInProgress;
        private final List<String> allowedRoleAccounts = new ArrayList<>();
        private io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition analysis;

        private Builder() {}

        public Builder region(String v) { this.region = v; return this; }
        public Builder cluster(String v) { this.cluster = v; return this; }
        public Builder service(String v) { this.service = v; return this; }
        public Builder revision(RevisionSource v) { this.revision = v; return this; }
        public Builder taskDefinition(String arnOrFamilyRevision) { return revision(new RevisionSource.TaskDefinition(arnOrFamilyRevision)); }
        public Builder strategy(Strategy v) { this.strategy = v; return this; }
        public Builder alarms(Alarms v) { this.alarms = v; return this; }
        public Builder hooks(List<LambdaHook> v) { hooks.clear(); if (v != null) hooks.addAll(v); return this; }
        public Builder hook(LambdaHook v) { hooks.add(v); return this; }
        public Builder gates(List<Gate> v) { gates.clear(); if (v != null) gates.addAll(v); return this; }
        public Builder gate(Gate v) { gates.add(v); return this; }
        public Builder desiredCount(Integer v) { this.desiredCount = v; return this; }
        public Builder forceNewDeployment(boolean v) { this.forceNewDeployment = v; return this; }
        public Builder attachIfInProgress(boolean v) { this.attachIfInProgress = v; return this; }
        public Builder allowedRoleAccounts(List<String> v) { allowedRoleAccounts.clear(); if (v != null) v.forEach(a -> allowedRoleAccounts.add(a == null ? "" : a)); return this; }

        public Builder analysis(io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisDefinition v) { this.analysis = v; return this; }

        public DeploymentRequest build() {
            return new DeploymentRequest(this);
        }
    }
}
