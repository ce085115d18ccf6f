package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.EcsStages.WaitState.REACHED;
import static io.jenkins.plugins.ecsdeploy.engine.EcsStages.WaitState.WAITING;
import static io.jenkins.plugins.ecsdeploy.engine.EcsStages.WaitState.WILL_NOT_REACH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one rule for "wait until stage X" (docs/engine.md "Stages"), and the stage lists per strategy. */
class EcsStagesTest {
    static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc";
    static final Instant T = Instant.parse("2026-11-22T01:00:00Z");
    static final List<String> GATE = List.of("POST_TEST_TRAFFIC_SHIFT");

    private static DeploymentSnapshot snapshot(List<DeploymentEvent> events) {
        DeploymentHandle h = new DeploymentHandle(ARN, "us-east-1", "123456789012", "prod", "web",
                "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", "BLUE_GREEN", GATE);
        List<DeploymentEvent> all = new ArrayList<>();
        all.add(new DeploymentEvent.Observed(T, ARN, "svc", "cl", "BLUE_GREEN", List.of("rev/1"), "rev/2", T, List.of()));
        all.add(new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null));
        all.addAll(events);
        return DeploymentSnapshot.fold(h, all);
    }

    private static DeploymentEvent entered(int s, String stage) {
        return new DeploymentEvent.StageEntered(T.plusSeconds(s), stage);
    }

    @Test
    void aStageIsReachedWhenItOrALaterOneWasEnteredMovingForward() {
        var s = snapshot(List.of(entered(5, "PRE_SCALE_UP"), entered(60, "POST_SCALE_UP")));
        assertEquals(REACHED, EcsStages.waitState(s, "SCALE_UP", GATE)); // passed between two polls
        assertEquals(REACHED, EcsStages.waitState(s, "post_scale_up", GATE));
        assertEquals(WAITING, EcsStages.waitState(s, "BAKE_TIME", GATE));
        assertEquals(WAITING, EcsStages.waitState(s, "COMPLETED", GATE));
    }

    @Test
    void aGateStageIsReachedWhenItsGateAwaitsNotWhenTheStageBegins() {
        var entered = snapshot(List.of(entered(5, "POST_TEST_TRAFFIC_SHIFT")));
        assertEquals(WAITING, EcsStages.waitState(entered, "POST_TEST_TRAFFIC_SHIFT", GATE));
        // without a gate there, entering the stage is enough
        assertEquals(REACHED, EcsStages.waitState(entered, "POST_TEST_TRAFFIC_SHIFT", List.of()));
        var held = snapshot(List.of(entered(5, "POST_TEST_TRAFFIC_SHIFT"),
                new DeploymentEvent.GateAwaiting(T.plusSeconds(6), "POST_TEST_TRAFFIC_SHIFT", "ecs-pause-1", T.plusSeconds(3600))));
        assertEquals(REACHED, EcsStages.waitState(held, "POST_TEST_TRAFFIC_SHIFT", GATE));
    }

    @Test
    void aRollbackBeforeTheStageMeansItWillNotBeReachedAndStagesRerunByTheRollbackDoNotCount() {
        var s = snapshot(List.of(entered(5, "TEST_TRAFFIC_SHIFT"),
                new DeploymentEvent.RollbackStarted(T.plusSeconds(30), RollbackCause.ALARM, "alarm x went into ALARM"),
                new DeploymentEvent.StatusChanged(T.plusSeconds(30), "ROLLBACK_IN_PROGRESS", null),
                entered(40, "CLEAN_UP")));
        assertEquals(WILL_NOT_REACH, EcsStages.waitState(s, "BAKE_TIME", GATE));
        assertEquals(REACHED, EcsStages.waitState(s, "TEST_TRAFFIC_SHIFT", GATE), "reached before the rollback");
        assertEquals(WAITING, EcsStages.waitState(s, "COMPLETED", GATE));
    }

    @Test
    void aRollbackSeenBeforeItsRollbackStartedEventStillHidesTheStagesItReruns() {
        // one poll saw ROLLBACK_SUCCESSFUL and CLEAN_UP at once; RollbackStarted and Finished follow in that round
        var s = snapshot(List.of(entered(5, "PRE_SCALE_UP"),
                new DeploymentEvent.StatusChanged(T.plusSeconds(90), "ROLLBACK_SUCCESSFUL", "circuit breaker"),
                new DeploymentEvent.StageLeft(T.plusSeconds(90), "PRE_SCALE_UP"), entered(90, "CLEAN_UP")));
        assertEquals(WILL_NOT_REACH, EcsStages.waitState(s, "BAKE_TIME", GATE));
        assertEquals(REACHED, EcsStages.waitState(s, "PRE_SCALE_UP", GATE));
    }

    @Test
    void aSuccessfulDeploymentHasReachedEveryStageAndAnyEndIsCompleted() {
        var s = snapshot(List.of(new DeploymentEvent.StatusChanged(T.plusSeconds(99), "SUCCESSFUL", null),
                new DeploymentEvent.Finished(T.plusSeconds(99), Outcome.succeeded("done"))));
        assertEquals(REACHED, EcsStages.waitState(s, "CLEAN_UP", GATE));
        assertEquals(REACHED, EcsStages.waitState(s, "COMPLETED", GATE));
        var stopped = snapshot(List.of(new DeploymentEvent.StatusChanged(T.plusSeconds(9), "STOPPED", "superseded"),
                new DeploymentEvent.Finished(T.plusSeconds(9), new Outcome(OutcomeKind.STOPPED, null, "stopped", null))));
        assertEquals(WILL_NOT_REACH, EcsStages.waitState(stopped, "PRE_SCALE_UP", GATE));
        assertEquals(REACHED, EcsStages.waitState(stopped, "COMPLETED", GATE));
    }

    @Test
    void anUnknownTargetIsRefusedNamingTheAllowedOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> EcsStages.waitState(snapshot(List.of()), "SOON", GATE));
        assertEquals("wait target 'SOON': one of RECONCILE_SERVICE, PRE_SCALE_UP, SCALE_UP, POST_SCALE_UP, "
                + "TEST_TRAFFIC_SHIFT, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, PRODUCTION_TRAFFIC_SHIFT, "
                + "POST_PRODUCTION_TRAFFIC_SHIFT, BAKE_TIME, CLEAN_UP, COMPLETED", e.getMessage());
        assertNull(EcsStages.waitTarget("SOON"));
        assertEquals("COMPLETED", EcsStages.waitTarget(" completed "));
    }

    @Test
    void rollingOffersHooksAndGatesBeforeAndAfterTheNewTasksStartAndReportsNoStages() {
        assertEquals(List.of("PRE_SCALE_UP", "POST_SCALE_UP"), EcsStages.gateStages("ROLLING"));
        assertEquals(List.of("PRE_SCALE_UP", "POST_SCALE_UP"), EcsStages.hookStages("ROLLING"));
        assertEquals(List.of(), EcsStages.reportedStages("ROLLING"));
        assertEquals(EcsStages.PAUSE_STAGES, EcsStages.gateStages("CANARY"));
        assertEquals(EcsStages.HOOK_STAGES, EcsStages.hookStages("BLUE_GREEN"));
        var plan = Planner.plan(DeploymentRequest.builder().region("us-east-1").service("web").taskDefinition("web:2")
                .strategy(new Strategy.Rolling(null, null, null, null)).gate(new Gate("POST_SCALE_UP", 30, HookAction.ROLLBACK))
                .build(), PlanContext.UNKNOWN);
        assertEquals(List.of("PRE_SCALE_UP", "SCALE_UP", "POST_SCALE_UP"), plan.stages());
        assertEquals(List.of("gate (PAUSE, timeout 30 min -> ROLLBACK)"), plan.hooksByStage().get("POST_SCALE_UP"));
    }
}
