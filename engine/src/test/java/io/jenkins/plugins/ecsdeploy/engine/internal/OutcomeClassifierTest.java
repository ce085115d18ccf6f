package io.jenkins.plugins.ecsdeploy.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.ServiceDeployment;

/**
 * The classification rules on exact inputs (docs/engine.md "7. Outcomes"): structured fields first, published texts only,
 * never a guessed cause. End-to-end versions against the simulator: FailuresEndToEndTest, RealEcsBehaviourEndToEndTest.
 */
class OutcomeClassifierTest {
    static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc";
    static final Instant T = Instant.parse("2026-11-22T01:00:00Z");

    private static DeploymentSnapshot snapshot(DeploymentEvent... events) {
        DeploymentHandle h = new DeploymentHandle(ARN, "us-east-1", "123456789012", "prod", "web",
                "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", "BLUE_GREEN", List.of());
        List<DeploymentEvent> all = new ArrayList<>();
        all.add(new DeploymentEvent.Observed(T, ARN, "svc", "cl", "BLUE_GREEN", List.of("rev/1"), "rev/2", T, List.of()));
        all.add(new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null));
        all.addAll(List.of(events));
        return DeploymentSnapshot.fold(h, all);
    }

    private static Observation seen(Instant at, Consumer<ServiceDeployment.Builder> b) {
        ServiceDeployment.Builder d = ServiceDeployment.builder().serviceDeploymentArn(ARN).status("ROLLBACK_IN_PROGRESS")
                .targetServiceRevision(r -> r.arn("rev/2")).sourceServiceRevisions(r -> r.arn("rev/1"));
        b.accept(d);
        return Observation.of(d.build(), at);
    }

    @Test
    void aStageSeenRunningForTheDayLimitWhenTheRollbackBeganIsTheStageTimeLimit() {
        Instant day = T.plus(Duration.ofHours(24));
        var s = snapshot(new DeploymentEvent.StageEntered(T.plusSeconds(60), "SCALE_UP"),
                new DeploymentEvent.StatusChanged(day, "ROLLBACK_IN_PROGRESS", "some words"),
                new DeploymentEvent.StageLeft(day, "SCALE_UP"), new DeploymentEvent.StageEntered(day, "CLEAN_UP"));
        var c = OutcomeClassifier.cause(seen(day, d -> d.statusReason("some words")), s, null);
        assertEquals(RollbackCause.STAGE_TIME_LIMIT, c.cause(), c.reason());
        assertEquals("stage SCALE_UP had run for about 24 hours, ECS's limit for a stage", c.reason());
        // a shorter stage that rolled back for words we do not know: ECS's words, no invented cause
        var shortStage = snapshot(new DeploymentEvent.StageEntered(T.plusSeconds(60), "SCALE_UP"));
        var u = OutcomeClassifier.cause(seen(T.plus(Duration.ofHours(3)), d -> d.statusReason("some words")), shortStage, null);
        assertEquals(RollbackCause.UNKNOWN, u.cause());
        assertEquals("ECS said: some words", u.reason());
    }

    @Test
    void triggeredAlarmsWinOverAnyText() {
        var c = OutcomeClassifier.cause(seen(T, d -> d.statusReason("Service deployment rolled back because the circuit breaker "
                + "threshold was exceeded.").alarms(a -> a.status("TRIGGERED").triggeredAlarmNames("web-5xx"))), snapshot(), null);
        assertEquals(RollbackCause.ALARM, c.cause());
        assertEquals("alarm web-5xx went into ALARM", c.reason());
    }

    @Test
    void aPermissionTextNamesTheRoleEcsCouldNotUse() {
        String text = "Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. ECS was unable to "
                + "invoke hook target arn:aws:lambda:us-west-2:123456789012:function:myHook due to User: arn:aws:sts::"
                + "123456789012:assumed-role/myLambdaRole/ECS-Lambda-Execution is not authorized to perform: "
                + "lambda:InvokeFunction on resource: arn:aws:lambda:us-west-2:123456789012:function:myHook because no "
                + "identity-based policy allows the lambda:InvokeFunction action";
        var c = OutcomeClassifier.cause(seen(T, d -> d.statusReason(text)), snapshot(), null);
        assertEquals(RollbackCause.PERMISSIONS, c.cause());
        assertEquals("role arn:aws:iam::123456789012:role/myLambdaRole is not allowed to lambda:InvokeFunction on "
                + "arn:aws:lambda:us-west-2:123456789012:function:myHook (ECS: " + text + ")", c.reason());
        var infra = OutcomeClassifier.cause(seen(T, d -> d.statusReason("Service deployment rolled back because of invalid "
                + "networking configuration. ECS was unable to manage the ELB resources due to missing permissions on ECS "
                + "Infrastructure Role 'arn:aws:iam::123456789012:role/Admin'.")), snapshot(), null);
        assertEquals(RollbackCause.PERMISSIONS, infra.cause(), "a permission problem, although worded as networking");
    }

    @Test
    void aRollbackWithoutARevisionOnAFirstDeploymentIsNoEarlierRevisionEvenWithoutEcsText() {
        Observation first = Observation.of(ServiceDeployment.builder().serviceDeploymentArn(ARN).status("ROLLBACK_FAILED")
                .targetServiceRevision(r -> r.arn("rev/1")).rollback(r -> r.startedAt(T).reason("something failed"))
                .build(), T.plusSeconds(30));
        Outcome o = OutcomeClassifier.outcome(first, snapshot(), null);
        assertEquals(OutcomeKind.ROLLBACK_FAILED, o.kind());
        assertEquals(RollbackCause.NO_EARLIER_REVISION, o.cause(), o.reason());
        assertEquals(Outcome.EMPTY_TARGET_GROUP_WARNING, o.warning());
        // with a revision to return to, a failed rollback is not NO_EARLIER_REVISION
        Observation later = seen(T, d -> d.status("ROLLBACK_FAILED").statusReason("Rollback failed because of reasons")
                .rollback(r -> r.startedAt(T).reason("something failed").serviceRevisionArn("rev/1")));
        Outcome o2 = OutcomeClassifier.outcome(later, snapshot(), null);
        assertEquals(RollbackCause.UNKNOWN, o2.cause(), o2.reason());
        assertNull(o2.warning());
    }
}
