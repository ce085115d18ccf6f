package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The words people read first (issue 11): which step of its plan a deployment is on, how much of the bake is left and
 * about how long to go; the revision as family:revision with the images it changes; the gate's timeout action.
 */
class StepProgressTest {
    static final Instant T = Instant.parse("2026-12-02T14:00:00Z");
    static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/web/abc";
    static final DeploymentHandle H = new DeploymentHandle(ARN, "us-east-1", "123456789012", "prod", "web", null, "CANARY",
            List.of("POST_TEST_TRAFFIC_SHIFT"));

    /** A canary of 10 % for 5 minutes, then 100 %, then a 10-minute bake, observed up to the first step's shift. */
    static List<DeploymentEvent> canaryAtItsFirstStep() {
        List<DeploymentEvent> e = new ArrayList<>();
        e.add(new DeploymentEvent.Observed(T, ARN, "svc", "cl", "CANARY", List.of("rev/1"), "rev/2", T, List.of()));
        e.add(new DeploymentEvent.RevisionsDescribed(T, List.of(
                new DeploymentEvent.RevisionDetails("blue", "rev/1",
                        "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", Map.of("web", "public.ecr.aws/nginx/nginx:1.27")),
                new DeploymentEvent.RevisionDetails("green", "rev/2",
                        "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2", Map.of("web", "public.ecr.aws/nginx/nginx:1.28"))),
                List.of()));
        e.add(new DeploymentEvent.PlanObserved(T, "CANARY", 10.0, 5, 10));
        e.add(new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null));
        e.add(new DeploymentEvent.StageEntered(T, "SCALE_UP"));
        e.add(new DeploymentEvent.TrafficChanged(T, 0.0, 0.0, 100.0, 0.0));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(60), "SCALE_UP"));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(60), "PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.TrafficChanged(T.plusSeconds(70), 10.0, 100.0, 90.0, 0.0));
        return e;
    }

    @Test
    void aCanaryBakingItsFirstStepSaysWhichStepHowMuchBakeIsLeftAndAboutHowLongToGo() {
        DeploymentSnapshot s = DeploymentSnapshot.fold(H, canaryAtItsFirstStep());
        StepProgress p = s.progress();
        assertEquals(1, p.step());
        assertEquals(2, p.steps());
        assertEquals("STEP_BAKE", p.phase());
        assertEquals(T.plusSeconds(70).plusSeconds(300), p.bakeEndsAt(), "the step bake starts when the weights changed");
        // 1m 48s into the 5-minute bake: 3m 12s left, then the 10-minute final bake
        assertEquals("Canary 1/2 · 10 % · bake 3m 12s left · about 14 min to go", p.describe(T.plusSeconds(70 + 108)));
    }

    @Test
    void theSnapshotCarriesThePlanTheProgressTheRevisionNameAndTheChangedImages() {
        DeploymentSnapshot s = DeploymentSnapshot.fold(H, canaryAtItsFirstStep());
        assertEquals(List.of(10.0, 100.0), s.planSteps().stream().map(PlanStep::productionTrafficPercent).toList());
        assertEquals(List.of(5, 10), s.planSteps().stream().map(PlanStep::bakeAfterMinutes).toList());
        JsonNode n = s.toJsonNode();
        assertEquals(2, n.path("plan").path("steps").size(), n.toString());
        assertEquals(1, n.path("progress").path("step").asInt());
        assertEquals("2026-12-02T14:06:10Z", n.path("progress").path("bakeEndsAt").asText());
        assertEquals("web:2", n.path("green").path("revisionName").asText());
        assertEquals("web:1", n.path("blue").path("revisionName").asText());
        assertEquals("public.ecr.aws/nginx/nginx:1.27", n.path("imageChanges").path(0).path("from").asText());
        assertEquals("public.ecr.aws/nginx/nginx:1.28", n.path("imageChanges").path(0).path("to").asText());
        assertEquals("web:2 (nginx:1.27 → nginx:1.28)", n.path("revisionDescription").asText());
        assertEquals("Shift production traffic", n.path("stageLabels").path("PRODUCTION_TRAFFIC_SHIFT").asText());
        assertEquals(n, DeploymentSnapshot.fromJson(s.toJson()).toJsonNode(), "the plan reads back; derived members follow");
    }

    @Test
    void aLinearDeploymentCountsItsStepsByGreensProductionShareNotByStageVisits() {
        DeploymentHandle h = new DeploymentHandle(ARN, "us-east-1", "123456789012", "prod", "web", null, "LINEAR", List.of());
        List<DeploymentEvent> e = new ArrayList<>();
        e.add(new DeploymentEvent.Observed(T, ARN, "svc", "cl", "LINEAR", List.of("rev/1"), "rev/2", T, List.of()));
        e.add(new DeploymentEvent.PlanObserved(T, "LINEAR", 25.0, 2, 5));
        e.add(new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null));
        // one PRODUCTION_TRAFFIC_SHIFT seen throughout: the steps in between passed without a poll seeing another stage
        e.add(new DeploymentEvent.StageEntered(T, "PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.TrafficChanged(T, 25.0, 100.0, 75.0, 0.0));
        e.add(new DeploymentEvent.TrafficChanged(T.plusSeconds(130), 50.0, 100.0, 50.0, 0.0));
        StepProgress p = DeploymentSnapshot.fold(h, e).progress();
        assertEquals(2, p.step());
        assertEquals(4, p.steps());
        assertEquals("Step 2/4 · 50 % · bake 1m 00s left · about 8 min to go", p.describe(T.plusSeconds(190)));
    }

    @Test
    void aWaitingGateSaysItWaitsForADecisionAndWhatFollows() {
        List<DeploymentEvent> e = new ArrayList<>(canaryAtItsFirstStep().subList(0, 6));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(60), "POST_TEST_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.HookStatusChanged(T.plusSeconds(61), "POST_TEST_TRAFFIC_SHIFT", "h1", "PAUSE", null,
                "AWAITING_ACTION", T.plusSeconds(3661), "ROLLBACK"));
        e.add(new DeploymentEvent.GateAwaiting(T.plusSeconds(61), "POST_TEST_TRAFFIC_SHIFT", "h1", T.plusSeconds(3661)));
        DeploymentSnapshot s = DeploymentSnapshot.fold(H, e);
        assertEquals("Canary 0/2 · no production traffic yet · waiting for a decision, then about 15 min",
                s.progress().describe(T.plusSeconds(100)));
        // the gate says what ECS does if nobody decides, and when
        assertEquals("ROLLBACK", s.awaitingGates().get(0).timeoutAction());
        assertEquals("ROLLBACK", s.toJsonNode().path("gates").path(0).path("timeoutAction").asText());
        assertEquals("2026-12-02T15:01:01Z", s.toJsonNode().path("gates").path(0).path("expiresAt").asText());
    }

    @Test
    void theFinalBakeCountsDownAndARolledBackDeploymentHasNoTimeToGo() {
        List<DeploymentEvent> e = new ArrayList<>(canaryAtItsFirstStep());
        e.add(new DeploymentEvent.TrafficChanged(T.plusSeconds(400), 100.0, 100.0, 0.0, 0.0));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(420), "PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(420), "BAKE_TIME"));
        DeploymentSnapshot s = DeploymentSnapshot.fold(H, e);
        assertEquals("Canary 2/2 · 100 % · final bake 9m 00s left · about 9 min to go", s.progress().describe(T.plusSeconds(480)));
        s = s.apply(new DeploymentEvent.RollbackStarted(T.plusSeconds(500), RollbackCause.MANUAL, "rolled back by zoe"));
        assertEquals("ROLLING_BACK", s.progress().phase());
        assertNull(s.progress().toGo(T.plusSeconds(510)));
        assertTrue(s.progress().describe(T.plusSeconds(510)).endsWith("· rolling back"), s.progress().describe(T));
    }

    @Test
    void aRollingDeploymentHasNoTrafficStepsToShow() {
        DeploymentHandle h = new DeploymentHandle(ARN, "us-east-1", "123456789012", "prod", "web", null, "ROLLING", List.of());
        DeploymentSnapshot s = DeploymentSnapshot.fold(h, List.of(
                new DeploymentEvent.Observed(T, ARN, "svc", "cl", "ROLLING", List.of("rev/1"), "rev/2", T, List.of()),
                new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null)));
        assertNull(s.progress());
        assertTrue(s.toJsonNode().path("progress").isNull());
    }

    @Test
    void revisionsAreNamedAsPeopleNameThem() {
        assertEquals("web:42", RevisionNames.familyRevision("arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42"));
        assertEquals("nginx:1.28", RevisionNames.shortImage("public.ecr.aws/nginx/nginx:1.28"));
        assertEquals("web@sha256:0123456789ab", RevisionNames.shortImage("r.example/web@sha256:0123456789abcdef0123"));
        DeploymentSnapshot.Side blue = new DeploymentSnapshot.Side(List.of(), null, null, null, null, null,
                Map.of("web", "r/web:1", "log", "fluent-bit:3"), "arn:aws:ecs:r:1:task-definition/web:1");
        DeploymentSnapshot.Side green = new DeploymentSnapshot.Side(List.of(), null, null, null, null, null,
                new java.util.LinkedHashMap<>(Map.of("web", "r/web:2")), "arn:aws:ecs:r:1:task-definition/web:2");
        assertEquals("web:2 (web:1 → web:2)", RevisionNames.describe(blue, green));
        assertEquals("Test traffic on new (POST_TEST_TRAFFIC_SHIFT)", StageNames.withEcsName("POST_TEST_TRAFFIC_SHIFT"));
        assertEquals("SOME_NEW_STAGE", StageNames.withEcsName("SOME_NEW_STAGE"), "a stage ECS adds is shown as ECS names it");
    }
}
