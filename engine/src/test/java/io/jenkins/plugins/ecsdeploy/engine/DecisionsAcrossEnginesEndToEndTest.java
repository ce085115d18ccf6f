package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gate decided by another process (another CLI, another Jenkins controller): the deploying engine learns who,
 * when and why from the record the deciding engine keeps on the service (docs/engine.md "Decisions on the service"),
 * so its events, snapshot and outcome name the person instead of "someone outside this engine".
 */
class DecisionsAcrossEnginesEndToEndTest {
    Sandbox sb;
    DeploymentEngine deploying;
    DeploymentEngine other;

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
        deploying = sb.engine();
        other = sb.engine(); // a second engine: its own watcher, its own decisions, only ECS in common
    }

    @AfterEach
    void tearDown() {
        sb.close();
    }

    /**
     * Follows with the deploying engine; the gate, once offered, is decided by the other engine. Returns the
     * deploying engine's subscription.
     */
    private Subscription decideElsewhere(GateDecision d, Sandbox.Recorder rec, int bakeMinutes) {
        var svc = sb.service("web");
        DeploymentHandle h = await(deploying.start(Sandbox.request(svc, new Strategy.BlueGreen(bakeMinutes))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 600, HookAction.ROLLBACK)).build()));
        CompletableFuture<PendingGate> offered = new CompletableFuture<>();
        Subscription sub = deploying.follow(h, rec, offered::complete);
        PendingGate g = await(offered);
        DeploymentHandle attached = await(other.attach(h.deploymentArn()));
        assertEquals(DecisionResult.APPLIED, await(other.decide(attached, g.hookId(), d)));
        return sub;
    }

    @Test
    void aGateRejectedInAnotherProcessIsNamedWithItsCommentInTheDeployingProcessesOutcome() {
        var rec = new Sandbox.Recorder();
        // a rollback of an hour (virtual; 3 s real): the deploying engine learns who decided long before it ends,
        // however slow the machine (the record is read within a poll or two)
        sb.sim.scenario().cleanUp(java.time.Duration.ofHours(1));
        Outcome o = await(decideElsewhere(new GateDecision(HookAction.ROLLBACK, "zoe", "p99 > 2 s"), rec, 2).outcome());
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.GATE_REJECTED, o.cause());
        assertEquals("zoe", o.decidedBy(), o.describe());
        assertTrue(o.describe().contains("zoe") && o.describe().contains("p99 > 2 s"), o.describe());
        var gate = rec.last.gates().get(0);
        assertEquals("ROLLED_BACK", gate.state());
        assertEquals("zoe", gate.decidedBy());
        assertEquals("p99 > 2 s", gate.comment());
    }

    @Test
    void aGateApprovedInAnotherProcessShowsWhoApprovedInTheDeployingProcess() {
        var rec = new Sandbox.Recorder();
        // a long bake keeps the deployment going while the deploying engine learns who approved
        decideElsewhere(new GateDecision(HookAction.CONTINUE, "carol", "smoke tests green"), rec, 600);
        await(rec.when(e -> e instanceof DeploymentEvent.GateDecided gd && "carol".equals(gd.by())));
        var gate = rec.last.gates().get(0);
        assertEquals("CONTINUED", gate.state());
        assertEquals("carol", gate.decidedBy());
        assertEquals("smoke tests green", gate.comment());
        assertTrue(rec.of(DeploymentEvent.GateDecided.class).stream().anyMatch(e -> "carol".equals(e.by())),
                "an event names who approved");
    }
}
