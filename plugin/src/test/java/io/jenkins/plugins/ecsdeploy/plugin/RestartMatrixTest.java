package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The restart matrix of issue 10 (docs/reliability.md "Restarts"): every deploy step, restarted cleanly or crashed,
 * with its gate waiting, just decided, and while the decision is being sent — through the harness's restart (the
 * execution and the run's actions reloaded, the old engines and timers gone, onResume on another thread) and its
 * crash (only the last checkpoint and the last build.xml survive). Each
 * run must end with the right outcome, name the approver, and make no write twice: one UpdateService, the decision
 * applied once and never lost.
 */
class RestartMatrixTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final List<String> SURVIVED = Collections.synchronizedList(new ArrayList<>());

    enum Moment { GATE_WAITING, DECIDED, DECIDING }

    /**
     * How Jenkins went down. RESTART: a clean shutdown (everything saved). CRASH: the JVM killed — only the last
     * program.dat checkpoint and the last build.xml save survive, pending Timer tasks are lost (StepRunner#crash;
     * docs/jenkins-stand-in.md on what real Jenkins writes and when).
     */
    enum How { RESTART, CRASH }

    EcsSandbox sandbox;
    StepRunner runner;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        runner = StepRunner.create();
        runner.onRestart(sandbox::restartEngines);
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    @AfterAll
    static void figures() {
        System.out.println("[reliability] restarts survived (plugin harness): " + SURVIVED.size());
    }

    static Stream<Arguments> matrix() {
        List<Arguments> a = new ArrayList<>();
        for (Class<? extends DeployStepBase> step : List.of(EcsBlueGreenStep.class, EcsCanaryStep.class, EcsLinearStep.class,
                EcsRollingStep.class)) {
            for (Moment m : Moment.values()) {
                for (How h : How.values()) {
                    a.add(Arguments.of(step.getSimpleName(), step, m, h));
                }
            }
        }
        return a.stream();
    }

    static Map<String, Object> args(Class<? extends DeployStepBase> step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", "demo");
        m.put("service", "web");
        m.put("region", EcsSandbox.REGION);
        m.put("image", "web=registry/web:2.0");
        m.put("approval", true);
        if (step == EcsRollingStep.class) {
            m.put("approvalStage", "POST_SCALE_UP"); // ROLLING: gates only before/after scale-up (docs/engine.md "1. Validation (offline)")
        } else {
            m.put("bakeMinutes", 0);
        }
        if (step == EcsCanaryStep.class) {
            m.put("canaryPercent", 50);
            m.put("canaryBakeMinutes", 1);
        }
        if (step == EcsLinearStep.class) {
            m.put("stepPercent", 50);
            m.put("stepBakeMinutes", 1);
        }
        return m;
    }

    EcsApprovalAction approvals() {
        return runner.run().getAction(EcsApprovalAction.class);
    }

    GateRecord awaitWaitingGate(FakeStepContext c) throws InterruptedException {
        EcsSandbox.await("a gate offered", WAIT, () -> approvals() != null && !approvals().getWaitingGates().isEmpty(), c);
        return approvals().getWaitingGates().get(0);
    }

    EcsApprovalAction.Reply approve(GateRecord g) {
        return approvals().decide(g.getHookId(), HookAction.CONTINUE, "ship it",
                new SubmitterRules.Decider("alice", "alice", List.of(), false, true), SubmitterRules.Ids.CASE_INSENSITIVE);
    }

    void down(FakeStepContext c, How how) throws Exception {
        if (how == How.CRASH) {
            runner.crash(c);
        } else {
            runner.restart(c);
        }
    }

    @ParameterizedTest(name = "{0} {3} at {2}")
    @MethodSource("matrix")
    void aRestartOrCrashLosesNoDecisionAndRepeatsNoWrite(String name, Class<? extends DeployStepBase> step, Moment moment, How how)
            throws Exception {
        FakeStepContext c = runner.start(step, args(step));
        GateRecord g = awaitWaitingGate(c);
        switch (moment) {
            case GATE_WAITING -> {
                down(c, how);
                EcsSandbox.await("the gate offered again", WAIT,
                        () -> approvals() != null && approvals().gate(g.getHookId()) != null
                                && approvals().gate(g.getHookId()).isWaiting(), c);
                assertEquals(200, approve(approvals().gate(g.getHookId())).status());
            }
            case DECIDED -> {
                assertEquals(200, approve(g).status());
                down(c, how);
            }
            case DECIDING -> {
                // the click and the restart at the same moment: whichever wins, the decision must not be lost or doubled
                CompletableFuture<EcsApprovalAction.Reply> click = CompletableFuture.supplyAsync(() -> approve(g));
                down(c, how);
                EcsApprovalAction.Reply r = click.exceptionally(e -> null).get();
                if (r == null || r.status() != 200) {
                    // after a crash the run's actions come back from build.xml once onResume ran: wait for them
                    EcsSandbox.await("the run's actions reloaded", WAIT, () -> approvals() != null, c);
                    GateRecord again = approvals().gate(g.getHookId());
                    if (again != null && again.isWaiting()) {
                        assertEquals(200, approve(again).status(), "the gate is still offered after the restart");
                    }
                }
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", d.get("outcome"), c.log());
        if (how == How.CRASH && moment == Moment.DECIDING && d.get("approvedBy") == null) {
            // The JVM died while the click was being applied: ECS may have continued the gate before anything (build.xml,
            // the tag on the service) named the clicker. Then "who" is honestly unknown — but the decision must be
            // kept as a continuation, never lost or turned into another (docs/reliability.md "Restarts").
            GateRecord rec = approvals().gate(g.getHookId());
            assertEquals("CONTINUE", rec.decidedAction, "the continuation is on record\n" + c.log());
        } else {
            assertEquals("alice", d.get("approvedBy"), "the decision survived the restart\n" + c.log());
        }
        assertEquals(1L, sandbox.sim.stats().count("UpdateService"), "the deployment was started once");
        assertTrue(sandbox.sim.stats().count("ContinueServiceDeployment") >= 1
                && sandbox.sim.stats().count("ContinueServiceDeployment") <= 2, "the decision was sent, at most once more");
        assertEquals(1, c.completionCalls(), "the step ended once");
        SURVIVED.add(name + " " + how + "@" + moment);
    }
}
