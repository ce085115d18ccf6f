package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.FilePath;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeBody;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 item 3: the three restart bugs, each reproduced with {@link StepRunner#crash} (the execution comes back from
 * its last checkpoint — start() returned or saveState() — and work queued on the plugin's executor dies with the
 * JVM), and item 4's agent read (the workspace file read with the agent's charset, on the plugin's executor).
 */
class CrashAndResumeTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    EcsSandbox sandbox;
    StepRunner runner;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        runner = StepRunner.create();
        runner.onRestart(sandbox::restartEngines);   // the old JVM's engines and plugin threads (and queued tasks) are gone
    }

    @AfterEach
    void tearDown() {
        PluginExecutors.shutdown();
        sandbox.close();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> atTheGate() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        return (Map<String, Object>) c.awaitDone(WAIT).returnValue();
    }

    String awaitStatus(String arn, String prefix) throws InterruptedException {
        EcsSandbox.await("ECS status " + prefix + " for " + arn, WAIT, () -> String.valueOf(sandbox.sim.status(arn)).startsWith(prefix), null);
        return sandbox.sim.status(arn);
    }

    /** Bug 1: ecsAtGate's decision was in flight when Jenkins died; the resumed step must send it, not hang. */
    @Test
    void aCrashWhileEcsAtGatesDecisionIsInFlightSendsItAfterTheRestart() throws Exception {
        Map<String, Object> d = atTheGate();
        FakeBody checks = FakeBody.pending();
        FakeStepContext gate = runner.withBody(checks).start(EcsAtGateStep.class, Map.of("deployment", d));
        EcsSandbox.await("the checks running", WAIT, checks::isRunning, gate);
        PluginExecutors.holdTasksForTests();   // the decision is handed to the executor and never runs: the JVM dies
        checks.complete(null);
        runner.crash(gate);
        gate.awaitDone(WAIT);
        assertNull(gate.failure(), gate.log());
        assertEquals(1, gate.completionCalls());
        awaitStatus((String) d.get("deploymentArn"), "SUCCESSFUL");
    }

    /** ecsAtGate starts its checks off the CPS VM thread: a crash while they run must not run them twice or lose them. */
    @Test
    void aCrashWhileEcsAtGatesChecksRunResumesThemOnceAndDecides() throws Exception {
        Map<String, Object> d = atTheGate();
        FakeBody checks = FakeBody.pending();
        FakeStepContext gate = runner.withBody(checks).start(EcsAtGateStep.class, Map.of("deployment", d));
        // the step saves its state once the checks started (off the CPS VM thread): crash after that checkpoint
        EcsSandbox.await("the checks running and saved", WAIT, () -> checks.isRunning() && gate.saveStateCalls() >= 1, gate);
        runner.crash(gate);
        checks.complete(null);
        gate.awaitDone(WAIT);
        assertNull(gate.failure(), gate.log());
        assertEquals(1, checks.runs(), "the checks ran once");
        awaitStatus((String) d.get("deploymentArn"), "SUCCESSFUL");
    }

    /** Bug 2: ecsApprove learns the hook id off the CPS VM thread; it must be saved, or a gate decided meanwhile is lost. */
    @Test
    void aGateDecidedWhileJenkinsWasDownEndsEcsApproveAfterACrashAndWithdrawsItsInput() throws Exception {
        Map<String, Object> d = atTheGate();
        EcsApproveInput a = EcsApproveInput.start(runner, Map.of("deployment", d, "submitterParameter", "who"));
        InputStepExecution input = a.awaitInput();
        GateRecord g = runner.run().getAction(EcsApprovalAction.class).getWaitingGates().get(0);
        runner.onRestart(() -> {
            // while Jenkins is down, someone continues the gate from the CLI (ContinueServiceDeployment)
            try (EngineRegistry.Lease l = EngineRegistry.get().acquire(runner.run(), null, EcsSandbox.REGION, null)) {
                l.engine().decide(g.handle(), g.getHookId(), new GateDecision(HookAction.CONTINUE, "dave", "from the CLI")).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        runner.crash(a.gate());
        a.gate().awaitDone(WAIT);
        assertNull(a.gate().failure(), a.gate().log());
        assertTrue(input.isSettled(), "the gate's input is withdrawn");
        assertEquals(GateRecord.Status.DECIDED_ELSEWHERE, runner.run().getAction(EcsApprovalAction.class).gate(g.getHookId()).getStatus());
    }

    /** Bug 3: an abort handed to the executor is lost if Jenkins dies before it runs; the resumed step applies it. */
    @Test
    void anAbortWhoseRollbackWasQueuedWhenJenkinsDiedIsAppliedAfterTheRestart() throws Exception {
        Map<String, Object> d = atTheGate();
        FakeStepContext wait = runner.start(EcsWaitStep.class, Map.of("deployment", d));
        EcsSandbox.await("ecsWait following", WAIT, () -> wait.log().contains("POST_TEST_TRAFFIC_SHIFT"), wait);
        PluginExecutors.holdTasksForTests();
        runner.abort(wait, "alice");
        runner.crash(wait);
        Throwable t = wait.awaitDone(WAIT).failure();
        FlowInterruptedException fie = assertInstanceOf(FlowInterruptedException.class, t);
        assertInstanceOf(CauseOfInterruption.UserInterruption.class, fie.getCauses().get(0));
        awaitStatus((String) d.get("deploymentArn"), "ROLLBACK");
    }

    /** Item 4: taskDefinitionFile is read through FilePath with the AGENT's charset, on the plugin's executor. */
    @Test
    void theTaskDefinitionFileIsReadWithTheAgentsCharsetOnThePluginsExecutor(@TempDir Path ws) throws Exception {
        String json = "{\"family\":\"web\",\"containerDefinitions\":[{\"name\":\"web\",\"image\":\"registry/web:2.0\","
                + "\"essential\":true,\"memory\":512,\"environment\":[{\"name\":\"GREETING\",\"value\":\"Grüße café\"}]}]}";
        Files.write(ws.resolve("taskdef.json"), json.getBytes(StandardCharsets.ISO_8859_1));
        StandInJenkins.setAgentCharset(StandardCharsets.ISO_8859_1);
        Map<String, Object> args = DeploymentLifecycleTest.args("taskDefinitionFile", "taskdef.json");
        args.remove("image");
        FakeStepContext c = runner.enclosedBy(new FilePath(ws.toFile())).start(EcsBlueGreenStep.class, args);
        @SuppressWarnings("unchecked")
        Map<String, Object> done = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        JsonNode td = sandbox.sim.call("DescribeTaskDefinition", new ObjectMapper().createObjectNode()
                .put("taskDefinition", (String) done.get("taskDefinitionArn")));
        assertEquals("Grüße café", td.path("taskDefinition").path("containerDefinitions").path(0).path("environment")
                .path(0).path("value").asText(), td.toString());
        assertTrue(StandInJenkins.agentReads().stream().allMatch(n -> n.startsWith("Amazon ECS Deployments I/O")),
                StandInJenkins.agentReads().toString());
        assertEquals(1, StandInJenkins.agentReads().size());
    }
}
