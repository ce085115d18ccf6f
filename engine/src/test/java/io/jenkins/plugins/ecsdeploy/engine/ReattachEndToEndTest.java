package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A controller restart: the first engine is closed mid-deployment, a new engine attaches by ARN. It never writes a
 * second deployment, gates already decided are not asked again, and a gate still awaiting action is offered again.
 */
class ReattachEndToEndTest {
    Sandbox sb;

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
    }

    @AfterEach
    void tearDown() {
        sb.close();
    }

    /** Continues every gate it is offered and remembers the hookIds. */
    static GateHandler continuing(DeploymentEngine e, List<String> offered, String who) {
        return g -> {
            offered.add(g.hookId());
            e.decide(g.deployment(), g.hookId(), new GateDecision(HookAction.CONTINUE, who, null));
        };
    }

    @ParameterizedTest(name = "restart at {0}")
    @ValueSource(strings = {"PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT",
            "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"})
    void aRestartAtAnyStageFollowsTheSameDeploymentToItsEnd(String stage) {
        DeploymentEngine first = sb.engine();
        var req = Sandbox.request(sb.service("web"), new Strategy.Canary(25.0, 2, 3))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 120, HookAction.ROLLBACK)).build();
        DeploymentHandle h = await(first.start(req));
        var rec = new Sandbox.Recorder();
        List<String> offeredFirst = new CopyOnWriteArrayList<>();
        // The first controller decides the gate only if the restart comes after it.
        boolean firstDecides = List.of("PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP")
                .contains(stage);
        first.follow(h, rec, firstDecides ? continuing(first, offeredFirst, "alice") : g -> offeredFirst.add(g.hookId()));
        // A stage of a virtual minute can fall between two polls: then restart at the next thing seen.
        int at = Planner.stagesOf("CANARY").indexOf(stage);
        await(rec.when(e -> e instanceof DeploymentEvent.StageEntered se && Planner.stagesOf("CANARY").indexOf(se.stage()) >= at
                || e instanceof DeploymentEvent.Finished));
        first.close(); // the controller goes away; ECS goes on

        long updates = sb.sim.stats().count("UpdateService");
        long registers = sb.sim.stats().count("RegisterTaskDefinition");
        DeploymentEngine second = sb.engine();
        DeploymentHandle again = await(second.attach(h.deploymentArn()));
        assertEquals(h.deploymentArn(), again.deploymentArn());
        assertEquals("CANARY", again.strategy());
        assertEquals(h.taskDefinitionArn(), again.taskDefinitionArn());
        assertEquals(List.of("POST_TEST_TRAFFIC_SHIFT"), again.gateStages());
        List<String> offeredSecond = new CopyOnWriteArrayList<>();
        Outcome o = await(second.follow(again, null, continuing(second, offeredSecond, "bob")).outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(updates, sb.sim.stats().count("UpdateService"), "re-attaching never writes a deployment");
        assertEquals(registers, sb.sim.stats().count("RegisterTaskDefinition"));
        assertEquals(1, sb.sim.deploymentArns().size() - 1, "one deployment besides the seeded first one");
        assertEquals(1L, sb.sim.stats().count("ContinueServiceDeployment"), "the gate was decided exactly once");
        if (firstDecides) {
            assertTrue(offeredSecond.isEmpty(), "a decided gate is not asked again: " + offeredSecond);
        } else {
            assertEquals(1, offeredSecond.size(), "the awaiting gate is offered again after the restart");
        }
    }

    @Test
    void decisionsTheCallerRecordedAreNotOfferedAgain() {
        DeploymentEngine first = sb.engine();
        var req = Sandbox.request(sb.service("web"), new Strategy.BlueGreen(2))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 120, HookAction.ROLLBACK)).build();
        DeploymentHandle h = await(first.start(req));
        var rec = new Sandbox.Recorder();
        first.follow(h, rec, null);
        var awaiting = (DeploymentEvent.GateAwaiting) await(rec.when(e -> e instanceof DeploymentEvent.GateAwaiting));
        // Jenkins recorded "alice continued" and sent it, then restarted before ECS moved on.
        var decision = new GateDecision(HookAction.CONTINUE, "alice", "ok");
        assertEquals(DecisionResult.APPLIED, await(first.decide(h, awaiting.hookId(), decision)));
        first.close();

        DeploymentEngine second = sb.engine();
        List<String> offered = new CopyOnWriteArrayList<>();
        var rec2 = new Sandbox.Recorder();
        Outcome o = await(second.follow(h, rec2, g -> offered.add(g.hookId()), Map.of(awaiting.hookId(), decision)).outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind());
        assertTrue(offered.isEmpty());
        assertEquals(1L, sb.sim.stats().count("ContinueServiceDeployment"));
    }

    @Test
    void aRestartedControllerKnowsWhoRejectedWhenTold() {
        DeploymentEngine first = sb.engine();
        var req = Sandbox.request(sb.service("web"), new Strategy.BlueGreen(2))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 120, HookAction.ROLLBACK)).build();
        DeploymentHandle h = await(first.start(req));
        var rec = new Sandbox.Recorder();
        first.follow(h, rec, null);
        var awaiting = (DeploymentEvent.GateAwaiting) await(rec.when(e -> e instanceof DeploymentEvent.GateAwaiting));
        var decision = new GateDecision(HookAction.ROLLBACK, "alice", "errors");
        await(first.decide(h, awaiting.hookId(), decision));
        first.close();
        DeploymentEngine second = sb.engine();
        Outcome o = await(second.follow(h, null, null, Map.of(awaiting.hookId(), decision)).outcome());
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind());
        assertEquals(RollbackCause.GATE_REJECTED, o.cause(), o.describe());
    }

    @Test
    void attachingToAnUnknownArnSaysSo() {
        DeploymentEngine e = sb.engine();
        String arn = "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/nope";
        var ex = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> e.attach(arn).join());
        assertTrue(ex.getCause() instanceof InvalidRequestException, String.valueOf(ex.getCause()));
        assertTrue(ex.getCause().getMessage().startsWith("deploymentArn '" + arn + "': the ARN of a service "
                + "deployment ECS knows in us-east-1"), ex.getCause().getMessage());
    }
}
