package io.jenkins.plugins.ecsdeploy.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Behaviour knobs of a simulator: stage timings, task start time and failure rate per revision, alarms that
 * enter ALARM, and the choices made where the AWS documentation is silent (see docs/simulator.md). Thread-safe;
 * changes apply to events scheduled after the change. Load from JSON with {@link ScenarioFile}.
 */
public final class Scenario {

    /** Whether lifecycle hooks fire on a service's first deployment (no earlier completed one). docs/simulator.md A2. */
    public enum FirstDeploymentHooks { ALL, LAMBDA_ONLY, NONE }

    /** What {@code lifecycleStage} reads while the PRE_PRODUCTION_TRAFFIC_SHIFT hooks run (docs/simulator.md A1: the stage enum lacks this stage). */
    public enum PreProductionStageReport {
        /** the string "PRE_PRODUCTION_TRAFFIC_SHIFT" (not in the SDK enum: lifecycleStage() gives UNKNOWN_TO_SDK_VERSION) */
        REPORTED,
        /** the previous stage (POST_TEST_TRAFFIC_SHIFT, or PRODUCTION_TRAFFIC_SHIFT between linear/canary steps) */
        PREVIOUS_STAGE
    }

    /** How UpdateService treats a {@code deploymentConfiguration} (not documented: docs/simulator.md A4). */
    public enum ConfigurationUpdate {
        /** the request's struct replaces the stored one; absent members take their defaults */
        REPLACE,
        /** members present in the request replace the stored ones, absent ones are kept */
        MERGE_MEMBERS
    }

    /**
     * Whether a ROLLING deployment reports {@code lifecycleStage} (PRE_SCALE_UP, SCALE_UP, POST_SCALE_UP, BAKE_TIME).
     * ECS accepts lifecycle hooks with ROLLING (Terraform's acceptance test TestAccECSService_BlueGreenDeployment_changeStrategy
     * switches a service with hooks to ROLLING), but no published page or log shows what a ROLLING deployment reports
     * (docs/simulator.md, assumption A13).
     */
    public enum RollingStageReport {
        /** no lifecycleStage (default: the engine must cope with the least information) */
        ABSENT,
        /** the stage the rolling deployment is in */
        REPORTED
    }

    /**
     * A failure of ECS's own work at the first traffic shift of a load-balanced BLUE_GREEN/CANARY/LINEAR deployment, with
     * the statusReason AWS publishes for it ("Troubleshooting Amazon ECS blue/green deployments",
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshooting-blue-green.html).
     */
    public enum InfrastructureFault {
        NONE,
        /** the target groups are not wired to the listener rules: "... because of invalid networking configuration ..." */
        INVALID_NETWORKING,
        /** the infrastructure role may not modify the listener (rule): "... User: ...ECSNetworkingWithELB is not authorized ..." */
        ELB_PERMISSIONS,
        /** ECS cannot assume a Lambda hook's role: "... ECS was unable to assume role ..." (at the hook's stage) */
        LAMBDA_ROLE
    }

    /** Task behaviour for revisions whose task definition matches (ARN, family:revision or family) or whose image contains a string. */
    public record TaskRule(String taskDefinition, String imageContains, Duration startTime, double failureRate) {
        public TaskRule {
            if (taskDefinition == null && imageContains == null) {
                throw new IllegalArgumentException("task rule: set taskDefinition or imageContains");
            }
            Objects.requireNonNull(startTime, "startTime");
            if (startTime.isNegative()) {
                throw new IllegalArgumentException("startTime: '" + startTime + "' is not allowed; >= 0");
            }
            if (!(failureRate >= 0 && failureRate <= 1)) {
                throw new IllegalArgumentException("failureRate: '" + failureRate + "' is not allowed; 0.0 to 1.0");
            }
        }
    }

    /**
     * The CloudWatch alarm {@code alarmName} enters ALARM {@code afterStart} after a deployment starts
     * (only deployments whose deploymentConfiguration.alarms lists the name and enables alarms; optionally
     * only when the target revision's image contains {@code imageContains}).
     */
    public record AlarmRule(String alarmName, Duration afterStart, String imageContains) {
        public AlarmRule {
            Objects.requireNonNull(alarmName, "alarmName");
            Objects.requireNonNull(afterStart, "afterStart");
        }
    }

    // ---- timing (virtual time) ----
    private Duration pendingDelay = Duration.ofSeconds(2);
    private Duration defaultTaskStart = Duration.ofSeconds(60);
    private double defaultFailureRate = 0.0;
    private Duration minimumStageDuration = Duration.ofSeconds(10);
    private Duration trafficShift = Duration.ofSeconds(30);
    private Duration nlbExtraShift = Duration.ofMinutes(10);
    private Duration cleanUp = Duration.ofSeconds(30);
    private Duration requestedDelay = Duration.ofSeconds(2);
    private Duration stageTimeLimit = Duration.ofHours(24);
    private Duration drainTime = Duration.ofSeconds(30);
    // ---- choices ----
    private FirstDeploymentHooks firstDeploymentHooks = FirstDeploymentHooks.LAMBDA_ONLY;
    private PreProductionStageReport preProductionStageReport = PreProductionStageReport.REPORTED;
    private ConfigurationUpdate configurationUpdate = ConfigurationUpdate.REPLACE;
    private RollingStageReport rollingStageReport = RollingStageReport.ABSENT;
    private InfrastructureFault infrastructureFault = InfrastructureFault.NONE;
    // ---- rules ----
    private final List<TaskRule> taskRules = new ArrayList<>();
    private final List<AlarmRule> alarmRules = new ArrayList<>();

    public synchronized Duration pendingDelay() { return pendingDelay; }
    /** PENDING → IN_PROGRESS delay of a new service deployment (default 2 s). */
    public synchronized Scenario pendingDelay(Duration d) { pendingDelay = nonNegative("pendingDelay", d); return this; }

    public synchronized Duration defaultTaskStart() { return defaultTaskStart; }
    /** Time from launching a task to RUNNING (or to its failure) when no rule matches (default 60 s). */
    public synchronized Scenario defaultTaskStart(Duration d) { defaultTaskStart = nonNegative("defaultTaskStart", d); return this; }

    public synchronized double defaultFailureRate() { return defaultFailureRate; }
    public synchronized Scenario defaultFailureRate(double r) {
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException("defaultFailureRate: '" + r + "' is not allowed; 0.0 to 1.0");
        }
        defaultFailureRate = r;
        return this;
    }

    public synchronized Duration minimumStageDuration() { return minimumStageDuration; }
    /** Shortest time any stage lasts (a hookable stage with no hook, a zero bake, ...), so a poller can see it (default 10 s). */
    public synchronized Scenario minimumStageDuration(Duration d) { minimumStageDuration = nonNegative("minimumStageDuration", d); return this; }

    public synchronized Duration trafficShift() { return trafficShift; }
    /** Duration of TEST_TRAFFIC_SHIFT and of each PRODUCTION_TRAFFIC_SHIFT step (default 30 s). */
    public synchronized Scenario trafficShift(Duration d) { trafficShift = nonNegative("trafficShift", d); return this; }

    public synchronized Duration nlbExtraShift() { return nlbExtraShift; }
    /** Extra time in TEST/PRODUCTION_TRAFFIC_SHIFT for an NLB (default 10 min, NLB resources page). */
    public synchronized Scenario nlbExtraShift(Duration d) { nlbExtraShift = nonNegative("nlbExtraShift", d); return this; }

    public synchronized Duration cleanUp() { return cleanUp; }
    /** Duration of CLEAN_UP (default 30 s). */
    public synchronized Scenario cleanUp(Duration d) { cleanUp = nonNegative("cleanUp", d); return this; }

    public synchronized Duration requestedDelay() { return requestedDelay; }
    /** Time spent in ROLLBACK_REQUESTED / STOP_REQUESTED after StopServiceDeployment (default 2 s). */
    public synchronized Scenario requestedDelay(Duration d) { requestedDelay = nonNegative("requestedDelay", d); return this; }

    public synchronized Duration stageTimeLimit() { return stageTimeLimit; }
    /** A stage still working after this fails the deployment and rolls back (default 24 h, blue/green "how it works" page). */
    public synchronized Scenario stageTimeLimit(Duration d) { stageTimeLimit = nonNegative("stageTimeLimit", d); return this; }

    public synchronized Duration drainTime() { return drainTime; }
    /**
     * How long a stopped task keeps running while it drains (default 30 s): it still counts in its revision's
     * runningTaskCount, so SUCCESSFUL can come while old tasks drain (docs/simulator.md, "Statuses").
     */
    public synchronized Scenario drainTime(Duration d) { drainTime = nonNegative("drainTime", d); return this; }

    public synchronized FirstDeploymentHooks firstDeploymentHooks() { return firstDeploymentHooks; }
    public synchronized Scenario firstDeploymentHooks(FirstDeploymentHooks v) { firstDeploymentHooks = Objects.requireNonNull(v); return this; }

    public synchronized PreProductionStageReport preProductionStageReport() { return preProductionStageReport; }
    public synchronized Scenario preProductionStageReport(PreProductionStageReport v) { preProductionStageReport = Objects.requireNonNull(v); return this; }

    public synchronized ConfigurationUpdate configurationUpdate() { return configurationUpdate; }
    public synchronized Scenario configurationUpdate(ConfigurationUpdate v) { configurationUpdate = Objects.requireNonNull(v); return this; }

    public synchronized RollingStageReport rollingStageReport() { return rollingStageReport; }
    public synchronized Scenario rollingStageReport(RollingStageReport v) { rollingStageReport = Objects.requireNonNull(v); return this; }

    public synchronized InfrastructureFault infrastructureFault() { return infrastructureFault; }
    /** Fails deployments that start after this call, see {@link InfrastructureFault} (default NONE). */
    public synchronized Scenario infrastructureFault(InfrastructureFault v) { infrastructureFault = Objects.requireNonNull(v); return this; }

    /** Adds a task rule; the first matching rule wins. */
    public synchronized Scenario task(TaskRule rule) { taskRules.add(Objects.requireNonNull(rule)); return this; }

    /** Shorthand: revisions whose image contains {@code imageContains} start in {@code startTime} and fail with {@code failureRate}. */
    public Scenario tasksWithImage(String imageContains, Duration startTime, double failureRate) {
        return task(new TaskRule(null, imageContains, startTime, failureRate));
    }

    /** Shorthand: revisions of this task definition (ARN, family:revision or family) start in {@code startTime} and fail with {@code failureRate}. */
    public Scenario tasksOf(String taskDefinition, Duration startTime, double failureRate) {
        return task(new TaskRule(taskDefinition, null, startTime, failureRate));
    }

    public synchronized List<TaskRule> taskRules() { return List.copyOf(taskRules); }

    /** Adds an alarm rule. */
    public synchronized Scenario alarm(AlarmRule rule) { alarmRules.add(Objects.requireNonNull(rule)); return this; }

    /** Shorthand: {@code alarmName} enters ALARM {@code afterStart} after each deployment that monitors it starts. */
    public Scenario alarmAfter(String alarmName, Duration afterStart) {
        return alarm(new AlarmRule(alarmName, afterStart, null));
    }

    public synchronized List<AlarmRule> alarmRules() { return List.copyOf(alarmRules); }

    public synchronized Scenario clearRules() {
        taskRules.clear();
        alarmRules.clear();
        return this;
    }

    private static Duration nonNegative(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative()) {
            throw new IllegalArgumentException(field + ": '" + d + "' is not allowed; a duration >= 0");
        }
        return d;
    }
}
