package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.util.StreamTaskListener;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeJob;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeRun;
import io.jenkins.plugins.ecsdeploy.plugin.harness.PipelineBinder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The freestyle build step: the executor thread waits; an approval on the build's page releases it. */
class FreestyleBuilderTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    EcsSandbox sandbox;
    FakeRun run;
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        run = new FakeRun(new FakeJob("freestyle"), 1);
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    EcsDeployBuilder builder(Object... extra) throws Exception {
        EcsBlueGreenStep step = PipelineBinder.strict().instantiate(EcsBlueGreenStep.class, DeploymentLifecycleTest.args(extra));
        return new EcsDeployBuilder(step);
    }

    Thread perform(EcsDeployBuilder b, AtomicReference<Throwable> outcome) {
        Thread t = new Thread(() -> {
            try {
                b.perform(run, new EnvVars(), new StreamTaskListener(log));
            } catch (Throwable e) {
                outcome.set(e);
            }
        }, "executor");
        t.start();
        return t;
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    GateRecord awaitGate() throws InterruptedException {
        EcsSandbox.await("a gate", WAIT, () -> run.getAction(EcsApprovalAction.class) != null
                && !run.getAction(EcsApprovalAction.class).getWaitingGates().isEmpty(), null);
        return run.getAction(EcsApprovalAction.class).getWaitingGates().get(0);
    }

    @Test
    void anApprovalOnTheBuildPageReleasesTheWaitingExecutor() throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread executor = perform(builder("approval", true), outcome);
        GateRecord g = awaitGate();
        assertTrue(executor.isAlive(), "the executor waits for the decision");
        EcsApprovalAction.Reply r = run.getAction(EcsApprovalAction.class).decide(g.getHookId(), HookAction.CONTINUE, "go",
                new SubmitterRules.Decider("alice", "Alice", List.of(), false, true), SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(200, r.status(), r.message());
        executor.join(WAIT.toMillis());
        assertNull(outcome.get(), () -> String.valueOf(outcome.get()) + "\n" + log());
        assertTrue(log().contains("deployment finished: SUCCEEDED"), log());
        assertEquals(1, run.getActions(EcsDecisionAction.class).size());
    }

    @Test
    void abortingTheBuildRollsBackTheDeployment() throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread executor = perform(builder("approval", true), outcome);
        GateRecord g = awaitGate();
        executor.interrupt();   // Executor.interrupt() when the user stops a freestyle build
        executor.join(WAIT.toMillis());
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertTrue(log().contains("build aborted; onAbort: ROLLBACK"), log());
        EcsSandbox.await("ECS rolling back", WAIT, () -> String.valueOf(sandbox.sim.status(g.getDeploymentArn())).startsWith("ROLLBACK"), null);
    }

    @Test
    void badOptionsFailTheBuildWithOneLine() throws Exception {
        EcsDeployBuilder b = builder("onAbort", "sometimes");
        AbortException e = assertThrows(AbortException.class, () -> b.perform(run, new EnvVars(), new StreamTaskListener(log)));
        assertEquals("ecsBlueGreen: onAbort 'SOMETIMES': ROLLBACK (roll the deployment back when the build is aborted) or LEAVE", e.getMessage());
    }

    @Test
    void theStrategyDropDownOffersTheFourDeploySteps() {
        for (Class<?> c : List.of(EcsRollingStep.class, EcsBlueGreenStep.class, EcsCanaryStep.class, EcsLinearStep.class, EcsWaitStep.class)) {
            io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner.descriptorOf(c);
        }
        List<String> names = new EcsDeployBuilder.DescriptorImpl().getStrategyDescriptors().stream()
                .map(DeployStepDescriptor::getStrategyName).sorted().toList();
        assertEquals(List.of("BLUE_GREEN", "CANARY", "LINEAR", "ROLLING"), names);
    }
}
