package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentSnapshotTest {
    static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc";
    static final DeploymentHandle H = new DeploymentHandle(ARN, "us-east-1", "123456789012", "prod", "web",
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", "CANARY", List.of("POST_TEST_TRAFFIC_SHIFT"));
    static final Instant T = Instant.parse("2026-11-22T01:00:00Z");

    static List<DeploymentEvent> gateRejected() {
        return List.of(
                new DeploymentEvent.Observed(T, ARN, "svc", "cl", "CANARY", List.of("rev/1"), "rev/2", T, List.of("5xx")),
                new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null),
                new DeploymentEvent.StageEntered(T.plusSeconds(5), "PRE_SCALE_UP"),
                new DeploymentEvent.StageLeft(T.plusSeconds(10), "PRE_SCALE_UP"),
                new DeploymentEvent.StageEntered(T.plusSeconds(10), "POST_TEST_TRAFFIC_SHIFT"),
                new DeploymentEvent.TrafficChanged(T.plusSeconds(10), 0.0, 100.0, 100.0, 0.0),
                new DeploymentEvent.TasksChanged(T.plusSeconds(10), "green", "rev/2", 4, 3, 1),
                new DeploymentEvent.HookStatusChanged(T.plusSeconds(11), "POST_TEST_TRAFFIC_SHIFT", "h1", "PAUSE", null,
                        "AWAITING_ACTION", T.plusSeconds(3611), "ROLLBACK"),
                new DeploymentEvent.GateAwaiting(T.plusSeconds(11), "POST_TEST_TRAFFIC_SHIFT", "h1", T.plusSeconds(3611)),
                new DeploymentEvent.GateDecided(T.plusSeconds(60), "POST_TEST_TRAFFIC_SHIFT", "h1", HookAction.ROLLBACK,
                        "alice", "too many errors"),
                new DeploymentEvent.RollbackStarted(T.plusSeconds(61), RollbackCause.GATE_REJECTED, "gate rejected by alice"),
                new DeploymentEvent.Finished(T.plusSeconds(120), new Outcome(OutcomeKind.ROLLED_BACK,
                        RollbackCause.GATE_REJECTED, "gate at POST_TEST_TRAFFIC_SHIFT rejected by alice", "alice")));
    }

    @Test
    void foldingBuildsThePicture() {
        var s = DeploymentSnapshot.fold(H, gateRejected());
        assertEquals("IN_PROGRESS", s.status());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", s.lifecycleStage());
        assertEquals(T.plusSeconds(10), s.stages().get(0).leftAt());
        assertEquals(T.plusSeconds(120), s.stages().get(s.stages().size() - 1).leftAt(),
                "an open stage is closed when the deployment ends");
        assertEquals(List.of("rev/2"), s.green().revisionArns());
        assertEquals(100.0, s.green().testTrafficPercent());
        assertEquals(3, s.green().runningTasks());
        assertEquals("ROLLED_BACK", s.gates().get(0).state());
        assertEquals("alice", s.gates().get(0).decidedBy());
        assertEquals(RollbackCause.GATE_REJECTED, s.rollbackCause());
        assertEquals("ROLLED_BACK: gate at POST_TEST_TRAFFIC_SHIFT rejected by alice", s.outcome().describe());
        assertEquals(12, s.eventCount());
        assertTrue(s.awaitingGates().isEmpty());
    }

    @Test
    void aTimedOutPauseHookMarksItsGate() {
        var ev = List.<DeploymentEvent>of(
                new DeploymentEvent.GateAwaiting(T, "POST_TEST_TRAFFIC_SHIFT", "h1", T.plusSeconds(60)),
                new DeploymentEvent.HookStatusChanged(T.plusSeconds(61), "POST_TEST_TRAFFIC_SHIFT", "h1", "PAUSE", null,
                        "TIMED_OUT", null, "ROLLBACK"));
        var s = DeploymentSnapshot.fold(H, ev);
        assertEquals("TIMED_OUT", s.gates().get(0).state());
        assertEquals(T.plusSeconds(60), s.hooks().get(0).expiresAt() == null ? T.plusSeconds(60) : s.hooks().get(0).expiresAt());
    }

    @Test
    void jsonFollowsSchemaVersion1() throws Exception {
        var s = DeploymentSnapshot.fold(H, gateRejected());
        var n = new ObjectMapper().readTree(s.toJson());
        assertEquals(1, n.get("schemaVersion").asInt());
        assertEquals("schemaVersion", n.fieldNames().next(), "schemaVersion comes first");
        for (String f : List.of("deploymentArn", "region", "accountId", "cluster", "service", "strategy", "status",
                "statusReason", "lifecycleStage", "createdAt", "updatedAt", "finishedAt", "expectedStages", "stages", "blue",
                "green", "hooks", "alarms", "circuitBreaker", "gateStages", "gates", "rollback", "outcome", "eventCount",
                "events")) {
            assertTrue(n.has(f), "member " + f + " is always present");
        }
        assertEquals("2026-11-22T01:02:00Z", n.get("finishedAt").asText());
        assertEquals("GATE_REJECTED", n.get("outcome").get("cause").asText());
        assertEquals("alice", n.get("gates").get(0).get("decidedBy").asText());
        assertEquals(List.of("5xx"), List.of(n.get("alarms").get("names").get(0).asText()));
        assertEquals("CLEAN_UP", n.get("expectedStages").get(10).asText());
    }

    @Test
    void jsonReadsBack() {
        var s = DeploymentSnapshot.fold(H, gateRejected());
        var back = DeploymentSnapshot.fromJson(s.toJson());
        assertEquals(s.toJson(), back.toJson());
    }

    @Test
    void anotherSchemaVersionIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> DeploymentSnapshot.fromJson("{\"schemaVersion\":2}"));
        assertEquals("schemaVersion '2': this engine reads 1", e.getMessage());
    }

    @Test
    void initialSnapshotHasNullsNotMissingMembers() throws Exception {
        var n = new ObjectMapper().readTree(DeploymentSnapshot.initial(H).toJson());
        assertTrue(n.get("outcome").isNull());
        assertTrue(n.get("status").isNull());
        assertNull(DeploymentSnapshot.initial(H).outcome());
    }

    @Test
    void untrustedTextStaysText() throws Exception {
        var ev = List.<DeploymentEvent>of(new DeploymentEvent.GateDecided(T, "POST_TEST_TRAFFIC_SHIFT", "h1",
                HookAction.CONTINUE, "<script>alert(1)</script>", "\"quoted\""));
        var n = new ObjectMapper().readTree(DeploymentSnapshot.fold(H, ev).toJson());
        assertEquals("<script>alert(1)</script>", n.get("gates").get(0).get("decidedBy").asText());
    }

    // ---- stages passed between two polls (follow-up 2) ----

    static DeploymentEvent.Observed observed(String strategy) {
        return new DeploymentEvent.Observed(T, ARN, "svc", "cl", strategy, List.of("rev/1"), "rev/2", T, List.of());
    }

    static List<String> names(DeploymentSnapshot s) {
        return s.stages().stream().map(st -> st.name() + (st.observed() ? "" : "?")).toList();
    }

    @Test
    void stagesSkippedBetweenTwoPollsArePassedButNotObservedExceptReconcileService() throws Exception {
        var s = DeploymentSnapshot.fold(H, List.of(observed("BLUE_GREEN"),
                new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null),
                new DeploymentEvent.StageEntered(T.plusSeconds(20), "SCALE_UP"),
                new DeploymentEvent.StageLeft(T.plusSeconds(90), "SCALE_UP"),
                new DeploymentEvent.StageEntered(T.plusSeconds(90), "TEST_TRAFFIC_SHIFT")));
        // PRE_SCALE_UP and POST_SCALE_UP must have happened; RECONCILE_SERVICE runs only with >1 active revision.
        assertEquals(List.of("PRE_SCALE_UP?", "SCALE_UP", "POST_SCALE_UP?", "TEST_TRAFFIC_SHIFT"), names(s));
        var pre = s.stages().get(0);
        assertEquals(T.plusSeconds(20), pre.enteredAt(), "passed = when the next stage was first seen");
        assertEquals(T.plusSeconds(20), pre.leftAt());
        assertEquals(T.plusSeconds(90), s.stages().get(2).enteredAt());
        assertEquals("TEST_TRAFFIC_SHIFT", s.lifecycleStage());
        var n = new ObjectMapper().readTree(s.toJson());
        assertEquals(false, n.get("stages").get(0).get("observed").asBoolean(true));
        assertEquals(true, n.get("stages").get(1).get("observed").asBoolean(false));
        assertEquals(s.toJson(), DeploymentSnapshot.fromJson(s.toJson()).toJson(), "observed survives a round trip");
        assertTrue(DeploymentSnapshot.fromJson("{\"schemaVersion\":1,\"stages\":[{\"name\":\"SCALE_UP\"}]}")
                .stages().get(0).observed(), "a stage written before the member existed was observed");
    }

    @Test
    void aCanaryStepGoingBackToPreProductionInfersNothing() {
        var s = DeploymentSnapshot.fold(H, List.of(observed("CANARY"),
                new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null),
                new DeploymentEvent.StageEntered(T.plusSeconds(1), "PRE_SCALE_UP"),
                new DeploymentEvent.StageEntered(T.plusSeconds(2), "POST_TEST_TRAFFIC_SHIFT"),
                new DeploymentEvent.StageEntered(T.plusSeconds(3), "PRODUCTION_TRAFFIC_SHIFT"),
                new DeploymentEvent.StageEntered(T.plusSeconds(4), "PRE_PRODUCTION_TRAFFIC_SHIFT"),
                new DeploymentEvent.StageEntered(T.plusSeconds(5), "PRODUCTION_TRAFFIC_SHIFT"),
                new DeploymentEvent.StageEntered(T.plusSeconds(6), "BAKE_TIME")));
        assertEquals(List.of("PRE_SCALE_UP", "SCALE_UP?", "POST_SCALE_UP?", "TEST_TRAFFIC_SHIFT?", "POST_TEST_TRAFFIC_SHIFT",
                "PRE_PRODUCTION_TRAFFIC_SHIFT?", "PRODUCTION_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT",
                "PRODUCTION_TRAFFIC_SHIFT", "POST_PRODUCTION_TRAFFIC_SHIFT?", "BAKE_TIME"), names(s));
    }

    @Test
    void noStageIsInferredDuringARollbackAndNoneAfterAFailure() {
        var s = DeploymentSnapshot.fold(H, List.of(observed("BLUE_GREEN"),
                new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null),
                new DeploymentEvent.StageEntered(T.plusSeconds(1), "PRE_SCALE_UP"),
                new DeploymentEvent.StageEntered(T.plusSeconds(2), "TEST_TRAFFIC_SHIFT"),
                new DeploymentEvent.StatusChanged(T.plusSeconds(3), "ROLLBACK_IN_PROGRESS", null),
                new DeploymentEvent.RollbackStarted(T.plusSeconds(3), RollbackCause.ALARM, "alarm"),
                new DeploymentEvent.StageEntered(T.plusSeconds(4), "CLEAN_UP"),
                new DeploymentEvent.StatusChanged(T.plusSeconds(5), "ROLLBACK_SUCCESSFUL", null),
                new DeploymentEvent.Finished(T.plusSeconds(5), new Outcome(OutcomeKind.ROLLED_BACK, RollbackCause.ALARM,
                        "alarm", null))));
        assertEquals(List.of("PRE_SCALE_UP", "SCALE_UP?", "POST_SCALE_UP?", "TEST_TRAFFIC_SHIFT", "CLEAN_UP"), names(s));
    }

    @Test
    void aSuccessfulEndMarksTheStagesAfterTheLastOneSeenAsPassed() {
        var s = DeploymentSnapshot.fold(H, List.of(observed("BLUE_GREEN"),
                new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null),
                new DeploymentEvent.StageEntered(T.plusSeconds(1), "BAKE_TIME"),
                new DeploymentEvent.StatusChanged(T.plusSeconds(9), "SUCCESSFUL", null),
                new DeploymentEvent.Finished(T.plusSeconds(9), Outcome.succeeded("ok"))));
        assertEquals(List.of("PRE_SCALE_UP?", "SCALE_UP?", "POST_SCALE_UP?", "TEST_TRAFFIC_SHIFT?",
                "POST_TEST_TRAFFIC_SHIFT?", "PRE_PRODUCTION_TRAFFIC_SHIFT?", "PRODUCTION_TRAFFIC_SHIFT?",
                "POST_PRODUCTION_TRAFFIC_SHIFT?", "BAKE_TIME", "CLEAN_UP?"), names(s));
        assertEquals(T.plusSeconds(9), s.stages().get(9).enteredAt());
        assertTrue(DeploymentSnapshot.fold(H, List.of(observed("ROLLING"),
                new DeploymentEvent.Finished(T, Outcome.succeeded("ok")))).stages().isEmpty(), "ROLLING has no stages");
    }

    // ---- revision details (follow-up 3) ----

    @Test
    void revisionDetailsFillImagesAndTaskDefinitionsOfTheirSides() throws Exception {
        var s = DeploymentSnapshot.fold(H, List.of(
                new DeploymentEvent.Observed(T, ARN, "svc", "cl", "CANARY", List.of("rev/1", "rev/0"), "rev/2", T, List.of()),
                new DeploymentEvent.RevisionsDescribed(T, List.of(
                        new DeploymentEvent.RevisionDetails("green", "rev/2", "td/web:2",
                                new java.util.LinkedHashMap<>(java.util.Map.of("web", "registry/web:2"))),
                        new DeploymentEvent.RevisionDetails("blue", "rev/1", "td/web:1", java.util.Map.of("web", "registry/web:1"))),
                        List.of("rev/0"))));
        assertEquals(java.util.Map.of("web", "registry/web:2"), s.green().images());
        assertEquals("td/web:2", s.green().taskDefinition());
        assertEquals(java.util.Map.of("web", "registry/web:1"), s.blue().images());
        assertEquals("td/web:1", s.blue().taskDefinition());
        var n = new ObjectMapper().readTree(s.toJson());
        assertEquals("registry/web:2", n.get("green").get("images").get("web").asText());
        assertEquals("td/web:1", n.get("blue").get("taskDefinition").asText());
        assertEquals(s.toJson(), DeploymentSnapshot.fromJson(s.toJson()).toJson());
        var none = new ObjectMapper().readTree(DeploymentSnapshot.initial(H).toJson());
        assertTrue(none.get("green").get("images").isObject() && none.get("green").get("images").isEmpty());
        assertTrue(none.get("green").get("taskDefinition").isNull());
    }
}
