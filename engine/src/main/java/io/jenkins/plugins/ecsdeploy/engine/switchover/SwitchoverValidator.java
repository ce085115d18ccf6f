package io.jenkins.plugins.ecsdeploy.engine.switchover;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The switchover's problems, before any AWS call ({@code switchover.<member> '<value>': …}, the one
 * template of {@link ValidationProblem#message()}). Parameter
 * names follow SSM's rules (PutParameter API reference and "Creating Systems Manager parameters": letters, digits and
 * {@code _.-/}, at most 2048 characters, at most 15 levels, a name with '/' starts with one, no {@code aws} or
 * {@code ssm} prefix); values at most 4096 characters (a Standard parameter). The stages are this engine's choice
 * (docs/cutovers.md "Switchover flag"): green must have its tasks, so not before POST_SCALE_UP.
 */
public final class SwitchoverValidator {
    public static final List<String> STAGES = List.of("POST_SCALE_UP", "POST_TEST_TRAFFIC_SHIFT",
            "PRE_PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-/]{1,2048}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

    private SwitchoverValidator() {}

    public static List<ValidationProblem> validate(DeploymentRequest r, Switchover s) {
        List<ValidationProblem> p = new ArrayList<>();
        if (s == null) {
            return p;
        }
        Strategy st = r == null ? null : r.strategy();
        if (st == null || st instanceof Strategy.Rolling) {
            p.add(new ValidationProblem("switchover", st == null ? null : st.ecsName(), "BLUE_GREEN, CANARY or LINEAR: a rolling "
                    + "update stops blue's tasks while it starts green's, so there is no moment where both run and a flag can move the work"));
        }
        if (!STAGES.contains(s.stage())) {
            p.add(new ValidationProblem("switchover.stage", s.stage(), "one of " + String.join(", ", STAGES)
                    + " (green's tasks must be running)"));
        }
        if (r != null) {
            for (Gate g : r.gates()) {
                if (g.stage().equals(s.stage())) {
                    p.add(new ValidationProblem("switchover.stage", s.stage(), "a stage without another gate (the approval is at "
                            + g.stage() + "): put the switchover after the approval, e.g. POST_PRODUCTION_TRAFFIC_SHIFT"));
                }
            }
        }
        parameter(s.parameter(), p);
        value("switchover.green", s.greenValue(), p);
        value("switchover.blue", s.blueValue(), p);
        if (!s.greenValue().contains("{") && s.greenValue().equals(s.blueValue())) {
            p.add(new ValidationProblem("switchover.blue", s.blueValue(), "a value other than green's"));
        }
        if (s.timeoutMinutes() < 1 || s.timeoutMinutes() > 20160) {
            p.add(new ValidationProblem("switchover.timeoutMinutes", String.valueOf(s.timeoutMinutes()),
                    "1 to 20160 minutes (the PAUSE hook that holds the deployment while the engine flips the flag)"));
        }
        return p;
    }

    static void parameter(String n, List<ValidationProblem> p) {
        String allowed = "an SSM parameter name: letters, digits and _.-/ (at most 2048, at most 15 levels), starting with '/' "
                + "when it has one, not starting with aws or ssm, e.g. /app/worker/active-revision";
        if (n == null || !NAME.matcher(n).matches()) {
            p.add(new ValidationProblem("switchover.parameter", n, allowed));
            return;
        }
        String lower = (n.startsWith("/") ? n.substring(1) : n).toLowerCase(Locale.ROOT);
        long levels = n.chars().filter(c -> c == '/').count();
        if (lower.startsWith("aws") || lower.startsWith("ssm") || (n.indexOf('/') >= 0 && !n.startsWith("/")) || levels > 15
                || n.endsWith("/") || n.contains("//")) {
            p.add(new ValidationProblem("switchover.parameter", n, allowed));
        }
    }

    static void value(String field, String v, List<ValidationProblem> p) {
        if (v.length() > 4096 || SafeText.hasUnsafeCharacters(v) || v.isBlank()) {
            p.add(new ValidationProblem(field, v, "1 to 4096 visible characters (an SSM Standard parameter)"));
            return;
        }
        Matcher m = PLACEHOLDER.matcher(v);
        while (m.find()) {
            if (!m.group().equals(Switchover.TASK_DEFINITION) && !m.group().equals(Switchover.TASK_DEFINITION_ARN)) {
                p.add(new ValidationProblem(field, v, "a literal value, or one with " + Switchover.TASK_DEFINITION + " or "
                        + Switchover.TASK_DEFINITION_ARN + " (the side's task definition)"));
                return;
            }
        }
    }
}
