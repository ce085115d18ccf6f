package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.switchover.FlagStore;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The switchover flag of a headless service (a queue worker, no load balancer) as a parameter of the strategy steps
 * (docs/cutovers.md "2. Switchover flag"), through the
 * stand-in harness against the ECS simulator (the native controller's stages in virtual time). The flag lives in an
 * in-memory store: the simulator has no SSM, and SSM's own wire shapes are covered by the engine's
 * SwitchoverEndToEndTest against moto_server.
 */
class SwitchoverStepTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String FLAG = "/app/worker/active-revision";

    EcsSandbox sandbox;
    StepRunner runner;
    final Map<String, String> flags = new ConcurrentHashMap<>();
    final List<String> writes = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.sim.seed().headlessService("jobs", "worker", 2);   // a queue worker: no load balancer
        runner = StepRunner.create();
        Switchovers.useForTests(e -> new FlagStore() {
            @Override
            public Flag read(String name) {
                String v = flags.get(name);
                return v == null ? null : new Flag(v, false);
            }

            @Override
            public void write(String name, String value) {
                writes.add(value);
                flags.put(name, value);
            }
        });
    }

    @AfterEach
    void tearDown() {
        Switchovers.useForTests(null);
        sandbox.close();
    }

    Map<String, Object> canary(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", "jobs");
        m.put("service", "worker");
        m.put("region", EcsSandbox.REGION);
        m.put("image", "web=registry/worker:2.0");
        m.put("canaryPercent", 10);
        m.put("canaryBakeMinutes", 1);
        m.put("bakeMinutes", 1);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    EcsApprovalAction approvals() {
        return runner.run().getAction(EcsApprovalAction.class);
    }

    @Test
    void aHeadlessCanaryFlipsTheFlagAtItsStageAndFlipsItBackWhenItRollsBack() throws Exception {
        flags.put(FLAG, "worker:1");
        FakeStepContext c = runner.start(EcsCanaryStep.class, canary(
                "switchover", Map.of("parameter", FLAG, "stage", "POST_TEST_TRAFFIC_SHIFT"),
                "approval", true, "approvalStage", "POST_PRODUCTION_TRAFFIC_SHIFT"));
        EcsSandbox.await("the approval gate after the switchover", WAIT,
                () -> approvals() != null && !approvals().getWaitingGates().isEmpty(), c);
        String green = flags.get(FLAG);
        assertNotEquals("worker:1", green, "flipped to green's revision at POST_TEST_TRAFFIC_SHIFT");
        assertTrue(green.matches("worker:\\d+"), green);
        assertEquals(List.of(green), writes, "exactly one write before the approval");
        assertTrue(c.log().contains(FLAG), c.log());

        GateRecord g = approvals().getWaitingGates().get(0);
        assertEquals("POST_PRODUCTION_TRAFFIC_SHIFT", g.getStage(), "the user's gate only; the switchover's is answered by the engine");
        EcsApprovalAction.Reply r = approvals().decide(g.getHookId(), HookAction.ROLLBACK, "errors",
                new SubmitterRules.Decider("root", "root", List.of(), true, true), SubmitterRules.Ids.CASE_INSENSITIVE);
        assertEquals(200, r.status(), r.message());
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        EcsSandbox.await("the flag set back to blue's revision", WAIT, () -> "worker:1".equals(flags.get(FLAG)), null);
        assertEquals(List.of(green, "worker:1"), writes);
        List<String> audit = new ArrayList<>();
        runner.run().getActions(EcsDecisionAction.class).forEach(a -> audit.add(a.getUserId() + ":" + a.getDecision()));
        assertTrue(audit.contains("ecs-deploy switchover:CONTINUE") && audit.contains("ecs-deploy switchover:ROLLBACK"), audit.toString());
        String snapshot = runner.run().getAction(EcsProgressAction.class).snapshotJson("d1");
        assertTrue(snapshot.contains("\"switchover\"") && snapshot.contains("FLIPPED_BACK"), "the page's switchover panel: " + snapshot);
    }

    @Test
    void aFlagThatDoesNotExistFailsTheStepBeforeAnyDeploymentStarts() throws Exception {
        int before = sandbox.sim.deploymentArns().size();
        FakeStepContext c = runner.start(EcsCanaryStep.class, canary("switchover", Map.of("parameter", FLAG)));
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().contains("switchover.parameter") && t.getMessage().contains(FLAG), t.getMessage());
        assertTrue(writes.isEmpty());
        assertEquals(before, sandbox.sim.deploymentArns().size(), "no deployment was started");
    }

    @Test
    void aSwitchoverOnARollingUpdateIsRefusedNamingTheField() throws Exception {
        flags.put(FLAG, "worker:1");
        FakeStepContext c = runner.start(EcsRollingStep.class, Map.of("cluster", "jobs", "service", "worker",
                "region", EcsSandbox.REGION, "image", "web=registry/worker:2.0", "switchover", Map.of("parameter", FLAG)));
        Throwable t = c.awaitDone(WAIT).failure();
        assertTrue(t.getMessage().contains("switchover") && t.getMessage().contains("ROLLING"), t.getMessage());
        assertTrue(writes.isEmpty());
    }

    @Test
    void theSnippetGeneratorsCallWithASwitchoverBindsBackToTheSameSwitchover() throws Throwable {
        SwitchoverSpec sw = new SwitchoverSpec(FLAG);
        sw.setStage("PRE_PRODUCTION_TRAFFIC_SHIFT");
        sw.setTimeoutMinutes(45);
        EcsCanaryStep step = io.jenkins.plugins.ecsdeploy.plugin.harness.PipelineBinder.strict().instantiate(EcsCanaryStep.class, canary());
        step.setSwitchover(sw);
        String snippet = io.jenkins.plugins.ecsdeploy.plugin.harness.Snippet.of(step);
        assertTrue(snippet.contains("switchover: [parameter: '" + FLAG + "', stage: 'PRE_PRODUCTION_TRAFFIC_SHIFT', timeoutMinutes: 45]"), snippet);
        List<EcsCanaryStep> bound = new ArrayList<>();
        io.jenkins.plugins.ecsdeploy.plugin.harness.GroovyPipeline.bindingOnly((name, st) -> {
            bound.add((EcsCanaryStep) st);
            return null;
        }).steps(EcsCanaryStep.class).run(snippet);
        var request = bound.get(0).toRequest(null, null);
        assertTrue(request.gates().stream().anyMatch(g -> g.stage().equals("PRE_PRODUCTION_TRAFFIC_SHIFT") && g.timeoutMinutes() == 45),
                () -> "the switchover's own gate: " + request.gates());
    }
}
