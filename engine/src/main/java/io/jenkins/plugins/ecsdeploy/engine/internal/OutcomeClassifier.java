package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.util.Locale;

/**
 * Says why a deployment rolled back and how it ended. ECS reports only a status and a free-text reason, so the
 * cause comes from what the engine saw and did, in this order: what the engine itself asked for (a manual or
 * build-abort rollback, a gate it rejected), a gate seen rolled back, a triggered alarm, the circuit breaker, a
 * Lambda hook seen failed, a gate that expired while awaiting action, ECS's reason text (stage time limit, a stop,
 * a Lambda hook, a PAUSE timeout), a gate still awaiting (answered elsewhere), a Lambda hook last seen running;
 * else UNKNOWN with ECS's text. docs/engine.md "Outcomes" lists the rules.
 */
public final class OutcomeClassifier {
    private static final java.util.regex.Pattern LAMBDA_ARN =
            java.util.regex.Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?");

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
                return lambdaFailed(h, "TIMED_OUT".equals(h.status()) ? " timed out" : " failed");
            }
        }
        // ECS lists only the current stage's hooks (lifecycleHookDetails), and a hook that times out or fails starts
        // the rollback at once: its last status is often never seen. So a gate that was awaiting action and whose
        // expiry has passed timed out; ECS's reason text (wording UNVERIFIED) is the next clue.
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            boolean expired = h.expiresAt() != null && !h.expiresAt().isAfter(cur.at());
            if ("PAUSE".equals(h.targetType()) && !"CONTINUE".equals(h.timeoutAction())
                    && ("TIMED_OUT".equals(h.status()) || "AWAITING_ACTION".equals(h.status()) && expired)) {
                return new Cause(RollbackCause.GATE_TIMED_OUT, "gate at " + h.stage() + " timed out without a decision"
                        + (h.expiresAt() == null ? "" : " (expired " + h.expiresAt() + ")"), null);
            }
        }
        String text = ecsText(cur);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("24 hour") || lower.contains("-hour stage time limit") || lower.contains("time limit")
                || lower.contains("exceeded the maximum")) {
            return new Cause(RollbackCause.STAGE_TIME_LIMIT, "a stage reached its time limit: " + text, null);
        }
        if (lower.contains("stopservicedeployment") || lower.contains("stopped by") || lower.contains("manual")) {
            return new Cause(RollbackCause.MANUAL, "rolled back from outside this engine: " + text, null);
        }
        if (lower.contains("lambda")) {
            for (DeploymentSnapshot.Hook h : s.hooks()) {
                if (!"PAUSE".equals(h.targetType()) && h.targetArn() != null && text.contains(h.targetArn())) {
                    return lambdaFailed(h, lower.contains("timed out") ? " timed out" : " failed");
                }
            }
            // The hook failed before any poll saw it: take the function and the stage from ECS's text.
            String fn = lambdaArnIn(text);
            String stage = hookStageIn(text);
            // When ECS's text gave both, it says nothing more than our sentence: quoting it would name the function
            // and the stage twice (ECS's text stays in the StatusChanged event and the snapshot's statusReason).
            return new Cause(RollbackCause.LAMBDA_HOOK_FAILED, (fn == null ? "a Lambda hook" : "Lambda hook " + fn)
                    + (stage == null ? "" : " at " + stage) + (lower.contains("timed out") ? " timed out" : " failed")
                    + (fn != null && stage != null ? "" : " (ECS: " + text + ")"), null);
        }
        if (lower.contains("pause") && lower.contains("answered rollback")) {
            return new Cause(RollbackCause.GATE_REJECTED, "a gate was rejected outside this engine (ECS: " + text + ")", null);
        }
        if (lower.contains("pause") && lower.contains("timed out")) {
            return new Cause(RollbackCause.GATE_TIMED_OUT, "a gate timed out without a decision: " + text, null);
        }
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            if ("PAUSE".equals(h.targetType()) && "AWAITING_ACTION".equals(h.status())) {
                // Awaiting, not expired, no alarm: someone answered ROLLBACK elsewhere (console, another controller).
                return new Cause(RollbackCause.GATE_REJECTED, "gate at " + h.stage()
                        + " rejected by someone outside this engine", null);
            }
        }
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            if (!"PAUSE".equals(h.targetType()) && "IN_PROGRESS".equals(h.status())) {
                return lambdaFailed(h, " failed (last seen running when the rollback started)");
            }
        }
        return new Cause(RollbackCause.UNKNOWN, text.isBlank() ? "ECS gave no reason" : "ECS: " + text, null);
    }

    /**
     * ECS's words for the rollback: its rollback reason and its status reason, each once. They are often the same
     * text, or one contains the other ("Rollback failed: " + the reason); joining them blindly repeated it.
     */
    static String ecsText(Observation cur) {
        String r = cur.rollbackReason() == null ? "" : cur.rollbackReason().trim();
        String st = cur.statusReason() == null ? "" : cur.statusReason().trim();
        if (r.isEmpty() || st.contains(r)) {
            return st;
        }
        if (st.isEmpty() || r.contains(st)) {
            return r;
        }
        return r + " " + st;
    }

    private static String lambdaArnIn(String text) {
        java.util.regex.Matcher m = LAMBDA_ARN.matcher(text);
        return m.find() ? m.group() : null;
    }

    private static String hookStageIn(String text) {
        String stage = null;
        for (String st : io.jenkins.plugins.ecsdeploy.engine.RequestValidator.HOOK_STAGES) {
            if (text.contains(st) && (stage == null || st.length() > stage.length())) {
                stage = st;
            }
        }
        return stage;
    }

    /**
     * Why the rollback itself failed, said once: ECS's status reason without its "Rollback failed:" prefix (the
     * sentence already says so); nothing when the reason already quotes that text; and "the same hook failed again"
     * when it is the Lambda hook the reason already names, at the same stage (a hook at PRODUCTION_TRAFFIC_SHIFT runs
     * again during a rollback, ecs-api-facts §4).
     */
    static String rollbackFailure(String reason, String statusReason) {
        if (statusReason == null || statusReason.isBlank()) {
            return "";
        }
        String t = statusReason.trim().replaceFirst("(?i)^rollback failed[:.]?\\s*", "");
        if (t.isEmpty() || reason.contains(t)) {
            return "";
        }
        String fn = lambdaArnIn(t);
        String stage = hookStageIn(t);
        if (fn != null && stage != null && reason.contains("Lambda hook " + fn + " at " + stage)) {
            return ": the same hook failed again";
        }
        return ": " + t;
    }

    private static Cause lambdaFailed(DeploymentSnapshot.Hook h, String how) {
        return new Cause(RollbackCause.LAMBDA_HOOK_FAILED, "Lambda hook " + h.targetArn() + " at " + h.stage() + how, null);
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
                        + rollbackFailure(c.reason(), cur.statusReason()), c.by());
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
