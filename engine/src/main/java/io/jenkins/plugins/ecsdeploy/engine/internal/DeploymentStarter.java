package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.EngineException;
import io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import io.jenkins.plugins.ecsdeploy.engine.validation.Arns;
import io.jenkins.plugins.ecsdeploy.engine.validation.RequestConsistency;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.ListServiceDeploymentsResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;
import software.amazon.awssdk.services.ecs.model.ServiceDeploymentBrief;
import software.amazon.awssdk.services.ecs.model.ServiceRevision;
import software.amazon.awssdk.services.ecs.model.UpdateServiceRequest;

/**
 * start(): preflight → register the new task definition revision (image overrides / JSON) → UpdateService with the
 * full deploymentConfiguration → find the service deployment it created. attach(): a handle from an ARN alone.
 *
 * <p>Finding the deployment (UpdateService does not return its ARN, aws/containers-roadmap#2709; docs/engine.md "3. Start"): the engine records
 * T0 on its clock and the ARNs of deployments already created since T0 − skew, calls UpdateService, then polls
 * ListServiceDeployments(createdAt after T0 − skew) on the scheduler. A candidate is accepted only if it was not
 * there before and its target revision (DescribeServiceRevisions) runs exactly the task definition just deployed,
 * so an older deployment is never mistaken for the new one. Nothing after findDeploymentTimeout → a clear error.
 */
public final class DeploymentStarter {
    private final EcsClient ecs;
    private final Scheduler scheduler;
    private final Executor io;
    private final EngineConfig config;
    private final Preflight preflight;
    private final StartRateLimiter limiter;

    /**
     * Tokens each step of start() takes from the limiter before its first call: the most calls it can make. Each is
     * given back when the step's calls are done. Preflight: DescribeServices, DescribeTaskDefinition,
     * ListServiceDeployments (a new start: it waits behind the steps of starts already under way).
     */
    static final int PREFLIGHT_TOKENS = 3;
    /** update(): RegisterTaskDefinition, ListServiceDeployments, UpdateService. */
    static final int UPDATE_TOKENS = 3;
    /**
     * A look for the new deployment: ListServiceDeployments, DescribeServiceRevisions, and DescribeServiceDeployments +
     * DescribeServiceRevisions when it falls back on UpdateService's hint.
     */
    static final int LOOK_TOKENS = 4;
    /** attach(): DescribeServiceDeployments + DescribeServiceRevisions. */
    static final int ATTACH_TOKENS = 2;

    public DeploymentStarter(EcsClient ecs, Scheduler scheduler, Executor io, EngineConfig config, Preflight preflight,
                             StartRateLimiter limiter) {
        this.ecs = ecs;
        this.scheduler = scheduler;
        this.io = io;
        this.config = config;
        this.preflight = preflight;
        this.limiter = limiter;
    }

    /**
     * What UpdateService was given, for finding the deployment it created. {@code hint} is the answer's
     * {@code service.currentServiceDeployment} (whether it already names the new deployment is not documented; docs/engine.md "3. Start"):
     * used only when the createdAt-filtered list finds nothing, and only after it was checked.
     */
    record Pending(DeploymentRequest request, String taskDefinitionArn, Instant since, Set<String> before, String hint,
                   java.util.concurrent.atomic.AtomicBoolean hintRejected) {}

    public CompletableFuture<DeploymentHandle> start(DeploymentRequest r) {
        return limited(PREFLIGHT_TOKENS, false, () -> preflight.checkUnlimited(r)).thenCompose(pf -> {
            if (pf.inProgressArn() != null) {
                // attachIfInProgress: follow the running deployment, write nothing.
                return limited(ATTACH_TOKENS, true, () -> attachUnlimited(DeploymentHandle.fromArn(pf.inProgressArn())));
            }
            return this.<Pending>limited(UPDATE_TOKENS, true, () -> CompletableFuture.supplyAsync(() -> update(r, pf), io))
                    .thenCompose(this::find);
        }).exceptionallyCompose(e -> CompletableFuture.failedFuture(unwrap(e)));
    }

    /** Runs one step of the start path within the budget: tokens first, given back when its calls are done. */
    private <T> CompletableFuture<T> limited(int tokens, boolean underWay,
                                             java.util.function.Supplier<CompletableFuture<T>> step) {
        return limiter.acquire(tokens, underWay).thenCompose(permit -> {
            CompletableFuture<T> f;
            try {
                f = step.get();
            } catch (RuntimeException e) { // e.g. the pool refused the task (engine closed): the tokens go back too
                permit.release();
                return CompletableFuture.failedFuture(e);
            }
            return f.whenComplete((x, e) -> permit.release());
        });
    }

    private Pending update(DeploymentRequest r, Preflight.Result pf) {
        String cluster = r.clusterOrDefault();
        if (pf.service() != null && pf.service().serviceArn() != null) {
            // Now that ECS has named the service's account: the roles of a task definition file must be in it unless
            // allowed (docs/security.md "Roles of other accounts"). Before anything is registered.
            List<ValidationProblem> roles = new ArrayList<>();
            RequestConsistency.roleAccounts(r,
                    Arns.account(pf.service().serviceArn()), roles);
            if (!roles.isEmpty()) {
                throw new InvalidRequestException(roles);
            }
        }
        String td = taskDefinitionArn(r, pf);
        DeploymentConfiguration dc = DeploymentConfigurations.merge(pf.service().deploymentConfiguration(), r);
        Instant t0 = scheduler.clock().instant();
        Instant since = t0.minus(config.clockSkewAllowance());
        Set<String> before = new HashSet<>();
        for (ServiceDeploymentBrief b : listSince(cluster, r.service(), since)) {
            before.add(b.serviceDeploymentArn());
        }
        if (pf.service() != null && pf.service().currentServiceDeployment() != null) {
            // The deployment that was current before UpdateService is never the new one, whatever its createdAt.
            before.add(pf.service().currentServiceDeployment());
        }
        Pending base = new Pending(r, td, since, before, null, new java.util.concurrent.atomic.AtomicBoolean());
        String previousTaskDefinition = pf.service() == null ? null : pf.service().taskDefinition();
        UpdateServiceRequest request = updateServiceRequest(r, dc, td).toBuilder()
                .overrideConfiguration(WritePolicy.noBlindRetry()).build();
        for (int attempt = 1; ; attempt++) {
            try {
                var resp = ecs.updateService(request);
                String hint = resp.service() == null ? null : resp.service().currentServiceDeployment();
                return new Pending(r, td, since, before, hint, base.hintRejected());
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                if (!WritePolicy.outcomeUnknown(e)) {
                    throw refused(cluster, r.service(), e);
                }
                // The reply was lost (or ECS failed with a 5xx): the first attempt may have started the deployment.
                // Never send it again blindly — with forceNewDeployment a second UpdateService starts a second
                // deployment. Look at ECS first and adopt what the first attempt did (docs/reliability.md "Writes").
                Applied applied = reconcile(base, previousTaskDefinition, e);
                if (applied.hint() != null || applied.found()) {
                    LOG.fine(() -> "UpdateService on " + cluster + "/" + r.service() + ": the reply was lost ("
                            + SafeText.line(e.getMessage(), 200) + ") but ECS shows the update applied; adopting it");
                    lostUpdateReplies.incrementAndGet();
                    return new Pending(r, td, since, before, applied.hint(), base.hintRejected());
                }
                if (attempt >= MAX_UPDATE_ATTEMPTS) {
                    throw new EngineException("UpdateService on " + cluster + "/" + r.service() + " failed " + attempt
                            + " times without an answer, and ECS shows no new deployment: " + SafeText.line(e.getMessage(), 300), e);
                }
                LOG.fine(() -> "UpdateService on " + cluster + "/" + r.service() + " failed without an answer ("
                        + SafeText.line(e.getMessage(), 200) + ") and ECS shows the service unchanged; sending it again");
            }
        }
    }

    /** How many attempts UpdateService gets when its reply is lost and ECS shows it was not applied. */
    static final int MAX_UPDATE_ATTEMPTS = 3;
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(DeploymentStarter.class.getName());
    /** UpdateService calls whose reply was lost and whose deployment was adopted instead of sending them again. */
    private final java.util.concurrent.atomic.AtomicInteger lostUpdateReplies = new java.util.concurrent.atomic.AtomicInteger();

    /** For tests and docs/reliability.md: lost UpdateService replies whose deployment was adopted. */
    public int adoptedAfterLostReply() {
        return lostUpdateReplies.get();
    }

    /** What ECS shows after an UpdateService without an answer: found = a new deployment of ours; hint = its ARN. */
    private record Applied(boolean found, String hint) {}

    /**
     * Reads ECS after an UpdateService whose outcome is unknown. Applied when a deployment that was not there before
     * runs the task definition just sent (the same check find() makes), or when DescribeServices shows a new current
     * deployment, or the service now runs the task definition it did not run before. A read that fails too leaves the
     * outcome unknown: that is an error telling the user to look, never a second UpdateService.
     */
    private Applied reconcile(Pending p, String previousTaskDefinition, RuntimeException original) {
        try {
            DeploymentHandle h = look(p);
            if (h != null) {
                return new Applied(true, h.deploymentArn());
            }
            var svc = ecs.describeServices(b -> b.cluster(p.request().clusterOrDefault()).services(p.request().service()))
                    .services().stream().findFirst().orElse(null);
            if (svc == null) {
                return new Applied(false, null);
            }
            String current = svc.currentServiceDeployment();
            if (current != null && !p.before().contains(current)) {
                return new Applied(false, current);
            }
            if (p.taskDefinitionArn().equals(svc.taskDefinition()) && !p.taskDefinitionArn().equals(previousTaskDefinition)) {
                return new Applied(true, null);
            }
            return new Applied(false, null);
        } catch (RuntimeException readFailed) {
            EngineException e = new EngineException("UpdateService on " + p.request().clusterOrDefault() + "/"
                    + p.request().service() + " got no answer (" + SafeText.line(original.getMessage(), 200)
                    + ") and the service could not be read afterwards (" + SafeText.line(readFailed.getMessage(), 200)
                    + "); the deployment may have started: look at the service's deployments before deploying again", original);
            throw e;
        }
    }

    private static EngineException refused(String cluster, String service, software.amazon.awssdk.core.exception.SdkException e) {
        String why = e instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? a.awsErrorDetails().errorCode() + ": " + a.awsErrorDetails().errorMessage() : e.getMessage();
        return new EngineException("UpdateService on " + cluster + "/" + service + " was refused: " + SafeText.line(why, 500), e);
    }

    /**
     * The UpdateService request start() sends: the service's full deploymentConfiguration merged with the request
     * ({@link DeploymentConfigurations#merge}), the task definition, desiredCount when given, forceNewDeployment.
     */
    public static UpdateServiceRequest updateServiceRequest(DeploymentRequest r, DeploymentConfiguration merged,
                                                            String taskDefinitionArn) {
        UpdateServiceRequest.Builder u = UpdateServiceRequest.builder().cluster(r.clusterOrDefault()).service(r.service())
                .taskDefinition(taskDefinitionArn).deploymentConfiguration(merged)
                .forceNewDeployment(r.forceNewDeployment());
        if (r.desiredCount() != null) {
            u.desiredCount(r.desiredCount());
        }
        return u.build();
    }

    private String taskDefinitionArn(DeploymentRequest r, Preflight.Result pf) {
        RevisionSource rev = r.revision();
        if (rev instanceof RevisionSource.TaskDefinition) {
            return pf.resolvedTaskDefinitionArn();
        }
        RegisterTaskDefinitionRequest req;
        if (rev instanceof RevisionSource.ImageOverrides io) {
            var cur = pf.currentTaskDefinition();
            req = TaskDefinitions.withImages(cur.taskDefinition(), cur.hasTags() ? cur.tags() : List.of(),
                    io.imagesByContainer());
        } else {
            var tj = (RevisionSource.TaskDefinitionJson) rev;
            req = TaskDefinitions.fromJson(tj.json(), tj.origin());
        }
        try {
            return ecs.registerTaskDefinition(req).taskDefinition().taskDefinitionArn();
        } catch (AwsServiceException e) {
            throw new EngineException("RegisterTaskDefinition for family " + req.family() + " was refused: "
                    + (e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage()), e);
        }
    }

    private List<ServiceDeploymentBrief> listSince(String cluster, String service, Instant since) {
        List<ServiceDeploymentBrief> all = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            // No paginator for ListServiceDeployments in the SDK (docs/engine.md "3. Start"): page by hand.
            ListServiceDeploymentsResponse resp = ecs.listServiceDeployments(b -> b.cluster(cluster).service(service)
                    .createdAt(c -> c.after(since)).maxResults(100).nextToken(t));
            all.addAll(resp.serviceDeployments());
            token = resp.nextToken();
        } while (token != null && !token.isEmpty());
        return all;
    }

    private CompletableFuture<DeploymentHandle> find(Pending p) {
        CompletableFuture<DeploymentHandle> result = new CompletableFuture<>();
        // The deadline counts ECS's time, not the limiter's: each wait for tokens moves it on by that wait, so a mass
        // start cannot make a start give up on a deployment it simply had no budget to look for yet.
        Instant[] deadline = {scheduler.clock().instant().plus(config.findDeploymentTimeout())};
        Duration every = config.pollFloor().compareTo(Duration.ofSeconds(3)) < 0 ? config.pollFloor() : Duration.ofSeconds(3);
        Runnable[] attempt = new Runnable[1];
        StartRateLimiter.Permit[] permit = new StartRateLimiter.Permit[1];
        Runnable budgeted = () -> {
            Instant asked = scheduler.clock().instant();
            limiter.acquire(LOOK_TOKENS, true).thenAccept(granted -> {
                Duration wait = Duration.between(asked, scheduler.clock().instant());
                synchronized (deadline) {
                    deadline[0] = deadline[0].plus(wait);
                }
                permit[0] = granted;
                attempt[0].run();
            });
        };
        attempt[0] = () -> CompletableFuture.supplyAsync(() -> look(p), io).whenComplete((h, e) -> {
            permit[0].release(); // this look's calls are done: its tokens return to the bucket a second from now
            if (e != null) {
                result.completeExceptionally(unwrap(e));
            } else if (h != null) {
                result.complete(h);
            } else if (scheduler.clock().instant().isAfter(deadlineOf(deadline))) {
                result.completeExceptionally(new EngineException("UpdateService was accepted, but no new service "
                        + "deployment running " + p.taskDefinitionArn() + " appeared on " + p.request().clusterOrDefault()
                        + "/" + p.request().service() + " within " + config.findDeploymentTimeout()
                        + ". ECS may not have started one (an unchanged task definition without forceNewDeployment "
                        + "starts none); check the service's deployments in the console"));
            } else {
                scheduler.schedule(every, budgeted);
            }
        });
        budgeted.run();
        return result;
    }

    private static Instant deadlineOf(Instant[] d) {
        synchronized (d) {
            return d[0];
        }
    }

    /** One look for the new deployment; null when not there yet. */
    private DeploymentHandle look(Pending p) {
        String cluster = p.request().clusterOrDefault();
        List<ServiceDeploymentBrief> fresh = new ArrayList<>();
        for (ServiceDeploymentBrief b : listSince(cluster, p.request().service(), p.since())) {
            if (!p.before().contains(b.serviceDeploymentArn()) && b.targetServiceRevisionArn() != null) {
                fresh.add(b);
            }
        }
        if (fresh.isEmpty()) {
            return fromHint(p);
        }
        fresh.sort((a, b) -> b.createdAt() == null || a.createdAt() == null ? 0 : b.createdAt().compareTo(a.createdAt()));
        Map<String, String> tdByRevision = new HashMap<>();
        List<String> revs = fresh.stream().map(ServiceDeploymentBrief::targetServiceRevisionArn).distinct().toList();
        for (int i = 0; i < revs.size(); i += 20) {
            List<String> chunk = revs.subList(i, Math.min(revs.size(), i + 20));
            for (ServiceRevision sr : ecs.describeServiceRevisions(b -> b.serviceRevisionArns(chunk)).serviceRevisions()) {
                tdByRevision.put(sr.serviceRevisionArn(), sr.taskDefinition());
            }
        }
        for (ServiceDeploymentBrief b : fresh) {
            if (p.taskDefinitionArn().equals(tdByRevision.get(b.targetServiceRevisionArn()))) {
                return handle(p, b.serviceDeploymentArn());
            }
        }
        return fromHint(p);
    }

    private static DeploymentHandle handle(Pending p, String arn) {
        DeploymentHandle base = DeploymentHandle.fromArn(arn);
        return new DeploymentHandle(arn, p.request().region(), base.accountId(), base.cluster(), base.service(),
                p.taskDefinitionArn(), p.request().strategy().ecsName(), p.request().gateStages());
    }

    /**
     * The fallback when the createdAt-filtered list has no match (e.g. ECS's clock, or a simulator's virtual clock,
     * far behind the engine's, so createdAt falls before T0 − skew): UpdateService's
     * {@code service.currentServiceDeployment}. Whether that field already names the new deployment is not documented (docs/engine.md "3. Start"), so it is taken only
     * when verified: not a deployment that existed before UpdateService (the "before" list), and its target revision
     * (DescribeServiceDeployments + DescribeServiceRevisions) runs exactly the task definition just deployed. A hint
     * that fails the check is not asked about again; one whose deployment or revision is not visible yet is.
     */
    private DeploymentHandle fromHint(Pending p) {
        String arn = p.hint();
        if (arn == null || arn.isBlank() || p.hintRejected().get()) {
            return null;
        }
        if (p.before().contains(arn)) {
            p.hintRejected().set(true);
            return null;
        }
        ServiceDeployment sd = ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(arn)).serviceDeployments()
                .stream().filter(d -> arn.equals(d.serviceDeploymentArn())).findFirst().orElse(null);
        if (sd == null || sd.targetServiceRevision() == null || sd.targetServiceRevision().arn() == null) {
            return null;
        }
        String rev = sd.targetServiceRevision().arn();
        List<ServiceRevision> revs = ecs.describeServiceRevisions(b -> b.serviceRevisionArns(rev)).serviceRevisions();
        if (revs.isEmpty()) {
            return null;
        }
        if (!p.taskDefinitionArn().equals(revs.get(0).taskDefinition())) {
            p.hintRejected().set(true);
            return null;
        }
        return handle(p, arn);
    }

    /** A handle for an existing deployment: DescribeServiceDeployments + DescribeServiceRevisions, no write. */
    public CompletableFuture<DeploymentHandle> attach(DeploymentHandle base) {
        return limited(ATTACH_TOKENS, false, () -> attachUnlimited(base));
    }

    private CompletableFuture<DeploymentHandle> attachUnlimited(DeploymentHandle base) {
        return CompletableFuture.supplyAsync(() -> {
            var resp = ecs.describeServiceDeployments(b -> b.serviceDeploymentArns(base.deploymentArn()));
            ServiceDeployment sd = resp.serviceDeployments().stream()
                    .filter(d -> base.deploymentArn().equals(d.serviceDeploymentArn())).findFirst().orElse(null);
            if (sd == null) {
                throw new InvalidRequestException(List.of(new ValidationProblem("deploymentArn", base.deploymentArn(),
                        "the ARN of a service deployment ECS knows in " + base.region() + " (ECS reports "
                                + resp.failures().stream().map(f -> f.reason()).findFirst().orElse("nothing") + ")")));
            }
            String td = null;
            if (sd.targetServiceRevision() != null && sd.targetServiceRevision().arn() != null) {
                var revs = ecs.describeServiceRevisions(b -> b.serviceRevisionArns(sd.targetServiceRevision().arn()))
                        .serviceRevisions();
                td = revs.isEmpty() ? null : revs.get(0).taskDefinition();
            }
            List<String> gateStages = new ArrayList<>();
            String strategy = null;
            if (sd.deploymentConfiguration() != null) {
                strategy = sd.deploymentConfiguration().strategyAsString();
                if (sd.deploymentConfiguration().hasLifecycleHooks()) {
                    for (DeploymentLifecycleHook h : sd.deploymentConfiguration().lifecycleHooks()) {
                        if (DeploymentConfigurations.isPause(h)) {
                            gateStages.addAll(h.lifecycleStagesAsStrings());
                        }
                    }
                }
            }
            return new DeploymentHandle(base.deploymentArn(), base.region(), base.accountId(), base.cluster(),
                    base.service(), td, strategy, gateStages);
        }, io).exceptionallyCompose(e -> CompletableFuture.failedFuture(unwrap(e)));
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
