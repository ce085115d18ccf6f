package io.jenkins.plugins.ecsdeploy.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.engine.validation.ImageReference;
import io.jenkins.plugins.ecsdeploy.engine.validation.RequestConsistency;
import io.jenkins.plugins.ecsdeploy.engine.validation.TaskDefinitionFile;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every rule ECS enforces on a deployment request (and a few the engine adds to be safe), checked offline,
 * before any AWS call. Each problem names the field, the value given and what is allowed. The rules and their AWS
 * sources: docs/engine.md "1. Validation (offline)".
 */
public final class RequestValidator {
    /** Hook stages: {@link EcsStages#HOOK_STAGES}. */
    public static final List<String> HOOK_STAGES = EcsStages.HOOK_STAGES;
    /** Gate (PAUSE hook) stages with BLUE_GREEN, CANARY, LINEAR: {@link EcsStages#PAUSE_STAGES}. */
    public static final List<String> PAUSE_STAGES = EcsStages.PAUSE_STAGES;
    public static final int MAX_PAUSE_HOOKS = 10;
    public static final int MAX_LAMBDA_HOOKS = 10;
    public static final int MIN_HOOK_TIMEOUT = 1;
    /** A PAUSE hook (gate) waits at most 20,160 minutes, 14 days (pause-hook page). */
    public static final int MAX_HOOK_TIMEOUT = 20160;
    /** A Lambda hook's timeout is at most 1,440 minutes, 24 hours (Lambda-hook page), though the model allows 20,160. */
    public static final int MAX_LAMBDA_HOOK_TIMEOUT = 1440;
    public static final int MAX_BAKE_MINUTES = 1440;
    /** A whole deployment may take at most 30 days (blue/green "how it works" page). */
    public static final int MAX_DEPLOYMENT_MINUTES = 30 * 24 * 60;

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern CLUSTER_ARN = Pattern.compile("arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:cluster/[A-Za-z0-9_-]{1,255}");
    private static final Pattern SERVICE_ARN = Pattern.compile("arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255}");
    private static final Pattern TASK_DEF = Pattern.compile("[A-Za-z0-9_-]{1,255}:[1-9]\\d{0,9}");
    private static final Pattern TASK_DEF_ARN = Pattern.compile("arn:aws[a-z-]*:ecs:[a-z0-9-]+:\\d{12}:task-definition/[A-Za-z0-9_-]{1,255}:[1-9]\\d{0,9}");
    private static final Pattern LAMBDA_ARN = Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]{1,128})?");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}");
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestValidator() {}

    /** All problems of the request, in field order; empty when it is valid. */
    public static List<ValidationProblem> validate(DeploymentRequest r) {
        List<ValidationProblem> p = new ArrayList<>();
        if (r.region() == null || r.region().isBlank()) {
            p.add(new ValidationProblem("region", r.region(), "a region is required, e.g. us-east-1"));
        } else if (!REGION.matcher(r.region()).matches()) {
            p.add(new ValidationProblem("region", r.region(), "expected an AWS region code such as us-east-1"));
        }
        if (r.cluster() != null && !NAME.matcher(r.cluster()).matches() && !CLUSTER_ARN.matcher(r.cluster()).matches()) {
            p.add(new ValidationProblem("cluster", r.cluster(),
                    "a cluster name (1-255 letters, digits, - and _) or cluster ARN; leave it out for 'default'"));
        }
        if (r.service() == null || r.service().isBlank()) {
            p.add(new ValidationProblem("service", r.service(), "a service name or ARN is required"));
        } else if (!NAME.matcher(r.service()).matches() && !SERVICE_ARN.matcher(r.service()).matches()) {
            p.add(new ValidationProblem("service", r.service(),
                    "a service name (1-255 letters, digits, - and _) or service ARN"));
        }
        revision(r.revision(), p);
        strategy(r.strategy(), p);
        if (r.desiredCount() != null && r.desiredCount() < 0) {
            p.add(new ValidationProblem("desiredCount", String.valueOf(r.desiredCount()), "0 or more tasks"));
        }
        alarms(r.alarms(), p);
        String strategyName = r.strategy() == null ? null : r.strategy().ecsName();
        lambdaHooks(r.hooks(), strategyName, p);
        gates(r.gates(), strategyName, p);
        p.addAll(io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisValidator.validate(r.analysis(), strategyName,
                r.gates())); // docs/analysis.md "Rules"
        boolean rolling = r.strategy() instanceof Strategy.Rolling;
        RequestConsistency.check(r, p); // ARNs: service, region, account
        // The 30-day rule applies whatever else is wrong (plan, which skips the revision, must refuse what deploy
        // refuses; issue 10): only the strategy itself has to be valid to add up its bakes.
        if (strategyValid(r.strategy()) && r.strategy() != null && !rolling) {
            int min = Planner.plan(r.toBuilder().hooks(List.of()).gates(List.of()).build(), PlanContext.UNKNOWN).minimumDurationMinutes();
            if (min > MAX_DEPLOYMENT_MINUTES) {
                p.add(new ValidationProblem("strategy", describe(r.strategy()),
                        "the bakes add up to " + min + " minutes; a deployment may take at most " + MAX_DEPLOYMENT_MINUTES
                                + " minutes (30 days)"));
            }
        }
        return p;
    }

    private static boolean strategyValid(Strategy s) {
        List<ValidationProblem> own = new ArrayList<>();
        strategy(s, own);
        return own.isEmpty();
    }

    /** Throws {@link InvalidRequestException} listing every problem, if any. */
    public static void check(DeploymentRequest r) {
        List<ValidationProblem> p = validate(r);
        if (!p.isEmpty()) {
            throw new InvalidRequestException(p);
        }
    }

    private static void revision(RevisionSource rev, List<ValidationProblem> p) {
        if (rev == null) {
            p.add(new ValidationProblem("revision", null,
                    "give a task definition (ARN or family:revision), image overrides (container=image) or a task definition JSON file"));
        } else if (rev instanceof RevisionSource.TaskDefinition td) {
            String v = td.arnOrFamilyRevision();
            if (v == null || !(TASK_DEF.matcher(v).matches() || TASK_DEF_ARN.matcher(v).matches())) {
                p.add(new ValidationProblem("taskDefinition", v,
                        "a task definition ARN or family:revision, e.g. web:42 (revision 1 or more)"));
            }
        } else if (rev instanceof RevisionSource.ImageOverrides io) {
            if (io.imagesByContainer().isEmpty()) {
                p.add(new ValidationProblem("images", "", "at least one container=image pair, e.g. web=registry/web:1.4.2"));
            }
            for (Map.Entry<String, String> e : io.imagesByContainer().entrySet()) {
                if (e.getValue() == null) {
                    p.add(new ValidationProblem("images", e.getKey(), "container=image, e.g. web=registry/web:1.4.2"));
                } else if (!CONTAINER.matcher(e.getKey()).matches()) {
                    p.add(new ValidationProblem("images[" + e.getKey() + "]", e.getKey(),
                            "a container name: 1-255 letters, digits, - and _"));
                } else {
                    // reference grammar, no control/invisible characters, ECS's 255 (docs/engine.md "1. Validation (offline)"; issue 10)
                    ImageReference.check("images[" + e.getKey() + "]", e.getValue(), p);
                }
            }
        } else if (rev instanceof RevisionSource.TaskDefinitionJson tj) {
            String field = "taskDefinitionJson" + (tj.origin() == null ? "" : "(" + tj.origin() + ")");
            if (TaskDefinitionFile.check(field, tj.json(), p)) {
                return; // size, JSON shape, members, images, role ARNs (docs/engine.md "1. Validation (offline)"; issue 10)
            }
            JsonNode n = null;
            try {
                n = tj.json() == null ? null : JSON.readTree(tj.json());
            } catch (Exception e) {
                p.add(new ValidationProblem(field, abbreviate(tj.json()), "valid JSON: " + firstLine(e.getMessage())));
                return;
            }
            if (n == null || !n.isObject()) {
                p.add(new ValidationProblem(field, abbreviate(tj.json()),
                        "a JSON object in the RegisterTaskDefinition shape ({\"family\": ..., \"containerDefinitions\": [...]})"));
                return;
            }
            JsonNode fam = n.get("family");
            if (fam == null || !fam.isTextual() || !NAME.matcher(fam.asText()).matches()) {
                p.add(new ValidationProblem(field + ".family", fam == null ? null : fam.asText(),
                        "a family name: 1-255 letters, digits, - and _"));
            }
            JsonNode cd = n.get("containerDefinitions");
            if (cd == null || !cd.isArray() || cd.isEmpty()) {
                p.add(new ValidationProblem(field + ".containerDefinitions", cd == null ? null : cd.toString(),
                        "a non-empty array of container definitions"));
            } else {
                for (int i = 0; i < cd.size(); i++) {
                    JsonNode c = cd.get(i);
                    if (!c.path("name").isTextual() || !c.path("image").isTextual()) {
                        p.add(new ValidationProblem(field + ".containerDefinitions[" + i + "]", abbreviate(c.toString()),
                                "each container needs a \"name\" and an \"image\""));
                    }
                }
            }
        }
    }

    private static void strategy(Strategy s, List<ValidationProblem> p) {
        if (s != null) {
            circuitBreaker(s, p);
        }
        if (s == null) {
            p.add(new ValidationProblem("strategy", null, "one of ROLLING, BLUE_GREEN, CANARY, LINEAR"));
        } else if (s instanceof Strategy.Rolling ro) {
            if (ro.minimumHealthyPercent() != null && (ro.minimumHealthyPercent() < 0 || ro.minimumHealthyPercent() > 100)) {
                p.add(new ValidationProblem("minimumHealthyPercent", String.valueOf(ro.minimumHealthyPercent()),
                        "an integer from 0 to 100"));
            }
            if (ro.maximumPercent() != null && ro.maximumPercent() < 100) {
                p.add(new ValidationProblem("maximumPercent", String.valueOf(ro.maximumPercent()),
                        "an integer of 100 or more (200 is the ECS default)"));
            }
            if (ro.minimumHealthyPercent() != null && ro.maximumPercent() != null
                    && ro.minimumHealthyPercent() >= ro.maximumPercent()) {
                p.add(new ValidationProblem("maximumPercent", String.valueOf(ro.maximumPercent()),
                        "more than minimumHealthyPercent (" + ro.minimumHealthyPercent()
                                + "), or ECS could neither start nor stop a task"));
            }
            earlySuccess(ro, p);
        } else if (s instanceof Strategy.BlueGreen bg) {
            // bakeTimeInMinutes must be provided for BLUE_GREEN (DeploymentConfiguration API reference).
            if (bg.bakeMinutes() == null) {
                p.add(new ValidationProblem("bakeMinutes", null,
                        "required for BLUE_GREEN: minutes from 0 to 1440 that blue and green run side by side after the shift"));
            } else {
                minutes("bakeMinutes", bg.bakeMinutes(), p);
            }
        } else if (s instanceof Strategy.Canary c) {
            percent("canaryPercent", c.canaryPercent(), 0.1, p);
            if (c.canaryBakeMinutes() != null) {
                minutes("canaryBakeMinutes", c.canaryBakeMinutes(), p);
            }
            if (c.bakeMinutes() != null) {
                minutes("bakeMinutes", c.bakeMinutes(), p);
            }
        } else if (s instanceof Strategy.Linear l) {
            percent("stepPercent", l.stepPercent(), 3.0, p);
            if (l.stepBakeMinutes() != null) {
                minutes("stepBakeMinutes", l.stepBakeMinutes(), p);
            }
            if (l.bakeMinutes() != null) {
                minutes("bakeMinutes", l.bakeMinutes(), p);
            }
        }
    }

    private static void earlySuccess(Strategy.Rolling ro, List<ValidationProblem> p) {
        Strategy.EarlySuccess e = ro.earlySuccess();
        if (e == null) {
            return;
        }
        // DeploymentEarlySuccessCriteria API reference: healthyPercent 0–100 and at least minimumHealthyPercent;
        // sourceServiceRevisionCleanup BLOCKING or DEFERRED; both required when early success is on.
        if (e.healthyPercent() == null || e.healthyPercent() < 0 || e.healthyPercent() > 100) {
            p.add(new ValidationProblem("earlySuccessPercent", String.valueOf(e.healthyPercent()),
                    "a whole percent of the desired count from 0 to 100"));
        } else if (ro.minimumHealthyPercent() != null && e.healthyPercent() < ro.minimumHealthyPercent()) {
            p.add(new ValidationProblem("earlySuccessPercent", String.valueOf(e.healthyPercent()),
                    "at least minimumHealthyPercent (" + ro.minimumHealthyPercent() + ")"));
        }
        if (e.sourceCleanup() == null || !Strategy.EarlySuccess.CLEANUPS.contains(e.sourceCleanup())) {
            p.add(new ValidationProblem("earlySuccessCleanup", e.sourceCleanup(),
                    "BLOCKING (remove the old tasks, then complete) or DEFERRED (complete, then remove them)"));
        }
    }

    private static void circuitBreaker(Strategy s, List<ValidationProblem> p) {
        if (Boolean.TRUE.equals(s.circuitBreakerRollback()) && Boolean.FALSE.equals(s.circuitBreaker())) {
            p.add(new ValidationProblem("circuitBreakerRollback", "true",
                    "only with circuitBreaker enabled (rollback is an action of the circuit breaker)"));
        }
    }

    private static void percent(String field, Double v, double min, List<ValidationProblem> p) {
        if (v == null) {
            return;
        }
        String allowed = "a multiple of 0.1 from " + DeploymentPlan.pct(min) + " to 100";
        if (v.isNaN() || v < min || v > 100.0) {
            p.add(new ValidationProblem(field, String.valueOf(v), allowed));
            return;
        }
        BigDecimal tenths = BigDecimal.valueOf(v).movePointRight(1);
        if (tenths.stripTrailingZeros().scale() > 0) {
            p.add(new ValidationProblem(field, String.valueOf(v), allowed));
        }
    }

    private static void minutes(String field, int v, List<ValidationProblem> p) {
        if (v < 0 || v > MAX_BAKE_MINUTES) {
            p.add(new ValidationProblem(field, String.valueOf(v), "whole minutes from 0 to 1440 (24 hours)"));
        }
    }

    private static void alarms(Alarms a, List<ValidationProblem> p) {
        if (a == null) {
            return;
        }
        if (a.names().isEmpty()) {
            p.add(new ValidationProblem("alarms.names", "", "at least one CloudWatch alarm name (or leave alarms out)"));
        }
        Set<String> seen = new HashSet<>();
        for (String n : a.names()) {
            if (n == null || n.isBlank() || n.length() > 255) {
                p.add(new ValidationProblem("alarms.names", n, "a CloudWatch alarm name of 1-255 characters"));
            } else if (!seen.add(n)) {
                p.add(new ValidationProblem("alarms.names", n, "each alarm once"));
            }
        }
    }

    private static void lambdaHooks(List<LambdaHook> hooks, String strategy, List<ValidationProblem> p) {
        if (hooks.size() > MAX_LAMBDA_HOOKS) {
            p.add(new ValidationProblem("hooks", String.valueOf(hooks.size()),
                    "at most " + MAX_LAMBDA_HOOKS + " Lambda hooks per service"));
        }
        boolean rolling = "ROLLING".equals(strategy);
        for (int i = 0; i < hooks.size(); i++) {
            LambdaHook h = hooks.get(i);
            String f = "hooks[" + i + "]";
            if (h.functionArn() == null || !LAMBDA_ARN.matcher(h.functionArn()).matches()) {
                p.add(new ValidationProblem(f + ".functionArn", h.functionArn(),
                        "a Lambda function ARN, arn:aws:lambda:<region>:<account>:function:<name>[:<alias>]"));
            }
            if (h.roleArn() == null || !ROLE_ARN.matcher(h.roleArn()).matches()) {
                p.add(new ValidationProblem(f + ".roleArn", h.roleArn(),
                        "an IAM role ARN, arn:aws:iam::<account>:role/<name>, that ECS assumes to invoke the function"));
            }
            if (h.stages().isEmpty()) {
                p.add(new ValidationProblem(f + ".stages", "", "one or more of " + String.join(", ", HOOK_STAGES)));
            }
            Set<String> seen = new HashSet<>();
            for (String st : h.stages()) {
                if (!HOOK_STAGES.contains(st)) {
                    p.add(new ValidationProblem(f + ".stages", st, "one of " + String.join(", ", HOOK_STAGES)));
                } else if (rolling && !EcsStages.ROLLING_HOOK_STAGES.contains(st)) {
                    p.add(new ValidationProblem(f + ".stages", st, "with ROLLING one of "
                            + String.join(", ", EcsStages.ROLLING_HOOK_STAGES) + " (a rolling update shifts no traffic; "
                            + "a hook at another stage might never run)"));
                } else if (!seen.add(st)) {
                    p.add(new ValidationProblem(f + ".stages", st, "each stage once"));
                }
            }
            if (h.hookDetailsJson() != null && !h.hookDetailsJson().isBlank()) {
                try {
                    JsonNode n = JSON.readTree(h.hookDetailsJson());
                    if (n == null || !n.isObject()) {
                        p.add(new ValidationProblem(f + ".hookDetails", abbreviate(h.hookDetailsJson()), "a JSON object"));
                    }
                } catch (Exception e) {
                    p.add(new ValidationProblem(f + ".hookDetails", abbreviate(h.hookDetailsJson()),
                            "a JSON object: " + firstLine(e.getMessage())));
                }
            }
            if (h.timeoutMinutes() != null && (h.timeoutMinutes() < MIN_HOOK_TIMEOUT || h.timeoutMinutes() > MAX_LAMBDA_HOOK_TIMEOUT)) {
                p.add(new ValidationProblem(f + ".timeoutMinutes", String.valueOf(h.timeoutMinutes()),
                        "whole minutes from 1 to 1440 (24 hours) for a Lambda hook; only gates (PAUSE hooks) wait up to 20160"));
            }
        }
    }

    private static void gates(List<Gate> gates, String strategy, List<ValidationProblem> p) {
        boolean rolling = "ROLLING".equals(strategy);
        if (gates.size() > MAX_PAUSE_HOOKS) {
            p.add(new ValidationProblem("gates", String.valueOf(gates.size()),
                    "at most " + MAX_PAUSE_HOOKS + " gates (one PAUSE hook each; ECS allows 10 per service)"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < gates.size(); i++) {
            Gate g = gates.get(i);
            String f = "gates[" + i + "]";
            if (rolling && !EcsStages.ROLLING_HOOK_STAGES.contains(g.stage())) {
                p.add(new ValidationProblem(f + ".stage", g.stage(), "with ROLLING one of "
                        + String.join(", ", EcsStages.ROLLING_HOOK_STAGES) + " (a rolling update shifts no traffic; a gate "
                        + "at another stage might never be reached, and the deployment would go on unapproved)"));
            } else if (g.stage().equals("TEST_TRAFFIC_SHIFT") || g.stage().equals("PRODUCTION_TRAFFIC_SHIFT")) {
                p.add(new ValidationProblem(f + ".stage", g.stage(),
                        "a PAUSE hook cannot be placed at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT (ECS re-runs those "
                                + "stages during a rollback); use one of " + String.join(", ", PAUSE_STAGES)));
            } else if (!PAUSE_STAGES.contains(g.stage())) {
                p.add(new ValidationProblem(f + ".stage", g.stage(), "one of " + String.join(", ", PAUSE_STAGES)));
            } else if (!seen.add(g.stage())) {
                p.add(new ValidationProblem(f + ".stage", g.stage(), "one gate per stage"));
            }
            if (g.timeoutMinutes() < MIN_HOOK_TIMEOUT || g.timeoutMinutes() > MAX_HOOK_TIMEOUT) {
                p.add(new ValidationProblem(f + ".timeoutMinutes", String.valueOf(g.timeoutMinutes()),
                        "whole minutes from 1 to 20160 (14 days)"));
            }
        }
    }

    /** The strategy as a person would write it (e.g. "LINEAR 3% every 1440 min, bake 1440 min"), not a record dump. */
    static String describe(Strategy s) {
        if (s instanceof Strategy.Canary c) {
            return "CANARY " + pct(c.canaryPercent()) + " for " + c.canaryBakeMinutes() + " min, bake " + c.bakeMinutes() + " min";
        }
        if (s instanceof Strategy.Linear l) {
            return "LINEAR " + pct(l.stepPercent()) + " every " + l.stepBakeMinutes() + " min, bake " + l.bakeMinutes() + " min";
        }
        if (s instanceof Strategy.BlueGreen b) {
            return "BLUE_GREEN, bake " + b.bakeMinutes() + " min";
        }
        return "ROLLING";
    }

    private static String pct(Double d) {
        return d == null ? "?%" : (d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d)) + "%";
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return null;
        }
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
