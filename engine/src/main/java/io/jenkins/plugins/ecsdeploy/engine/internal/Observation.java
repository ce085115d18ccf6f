package io.jenkins.plugins.ecsdeploy.engine.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHookDetail;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceRevisionSummary;

/**
 * The parts of one DescribeServiceDeployments answer the engine uses, as plain values (Strings for every enum:
 * ECS reports values the SDK does not know, such as the stage PRE_PRODUCTION_TRAFFIC_SHIFT; docs/engine.md "Follow").
 */
public record Observation(Instant at, String arn, String serviceArn, String clusterArn, String status,
                          String statusReason, String lifecycleStage, String strategy, Integer bakeMinutes,
                          Integer stepBakeMinutes, Instant createdAt, List<String> sourceArns, String targetArn,
                          Double greenProd, Double greenTest, Double blueProd, Double blueTest,
                          int greenRequested, int greenRunning, int greenPending,
                          int blueRequested, int blueRunning, int bluePending,
                          List<HookView> hooks, List<String> pauseStages, List<String> alarmNames,
                          String alarmStatus, List<String> triggeredAlarms, String circuitBreakerStatus,
                          int circuitBreakerFailures, int circuitBreakerThreshold, String rollbackReason,
                          Instant rollbackStartedAt, String rollbackRevisionArn, List<String> lambdaStages,
                          Double stepPercent) {

    /** A hook as ECS reports it in lifecycleHookDetails (no stage: ECS does not say). */
    public record HookView(String hookId, String targetType, String targetArn, String status, Instant expiresAt,
                           String timeoutAction) {}

    public static final List<String> TERMINAL = List.of("SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED");
    public static final List<String> ROLLING_BACK = List.of("ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS");

    public boolean terminal() {
        return status != null && TERMINAL.contains(status);
    }

    public boolean rollingBack() {
        return status != null && ROLLING_BACK.contains(status);
    }

    /**
     * The stage of a hook ECS lists now. ECS reports no stage per hook, only the deployment's; a ROLLING deployment
     * may report none at all (docs/engine.md "Stages"). Then the configuration tells: the only stage where hooks of
     * that type are configured, or — ROLLING with hooks before and after the new tasks — PRE_SCALE_UP while no new
     * task is requested yet, else POST_SCALE_UP. UNKNOWN when nothing tells.
     */
    public String stageOf(HookView h) {
        if (lifecycleStage != null) {
            return lifecycleStage;
        }
        List<String> configured = ("PAUSE".equals(h.targetType()) ? pauseStages : lambdaStages).stream().distinct().toList();
        if (configured.size() == 1) {
            return configured.get(0);
        }
        if ("ROLLING".equals(strategy) && configured.contains("PRE_SCALE_UP") && configured.contains("POST_SCALE_UP")) {
            return greenRequested == 0 && greenRunning == 0 && greenPending == 0 ? "PRE_SCALE_UP" : "POST_SCALE_UP";
        }
        return "UNKNOWN";
    }

    public HookView hook(String hookId) {
        for (HookView h : hooks) {
            if (h.hookId().equals(hookId)) {
                return h;
            }
        }
        return null;
    }

    public static Observation of(ServiceDeployment d, Instant at) {
        List<String> sources = new ArrayList<>();
        int bReq = 0, bRun = 0, bPen = 0;
        Double bProd = null, bTest = null;
        if (d.hasSourceServiceRevisions()) {
            for (ServiceRevisionSummary s : d.sourceServiceRevisions()) {
                sources.add(s.arn());
                bReq += nz(s.requestedTaskCount());
                bRun += nz(s.runningTaskCount());
                bPen += nz(s.pendingTaskCount());
                bProd = sum(bProd, s.requestedProductionTrafficWeight());
                bTest = sum(bTest, s.requestedTestTrafficWeight());
            }
        }
        ServiceRevisionSummary t = d.targetServiceRevision();
        List<HookView> hooks = new ArrayList<>();
        if (d.hasLifecycleHookDetails()) {
            for (DeploymentLifecycleHookDetail h : d.lifecycleHookDetails()) {
                hooks.add(new HookView(h.hookId(), h.targetTypeAsString(), h.targetArn(), h.statusAsString(),
                        h.expiresAt(), h.timeoutActionAsString()));
            }
        }
        List<String> pauseStages = new ArrayList<>();
        List<String> lambdaStages = new ArrayList<>();
        String strategy = null;
        Integer bake = null, stepBake = null;
        Double stepPct = null; // canaryPercent or the linear stepPercent: the plan's traffic steps (StepProgress)
        if (d.deploymentConfiguration() != null) {
            var dc = d.deploymentConfiguration();
            strategy = dc.strategyAsString();
            bake = dc.bakeTimeInMinutes();
            if (dc.canaryConfiguration() != null) {
                stepBake = dc.canaryConfiguration().canaryBakeTimeInMinutes();
                stepPct = dc.canaryConfiguration().canaryPercent();
            } else if (dc.linearConfiguration() != null) {
                stepBake = dc.linearConfiguration().stepBakeTimeInMinutes();
                stepPct = dc.linearConfiguration().stepPercent();
            }
            if (dc.hasLifecycleHooks()) {
                for (DeploymentLifecycleHook h : dc.lifecycleHooks()) {
                    if ("PAUSE".equals(h.targetTypeAsString())) {
                        pauseStages.addAll(h.lifecycleStagesAsStrings());
                    } else {
                        lambdaStages.addAll(h.lifecycleStagesAsStrings());
                    }
                }
            }
        }
        var al = d.alarms();
        var cb = d.deploymentCircuitBreaker();
        var rb = d.rollback();
        return new Observation(at, d.serviceDeploymentArn(), d.serviceArn(), d.clusterArn(), d.statusAsString(),
                d.statusReason(), d.lifecycleStageAsString(), strategy, bake, stepBake, d.createdAt(), sources,
                t == null ? null : t.arn(),
                t == null ? null : t.requestedProductionTrafficWeight(), t == null ? null : t.requestedTestTrafficWeight(),
                bProd, bTest,
                t == null ? 0 : nz(t.requestedTaskCount()), t == null ? 0 : nz(t.runningTaskCount()),
                t == null ? 0 : nz(t.pendingTaskCount()), bReq, bRun, bPen, hooks, pauseStages,
                al == null || !al.hasAlarmNames() ? List.of() : List.copyOf(al.alarmNames()),
                al == null ? null : al.statusAsString(),
                al == null || !al.hasTriggeredAlarmNames() ? List.of() : List.copyOf(al.triggeredAlarmNames()),
                cb == null ? null : cb.statusAsString(),
                cb == null ? 0 : nz(cb.failureCount()), cb == null ? 0 : nz(cb.threshold()), rb == null ? null : rb.reason(),
                rb == null ? null : rb.startedAt(), rb == null ? null : rb.serviceRevisionArn(), List.copyOf(lambdaStages),
                stepPct);
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    private static Double sum(Double a, Double b) {
        if (b == null) {
            return a;
        }
        return a == null ? b : a + b;
    }
}
