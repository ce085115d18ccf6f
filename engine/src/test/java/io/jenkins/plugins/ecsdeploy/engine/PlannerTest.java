package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {
    static DeploymentRequest.Builder req(Strategy s) {
        return DeploymentRequest.builder().region("us-east-1").service("web").taskDefinition("web:2").strategy(s);
    }

    @Test
    void canaryShiftsToThePercentThenToAll() {
        var p = Planner.plan(req(new Strategy.Canary(10.0, 15, 30)).build(), PlanContext.UNKNOWN);
        assertEquals(List.of(10.0, 100.0), p.steps().stream().map(PlanStep::productionTrafficPercent).toList());
        assertEquals(15, p.steps().get(0).bakeAfterMinutes());
        assertEquals(30, p.steps().get(1).bakeAfterMinutes());
        assertEquals(45, p.minimumDurationMinutes());
    }

    @Test
    void linearStepsByMultiplesUntil100() {
        assertEquals(List.of(30.0, 60.0, 90.0, 100.0), Planner.trafficSteps(new Strategy.Linear(30.0, 5, 0)));
        assertEquals(List.of(20.0, 40.0, 60.0, 80.0, 100.0), Planner.trafficSteps(new Strategy.Linear(20.0, 5, 0)));
        // 33.3 % steps: three bakes, as CloudFormation's own formula says (floor(100/33.3) = 3), no float drift.
        assertEquals(List.of(33.3, 66.6, 99.9, 100.0), Planner.trafficSteps(new Strategy.Linear(33.3, 5, 0)));
    }

    @Test
    void linearDurationIsStepBakesPlusBake() {
        var p = Planner.plan(req(new Strategy.Linear(25.0, 10, 60)).build(), PlanContext.UNKNOWN);
        assertEquals(3 * 10 + 60, p.minimumDurationMinutes());
        assertEquals(null == p.steps().get(3).bakeAfterMinutes() ? -1 : 60, p.steps().get(3).bakeAfterMinutes());
    }

    @Test
    void defaultsAreEcsDefaults() {
        assertEquals(List.of(5.0, 100.0), Planner.trafficSteps(new Strategy.Canary(null, null, null)));
        var p = Planner.plan(req(new Strategy.Canary(null, null, null)).build(), PlanContext.UNKNOWN);
        assertEquals(10, p.minimumDurationMinutes());
    }

    @Test
    void networkLoadBalancerAddsTenMinutesPerShift() {
        var ctx = new PlanContext(4, true, true, null, null, null);
        var p = Planner.plan(req(new Strategy.BlueGreen(20)).build(), ctx);
        // one production shift + the test shift, 10 minutes each (NLB resources page, docs/strategies.md)
        assertEquals(20 + 10 + 10, p.minimumDurationMinutes());
        assertEquals("blue 4 + green 4 = 8 tasks at peak", p.capacity());
    }

    @Test
    void preProductionGateIsAtEveryStep() {
        var r = req(new Strategy.Linear(50.0, 5, 5)).gate(new Gate("PRE_PRODUCTION_TRAFFIC_SHIFT", 30, HookAction.ROLLBACK))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 30, HookAction.ROLLBACK)).build();
        var p = Planner.plan(r, PlanContext.UNKNOWN);
        assertEquals(List.of("POST_TEST_TRAFFIC_SHIFT", "PRE_PRODUCTION_TRAFFIC_SHIFT"), p.steps().get(0).gateStages());
        assertEquals(List.of("PRE_PRODUCTION_TRAFFIC_SHIFT"), p.steps().get(1).gateStages());
    }

    @Test
    void rollingCapacityFollowsItsPercentages() {
        var p = Planner.plan(req(new Strategy.Rolling(50, 150, true, true)).desiredCount(4).build(), PlanContext.UNKNOWN);
        assertEquals("between 2 and 6 tasks (desired 4)", p.capacity());
        assertEquals(List.of(), p.steps());
    }

    @Test
    void planPrintsAsTextAndJson() throws Exception {
        var r = req(new Strategy.Canary(10.0, 15, 30)).gate(new Gate(null, 60, HookAction.ROLLBACK))
                .hook(new LambdaHook("arn:aws:lambda:us-east-1:123456789012:function:smoke",
                        "arn:aws:iam::123456789012:role/r", List.of("POST_TEST_TRAFFIC_SHIFT"), null, 30, null)).build();
        var p = Planner.plan(r, PlanContext.UNKNOWN);
        String text = p.toText();
        assertTrue(text.contains("POST_TEST_TRAFFIC_SHIFT  <- gate (PAUSE, timeout 60 min -> ROLLBACK); Lambda "
                + "arn:aws:lambda:us-east-1:123456789012:function:smoke (timeout 30 min -> ROLLBACK)"), text);
        assertTrue(text.contains("step 1: 10% (gate before: POST_TEST_TRAFFIC_SHIFT), then bake 15 min"), text);
        var json = new ObjectMapper().readTree(p.toJson());
        assertEquals("CANARY", json.get("strategy").asText());
        assertEquals(10.0, json.get("steps").get(0).get("productionTrafficPercent").asDouble());
        assertEquals(45, json.get("minimumDurationMinutes").asInt());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", json.get("gates").get(0).asText());
    }
}
