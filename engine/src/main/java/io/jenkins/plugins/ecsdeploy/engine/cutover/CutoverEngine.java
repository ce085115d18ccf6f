package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The facade of DNS cutovers (docs/cutovers.md): plan, start, resume. One per (credentials, Route 53 partition);
 * the cutovers it runs share its two I/O threads and its scheduler — no thread per cutover, no thread waits.
 *
 * <pre>{@code
 * try (CutoverEngine e = new CutoverEngine(config)) {
 *     DnsCutoverRequest r = DnsCutoverRequest.builder().region("eu-west-1").hostedZoneId("Z0123456789ABCDEFGHIJ")
 *             .recordName("api.example.com").blue(new CutoverTarget.EcsService("prod-ec2", "api"))
 *             .green(new CutoverTarget.EcsService("prod-fargate", "api")).steps(List.of(10, 50, 100))
 *             .gate(new CutoverGate(60, HookAction.ROLLBACK)).healthCheck(HealthCheck.path("/health")).build();
 *     System.out.println(e.plan(r).toText());
 *     CutoverRun run = e.start(r, (event, s) -> log(event.describe()), gate -> askHumans(gate));
 *     // later: run.decide(gate.gateId(), new GateDecision(HookAction.CONTINUE, "alice", "p99 fine"));
 *     Outcome o = run.outcome().join();
 * }
 * }</pre>
 */
public final class CutoverEngine implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Scheduler scheduler;
    private final SystemScheduler ownedScheduler;
    private final CutoverClients clients;
    private final boolean ownsClients;
    private final HealthProbe probe;
    private final Executor io;
    private final ExecutorService ownedIo;
    private final List<CutoverRun> runs = new CopyOnWriteArrayList<>();
    private volatile DeploymentEngine greenDeployments;

    /** Clients, scheduler and threads of its own, from the engine configuration (credentials, role, proxy, endpoint). */
    public CutoverEngine(EngineConfig config) {
        this(config, CutoverClients.create(config), new HttpHealthProbe(config.proxy()), null, true);
    }

    /** With caller-made clients and probe (tests); {@code io} null = two threads of its own. */
    public CutoverEngine(EngineConfig config, CutoverClients clients, HealthProbe probe, Executor io) {
        this(config, clients, probe, io, false);
    }

    private CutoverEngine(EngineConfig config, CutoverClients clients, HealthProbe probe, Executor io, boolean ownsClients) {
        if (config.scheduler() == null) {
            this.ownedScheduler = new SystemScheduler();
            this.scheduler = ownedScheduler;
        } else {
            this.ownedScheduler = null;
            this.scheduler = config.scheduler();
        }
        this.clients = clients;
        this.ownsClients = ownsClients;
        this.probe = probe;
        if (io == null) {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), t -> {
                Thread th = new Thread(t, "ecs-deploy-cutover-" + n.incrementAndGet());
                th.setDaemon(true);
                return th;
            });
            pool.allowCoreThreadTimeOut(true);
            this.ownedIo = pool;
            this.io = pool;
        } else {
            this.ownedIo = null;
            this.io = io;
        }
    }

    /** The deployment engine that deploys green first when a request asks for it ({@link DnsCutoverRequest#deployGreen()}). */
    public CutoverEngine greenDeployments(DeploymentEngine engine) {
        this.greenDeployments = engine;
        return this;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Offline: validates (InvalidRequestException naming every problem) and plans. */
    public CutoverPlan plan(DnsCutoverRequest r) {
        CutoverValidator.check(r);
        return CutoverPlan.of(r);
    }

    /**
     * Validates (throws InvalidRequestException before any AWS call) and starts the cutover: the returned run's
     * outcome completes at its end. Listener and gate handler are called in the cutover's order, never concurrently.
     */
    public CutoverRun start(DnsCutoverRequest r, CutoverListener listener, CutoverGateHandler gates) {
        CutoverValidator.check(r);
        DnsCutoverRun run = newRun(r.id() != null ? r.id() : "cutover-" + HexFormat.of().formatHex(randomBytes()), r, listener, gates);
        run.start();
        return run;
    }

    /**
     * Resumes a cutover after a restart from what the host kept ({@link CutoverRun#checkpoint()}): reads the weights
     * from Route 53 and goes on from the step they show — a gate is offered again (its timeout kept), a wait finishes,
     * a rollback is completed. The same request must be given (the host kept its parameters).
     */
    public CutoverRun resume(DnsCutoverRequest r, CutoverCheckpoint checkpoint, CutoverListener listener, CutoverGateHandler gates) {
        CutoverValidator.check(r);
        DnsCutoverRun run = newRun(checkpoint.cutoverId(), r, listener, gates);
        run.resume(checkpoint);
        return run;
    }

    private DnsCutoverRun newRun(String id, DnsCutoverRequest r, CutoverListener listener, CutoverGateHandler gates) {
        DnsCutoverRun run = new DnsCutoverRun(id, r, scheduler, new Lane(io), clients, probe, greenDeployments, listener, gates);
        runs.add(run);
        run.outcome().whenComplete((o, e) -> runs.remove(run));
        return run;
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Stops every run (their weights stay as Route 53 has them; resume later) and releases clients and threads. */
    @Override
    public void close() {
        for (CutoverRun r : runs) {
            r.close();
        }
        if (ownedIo != null) {
            ownedIo.shutdown();
            try {
                ownedIo.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ownedIo.shutdownNow();
        }
        if (ownsClients) {
            clients.close();
        }
        if (ownedScheduler != null) {
            ownedScheduler.close();
        }
    }
}
