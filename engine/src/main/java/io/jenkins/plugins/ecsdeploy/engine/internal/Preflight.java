package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentPlan;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.PlanContext;
import io.jenkins.plugins.ecsdeploy.engine.Planner;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.ClusterNotFoundException;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * Checks against the live service, before any write: the service exists and is ACTIVE; it is not an Express Mode
 * service (ECS manages those, see below); its deployment controller is ECS (CODE_DEPLOY / EXTERNAL cannot run native
 * strategies); a load-balanced service has the advancedConfiguration the advanced strategies need; containers named
 * in image overrides exist; the task definition named exists; no deployment is in progress (or the caller asked to
 * attach to it). docs/engine.md "2. Preflight (reads only)".
 */
public final class Preflight {
    public static final String MIGRATION_DOC = "docs/migrate-from-codedeploy.md";
    public static final String EXPRESS_DOC = "docs/engine.md \"Express Mode services\"";
    /** Statuses of a deployment that is still going on (the service deployment page's "ongoing" statuses). */
    public static final List<String> ONGOING = List.of("PENDING", "IN_PROGRESS", "STOP_REQUESTED", "ROLLBACK_REQUESTED",
            "ROLLBACK_IN_PROGRESS");

    private final EcsClient ecs;
    private final Executor io;
    private final StartRateLimiter limiter;
    /** DescribeServices, DescribeTaskDefinition, ListServiceDeployments: taken from the start budget by check(). */
    static final int PREFLIGHT_TOKENS = DeploymentStarter.PREFLIGHT_TOKENS;

    /** Without a budget (unit tests). */
    public Preflight(EcsClient ecs, Executor io) {
        this(ecs, io, null);
    }

    public Preflight(EcsClient ecs, Executor io, StartRateLimiter limiter) {
        this.ecs = ecs;
        this.io = io;
        this.limiter = limiter;
    }

    /**
     * What preflight learnt: the plan with live knowledge, the service, its current task definition when it was
     * described (image overrides), and the ARN of a deployment in progress (only when attachIfInProgress).
     */
    public record Result(DeploymentPlan plan, Service service, DescribeTaskDefinitionResponse currentTaskDefinition,
                         String resolvedTaskDefinitionArn, String inProgressArn) {}

    public CompletableFuture<Result> check(DeploymentRequest r) {
        if (limiter == null) {
            return checkUnlimited(r);
        }
        return limiter.acquire(PREFLIGHT_TOKENS).thenCompose(permit -> checkUnlimited(r)
                .whenComplete((x, e) -> permit.release()));
    }

    /** The same, with the tokens already taken by the caller (start() takes one start's worth at once). */
    CompletableFuture<Result> checkUnlimited(DeploymentRequest r) {
        return CompletableFuture.supplyAsync(() -> checkNow(r), io);
    }

    Result checkNow(DeploymentRequest r) {
        List<ValidationProblem> p = new ArrayList<>();
        String cluster = r.clusterOrDefault();
        DescribeServicesResponse ds;
        try {
            ds = ecs.describeServices(b -> b.cluster(cluster).services(r.service()));
        } catch (ClusterNotFoundException e) {
            throw new InvalidRequestException(List.of(new ValidationProblem("cluster", cluster,
                    "an existing cluster in " + r.region() + " (ECS: " + e.awsErrorDetails().errorMessage() + ")")));
        }
        Service svc = ds.services().stream().findFirst().orElse(null);
        if (svc == null) {
            throw new InvalidRequestException(List.of(new ValidationProblem("service", r.service(),
                    "an existing service in cluster " + cluster + " (" + r.region() + "); ECS reports it "
                            + ds.failures().stream().map(f -> f.reason()).findFirst().orElse("MISSING"))));
        }
        if (!"ACTIVE".equals(svc.status())) {
            p.add(new ValidationProblem("service", r.service(), "an ACTIVE service; it is " + svc.status()));
        }
        if ("ECS".equals(svc.resourceManagementTypeAsString())) {
            // An Express Mode service: ECS owns its configuration and deploys it through UpdateExpressGatewayService
            // (canary, alarm rollback). UpdateService would change it behind Express Mode's back and may be undone by its
            // next update ("Updating Resources Outside of Express Mode",
            // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/express-service-advanced-customization.html).
            p.add(new ValidationProblem("service", r.service(), "a service this engine may deploy; this one is an Amazon ECS "
                    + "Express Mode service (resourceManagementType ECS): deploy it with UpdateExpressGatewayService "
                    + "(aws ecs update-express-gateway-service) or the console. See " + EXPRESS_DOC));
        }
        String controller = svc.deploymentController() == null ? "ECS" : svc.deploymentController().typeAsString();
        if (!"ECS".equals(controller)) {
            p.add(new ValidationProblem("service", r.service(), "a service whose deployment controller is ECS; this one "
                    + "uses " + controller + ", which cannot run ECS-native " + r.strategy().ecsName()
                    + " deployments. See " + MIGRATION_DOC + " for moving it to the ECS controller"));
        }
        if (!(r.strategy() instanceof Strategy.Rolling) && svc.hasLoadBalancers()) {
            for (int i = 0; i < svc.loadBalancers().size(); i++) {
                LoadBalancer lb = svc.loadBalancers().get(i);
                var ac = lb.advancedConfiguration();
                List<String> missing = new ArrayList<>();
                if (ac == null || blank(ac.alternateTargetGroupArn())) {
                    missing.add("alternateTargetGroupArn");
                }
                if (ac == null || blank(ac.productionListenerRule())) {
                    missing.add("productionListenerRule");
                }
                if (ac == null || blank(ac.roleArn())) {
                    missing.add("roleArn");
                }
                if (!missing.isEmpty()) {
                    p.add(new ValidationProblem("service.loadBalancers[" + i + "].advancedConfiguration",
                            ac == null ? "" : "missing " + String.join(", ", missing),
                            r.strategy().ecsName() + " on a load-balanced service needs advancedConfiguration with "
                                    + "alternateTargetGroupArn (the green target group), productionListenerRule and "
                                    + "roleArn (the ECS infrastructure role) — set them on the service first (see "
                                    + MIGRATION_DOC + ", 'Load balancer wiring')"));
                }
            }
        }
        DescribeTaskDefinitionResponse current = null;
        String resolved = null;
        RevisionSource rev = r.revision();
        if (rev instanceof RevisionSource.ImageOverrides io) {
            current = ecs.describeTaskDefinition(b -> b.taskDefinition(svc.taskDefinition()).include(TaskDefinitionField.TAGS));
            List<String> unknown = TaskDefinitions.unknownContainers(current.taskDefinition(), io.imagesByContainer());
            List<String> names = current.taskDefinition().containerDefinitions().stream().map(c -> c.name()).toList();
            for (String u : unknown) {
                p.add(new ValidationProblem("images[" + u + "]", u, "a container of " + svc.taskDefinition()
                        + ": " + String.join(", ", names)));
            }
        } else if (rev instanceof RevisionSource.TaskDefinition td) {
            try {
                resolved = ecs.describeTaskDefinition(b -> b.taskDefinition(td.arnOrFamilyRevision()))
                        .taskDefinition().taskDefinitionArn();
            } catch (EcsException e) {
                p.add(new ValidationProblem("taskDefinition", td.arnOrFamilyRevision(),
                        "an existing task definition in " + r.region() + " (ECS: "
                                + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()) + ")"));
            }
        }
        String inProgress = null;
        List<ServiceDeploymentBrief> ongoing = ecs.listServiceDeployments(b -> b.cluster(cluster).service(r.service())
                .statusWithStrings(ONGOING)).serviceDeployments();
        if (!ongoing.isEmpty()) {
            inProgress = ongoing.get(0).serviceDeploymentArn();
            if (!r.attachIfInProgress()) {
                p.add(new ValidationProblem("service", r.service(), "a service with no deployment in progress; "
                        + inProgress + " is " + ongoing.get(0).statusAsString()
                        + " — wait for it, roll it back, or attach to it (attachIfInProgress)"));
            }
        }
        if (!p.isEmpty()) {
            throw new InvalidRequestException(p);
        }
        var dc = svc.deploymentConfiguration();
        boolean nlb = svc.hasLoadBalancers() && svc.loadBalancers().stream().anyMatch(lb -> lb.advancedConfiguration() != null
                && lb.advancedConfiguration().productionListenerRule() != null
                && lb.advancedConfiguration().productionListenerRule().contains(":listener/net/"));
        PlanContext ctx = new PlanContext(svc.desiredCount(), svc.hasLoadBalancers() && !svc.loadBalancers().isEmpty(), nlb,
                dc == null ? null : dc.minimumHealthyPercent(), dc == null ? null : dc.maximumPercent(),
                dc == null ? null : dc.bakeTimeInMinutes());
        return new Result(Planner.plan(r, ctx), svc, current, resolved, inProgress);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
