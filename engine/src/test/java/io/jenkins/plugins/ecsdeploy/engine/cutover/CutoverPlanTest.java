package io.jenkins.plugins.ecsdeploy.engine.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan of a DNS cutover shows its steps, the waits after them and the duration the TTL imposes, offline. */
class CutoverPlanTest {
    static DnsCutoverRequest.Builder ecs() {
        return DnsCutoverRequest.builder().region("eu-west-1").hostedZoneId("Z0123456789ABCDEFGHIJ").recordName("api.example.com")
                .blue(new CutoverTarget.EcsService("prod-ec2", "api")).green(new CutoverTarget.EcsService(null, "prod-fargate", "api", null))
                .healthCheck(HealthCheck.path("/health"));
    }

    @Test
    void aThreeStepCutoverWithAGateShowsItsStepsWaitsAndTtlBoundDuration() {
        CutoverPlan p = new CutoverEngine(CutoverKit.config(new ManualTime()), CutoverKit.clients(null), null, Runnable::run)
                .plan(ecs().steps(List.of(10, 50, 100)).gate(new CutoverGate(60, HookAction.ROLLBACK)).build());
        assertEquals(List.of(10, 50, 100), p.steps().stream().map(CutoverPlan.Step::greenPercent).toList());
        assertEquals(List.of(90, 50, 0), p.steps().stream().map(CutoverPlan.Step::bluePercent).toList());
        assertEquals(List.of(60, 60, 60), p.steps().stream().map(CutoverPlan.Step::waitAfterSeconds).toList(),
                "an alias to a load balancer is cached 60 s");
        assertEquals(List.of(true, true, false), p.steps().stream().map(CutoverPlan.Step::gateAfter).toList());
        assertEquals(180, p.minimumDurationSeconds());
        assertEquals(3, p.minimumDurationMinutes());
        String text = p.toText();
        assertTrue(text.startsWith("Strategy: DNS_CUTOVER (Route 53 weighted records)\n"
                + "Record: api.example.com. A in hosted zone Z0123456789ABCDEFGHIJ (clients cache answers for 60 s)\n"
                + "Blue:  ECS service prod-ec2/api (set identifier 'ecs:prod-ec2:api')\n"
                + "Green: ECS service prod-fargate/api (set identifier 'ecs:prod-fargate:api')\n"
                + "Steps (green's share of DNS answers):\n"
                + "  step 1: green 10% / blue 90% (health check of green first), wait for Route 53 INSYNC, then 1 min (one TTL, so every client sees the new weights), then gate\n"
                + "  step 2: green 50% / blue 50% (health check of green first), wait for Route 53 INSYNC, then 1 min (one TTL, so every client sees the new weights), then gate\n"
                + "  step 3: green 100% / blue 0% (health check of green first), wait for Route 53 INSYNC, then 1 min (TTL: until no client resolves blue any more)\n"
                + "Gates: gate (held by the engine, timeout 60 min -> ROLLBACK) after every step but the last\n"
                + "Health check: GET http://<green>/health → 200 (3 attempts, 10 s apart, 5 s each)\n"
                + "Minimum duration: 3 min (3 waits of at least one TTL; Route 53 propagation, generally within 60 s a change, "
                + "health checks and gates add to it)\n"), text);
    }

    @Test
    void aBakeLongerThanTheTtlIsTheWaitButTheLastStepWaitsOneTtl() throws Exception {
        CutoverPlan p = CutoverPlan.of(ecs().steps(List.of(25, 100)).bakeMinutes(15).build());
        assertEquals(List.of(900, 60), p.steps().stream().map(CutoverPlan.Step::waitAfterSeconds).toList());
        assertEquals(16, p.minimumDurationMinutes());
        JsonNode j = new ObjectMapper().readTree(p.toJson());
        assertEquals("DNS_CUTOVER", j.get("strategy").asText());
        assertEquals(960, j.get("minimumDurationSeconds").asInt());
        assertEquals(16, j.get("minimumDurationMinutes").asInt());
        assertEquals("bake 15 min", j.get("steps").get(0).get("waitReason").asText());
        assertEquals(60, j.get("cacheSeconds").asInt());
    }

    @Test
    void aLongTtlOfValueRecordsMakesEveryWaitLonger() {
        CutoverPlan p = CutoverPlan.of(ecs().blue(new CutoverTarget.Value("192.0.2.1")).green(new CutoverTarget.Value("192.0.2.2"))
                .ttlSeconds(600).build());
        assertEquals(List.of(600, 600, 600), p.steps().stream().map(CutoverPlan.Step::waitAfterSeconds).toList());
        assertEquals(30, p.minimumDurationMinutes());
        assertTrue(p.rollback().contains("clients may resolve green for up to 600 s"), p.rollback());
    }
}
