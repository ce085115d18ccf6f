package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.RevisionNames;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.ServiceCheckReport;
import io.jenkins.plugins.ecsdeploy.engine.ServiceCheckReport.Change;
import io.jenkins.plugins.ecsdeploy.engine.ServiceCheckReport.Check;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;

/**
 * The preflight as a checklist and a diff ({@link ServiceCheckReport}): runs {@link Preflight} (which throws on the
 * first round of problems) and sorts its outcome into the checks it makes; on success, compares the service's current
 * task definition and deployment configuration with what the request sets. Reads only; blocking.
 */
public final class ServiceCheck {
    private final EcsClient ecs;
    private final Preflight preflight;

    public ServiceCheck(EcsClient ecs, Preflight preflight) {
        this.ecs = ecs;
        this.preflight = preflight;
    }

    public ServiceCheckReport check(DeploymentRequest r) {
        Preflight.Result res;
        List<ValidationProblem> problems = List.of();
        try {
            res = preflight.checkNow(r);
        } catch (InvalidRequestException e) {
            res = null;
            problems = e.problems();
        }
        List<Check> checks = checks(r, problems);
        if (res == null) {
            return new ServiceCheckReport(checks, List.of(), null);
        }
        return new ServiceCheckReport(checks, changes(r, res), res.plan());
    }

    /** The preflight's checks in its order; a check failed when a problem of its kind was found. */
    private static List<Check> checks(DeploymentRequest r, List<ValidationProblem> problems) {
        String svc = r.service() + " in cluster " + r.clusterOrDefault() + " (" + r.region() + ")";
        List<Check> out = new ArrayList<>();
        ValidationProblem cluster = find(problems, p -> p.field().equals("cluster"));
        ValidationProblem missing = find(problems, p -> p.field().equals("service") && p.allowed().startsWith("an existing service"));
        out.add(check("the cluster and the service exist", cluster == null && missing == null, svc,
                cluster != null ? cluster : missing));
        if (cluster != null || missing != null) {
            return out; // the preflight stops there: nothing else was checked
        }
        out.add(check("the service is ACTIVE", find(problems, p -> p.allowed().startsWith("an ACTIVE service")) == null,
                "ACTIVE", find(problems, p -> p.allowed().startsWith("an ACTIVE service"))));
        out.add(check("not an Express Mode service (ECS manages those itself)",
                find(problems, p -> p.allowed().contains("Express Mode")) == null, "a standard service",
                find(problems, p -> p.allowed().contains("Express Mode"))));
        out.add(check("its deployment controller is ECS", find(problems, p -> p.allowed().contains("deployment controller is ECS")) == null,
                "ECS", find(problems, p -> p.allowed().contains("deployment controller is ECS"))));
        if (!(r.strategy() instanceof Strategy.Rolling)) {
            ValidationProblem lb = find(problems, p -> p.field().contains("advancedConfiguration"));
            out.add(check("load balancer wiring for " + r.strategy().ecsName() + " (green target group, listener rule, role)",
                    lb == null, "advancedConfiguration set (or no load balancer)", lb));
        }
        if (r.revision() instanceof RevisionSource.ImageOverrides io) {
            ValidationProblem c = find(problems, p -> p.field().startsWith("images["));
            out.add(check("the containers named exist: " + String.join(", ", io.imagesByContainer().keySet()), c == null,
                    "found in the service's task definition", c));
        } else if (r.revision() instanceof RevisionSource.TaskDefinition td) {
            ValidationProblem c = find(problems, p -> p.field().equals("taskDefinition"));
            out.add(check("the task definition exists: " + td.arnOrFamilyRevision(), c == null, "registered", c));
        }
        ValidationProblem busy = find(problems, p -> p.allowed().startsWith("a service with no deployment in progress"));
        out.add(check("no deployment in progress", busy == null, "none", busy));
        // anything the list above did not name still fails the check
        for (ValidationProblem p : problems) {
            if (out.stream().noneMatch(c -> !c.passed() && c.detail().equals(p.message()))) {
                out.add(new Check("other", false, p.message()));
            }
        }
        return out;
    }

    private static Check check(String name, boolean passed, String ok, ValidationProblem p) {
        return new Check(name, passed, passed || p == null ? ok : p.message());
    }

    private static ValidationProblem find(List<ValidationProblem> ps, java.util.function.Predicate<ValidationProblem> f) {
        return ps.stream().filter(f).findFirst().orElse(null);
    }

    /** What the deployment changes: task definition and images, then the deployment configuration. */
    private List<Change> changes(DeploymentRequest r, Preflight.Result res) {
        List<Change> out = new ArrayList<>();
        Service svc = res.service();
        TaskDefinition current = res.currentTaskDefinition() != null ? res.currentTaskDefinition().taskDefinition()
                : describe(svc.taskDefinition());
        Map<String, String> before = images(current);
        Map<String, String> after = new LinkedHashMap<>(before);
        String target;
        if (r.revision() instanceof RevisionSource.ImageOverrides io) {
            after.putAll(io.imagesByContainer());
            target = current == null ? "a new revision" : "a new revision of " + current.family() + " (registered at deploy)";
        } else if (r.revision() instanceof RevisionSource.TaskDefinition) {
            TaskDefinition t = describe(res.resolvedTaskDefinitionArn());
            after = images(t);
            target = RevisionNames.familyRevision(res.resolvedTaskDefinitionArn());
        } else {
            target = "a new revision from " + (r.revision() instanceof RevisionSource.TaskDefinitionJson j ? j.origin() : "the file");
            after = Map.of();
        }
        String from = RevisionNames.familyRevision(svc.taskDefinition());
        if (!Objects.equals(from, target)) {
            out.add(new Change("task definition", from, target));
        }
        for (Map.Entry<String, String> e : after.entrySet()) {
            if (!Objects.equals(before.get(e.getKey()), e.getValue())) {
                out.add(new Change("image of " + e.getKey(), before.get(e.getKey()), e.getValue()));
            }
        }
        DeploymentConfiguration dc = svc.deploymentConfiguration();
        String strategyNow = dc == null || dc.strategyAsString() == null ? "ROLLING" : dc.strategyAsString();
        diff(out, "strategy", strategyNow, r.strategy().ecsName());
        Integer bake = r.strategy() instanceof Strategy.BlueGreen b ? b.bakeMinutes()
                : r.strategy() instanceof Strategy.Canary c ? c.bakeMinutes()
                : r.strategy() instanceof Strategy.Linear l ? l.bakeMinutes() : null;
        if (bake != null) {
            diff(out, "bake time (minutes)", dc == null ? null : str(dc.bakeTimeInMinutes()), String.valueOf(bake));
        }
        if (r.strategy() instanceof Strategy.Canary c) {
            var cc = dc == null ? null : dc.canaryConfiguration();
            diff(out, "canary percent", cc == null ? null : str(cc.canaryPercent()), c.canaryPercent() == null ? null : str(c.canaryPercent()));
            diff(out, "canary bake (minutes)", cc == null ? null : str(cc.canaryBakeTimeInMinutes()), str(c.canaryBakeMinutes()));
        }
        if (r.strategy() instanceof Strategy.Linear l) {
            var lc = dc == null ? null : dc.linearConfiguration();
            diff(out, "linear step percent", lc == null ? null : str(lc.stepPercent()), str(l.stepPercent()));
            diff(out, "linear step bake (minutes)", lc == null ? null : str(lc.stepBakeTimeInMinutes()), str(l.stepBakeMinutes()));
        }
        if (r.alarms() != null) {
            String now = dc == null || dc.alarms() == null || !dc.alarms().hasAlarmNames() ? null
                    : String.join(", ", dc.alarms().alarmNames());
            diff(out, "alarms", now, String.join(", ", r.alarms().names()));
        }
        if (r.strategy().circuitBreaker() != null) {
            diff(out, "circuit breaker", dc == null || dc.deploymentCircuitBreaker() == null ? null
                    : String.valueOf(dc.deploymentCircuitBreaker().enable()), String.valueOf(r.strategy().circuitBreaker()));
        }
        if (!r.gates().isEmpty()) {
            out.add(new Change("gates (PAUSE hooks, for this deployment)", null, String.join(", ", r.gateStages())));
        }
        if (r.desiredCount() != null) {
            diff(out, "desired count", str(svc.desiredCount()), String.valueOf(r.desiredCount()));
        }
        return out;
    }

    private static void diff(List<Change> out, String what, String from, String to) {
        if (to != null && !Objects.equals(from, to)) {
            out.add(new Change(what, from, to));
        }
    }

    private static String str(Object o) {
        if (o instanceof Double d) {
            return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
        }
        return o == null ? null : String.valueOf(o);
    }

    private TaskDefinition describe(String arn) {
        if (arn == null) {
            return null;
        }
        try {
            return ecs.describeTaskDefinition(b -> b.taskDefinition(arn)).taskDefinition();
        } catch (RuntimeException e) {
            return null; // display data: the diff then shows no images
        }
    }

    private static Map<String, String> images(TaskDefinition td) {
        Map<String, String> m = new LinkedHashMap<>();
        if (td != null && td.hasContainerDefinitions()) {
            td.containerDefinitions().forEach(c -> m.put(c.name(), c.image()));
        }
        return m;
    }
}
