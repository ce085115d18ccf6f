package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Cluster;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Deployment;
import io.jenkins.plugins.ecsdeploy.simulator.Model.HookExec;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Revision;
import io.jenkins.plugins.ecsdeploy.simulator.Model.Service;
import io.jenkins.plugins.ecsdeploy.simulator.Model.TaskDef;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ECS operations: request JSON in, response JSON out, member names as in the service model. Validation
 * happens before any state change. Runs under the controller's lock.
 */
final class Api {
    static final Set<String> OPERATIONS = Set.of("CreateCluster", "RegisterTaskDefinition", "DescribeTaskDefinition",
            "CreateService", "DescribeServices", "UpdateService", "DeleteService", "ListServiceDeployments",
            "DescribeServiceDeployments", "DescribeServiceRevisions", "StopServiceDeployment", "ContinueServiceDeployment",
            "TagResource", "UntagResource", "ListTagsForResource"); // the last three: class Tagging

    private static final Set<String> STRATEGIES = Set.of("ROLLING", "BLUE_GREEN", "LINEAR", "CANARY");
    private static final Set<String> HOOK_STAGES = Set.of(Controller.HOOK_STAGES);
    private static final Set<String> DEPLOYMENT_STATUSES = Set.of("PENDING", "SUCCESSFUL", "STOPPED", "STOP_REQUESTED",
            "IN_PROGRESS", "ROLLBACK_REQUESTED", "ROLLBACK_IN_PROGRESS", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,255}");

    private final Controller c;

    Api(Controller c) {
        this.c = c;
    }

    ObjectNode handle(String op, ObjectNode req) {
        synchronized (c) {
            return switch (op) {
                case "CreateCluster" -> createCluster(req);
                case "RegisterTaskDefinition" -> registerTaskDefinition(req);
                case "DescribeTaskDefinition" -> describeTaskDefinition(req);
                case "CreateService" -> createService(req);
                case "DescribeServices" -> describeServices(req);
                case "UpdateService" -> updateService(req);
                case "DeleteService" -> deleteService(req);
                case "ListServiceDeployments" -> listServiceDeployments(req);
                case "DescribeServiceDeployments" -> describeServiceDeployments(req);
                case "DescribeServiceRevisions" -> describeServiceRevisions(req);
                case "StopServiceDeployment" -> stopServiceDeployment(req);
                case "ContinueServiceDeployment" -> continueServiceDeployment(req);
                case "TagResource", "UntagResource", "ListTagsForResource" -> new Tagging(c).handle(op, req);
                default -> throw new AwsError("UnknownOperationException", 400, "Operation " + op + " is not supported by the simulator.");
            };
        }
    }

    // ------------------------------------------------------------------ lookups

    private String clusterName(String ref) {
        if (ref == null || ref.isEmpty()) {
            return "default";
        }
        int i = ref.indexOf(":cluster/");
        return i >= 0 ? ref.substring(i + ":cluster/".length()) : ref;
    }

    private Cluster cluster(String ref) {
        Cluster cl = c.clusters.get(clusterName(ref));
        if (cl == null) {
            throw AwsError.clusterNotFound();
        }
        return cl;
    }

    private static String serviceName(String ref) {
        if (ref != null && ref.startsWith("arn:")) {
            return ref.substring(ref.lastIndexOf('/') + 1);
        }
        return ref;
    }

    private Service service(Cluster cl, String ref) {
        if (ref == null || ref.isEmpty()) {
            throw AwsError.invalid("service: a service name or ARN is required.");
        }
        Service s = cl.services.get(serviceName(ref));
        if (s == null) {
            throw AwsError.serviceNotFound();
        }
        return s;
    }

    TaskDef taskDef(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw AwsError.client("taskDefinition: a task definition family, family:revision or ARN is required.");
        }
        String fr = ref;
        int i = ref.indexOf(":task-definition/");
        if (i >= 0) {
            fr = ref.substring(i + ":task-definition/".length());
        }
        String family = fr;
        Integer rev = null;
        int colon = fr.lastIndexOf(':');
        if (colon > 0) {
            family = fr.substring(0, colon);
            try {
                rev = Integer.parseInt(fr.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw AwsError.client("taskDefinition: '" + ref + "' is not a valid family:revision.");
            }
        }
        List<TaskDef> list = c.taskDefs.get(family);
        if (list != null) {
            if (rev == null) {
                return list.get(list.size() - 1);
            }
            for (TaskDef td : list) {
                if (td.revision == rev) {
                    return td;
                }
            }
        }
        throw AwsError.client("Unable to describe task definition: '" + ref + "' does not exist.");
    }

    // ------------------------------------------------------------------ clusters and task definitions

    private ObjectNode createCluster(ObjectNode req) {
        String name = Json.text(req, "clusterName");
        if (name == null) {
            name = "default";
        }
        if (!NAME.matcher(name).matches()) {
            throw AwsError.invalid("clusterName: '" + name + "' is not allowed; up to 255 letters, numbers, hyphens and underscores.");
        }
        Cluster cl = c.clusters.get(name);
        if (cl == null) {
            cl = new Cluster();
            cl.name = name;
            cl.arn = c.arn("cluster/" + name);
            cl.tags = req.has("tags") ? (ArrayNode) req.get("tags").deepCopy() : Json.arr();
            cl.settings = req.has("settings") ? (ArrayNode) req.get("settings").deepCopy() : null;
            c.clusters.put(name, cl);
        }
        ObjectNode out = Json.obj();
        out.set("cluster", clusterJson(cl));
        return out;
    }

    private ObjectNode clusterJson(Cluster cl) {
        ObjectNode n = Json.obj();
        n.put("clusterArn", cl.arn);
        n.put("clusterName", cl.name);
        n.put("status", cl.status);
        n.put("registeredContainerInstancesCount", 0);
        int running = 0;
        int pending = 0;
        int active = 0;
        for (Service s : cl.services.values()) {
            if ("ACTIVE".equals(s.status)) {
                active++;
            }
            for (Revision r : s.revisions) {
                running += r.running;
                pending += r.pending;
            }
        }
        n.put("runningTasksCount", running);
        n.put("pendingTasksCount", pending);
        n.put("activeServicesCount", active);
        n.set("statistics", Json.arr());
        n.set("tags", cl.tags.deepCopy());
        if (cl.settings != null) {
            n.set("settings", cl.settings.deepCopy());
        }
        n.set("capacityProviders", Json.arr());
        n.set("defaultCapacityProviderStrategy", Json.arr());
        return n;
    }

    private ObjectNode registerTaskDefinition(ObjectNode req) {
        String family = Json.text(req, "family");
        if (family == null || !NAME.matcher(family).matches()) {
            throw AwsError.client("family: '" + family + "' is not allowed; up to 255 letters, numbers, hyphens and underscores.");
        }
        JsonNode cds = req.get("containerDefinitions");
        if (cds == null || !cds.isArray() || cds.isEmpty()) {
            throw AwsError.client("containerDefinitions: at least one container definition is required.");
        }
        ObjectNode td = req.deepCopy();
        td.remove("tags");
        ArrayNode containers = Json.arr();
        for (JsonNode cd : cds) {
            String name = Json.text(cd, "name");
            String image = Json.text(cd, "image");
            if (name == null || name.isEmpty()) {
                throw AwsError.client("Container.name should not be null or empty.");
            }
            if (image == null || image.isEmpty()) {
                throw AwsError.client("Container.image should not be null or empty (container '" + name + "').");
            }
            ObjectNode x = cd.deepCopy();
            // The service fills these defaults into the returned definition.
            if (!x.has("cpu")) {
                x.put("cpu", 0);
            }
            if (!x.has("essential")) {
                x.put("essential", true);
            }
            for (String list : new String[] {"portMappings", "environment", "mountPoints", "volumesFrom", "systemControls"}) {
                if (!x.has(list)) {
                    x.set(list, Json.arr());
                }
            }
            containers.add(x);
        }
        td.set("containerDefinitions", containers);
        List<String> req1 = Json.strings(req, "requiresCompatibilities");
        String network = Json.text(req, "networkMode");
        if (req1.contains("FARGATE")) {
            if (network != null && !"awsvpc".equals(network)) {
                throw AwsError.client("networkMode: '" + network + "' is not allowed with FARGATE; awsvpc is required.");
            }
            if (Json.text(req, "cpu") == null || Json.text(req, "memory") == null) {
                throw AwsError.client("Fargate requires task definition to have cpu and memory values set.");
            }
            network = "awsvpc";
        }
        if (network == null) {
            network = "bridge";
        }
        td.put("networkMode", network);
        List<TaskDef> list = c.taskDefs.computeIfAbsent(family, k -> new ArrayList<>());
        TaskDef t = new TaskDef();
        t.family = family;
        t.revision = list.isEmpty() ? 1 : list.get(list.size() - 1).revision + 1;
        t.arn = c.arn("task-definition/" + family + ":" + t.revision);
        t.registeredAt = c.now();
        t.tags = req.has("tags") ? (ArrayNode) req.get("tags").deepCopy() : Json.arr();
        td.put("taskDefinitionArn", t.arn);
        td.put("revision", t.revision);
        td.put("status", "ACTIVE");
        td.set("volumes", req.has("volumes") ? req.get("volumes").deepCopy() : Json.arr());
        td.set("placementConstraints", req.has("placementConstraints") ? req.get("placementConstraints").deepCopy() : Json.arr());
        ArrayNode compat = Json.arr();
        compat.add("EC2");
        if (req1.contains("FARGATE")) {
            compat.add("FARGATE");
        }
        td.set("compatibilities", compat);
        td.set("requiresAttributes", Json.arr());
        Json.putTs(td, "registeredAt", t.registeredAt);
        td.put("registeredBy", "arn:aws:iam::" + c.account + ":root");
        t.json = td;
        list.add(t);
        ObjectNode out = Json.obj();
        out.set("taskDefinition", td.deepCopy());
        out.set("tags", t.tags.deepCopy());
        return out;
    }

    private ObjectNode describeTaskDefinition(ObjectNode req) {
        TaskDef t = taskDef(Json.text(req, "taskDefinition"));
        ObjectNode out = Json.obj();
        out.set("taskDefinition", t.json.deepCopy());
        if (Json.strings(req, "include").contains("TAGS")) {
            out.set("tags", t.tags.deepCopy());
        }
        return out;
    }

    // ------------------------------------------------------------------ services

    private ObjectNode createService(ObjectNode req) {
        Cluster cl = cluster(Json.text(req, "cluster"));
        String name = Json.text(req, "serviceName");
        if (name == null || !NAME.matcher(name).matches()) {
            throw AwsError.invalid("serviceName: '" + name + "' is not allowed; up to 255 letters, numbers, hyphens and underscores.");
        }
        Service existing = cl.services.get(name);
        if (existing != null && !"INACTIVE".equals(existing.status)) {
            throw AwsError.invalid("Creation of service was not idempotent: service '" + name + "' already exists.");
        }
        String controller = req.path("deploymentController").path("type").asText("ECS");
        if (!Set.of("ECS", "CODE_DEPLOY", "EXTERNAL").contains(controller)) {
            throw AwsError.invalid("deploymentController.type: '" + controller + "' is not allowed; ECS, CODE_DEPLOY or EXTERNAL.");
        }
        TaskDef td = "EXTERNAL".equals(controller) && !req.has("taskDefinition") ? null : taskDef(Json.text(req, "taskDefinition"));
        Integer desired = Json.integer(req, "desiredCount");
        if (desired != null && desired < 0) {
            throw AwsError.invalid("desiredCount: '" + desired + "' is not allowed; 0 or more.");
        }
        ArrayNode lbs = req.has("loadBalancers") ? (ArrayNode) req.get("loadBalancers").deepCopy() : Json.arr();
        ObjectNode cfg = effectiveConfiguration(req.get("deploymentConfiguration"), null);
        validateConfiguration(cfg, lbs, controller);
        Service s = new Service();
        s.name = name;
        s.cluster = cl;
        s.arn = c.arn("service/" + cl.name + "/" + name);
        s.desiredCount = desired == null ? 0 : desired;
        s.controllerType = controller;
        s.deploymentConfiguration = cfg;
        s.loadBalancers = lbs;
        s.createdAt = c.now();
        ObjectNode spec = Json.obj();
        for (String k : new String[] {"launchType", "platformVersion", "networkConfiguration", "serviceRegistries",
            "healthCheckGracePeriodSeconds", "schedulingStrategy", "tags", "enableECSManagedTags", "propagateTags",
            "enableExecuteCommand", "role", "placementConstraints", "placementStrategy", "capacityProviderStrategy",
            "availabilityZoneRebalancing"}) {
            if (req.has(k)) {
                spec.set(k, req.get(k).deepCopy());
            }
        }
        s.spec = spec;
        cl.services.put(name, s);
        c.event(s, "(service " + name + ") was created.");
        if (td != null) {
            s.taskDefinitionArn = td.arn;
            if ("ECS".equals(controller)) {
                c.createDeployment(s, td);
            } else {
                // CODE_DEPLOY / EXTERNAL: ECS runs no service deployment of its own; tasks are simply there.
                Revision r = c.newRevision(s, td, null);
                r.requested = s.desiredCount;
                r.running = s.desiredCount;
                s.primary = r;
                s.lastCompleted = r;
            }
        }
        ObjectNode out = Json.obj();
        out.set("service", serviceJson(s));
        return out;
    }

    private ObjectNode updateService(ObjectNode req) {
        Cluster cl = cluster(Json.text(req, "cluster"));
        Service s = service(cl, Json.text(req, "service"));
        if (!"ACTIVE".equals(s.status)) {
            throw AwsError.serviceNotActive();
        }
        String controller = req.has("deploymentController")
                ? req.path("deploymentController").path("type").asText(s.controllerType) : s.controllerType;
        if (!Set.of("ECS", "CODE_DEPLOY", "EXTERNAL").contains(controller)) {
            throw AwsError.invalid("deploymentController.type: '" + controller + "' is not allowed; ECS, CODE_DEPLOY or EXTERNAL.");
        }
        String tdRef = Json.text(req, "taskDefinition");
        TaskDef td = tdRef == null ? null : taskDef(tdRef);
        if (td != null && "CODE_DEPLOY".equals(controller) && !td.arn.equals(s.taskDefinitionArn)) {
            throw AwsError.invalid("Unable to update task definition on services with a CODE_DEPLOY deployment controller. "
                    + "Use AWS CodeDeploy to trigger a new deployment.");
        }
        Integer desired = Json.integer(req, "desiredCount");
        if (desired != null && desired < 0) {
            throw AwsError.invalid("desiredCount: '" + desired + "' is not allowed; 0 or more.");
        }
        ArrayNode lbs = req.has("loadBalancers") ? (ArrayNode) req.get("loadBalancers").deepCopy() : s.loadBalancers;
        ObjectNode cfg = req.has("deploymentConfiguration")
                ? effectiveConfiguration(req.get("deploymentConfiguration"), s.deploymentConfiguration)
                : s.deploymentConfiguration;
        validateConfiguration(cfg, lbs, controller);
        Boolean force = Json.bool(req, "forceNewDeployment");
        // ---- no write before this line ----
        boolean lbChanged = req.has("loadBalancers") && !lbs.equals(s.loadBalancers);
        boolean netChanged = req.has("networkConfiguration") && !req.get("networkConfiguration").equals(s.spec.get("networkConfiguration"));
        s.controllerType = controller;
        s.deploymentConfiguration = cfg;
        s.loadBalancers = lbs;
        for (String k : new String[] {"networkConfiguration", "platformVersion", "healthCheckGracePeriodSeconds",
            "enableExecuteCommand", "enableECSManagedTags", "propagateTags", "serviceRegistries", "capacityProviderStrategy",
            "placementConstraints", "placementStrategy", "availabilityZoneRebalancing"}) {
            if (req.has(k)) {
                s.spec.set(k, req.get(k).deepCopy());
            }
        }
        boolean scaled = desired != null && desired != s.desiredCount;
        if (desired != null) {
            s.desiredCount = desired;
        }
        // Only these changes start a deployment; deploymentConfiguration alone does not (UpdateService API reference).
        boolean newDeployment = (td != null && !td.arn.equals(s.taskDefinitionArn)) || Boolean.TRUE.equals(force)
                || lbChanged || netChanged;
        if (newDeployment && "ECS".equals(s.controllerType)) {
            TaskDef use = td != null ? td : taskDef(s.taskDefinitionArn);
            c.createDeployment(s, use);
        } else if (scaled) {
            c.scale(s);
        }
        ObjectNode out = Json.obj();
        out.set("service", serviceJson(s));
        return out;
    }

    private ObjectNode deleteService(ObjectNode req) {
        Cluster cl = cluster(Json.text(req, "cluster"));
        Service s = service(cl, Json.text(req, "service"));
        if (!"ACTIVE".equals(s.status)) {
            throw AwsError.serviceNotActive();
        }
        if (s.desiredCount > 0 && !Boolean.TRUE.equals(Json.bool(req, "force"))) {
            throw AwsError.invalid("The service cannot be stopped while it is scaled above 0.");
        }
        s.status = "INACTIVE";
        s.desiredCount = 0;
        for (Revision r : s.revisions) {
            c.setRequested(r, 0);
        }
        ObjectNode out = Json.obj();
        out.set("service", serviceJson(s));
        return out;
    }

    private ObjectNode describeServices(ObjectNode req) {
        Cluster cl = cluster(Json.text(req, "cluster"));
        List<String> names = Json.strings(req, "services");
        if (names.isEmpty() || names.size() > 10) {
            throw AwsError.invalid("services: '" + names.size() + " names' is not allowed; 1 to 10 service names or ARNs.");
        }
        ArrayNode services = Json.arr();
        ArrayNode failures = Json.arr();
        for (String ref : names) {
            Service s = cl.services.get(serviceName(ref));
            if (s == null) {
                ObjectNode f = Json.obj();
                f.put("arn", ref.startsWith("arn:") ? ref : c.arn("service/" + cl.name + "/" + ref));
                f.put("reason", "MISSING");
                failures.add(f);
            } else {
                services.add(serviceJson(s));
            }
        }
        ObjectNode out = Json.obj();
        out.set("services", services);
        out.set("failures", failures);
        return out;
    }

    ObjectNode serviceJson(Service s) {
        ObjectNode n = Json.obj();
        n.put("serviceArn", s.arn);
        n.put("serviceName", s.name);
        n.put("clusterArn", s.cluster.arn);
        n.set("loadBalancers", s.loadBalancers.deepCopy());
        n.set("serviceRegistries", s.spec.has("serviceRegistries") ? s.spec.get("serviceRegistries").deepCopy() : Json.arr());
        n.put("status", s.status);
        n.put("desiredCount", s.desiredCount);
        int running = 0;
        int pending = 0;
        for (Revision r : s.revisions) {
            running += r.running + r.draining;
            pending += r.pending;
        }
        n.put("runningCount", running);
        n.put("pendingCount", pending);
        n.put("launchType", s.spec.path("launchType").asText("EC2"));
        if (s.spec.has("platformVersion") || "FARGATE".equals(s.spec.path("launchType").asText())) {
            n.put("platformVersion", s.spec.path("platformVersion").asText("LATEST"));
        }
        if (s.taskDefinitionArn != null) {
            n.put("taskDefinition", s.taskDefinitionArn);
        }
        n.set("deploymentConfiguration", s.deploymentConfiguration.deepCopy());
        n.set("deployments", legacyDeployments(s));
        if (s.spec.has("role")) {
            n.put("roleArn", s.spec.get("role").asText());
        }
        ArrayNode events = Json.arr();
        s.events.forEach(e -> events.add(e.deepCopy()));
        n.set("events", events);
        Json.putTs(n, "createdAt", s.createdAt);
        if (!s.deployments.isEmpty()) {
            n.put("currentServiceDeployment", s.deployments.get(s.deployments.size() - 1).arn);
        }
        ArrayNode current = Json.arr();
        for (Revision r : s.revisions) {
            if (r.active()) {
                ObjectNode x = Json.obj();
                x.put("arn", r.arn);
                x.put("requestedTaskCount", r.requested);
                x.put("runningTaskCount", r.running);
                x.put("pendingTaskCount", r.pending);
                current.add(x);
            }
        }
        n.set("currentServiceRevisions", current);
        n.set("placementConstraints", s.spec.has("placementConstraints") ? s.spec.get("placementConstraints").deepCopy() : Json.arr());
        n.set("placementStrategy", s.spec.has("placementStrategy") ? s.spec.get("placementStrategy").deepCopy() : Json.arr());
        if (s.spec.has("networkConfiguration")) {
            n.set("networkConfiguration", s.spec.get("networkConfiguration").deepCopy());
        }
        if (s.spec.has("healthCheckGracePeriodSeconds")) {
            n.set("healthCheckGracePeriodSeconds", s.spec.get("healthCheckGracePeriodSeconds").deepCopy());
        }
        n.put("schedulingStrategy", s.spec.path("schedulingStrategy").asText("REPLICA"));
        ObjectNode dc = n.putObject("deploymentController");
        dc.put("type", s.controllerType);
        n.set("tags", s.spec.has("tags") ? s.spec.get("tags").deepCopy() : Json.arr());
        n.put("createdBy", "arn:aws:iam::" + c.account + ":root");
        n.put("enableECSManagedTags", s.spec.path("enableECSManagedTags").asBoolean(false));
        n.put("propagateTags", s.spec.path("propagateTags").asText("NONE"));
        n.put("enableExecuteCommand", s.spec.path("enableExecuteCommand").asBoolean(false));
        n.put("availabilityZoneRebalancing", s.spec.path("availabilityZoneRebalancing").asText("DISABLED"));
        if (s.resourceManagementType != null) {
            // Only Express Mode services carry it here ("ECS"); whether ECS also writes CUSTOMER for the others is not
            // published, so leaving it out makes a reader treat "absent" as customer-managed (docs/simulator.md).
            n.put("resourceManagementType", s.resourceManagementType);
        }
        return n;
    }

    private ArrayNode legacyDeployments(Service s) {
        ArrayNode a = Json.arr();
        if (!"ECS".equals(s.controllerType)) {
            return a;
        }
        Deployment latest = s.deployments.isEmpty() ? null : s.deployments.get(s.deployments.size() - 1);
        List<Revision> shown = new ArrayList<>();
        if (s.primary != null) {
            shown.add(s.primary);
        }
        for (Revision r : s.revisions) {
            if (r != s.primary && r.active()) {
                shown.add(r);
            }
        }
        for (Revision r : shown) {
            ObjectNode x = Json.obj();
            x.put("id", r.legacyId);
            x.put("status", r == s.primary ? "PRIMARY" : "ACTIVE");
            x.put("taskDefinition", r.taskDef.arn);
            x.put("desiredCount", r.requested);
            x.put("pendingCount", r.pending);
            x.put("runningCount", r.running + r.draining);
            x.put("failedTasks", r.failedTasks);
            Json.putTs(x, "createdAt", r.createdAt);
            Json.putTs(x, "updatedAt", r.updatedAt);
            x.put("launchType", s.spec.path("launchType").asText("EC2"));
            if (r.networkConfiguration != null) {
                x.set("networkConfiguration", r.networkConfiguration.deepCopy());
            }
            if (r == s.primary && latest != null) {
                String state = switch (latest.status) {
                    case "SUCCESSFUL", "ROLLBACK_SUCCESSFUL" -> "COMPLETED";
                    case "STOPPED", "ROLLBACK_FAILED" -> "FAILED";
                    default -> "IN_PROGRESS";
                };
                x.put("rolloutState", state);
                x.put("rolloutStateReason", latest.statusReason != null ? latest.statusReason
                        : "COMPLETED".equals(state) ? "ECS deployment " + r.legacyId + " completed."
                        : "ECS deployment " + r.legacyId + " in progress.");
            }
            a.add(x);
        }
        return a;
    }

    // ------------------------------------------------------------------ deployment configuration

    /** The stored configuration after an update, with the defaults the service echoes (maximumPercent 200, minimumHealthyPercent 100, strategy ROLLING). */
    private ObjectNode effectiveConfiguration(JsonNode given, ObjectNode stored) {
        if (given != null && !given.isNull() && !given.isObject()) {
            throw AwsError.invalid("deploymentConfiguration: an object is expected.");
        }
        ObjectNode cfg;
        if (stored != null && c.scenario.configurationUpdate() == Scenario.ConfigurationUpdate.MERGE_MEMBERS && given != null) {
            cfg = stored.deepCopy();
            if (given.has("strategy")) {
                cfg.remove("canaryConfiguration");
                cfg.remove("linearConfiguration");
            }
            cfg.setAll((ObjectNode) given.deepCopy());
        } else {
            cfg = given == null || given.isNull() ? Json.obj() : (ObjectNode) given.deepCopy();
        }
        if (!cfg.has("maximumPercent")) {
            cfg.put("maximumPercent", 200);
        }
        if (!cfg.has("minimumHealthyPercent")) {
            cfg.put("minimumHealthyPercent", 100);
        }
        if (!cfg.has("deploymentCircuitBreaker")) {
            ObjectNode cb = cfg.putObject("deploymentCircuitBreaker");
            cb.put("enable", false);
            cb.put("rollback", false);
        }
        if (!cfg.has("strategy")) {
            cfg.put("strategy", "ROLLING");
        }
        return cfg;
    }

    private void validateConfiguration(ObjectNode cfg, ArrayNode lbs, String controller) {
        String strategy = Json.text(cfg, "strategy");
        if (!STRATEGIES.contains(strategy)) {
            throw AwsError.invalid("deploymentConfiguration.strategy: '" + strategy + "' is not allowed; ROLLING, BLUE_GREEN, LINEAR or CANARY.");
        }
        boolean advanced = !"ROLLING".equals(strategy);
        if (advanced && !"ECS".equals(controller)) {
            throw AwsError.invalid("deploymentConfiguration.strategy: '" + strategy + "' is not allowed with the "
                    + controller + " deployment controller; it needs deploymentController type ECS.");
        }
        // DeploymentConfiguration API reference: strategy-specific configuration only with its strategy.
        if (cfg.has("canaryConfiguration") && !cfg.get("canaryConfiguration").isNull() && !"CANARY".equals(strategy)) {
            throw AwsError.invalid("deploymentConfiguration.canaryConfiguration: is only allowed when strategy is CANARY (strategy is " + strategy + ").");
        }
        if (cfg.has("linearConfiguration") && !cfg.get("linearConfiguration").isNull() && !"LINEAR".equals(strategy)) {
            throw AwsError.invalid("deploymentConfiguration.linearConfiguration: is only allowed when strategy is LINEAR (strategy is " + strategy + ").");
        }
        Integer bake = Json.integer(cfg, "bakeTimeInMinutes");
        if ("BLUE_GREEN".equals(strategy) && bake == null) {
            throw AwsError.invalid("deploymentConfiguration.bakeTimeInMinutes: must be provided when strategy is BLUE_GREEN (0 to 1440).");
        }
        range("deploymentConfiguration.bakeTimeInMinutes", bake, 0, 1440);
        JsonNode canary = cfg.get("canaryConfiguration");
        if (canary != null && !canary.isNull()) {
            percent("deploymentConfiguration.canaryConfiguration.canaryPercent", Json.dbl(canary, "canaryPercent"), 0.1);
            range("deploymentConfiguration.canaryConfiguration.canaryBakeTimeInMinutes", Json.integer(canary, "canaryBakeTimeInMinutes"), 0, 1440);
        }
        JsonNode linear = cfg.get("linearConfiguration");
        if (linear != null && !linear.isNull()) {
            percent("deploymentConfiguration.linearConfiguration.stepPercent", Json.dbl(linear, "stepPercent"), 3.0);
            range("deploymentConfiguration.linearConfiguration.stepBakeTimeInMinutes", Json.integer(linear, "stepBakeTimeInMinutes"), 0, 1440);
        }
        range("deploymentConfiguration.minimumHealthyPercent", Json.integer(cfg, "minimumHealthyPercent"), 0, 100);
        range("deploymentConfiguration.maximumPercent", Json.integer(cfg, "maximumPercent"), 100, 200);
        JsonNode alarms = cfg.get("alarms");
        if (alarms != null && !alarms.isNull()) {
            for (String f : new String[] {"alarmNames", "enable", "rollback"}) {
                if (!alarms.has(f)) {
                    throw AwsError.invalid("deploymentConfiguration.alarms." + f + ": is required.");
                }
            }
            Json.bool(alarms, "enable");
            Json.bool(alarms, "rollback");
        }
        JsonNode cb = cfg.get("deploymentCircuitBreaker");
        if (cb != null && !cb.isNull()) {
            for (String f : new String[] {"enable", "rollback"}) {
                if (!cb.has(f)) {
                    throw AwsError.invalid("deploymentConfiguration.deploymentCircuitBreaker." + f + ": is required.");
                }
            }
            JsonNode tc = cb.get("thresholdConfiguration");
            if (tc != null && !tc.isNull()) {
                String type = Json.text(tc, "type");
                if (!Set.of("COUNT", "BOUNDED_PERCENT", "UNBOUNDED_PERCENT").contains(type)) {
                    throw AwsError.invalid("deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration.type: '" + type
                            + "' is not allowed; COUNT, BOUNDED_PERCENT or UNBOUNDED_PERCENT.");
                }
                Integer v = Json.integer(tc, "value");
                if (v == null || v < 0) {
                    throw AwsError.invalid("deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration.value: '" + v
                            + "' is not allowed; an integer >= 0.");
                }
            }
        }
        validateHooks(cfg.get("lifecycleHooks"), strategy);
        validateEarlySuccess(cfg.get("earlySuccessCriteria"), strategy, Json.integer(cfg, "minimumHealthyPercent"));
        if (advanced) {
            for (JsonNode lb : lbs) {
                JsonNode ac = lb.get("advancedConfiguration");
                if (ac == null || ac.isNull()) {
                    throw AwsError.invalid("loadBalancers[].advancedConfiguration: is required for strategy " + strategy
                            + " on a load-balanced service (alternateTargetGroupArn, productionListenerRule, roleArn).");
                }
                for (String f : new String[] {"alternateTargetGroupArn", "productionListenerRule", "roleArn"}) {
                    if (Json.text(ac, f) == null || Json.text(ac, f).isEmpty()) {
                        throw AwsError.invalid("loadBalancers[].advancedConfiguration." + f + ": is required for strategy " + strategy + ".");
                    }
                }
            }
        }
    }

    /**
     * earlySuccessCriteria (DeploymentEarlySuccessCriteria API reference): ROLLING only; {@code enable} required; when
     * enabled, {@code healthyPercent} 0–100 and at least minimumHealthyPercent, and {@code sourceServiceRevisionCleanup}
     * BLOCKING or DEFERRED. The error texts are not published: our own.
     */
    private static void validateEarlySuccess(JsonNode es, String strategy, Integer minimumHealthy) {
        if (es == null || es.isNull()) {
            return;
        }
        String f = "deploymentConfiguration.earlySuccessCriteria";
        if (!"ROLLING".equals(strategy)) {
            throw AwsError.invalid(f + ": early success criteria can only be used with the ROLLING deployment strategy (strategy is "
                    + strategy + ").");
        }
        if (!es.has("enable")) {
            throw AwsError.invalid(f + ".enable: is required.");
        }
        if (!Boolean.TRUE.equals(Json.bool(es, "enable"))) {
            return;
        }
        Integer hp = Json.integer(es, "healthyPercent");
        if (hp == null) {
            throw AwsError.invalid(f + ".healthyPercent: is required when enable is true.");
        }
        range(f + ".healthyPercent", hp, 0, 100);
        if (minimumHealthy != null && hp < minimumHealthy) {
            throw AwsError.invalid(f + ".healthyPercent: '" + hp + "' is not allowed; at least minimumHealthyPercent ("
                    + minimumHealthy + ").");
        }
        String cleanup = Json.text(es, "sourceServiceRevisionCleanup");
        if (!Set.of("BLOCKING", "DEFERRED").contains(String.valueOf(cleanup))) {
            throw AwsError.invalid(f + ".sourceServiceRevisionCleanup: '" + cleanup + "' is not allowed; BLOCKING or DEFERRED.");
        }
    }

    private void validateHooks(JsonNode hooks, String strategy) {
        if (hooks == null || hooks.isNull()) {
            return;
        }
        if (!hooks.isArray()) {
            throw AwsError.invalid("deploymentConfiguration.lifecycleHooks: a list is expected.");
        }
        // Hooks are accepted with ROLLING too (Terraform's acceptance test switches a service with hooks to ROLLING;
        // pause hooks were announced for rolling, blue/green, linear and canary): docs/simulator.md, A13.
        int pauses = 0;
        int lambdas = 0;
        for (int i = 0; i < hooks.size(); i++) {
            JsonNode h = hooks.get(i);
            String f = "deploymentConfiguration.lifecycleHooks[" + i + "]";
            String type = h.path("targetType").asText("AWS_LAMBDA");
            if (!Set.of("AWS_LAMBDA", "PAUSE").contains(type)) {
                throw AwsError.invalid("Invalid targetType. Valid values are: AWS_LAMBDA, PAUSE"); // troubleshooting guide
            }
            boolean pause = "PAUSE".equals(type);
            if (pause) {
                pauses++;
            } else {
                lambdas++;
            }
            List<String> stages = Json.strings(h, "lifecycleStages");
            if (stages.isEmpty()) {
                throw AwsError.invalid(f + ".lifecycleStages: at least one stage is required.");
            }
            for (String st : stages) {
                if (!HOOK_STAGES.contains(st)) {
                    throw AwsError.invalid(f + ".lifecycleStages: '" + st + "' is not allowed; one of " + String.join(", ", Controller.HOOK_STAGES) + ".");
                }
                // PAUSE is refused where rollback re-runs the stage, with the troubleshooting guide's text.
                if (pause && ("TEST_TRAFFIC_SHIFT".equals(st) || "PRODUCTION_TRAFFIC_SHIFT".equals(st))) {
                    throw AwsError.invalid("Invalid lifecycle stage provided for Pause Hook");
                }
            }
            if (!pause) {
                if (Json.text(h, "hookTargetArn") == null || Json.text(h, "hookTargetArn").isEmpty()) {
                    throw AwsError.invalid(f + ".hookTargetArn: is required for an AWS_LAMBDA hook.");
                }
                if (Json.text(h, "roleArn") == null || Json.text(h, "roleArn").isEmpty()) {
                    throw AwsError.invalid(f + ".roleArn: is required for an AWS_LAMBDA hook.");
                }
            }
            JsonNode tc = h.get("timeoutConfiguration");
            if (tc != null && !tc.isNull()) {
                // PAUSE up to 20,160 minutes (pause-hook page), Lambda up to 1,440 (Lambda-hook page), although the
                // model's shape allows 20,160 for both (docs/simulator.md, A5).
                int max = pause ? 20160 : 1440;
                range(f + ".timeoutConfiguration.timeoutInMinutes", Json.integer(tc, "timeoutInMinutes"), 1, max);
                String action = Json.text(tc, "action");
                if (action != null && !Set.of("ROLLBACK", "CONTINUE").contains(action)) {
                    throw AwsError.invalid(f + ".timeoutConfiguration.action: '" + action + "' is not allowed; ROLLBACK or CONTINUE.");
                }
            }
        }
        if (pauses > 10) {
            throw AwsError.invalid("deploymentConfiguration.lifecycleHooks: '" + pauses + " PAUSE hooks' is not allowed; at most 10 PAUSE hooks per service.");
        }
        if (lambdas > 10) {
            throw AwsError.invalid("deploymentConfiguration.lifecycleHooks: '" + lambdas + " AWS_LAMBDA hooks' is not allowed; at most 10 Lambda hooks per service.");
        }
    }

    private static void range(String field, Integer v, int min, int max) {
        if (v != null && (v < min || v > max)) {
            throw AwsError.invalid(field + ": '" + v + "' is not allowed; " + min + " to " + max + ".");
        }
    }

    private static void percent(String field, Double v, double min) {
        if (v == null) {
            return;
        }
        boolean step = Math.abs(v * 10 - Math.rint(v * 10)) < 1e-6;
        if (v < min - 1e-9 || v > 100.0 + 1e-9 || !step) {
            throw AwsError.invalid(field + ": '" + v + "' is not allowed; " + min + " to 100.0 in steps of 0.1.");
        }
    }

    // ------------------------------------------------------------------ service deployments

    private ObjectNode listServiceDeployments(ObjectNode req) {
        Cluster cl = cluster(Json.text(req, "cluster"));
        String svcRef = Json.text(req, "service");
        if (svcRef == null) {
            throw AwsError.invalid("service: is required.");
        }
        Service s = service(cl, svcRef);
        Integer max = Json.integer(req, "maxResults");
        if (max != null && (max < 1 || max > 100)) {
            throw AwsError.invalid("maxResults: '" + max + "' is not allowed; 1 to 100.");
        }
        int limit = max == null ? 20 : max;
        List<String> statuses = Json.strings(req, "status");
        for (String st : statuses) {
            if (!DEPLOYMENT_STATUSES.contains(st)) {
                throw AwsError.invalid("status: '" + st + "' is not allowed; one of " + String.join(", ", DEPLOYMENT_STATUSES) + ".");
            }
        }
        Instant before = Json.readTs(req.get("createdAt"), "before");
        Instant after = Json.readTs(req.get("createdAt"), "after");
        int offset = 0;
        String token = Json.text(req, "nextToken");
        if (token != null) {
            try {
                String t = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                if (!t.startsWith("offset:")) {
                    throw new IllegalArgumentException(t);
                }
                offset = Integer.parseInt(t.substring("offset:".length()));
            } catch (IllegalArgumentException e) {
                throw AwsError.invalid("nextToken: '" + token + "' is not a token this service returned.");
            }
        }
        // Newest first (ordering not documented: docs/simulator.md A11).
        List<Deployment> newestFirst = new ArrayList<>(s.deployments);
        java.util.Collections.reverse(newestFirst);
        List<Deployment> matching = newestFirst.stream()
                .filter(d -> statuses.isEmpty() || statuses.contains(d.status))
                .filter(d -> before == null || d.createdAt.isBefore(before))
                .filter(d -> after == null || d.createdAt.isAfter(after))
                .sorted(Comparator.comparing((Deployment d) -> d.createdAt).reversed())
                .toList();
        ArrayNode briefs = Json.arr();
        for (int i = offset; i < matching.size() && i < offset + limit; i++) {
            briefs.add(brief(matching.get(i)));
        }
        ObjectNode out = Json.obj();
        out.set("serviceDeployments", briefs);
        if (offset + limit < matching.size()) {
            out.put("nextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("offset:" + (offset + limit)).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private ObjectNode brief(Deployment d) {
        ObjectNode n = Json.obj();
        n.put("serviceDeploymentArn", d.arn);
        n.put("serviceArn", d.service.arn);
        n.put("clusterArn", d.service.cluster.arn);
        Json.putTs(n, "startedAt", d.startedAt);
        Json.putTs(n, "createdAt", d.createdAt);
        Json.putTs(n, "finishedAt", d.finishedAt);
        n.put("targetServiceRevisionArn", d.target.arn);
        n.put("status", d.status);
        if (d.statusReason != null) {
            n.put("statusReason", d.statusReason);
        }
        return n;
    }

    private List<String> arns(ObjectNode req, String field) {
        List<String> arns = Json.strings(req, field);
        if (arns.isEmpty() || arns.size() > 20) {
            throw AwsError.invalid(field + ": '" + arns.size() + " ARNs' is not allowed; 1 to 20 ARNs.");
        }
        return arns;
    }

    private ObjectNode describeServiceDeployments(ObjectNode req) {
        return describeBatch(req, "serviceDeploymentArns", "serviceDeployments", c.deployments::get, this::deploymentJson);
    }

    /**
     * The shape both batch look-ups share (API reference): 1–20 ARNs in, the known ones described, every
     * unknown one listed under {@code failures} instead of failing the call.
     */
    private <T> ObjectNode describeBatch(ObjectNode req, String arnsField, String outField,
            java.util.function.Function<String, T> find, java.util.function.Function<T, ObjectNode> toJson) {
        ArrayNode out = Json.arr();
        ArrayNode failures = Json.arr();
        for (String arn : arns(req, arnsField)) {
            T found = find.apply(arn);
            if (found == null) {
                failures.add(failure(arn));
            } else {
                out.add(toJson.apply(found));
            }
        }
        ObjectNode r = Json.obj();
        r.set(outField, out);
        r.set("failures", failures);
        return r;
    }

    private static ObjectNode failure(String arn) {
        ObjectNode f = Json.obj();
        f.put("arn", arn);
        f.put("reason", "MISSING");
        return f;
    }

    ObjectNode deploymentJson(Deployment d) {
        ObjectNode n = Json.obj();
        n.put("serviceDeploymentArn", d.arn);
        n.put("serviceArn", d.service.arn);
        n.put("clusterArn", d.service.cluster.arn);
        Json.putTs(n, "createdAt", d.createdAt);
        Json.putTs(n, "startedAt", d.startedAt);
        Json.putTs(n, "finishedAt", d.finishedAt);
        Json.putTs(n, "stoppedAt", d.stoppedAt);
        Json.putTs(n, "updatedAt", d.updatedAt);
        if (d.frozenTarget != null) {
            n.set("sourceServiceRevisions", d.frozenSources.deepCopy());
            n.set("targetServiceRevision", d.frozenTarget.deepCopy());
        } else {
            ArrayNode src = Json.arr();
            d.sources.forEach(r -> src.add(c.summary(r, d)));
            n.set("sourceServiceRevisions", src);
            n.set("targetServiceRevision", c.summary(d.target, d));
        }
        n.put("status", d.status);
        if (d.statusReason != null) {
            n.put("statusReason", d.statusReason);
        }
        if (d.lifecycleStage != null) {
            n.put("lifecycleStage", d.lifecycleStage);
        }
        ArrayNode hooks = Json.arr();
        for (HookExec h : d.hooks) {
            ObjectNode x = Json.obj();
            x.put("hookId", h.hookId);
            x.put("targetType", h.targetType);
            if (h.targetArn != null) {
                x.put("targetArn", h.targetArn);
            }
            x.put("status", h.status);
            Json.putTs(x, "expiresAt", h.expiresAt);
            x.put("timeoutAction", h.timeoutAction);
            hooks.add(x);
        }
        n.set("lifecycleHookDetails", hooks);
        n.set("deploymentConfiguration", d.configuration.deepCopy());
        if (d.rollbackReason != null) {
            ObjectNode rb = n.putObject("rollback");
            rb.put("reason", d.rollbackReason);
            Json.putTs(rb, "startedAt", d.rollbackStartedAt);
            rb.put("serviceRevisionArn", d.rollbackRevisionArn);
        }
        ObjectNode cb = n.putObject("deploymentCircuitBreaker");
        cb.put("status", d.cbStatus);
        cb.put("failureCount", d.cbFailures);
        cb.put("threshold", d.cbThreshold);
        ObjectNode al = n.putObject("alarms");
        al.put("status", d.alarmsStatus);
        al.set("alarmNames", Json.strArray(d.alarmNames));
        al.set("triggeredAlarmNames", Json.strArray(d.triggeredAlarms));
        return n;
    }

    private ObjectNode describeServiceRevisions(ObjectNode req) {
        return describeBatch(req, "serviceRevisionArns", "serviceRevisions", c.revisions::get, this::revisionJson);
    }

    private ObjectNode revisionJson(Revision r) {
        Service s = r.service;
        ObjectNode n = Json.obj();
        n.put("serviceRevisionArn", r.arn);
        n.put("serviceArn", s.arn);
        n.put("clusterArn", s.cluster.arn);
        n.put("taskDefinition", r.taskDef.arn);
        n.put("launchType", s.spec.path("launchType").asText("EC2"));
        if ("FARGATE".equals(s.spec.path("launchType").asText())) {
            n.put("platformVersion", s.spec.path("platformVersion").asText("LATEST"));
            n.put("platformFamily", "Linux");
        }
        n.set("loadBalancers", r.loadBalancers.deepCopy());
        n.set("serviceRegistries", Json.arr());
        if (r.networkConfiguration != null) {
            n.set("networkConfiguration", r.networkConfiguration.deepCopy());
        }
        ArrayNode images = Json.arr();
        for (JsonNode cd : r.taskDef.json.path("containerDefinitions")) {
            ObjectNode ci = Json.obj();
            ci.put("containerName", cd.path("name").asText());
            ci.put("imageDigest", "sha256:" + sha256(cd.path("image").asText()));
            ci.put("image", cd.path("image").asText());
            images.add(ci);
        }
        n.set("containerImages", images);
        n.put("guardDutyEnabled", false);
        Json.putTs(n, "createdAt", r.createdAt);
        // resolvedConfiguration is present only for an ACTIVE revision (aws-samples blue/green patterns: docs/simulator.md A15).
        if (r.targetGroup != null && r.active()) {
            ObjectNode rc = n.putObject("resolvedConfiguration");
            ObjectNode lb = rc.putArray("loadBalancers").addObject();
            lb.put("targetGroupArn", r.targetGroup);
            if (r.productionListenerRule != null) {
                lb.put("productionListenerRule", r.productionListenerRule);
            }
        }
        return n;
    }

    private static String sha256(String s) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder();
            for (byte x : h) {
                b.append(String.format("%02x", x));
            }
            return b.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Deployment deployment(ObjectNode req) {
        String arn = Json.text(req, "serviceDeploymentArn");
        if (arn == null || arn.isEmpty()) {
            throw AwsError.invalid("serviceDeploymentArn: is required.");
        }
        Deployment d = c.deployments.get(arn);
        if (d == null) {
            throw AwsError.deploymentNotFound(arn);
        }
        return d;
    }

    private ObjectNode stopServiceDeployment(ObjectNode req) {
        Deployment d = deployment(req);
        String type = Json.text(req, "stopType");
        if (type == null) {
            type = "ROLLBACK"; // the default when stopType is left out is not documented (docs/simulator.md A7)
        }
        if ("ABORT".equals(type)) {
            throw AwsError.unsupported("stopType: 'ABORT' is not supported; the only supported stopType is ROLLBACK.");
        }
        if (!"ROLLBACK".equals(type)) {
            throw AwsError.invalid("stopType: '" + type + "' is not allowed; ROLLBACK.");
        }
        c.stop(d);
        ObjectNode out = Json.obj();
        out.put("serviceDeploymentArn", d.arn);
        return out;
    }

    private ObjectNode continueServiceDeployment(ObjectNode req) {
        Deployment d = deployment(req);
        String hookId = Json.text(req, "hookId");
        if (hookId == null || hookId.isEmpty()) {
            throw AwsError.invalid("hookId: is required.");
        }
        String action = Json.text(req, "action");
        if (action == null) {
            action = "CONTINUE"; // model default (API reference)
        }
        if (!Set.of("CONTINUE", "ROLLBACK").contains(action)) {
            throw AwsError.invalid("action: '" + action + "' is not allowed; CONTINUE or ROLLBACK.");
        }
        c.continueHook(d, hookId, action);
        ObjectNode out = Json.obj();
        out.put("serviceDeploymentArn", d.arn);
        return out;
    }
}
