package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.EcsStages;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says why a deployment rolled back and how it ended, from STRUCTURED fields first and from ECS's words only where
 * AWS publishes them (docs/engine.md "7. Outcomes" lists the order and every published text with its source):
 * <ol>
 *   <li>what this engine did or was told (a rollback it asked for, a gate it rejected);</li>
 *   <li>a gate ECS reported answered ROLLBACK;</li>
 *   <li>{@code alarms.triggeredAlarmNames} → ALARM; the circuit breaker's status TRIGGERED → CIRCUIT_BREAKER;</li>
 *   <li>a published text naming a role ECS could not use → PERMISSIONS; "invalid networking configuration" →
 *       NETWORK_CONFIGURATION (they explain a hook or traffic shift that failed better than its status);</li>
 *   <li>a Lambda hook ECS reported FAILED or TIMED_OUT → LAMBDA_HOOK_FAILED; a gate reported TIMED_OUT or seen
 *       awaiting past its expiry → GATE_TIMED_OUT;</li>
 *   <li>published texts: a Lambda hook's failure, a pause hook's time-out, the circuit breaker;</li>
 *   <li>the status ROLLBACK_REQUESTED (only a StopServiceDeployment asks for a rollback) → MANUAL, from outside;</li>
 *   <li>a stage seen running for 23 hours or more (of ECS's 24-hour limit) when the rollback began → STAGE_TIME_LIMIT;</li>
 *   <li>else UNKNOWN, with ECS's reason as given — never a guessed cause.</li>
 * </ol>
 * A ROLLBACK_FAILED whose reason is "No rollback candidate was found to run the rollback", or whose rollback names no
 * revision while the deployment had none to return to, is NO_EARLIER_REVISION (with {@link Outcome#warning()}).
 */
public final class OutcomeClassifier {
    private static final String ARN_CHARS = "[A-Za-z0-9_:/.$+=,@-]+";
    private static final Pattern LAMBDA_ARN =
            Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?");
    /** Troubleshooting guide: "... <STAGE> lifecycle hook(s) failed. Lifecycle hook target <arn> returned FAILED status." */
    private static final Pattern HOOK_RETURNED_FAILED =
            Pattern.compile("([A-Z_]+) lifecycle hook\\(s\\) failed\\. Lifecycle hook target (\\S+?) returned FAILED status");
    /** "... <STAGE> lifecycle hook(s) failed. ECS was unable to parse the response from <arn> due to <why>" */
    private static final Pattern HOOK_UNPARSABLE =
            Pattern.compile("([A-Z_]+) lifecycle hook\\(s\\) failed\\. ECS was unable to parse the response from (\\S+) due to:? ?(.*)");
    /** "... <STAGE> lifecycle hook(s) failed. ECS was unable to invoke hook target <arn> due to <why>" */
    private static final Pattern HOOK_NOT_INVOKED =
            Pattern.compile("([A-Z_]+) lifecycle hook\\(s\\) failed\\. ECS was unable to invoke hook target (\\S+) due to (.*)");
    /** "Service deployment rolled back because <STAGE> pause hook timed out." */
    private static final Pattern PAUSE_TIMED_OUT = Pattern.compile("([A-Z_]+) pause hook timed out");
    /** "User: arn:aws:sts::<account>:assumed-role/<role>/<session> is not authorized to perform: <action> [on resource: <r>]" */
    private static final Pattern NOT_AUTHORIZED = Pattern.compile("User: arn:aws[a-z-]*:sts::(\\d{12}):assumed-role/([^/\\s]+)/\\S+"
            + " is not authorized to perform: (\\S+)(?: on resource: (" + ARN_CHARS + "))?");
    /** "ECS was unable to assume role <arn>" (Lambda hook role with a wrong trust policy). */
    private static final Pattern CANNOT_ASSUME = Pattern.compile("ECS was unable to assume role (arn:aws[a-z-]*:iam::\\d{12}:role/\\S+)");
    /** "... missing permissions on ECS Infrastructure Role '<arn>'." */
    private static final Pattern INFRA_ROLE = Pattern.compile("missing permissions on ECS Infrastructure Role '([^']+)'");
    private static final String INVALID_NETWORKING = "because of invalid networking configuration";
    private static final String CIRCUIT_BREAKER_TEXT = "circuit breaker threshold was exceeded";
    /** Terraform's create-failure acceptance test and the troubleshooting guide's log example. */
    static final String NO_ROLLBACK_CANDIDATE = "No rollback candidate was found";
    /** Each lifecycle stage may last at most 24 hours (blue/green "how it works" page). */
    static final Duration STAGE_TIME_LIMIT = Duration.ofHours(24);

    private OutcomeClassifier() {}

    public record Cause(RollbackCause cause, String reason, String by) {}

    public static Cause cause(Observation cur, DeploymentSnapshot s, EventDiff.Intent intent) {
        if (intent != null) {
            return new Cause(intent.cause(), intent.reason(), intent.by());
        }
        Cause c = rejectedGate(s);
        if (c != null) {
            return c;
        }
        c = health(cur, s);
        if (c != null) {
            return c;
        }
        String text = ecsText(cur);
        c = infrastructure(text);
        if (c != null) {
            return c;
        }
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            if (!"PAUSE".equals(h.targetType()) && ("FAILED".equals(h.status()) || "TIMED_OUT".equals(h.status()))) {
                return lambdaFailed(h.targetArn(), h.stage(), "TIMED_OUT".equals(h.status()) ? " timed out" : " failed");
            }
        }
        // ECS lists only the current stage's hooks and starts the rollback as soon as a hook times out, so the
        // TIMED_OUT status is rarely seen: a gate seen awaiting action whose expiry has passed timed out.
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            boolean expired = h.expiresAt() != null && !h.expiresAt().isAfter(cur.at());
            if ("PAUSE".equals(h.targetType()) && !"CONTINUE".equals(h.timeoutAction())
                    && ("TIMED_OUT".equals(h.status()) || "AWAITING_ACTION".equals(h.status()) && expired)) {
                return new Cause(RollbackCause.GATE_TIMED_OUT, "gate at " + h.stage() + " timed out without a decision"
                        + (h.expiresAt() == null ? "" : " (expired " + h.expiresAt() + ")"), null);
            }
        }
        c = publishedHookText(text);
        if (c != null) {
            return c;
        }
        if ("ROLLBACK_REQUESTED".equals(cur.status())) {
            // Only StopServiceDeployment requests a rollback (stop-service-deployment page): the console, the AWS CLI
            // or another controller did, not this engine.
            return new Cause(RollbackCause.MANUAL, "rolled back on request from outside this engine (StopServiceDeployment)"
                    + (text.isBlank() ? "" : "; ECS said: " + text), null);
        }
        c = stageTimeLimit(cur, s);
        if (c != null) {
            return c;
        }
        return new Cause(RollbackCause.UNKNOWN, text.isBlank() ? "ECS gave no reason" : "ECS said: " + text, null);
    }

    /** A gate ECS reported answered ROLLBACK, or one decided ROLLBACK through this engine. */
    private static Cause rejectedGate(DeploymentSnapshot s) {
        for (DeploymentSnapshot.GateState g : s.gates()) {
            // A gate closed because the deployment rolled back for another reason carries "not decided; …".
            boolean cutShort = g.decidedBy() == null && g.comment() != null && g.comment().startsWith("not decided");
            if ("ROLLED_BACK".equals(g.state()) && !cutShort) {
                String who = g.decidedBy() == null ? "someone outside this engine" : g.decidedBy();
                return new Cause(RollbackCause.GATE_REJECTED, "gate at " + g.stage() + " rejected by " + who
                        + (g.comment() == null || g.comment().isBlank() ? "" : ": " + g.comment()), g.decidedBy());
            }
        }
        return null;
    }

    /** The deployment's alarms and circuit breaker, as ECS reports them. */
    private static Cause health(Observation cur, DeploymentSnapshot s) {
        if (!s.triggeredAlarms().isEmpty() || !cur.triggeredAlarms().isEmpty()) {
            var names = !cur.triggeredAlarms().isEmpty() ? cur.triggeredAlarms() : s.triggeredAlarms();
            return new Cause(RollbackCause.ALARM, "alarm" + (names.size() > 1 ? "s " : " ") + String.join(", ", names)
                    + " went into ALARM", null);
        }
        if (s.circuitBreakerTriggered() || "TRIGGERED".equals(cur.circuitBreakerStatus())) {
            Integer f = s.circuitBreakerFailures() != null ? s.circuitBreakerFailures() : cur.circuitBreakerFailures();
            Integer t = s.circuitBreakerThreshold() != null ? s.circuitBreakerThreshold() : cur.circuitBreakerThreshold();
            return circuitBreaker(f, t);
        }
        return null;
    }

    private static Cause circuitBreaker(Integer failures, Integer threshold) {
        return new Cause(RollbackCause.CIRCUIT_BREAKER, "circuit breaker triggered: " + failures + " tasks failed to start"
                + " (threshold " + threshold + ")", null);
    }

    /** Published texts of a role ECS could not use, and of invalid load balancer wiring (troubleshooting guide). */
    static Cause infrastructure(String text) {
        Matcher m = NOT_AUTHORIZED.matcher(text);
        if (m.find()) {
            String role = "arn:aws:iam::" + m.group(1) + ":role/" + m.group(2);
            return new Cause(RollbackCause.PERMISSIONS, "role " + role + " is not allowed to " + m.group(3)
                    + (m.group(4) == null ? "" : " on " + m.group(4)) + " (ECS: " + text + ")", null);
        }
        m = CANNOT_ASSUME.matcher(text);
        if (m.find()) {
            return new Cause(RollbackCause.PERMISSIONS, "ECS could not assume role " + trimDot(m.group(1))
                    + " (check its trust policy: the principal ecs.amazonaws.com must be allowed sts:AssumeRole)", null);
        }
        m = INFRA_ROLE.matcher(text);
        if (m.find()) {
            return new Cause(RollbackCause.PERMISSIONS, "ECS could not use its infrastructure role " + m.group(1)
                    + " to manage the load balancer (check the role's trust policy and permissions)", null);
        }
        int i = text.indexOf(INVALID_NETWORKING);
        if (i >= 0) {
            String detail = text.substring(i + INVALID_NETWORKING.length()).replaceFirst("^[.:]\\s*", "").trim();
            return new Cause(RollbackCause.NETWORK_CONFIGURATION, "ECS found the load balancer wiring invalid"
                    + (detail.isEmpty() ? "" : ": " + detail), null);
        }
        return null;
    }

    /** Published texts of a failed Lambda hook, a pause hook's time-out and the circuit breaker. */
    private static Cause publishedHookText(String text) {
        Matcher m = HOOK_RETURNED_FAILED.matcher(text);
        if (m.find()) {
            return lambdaFailed(m.group(2), m.group(1), " failed");
        }
        m = HOOK_UNPARSABLE.matcher(text);
        if (m.find()) {
            return lambdaFailed(m.group(2), m.group(1), " failed: ECS could not read its answer (" + trimDot(m.group(3)) + ")");
        }
        m = HOOK_NOT_INVOKED.matcher(text);
        if (m.find()) {
            return lambdaFailed(m.group(2), m.group(1), " failed: ECS could not invoke it (" + trimDot(m.group(3)) + ")");
        }
        m = PAUSE_TIMED_OUT.matcher(text);
        if (m.find()) {
            return new Cause(RollbackCause.GATE_TIMED_OUT, "gate at " + m.group(1) + " timed out without a decision", null);
        }
        if (text.contains(CIRCUIT_BREAKER_TEXT)) {
            return new Cause(RollbackCause.CIRCUIT_BREAKER, "circuit breaker triggered: new tasks kept failing to start", null);
        }
        return null;
    }

    /** The stage the rollback interrupted had run for ECS's 24-hour stage limit (a bake does not count). */
    private static Cause stageTimeLimit(Observation cur, DeploymentSnapshot s) {
        // Both times on the engine's clock (ECS's rollback.startedAt may be skewed against it).
        Instant turned = cur.at();
        DeploymentSnapshot.Stage last = null;
        for (DeploymentSnapshot.Stage st : s.stages()) {
            // the last stage entered moving forward (not one the rollback itself entered in this round)
            if (st.observed() && !st.rollback() && st.enteredAt() != null && !st.enteredAt().isAfter(turned)) {
                last = st;
            }
        }
        // A poll sees a stage some time after it began: a stage seen for 23 of the 24 hours counts.
        if (last == null || "BAKE_TIME".equals(last.name())
                || Duration.between(last.enteredAt(), turned).compareTo(STAGE_TIME_LIMIT.minusHours(1)) < 0) {
            return null;
        }
        return new Cause(RollbackCause.STAGE_TIME_LIMIT, "stage " + last.name() + " had run for about "
                + Math.round(Duration.between(last.enteredAt(), turned).toMinutes() / 60.0) + " hours, ECS's limit for a stage",
                null);
    }

    /**
     * ECS's words for the rollback: its rollback reason and its status reason, each once. They are often the same
     * text, or one contains the other; joining them blindly repeated it.
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
        Matcher m = LAMBDA_ARN.matcher(text);
        return m.find() ? m.group() : null;
    }

    private static String hookStageIn(String text) {
        String stage = null;
        for (String st : EcsStages.HOOK_STAGES) {
            if (text.contains(st) && (stage == null || st.length() > stage.length())) {
                stage = st;
            }
        }
        return stage;
    }

    private static String trimDot(String s) {
        String t = s.trim();
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }

    /**
     * Why the rollback itself failed, said once: ECS's status reason without a leading "Rollback failed" (the sentence
     * already says so); nothing when the reason already quotes it; and "the same hook failed again" when it names the
     * Lambda hook the reason already names, at the same stage (a hook at PRODUCTION_TRAFFIC_SHIFT runs again during a
     * rollback: Lambda-hook page).
     */
    static String rollbackFailure(String reason, String statusReason) {
        if (statusReason == null || statusReason.isBlank()) {
            return "";
        }
        String t = statusReason.trim().replaceFirst("(?i)^rollback failed( because)?[:.]?\\s*", "");
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

    private static Cause lambdaFailed(String fn, String stage, String how) {
        return new Cause(RollbackCause.LAMBDA_HOOK_FAILED, "Lambda hook " + fn + " at " + stage + how, null);
    }

    public static Outcome outcome(Observation cur, DeploymentSnapshot s, EventDiff.Intent intent) {
        String status = cur.status();
        switch (status) {
            case "SUCCESSFUL": {
                StringBuilder r = new StringBuilder("deployment succeeded");
                // the revision as people name it, "web:2 (nginx:1.27 → nginx:1.28)"; its ARN only when not described
                String named = s.revisionDescription();
                if (named != null || cur.targetArn() != null) {
                    r.append(": ").append(named != null ? named : cur.targetArn()).append(" is live");
                }
                if (intent != null) {
                    // ROLLBACK_REQUESTED can still end SUCCESSFUL (service deployment page).
                    r.append("; the rollback asked for").append(intent.by() == null ? "" : " by " + intent.by())
                            .append(" came too late, ECS completed the deployment");
                }
                if (cur.blueRunning() > 0) {
                    // SUCCESSFUL does not mean the old tasks are gone (early-success page: DEFERRED clean-up; draining).
                    r.append("; old tasks still draining (").append(cur.blueRunning()).append(" still running)");
                }
                return Outcome.succeeded(r.toString());
            }
            case "ROLLBACK_SUCCESSFUL": {
                Cause c = s.rollbackCause() != null && s.rollbackCause() != RollbackCause.UNKNOWN
                        ? new Cause(s.rollbackCause(), s.rollbackReason(), byOf(s, intent))
                        : cause(cur, s, intent);
                return new Outcome(OutcomeKind.ROLLED_BACK, c.cause(), c.reason(), c.by());
            }
            case "ROLLBACK_FAILED": {
                Cause c = s.rollbackCause() != null && s.rollbackCause() != RollbackCause.UNKNOWN
                        ? new Cause(s.rollbackCause(), s.rollbackReason(), byOf(s, intent))
                        : cause(cur, s, intent);
                if (noEarlierRevision(cur)) {
                    String why = c.cause() == RollbackCause.UNKNOWN
                            ? ecsText(cur).replace(cur.statusReason() == null ? "" : cur.statusReason(), "").trim() : c.reason();
                    return new Outcome(OutcomeKind.ROLLBACK_FAILED, RollbackCause.NO_EARLIER_REVISION,
                            "the deployment failed" + (why == null || why.isBlank() ? "" : " (" + why + ")")
                                    + " and there was no earlier revision to roll back to (ECS: "
                                    + (cur.statusReason() == null ? "no rollback candidate" : cur.statusReason().trim()) + ")",
                            c.by());
                }
                return new Outcome(OutcomeKind.ROLLBACK_FAILED, c.cause(), c.reason() + "; the rollback failed"
                        + rollbackFailure(c.reason(), cur.statusReason()), c.by());
            }
            case "STOPPED": {
                Cause health = health(cur, s);
                String why = health != null ? health.reason() + " (rollback is off, so ECS stopped it)"
                        : cur.statusReason() == null ? null : cur.statusReason();
                return new Outcome(OutcomeKind.STOPPED, null, "deployment stopped" + (why == null ? "" : ": " + why),
                        intent == null ? null : intent.by());
            }
            default:
                return Outcome.failed("unexpected final status " + status);
        }
    }

    /**
     * ECS had nothing to roll back to: its published reason ("No rollback candidate was found to run the rollback"),
     * or, structurally, a rollback that names no revision while the deployment had no source revision.
     */
    static boolean noEarlierRevision(Observation cur) {
        if (cur.statusReason() != null && cur.statusReason().contains(NO_ROLLBACK_CANDIDATE)) {
            return true;
        }
        return cur.rollbackStartedAt() != null && cur.rollbackRevisionArn() == null && cur.sourceArns().isEmpty();
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
