package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.util.Locale;

/**
 * Says why a deployment rolled back and how it ended. ECS reports only a status and a free-text reason, so the
 * cause comes from what the engine saw and did, in this order: what the engine itself asked for (a manual or
 * build-abort rollback, a rejected gate), a gate rolled back or timed out, a triggered alarm, the circuit breaker,
 * a failed or timed-out Lambda hook, ECS's reason text (24-hour stage limit, a stop), else UNKNOWN with ECS's text.
 */
public final class OutcomeClassifier {
    private OutcomeClassifier() {}

    public record Cause(RollbackCause cause, String reason, String by) {}

    public static Cause cause(Observation cur, DeploymentSnapshot s, EventDiff.Intent intent) {
        if (intent != null) {
            return new Cause(intent.cause(), intent.reason(), intent.by());
        }
        for (DeploymentSnapshot.GateState g : s.gates()) {
            if ("ROLLED_BACK".equals(g.state())) {
                String who = g.decidedBy() == null ? "someone outside this engine" : g.decidedBy();
                return new Cause(RollbackCause.GATE_REJECTED, "gate at " + g.stage() + " rejected by " + who
                        + (g.comment() == null || g.comment().isBlank() ? "" : ": " + g.comment()), g.decidedBy());
            }
        }
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            if ("PAUSE".equals(h.targetType()) && "TIMED_OUT".equals(h.status())
                    && !"CONTINUE".equals(h.timeoutAction())) {
                return new Cause(RollbackCause.GATE_TIMED_OUT, "gate at " + h.stage() + " timed out without a decision"
                        + (h.expiresAt() == null ? "" : " (expired " + h.expiresAt() + ")"), null);
            }
        }
        if (!s.triggeredAlarms().isEmpty() || !cur.triggeredAlarms().isEmpty()) {
            var names = !cur.triggeredAlarms().isEmpty() ? cur.triggeredAlarms() : s.triggeredAlarms();
            return new Cause(RollbackCause.ALARM, "alarm" + (names.size() > 1 ? "s " : " ") + String.join(", ", names)
                    + " went into ALARM", null);
        }
        if (s.circuitBreakerTriggered() || "TRIGGERED".equals(cur.circuitBreakerStatus())) {
            Integer f = s.circuitBreakerFailures() != null ? s.circuitBreakerFailures() : cur.circuitBreakerFailures();
            Integer t = s.circuitBreakerThreshold() != null ? s.circuitBreakerThreshold() : cur.circuitBreakerThreshold();
            return new Cause(RollbackCause.CIRCUIT_BREAKER, "circuit breaker triggered: " + f + " tasks failed to start"
                    + " (threshold " + t + ")", null);
        }
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            if (!"PAUSE".equals(h.targetType()) && ("FAILED".equals(h.status()) || "TIMED_OUT".equals(h.status()))) {
                return new Cause(RollbackCause.LAMBDA_HOOK_FAILED, "Lambda hook " + h.targetArn() + " at " + h.stage()
                        + ("TIMED_OUT".equals(h.status()) ? " timed out" : " failed"), null);
            }
        }
        String text = (cur.rollbackReason() == null ? "" : cur.rollbackReason()) + " "
                + (cur.statusReason() == null ? "" : cur.statusReason());
        String lower = text.toLowerCase(Locale.ROOT);
        // ECS's wording is not documented (UNVERIFIED): match loosely and keep ECS's text in the reason.
        if (lower.contains("24 hour") || lower.contains("time limit") || lower.contains("exceeded the maximum")) {
            return new Cause(RollbackCause.STAGE_TIME_LIMIT, "a stage reached its 24-hour limit: " + text.trim(), null);
        }
        if (lower.contains("stopservicedeployment") || lower.contains("stopped by") || lower.contains("manual")
                || lower.contains("user")) {
            return new Cause(RollbackCause.MANUAL, "rolled back from outside this engine: " + text.trim(), null);
        }
        return new Cause(RollbackCause.UNKNOWN, text.isBlank() ? "ECS gave no reason" : "ECS: " + text.trim(), null);
    }

    public static Outcome outcome(Observation cur, DeploymentSnapshot s, EventDiff.Intent intent) {
        String status = cur.status();
        switch (status) {
            case "SUCCESSFUL":
                return Outcome.succeeded("deployment succeeded" + (cur.targetArn() == null ? "" : ": " + cur.targetArn()
                        + " is live"));
            case "ROLLBACK_SUCCESSFUL": {
                Cause c = s.rollbackCause() != null && s.rollbackCause() != RollbackCause.UNKNOWN
                        ? new Cause(s.rollbackCause(), s.rollbackReason(), byOf(s, intent))
                        : cause(cur, s, intent);
                return new Outcome(OutcomeKind.ROLLED_BACK, c.cause(), c.reason(), c.by());
            }
            case "ROLLBACK_FAILED": {
                Cause c = s.rollbackCause() != null ? new Cause(s.rollbackCause(), s.rollbackReason(), byOf(s, intent))
                        : cause(cur, s, intent);
                return new Outcome(OutcomeKind.ROLLBACK_FAILED, c.cause(), c.reason() + "; the rollback failed"
                        + (cur.statusReason() == null ? "" : ": " + cur.statusReason()), c.by());
            }
            case "STOPPED":
                return new Outcome(OutcomeKind.STOPPED, null, "deployment stopped"
                        + (cur.statusReason() == null ? "" : ": " + cur.statusReason()),
                        intent == null ? null : intent.by());
            default:
                return Outcome.failed("unexpected final status " + status);
        }
    }

    private static String byOf(DeploymentSnapshot s, EventDiff.Intent intent) {
        if (intent != null) {
            return intent.by();
        }
        for (DeploymentSnapshot.GateState g : s.gates()) {
            if ("ROLLED_BACK".equals(g.state())) {
                return g.decidedBy();
            }
        }
        return null;
    }
}
