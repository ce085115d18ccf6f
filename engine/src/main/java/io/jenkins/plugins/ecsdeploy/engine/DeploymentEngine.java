package io.jenkins.plugins.ecsdeploy.engine;

import io.jenkins.plugins.ecsdeploy.engine.analysis.Analyses;
import io.jenkins.plugins.ecsdeploy.engine.approval.Approval;
import io.jenkins.plugins.ecsdeploy.engine.approval.IdMatcher;
import io.jenkins.plugins.ecsdeploy.engine.approval.Tally;
import io.jenkins.plugins.ecsdeploy.engine.internal.AwsClients;
import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentStarter;
import io.jenkins.plugins.ecsdeploy.engine.internal.DeploymentWatcher;
import io.jenkins.plugins.ecsdeploy.engine.internal.EventHint;
import io.jenkins.plugins.ecsdeploy.engine.internal.EventQueue;
import io.jenkins.plugins.ecsdeploy.engine.internal.GateKeeper;
import io.jenkins.plugins.ecsdeploy.engine.internal.Preflight;
import io.jenkins.plugins.ecsdeploy.engine.internal.StartRateLimiter;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * The engine's facade: validate, plan, start, follow, decide, roll back. One instance per (credentials, region);
 * it owns one shared {@link DeploymentWatcher} that follows every active deployment with batched polls, a small
 * I/O pool for the blocking SDK calls, and (unless given one) a wall-clock scheduler. No method blocks waiting
 * for ECS: every wait is a scheduled task, every result a future or a listener callback.
 */
public final class DeploymentEngine implements AutoCloseable {
    private final EngineConfig config;
    private final Scheduler scheduler;
    private final SystemScheduler ownedScheduler;
    private final EcsClient ecs;
    private final AwsClients clients;
    private final ExecutorService io;
    private final ExecutorService decisions;
    private final ExecutorService polls;
    private final StartRateLimiter startLimiter;
    private final DeploymentWatcher watcher;
    private final DeploymentStarter starter;
    private final Preflight preflight;
    private final GateKeeper gates;
    /** Automated canary analysis at the gates (docs/analysis.md); its CloudWatch client is made on first use. */
    private final Analyses analyses;
    /** The events queue subscription (docs/events.md), or null when polling alone. */
    private final AutoCloseable events;

    /** An engine with its own SDK clients built from the config (credentials, role, retries, endpoint). */
    public DeploymentEngine(EngineConfig config) {
        this(config, null);
    }

    /**
     * An engine over a caller-made ECS client (tests, or a caller that configures the SDK itself). The engine
     * does not close a client it did not create.
     */
    public DeploymentEngine(EngineConfig config, EcsClient ecsClient) {
        this.config = config;
        if (config.scheduler() == null) {
            this.ownedScheduler = new SystemScheduler();
            this.scheduler = ownedScheduler;
        } else {
            this.ownedScheduler = null;
            this.scheduler = config.scheduler();
        }
        if (ecsClient == null) {
            this.clients = AwsClients.create(config);
            this.ecs = clients.ecs();
        } else {
            this.clients = null;
            this.ecs = ecsClient;
        }
        // A small bounded pool for the blocking SDK calls: waits never happen here, only HTTP round trips.
        this.io = pool("ecs-deploy-io-", config.ioThreads());
        // Gate decisions and rollbacks get their own two threads, so a busy moment (hundreds of starts and polls
        // queued on the I/O pool) never delays a ContinueServiceDeployment.
        this.decisions = pool("ecs-deploy-decide-", 2);
        // The watcher's polls get their own lane: a round never queues behind a burst of start work on the I/O pool
        // (measured: gates offered up to 581 virtual s late at 500 simultaneous starts, docs/performance.md).
        this.polls = pool("ecs-deploy-poll-", config.pollThreads());
        this.watcher = new DeploymentWatcher(ecs, scheduler, polls, config);
        // Client-side budget of the start path (ECS's ~20 req/s per account and Region, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html); polls and decisions
        // are outside it.
        this.startLimiter = new StartRateLimiter(scheduler, config.maxStartCallsPerSecond());
        this.preflight = new Preflight(ecs, io, startLimiter);
        this.starter = new DeploymentStarter(ecs, scheduler, io, config, preflight, startLimiter);
        this.gates = new GateKeeper(ecs, decisions, watcher, scheduler);
        this.analyses = Analyses.forEngine(config, ecs, scheduler, io,
                watcher::emit, this::decide);
        this.events = config.eventsQueueUrl() == null ? null
                : EventQueue.subscribe(config, credentialsOf(ecs), scheduler,
                        new EventQueue.Listener() {
                            public void hints(java.util.List<EventHint> h) {
                                watcher.hints(h);
                            }

                            public void healthy(boolean healthy) {
                                watcher.eventsHealthy(healthy);
                            }
                        });
    }

    /** The ECS client's credentials, for the events queue's SQS client (same identity, docs/events.md "IAM"). */
    private static software.amazon.awssdk.identity.spi.IdentityProvider<? extends software.amazon.awssdk.identity.spi.AwsCredentialsIdentity>
            credentialsOf(EcsClient ecs) {
        try {
            return ecs.serviceClientConfiguration().credentialsProvider();
        } catch (UnsupportedOperationException e) {
            return null; // a caller-made stub client (tests)
        }
    }

    private static ExecutorService pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public EngineConfig config() {
        return config;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * The engine's canary analysis: {@code analyses().gateHandler(request.analysis(), humanGates)} is the gate handler to
     * follow a deployment with when its request has an analysis (docs/analysis.md).
     */
    public Analyses analyses() {
        return analyses;
    }

    /** The shared watcher (for statistics: polls, describe calls, followed deployments). */
    public DeploymentWatcher watcher() {
        return watcher;
    }

    /** Offline: validates (throws {@link InvalidRequestException}) and plans without knowledge of the live service. */
    public DeploymentPlan plan(DeploymentRequest r) {
        RequestValidator.check(r);
        return Planner.plan(r, PlanContext.UNKNOWN);
    }

    /**
     * Validation plus the live-service checks (controller type, load-balancer wiring, container names, a deployment
     * already in progress); no write. Completes exceptionally with {@link InvalidRequestException} on a problem.
     */
    public CompletableFuture<DeploymentPlan> preflight(DeploymentRequest r) {
        try {
            RequestValidator.check(r);
        } catch (InvalidRequestException e) {
            return CompletableFuture.failedFuture(e);
        }
        return preflight.check(r).thenApply(Preflight.Result::plan);
    }

    /**
     * The preflight as a checklist and a diff ({@code plan --check-service}): every check with its result, what the
     * deployment would change (task definition, images, deployment configuration) and the plan. Reads only; a failed
     * check is reported in the result, not thrown (an invalid request still fails with {@link InvalidRequestException}).
     */
    public CompletableFuture<ServiceCheckReport> checkService(DeploymentRequest r) {
        try {
            RequestValidator.check(r);
        } catch (InvalidRequestException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> new io.jenkins.plugins.ecsdeploy.engine.internal.ServiceCheck(ecs, preflight)
                .check(r), io);
    }

    /**
     * Validates, runs the preflight, registers the new task definition revision if needed, calls UpdateService with
     * the full deploymentConfiguration and finds the new service deployment. With attachIfInProgress, a deployment
     * already in progress is returned instead (no write at all).
     */
    public CompletableFuture<DeploymentHandle> start(DeploymentRequest r) {
        try {
            RequestValidator.check(r);
        } catch (InvalidRequestException e) {
            return CompletableFuture.failedFuture(e);
        }
        return starter.start(r);
    }

    /**
     * Follows a deployment to its end (also the re-attach path: any ARN, never writes). Each hookId of a gate that
     * awaits action is offered to {@code gates} once per subscription; a gate decided before (status no longer
     * AWAITING_ACTION) is not offered.
     */
    public Subscription follow(DeploymentHandle h, DeploymentListener l, GateHandler gates) {
        return follow(h, l, gates, Map.of());
    }

    /**
     * As {@link #follow(DeploymentHandle, DeploymentListener, GateHandler)}, with the decisions the caller already
     * recorded (hookId → decision, e.g. persisted by Jenkins before a restart): those hooks are never offered again
     * even if ECS still shows them awaiting action for a moment, and the outcome names who decided.
     */
    public Subscription follow(DeploymentHandle h, DeploymentListener l, GateHandler gates,
                               Map<String, GateDecision> decisionsAlreadyMade) {
        return watcher.follow(h, l, gates, decisionsAlreadyMade);
    }

    /**
     * Applies a gate decision now: ContinueServiceDeployment(hookId, action) at once, not on the next poll. A hook no
     * longer awaiting action is reported (ALREADY_DECIDED, EXPIRED, DEPLOYMENT_FINISHED), never retried blindly.
     */
    public CompletableFuture<DecisionResult> decide(DeploymentHandle h, String hookId, GateDecision d) {
        return gates.decide(h, hookId, d);
    }

    /** StopServiceDeployment(ROLLBACK), idempotent: a deployment already rolling back or finished is left alone. */
    public CompletableFuture<Void> rollback(DeploymentHandle h, RollbackCause cause, String reason, String by) {
        return gates.rollback(h, cause, reason, by);
    }

    /**
     * As {@link #rollback}, saying what happened: APPLIED (this call started the rollback, also when its reply was lost
     * and ECS shows it rolling back), ALREADY_DECIDED (already rolling back or stopping), DEPLOYMENT_FINISHED.
     * Never repeats StopServiceDeployment blindly (docs/reliability.md "Writes").
     */
    public CompletableFuture<DecisionResult> requestRollback(DeploymentHandle h, RollbackCause cause, String reason, String by) {
        return gates.requestRollback(h, cause, reason, by);
    }

    /**
     * The decisions kept on the deployment's ECS service (tags written by every engine that decided a gate or rolled
     * the deployment back, whichever process it ran in), oldest first; docs/engine.md "Decisions on the service".
     * One ListTagsForResource call.
     */
    public CompletableFuture<java.util.List<RecordedDecision>> recordedDecisions(DeploymentHandle h) {
        return CompletableFuture.supplyAsync(() -> gates.ledger().read(h), io);
    }

    /**
     * Records one person's approval at a gate that needs several (a tag on the service, docs/approvals.md "Approval
     * policy") and answers every approval recorded for that gate so far, each person once. Does not decide the gate:
     * the caller calls {@link #decide} once the tally meets its {@code ApprovalPolicy}.
     */
    public CompletableFuture<Tally> recordApproval(DeploymentHandle h, String hookId,
            String by) {
        return CompletableFuture.supplyAsync(() -> {
            if (!gates.ledger().recordApproval(h, hookId, by, scheduler.clock().instant())) {
                throw new EngineException("the approval by " + SafeText.line(by, 100)
                        + " could not be recorded on the service (ecs:TagResource); nothing was counted");
            }
            return tallyOf(gates.ledger().approvals(h, hookId));
        }, io);
    }

    /** The approvals recorded so far at one gate (a tag per person), each person once. */
    public CompletableFuture<Tally> approvals(DeploymentHandle h, String hookId) {
        return CompletableFuture.supplyAsync(() -> tallyOf(gates.ledger().approvals(h, hookId)), io);
    }

    private static Tally tallyOf(java.util.List<RecordedDecision> recorded) {
        Tally t = Tally.EMPTY;
        for (RecordedDecision d : recorded) {
            t = t.with(new Approval(d.by(), d.at(), null),
                    IdMatcher.CASE_INSENSITIVE);
        }
        return t;
    }

    /**
     * Completes when the decision records asked for so far (tags on the service, written right after each applied
     * decision) are written. {@link #close()} waits for them, at most 10 s.
     */
    public CompletableFuture<Void> decisionRecordsWritten() {
        return gates.recordsWritten();
    }

    /** Lost replies of writes whose effect the engine found and adopted instead of sending them again (tests, docs). */
    public int writesAdoptedAfterLostReply() {
        return starter.adoptedAfterLostReply() + gates.appliedAfterLostReply();
    }

    /**
     * The service's most recent deployments (at most {@code max}, at most 100), newest first: outcome, revision
     * (task definition and images) and who decided (docs/engine.md "History"). Reads only: ListServiceDeployments,
     * DescribeServiceDeployments and DescribeServiceRevisions per 20, one ListTagsForResource.
     */
    public CompletableFuture<java.util.List<HistoryEntry>> history(String cluster, String service, int max) {
        return CompletableFuture.supplyAsync(() -> new io.jenkins.plugins.ecsdeploy.engine.internal.ServiceHistory(ecs)
                .read(cluster, service, max), io);
    }

    /**
     * The task definition ARN of a service revision (one DescribeServiceRevisions), to deploy that revision again
     * ("redeploy"). Fails with {@link EngineException} when ECS does not know the revision.
     */
    public CompletableFuture<String> taskDefinitionOf(String serviceRevisionArn) {
        return CompletableFuture.supplyAsync(() -> {
            var resp = ecs.describeServiceRevisions(b -> b.serviceRevisionArns(serviceRevisionArn));
            if (resp.serviceRevisions().isEmpty() || resp.serviceRevisions().get(0).taskDefinition() == null) {
                String why = resp.failures().isEmpty() ? "not found" : resp.failures().get(0).reason();
                throw new EngineException("ECS could not describe service revision " + serviceRevisionArn + " (" + why
                        + "); redeploy its task definition instead (--revision FAMILY:REVISION or a task definition ARN)");
            }
            return resp.serviceRevisions().get(0).taskDefinition();
        }, io);
    }

    /** One DescribeServiceDeployments, folded into a snapshot (or the watcher's snapshot if it follows it). */
    public CompletableFuture<DeploymentSnapshot> describe(DeploymentHandle h) {
        return watcher.describeOnce(h);
    }

    /** Builds a handle from an ARN alone: describes the deployment and its target revision. No write. */
    public CompletableFuture<DeploymentHandle> attach(String deploymentArn) {
        DeploymentHandle base;
        try {
            base = DeploymentHandle.fromArn(deploymentArn);
        } catch (InvalidRequestException e) {
            return CompletableFuture.failedFuture(e);
        }
        return starter.attach(base);
    }

    @Override
    public void close() {
        try {
            // a CLI "approve" closes the engine right after the decision: let its record reach the service first
            gates.recordsWritten().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // logged by the ledger; closing anyway
        }
        if (events != null) {
            try {
                events.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
        watcher.close();
        analyses.close();
        io.shutdownNow();
        decisions.shutdownNow();
        polls.shutdownNow();
        if (clients != null) {
            clients.close();
        }
        if (ownedScheduler != null) {
            ownedScheduler.close();
        }
    }
}
