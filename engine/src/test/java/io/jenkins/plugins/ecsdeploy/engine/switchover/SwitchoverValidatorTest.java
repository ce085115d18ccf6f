package io.jenkins.plugins.ecsdeploy.engine.switchover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.Gate;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.engine.ValidationProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A switchover is refused before any AWS call when it cannot work: field, value and what is allowed. */
class SwitchoverValidatorTest {
    static DeploymentRequest.Builder canary() {
        return DeploymentRequest.builder().region("eu-west-1").cluster("jobs").service("worker").taskDefinition("worker:8")
                .strategy(new Strategy.Canary(10.0, 5, 30, null, null));
    }

    static List<String> fields(DeploymentRequest r, Switchover s) {
        return SwitchoverValidator.validate(r, s).stream().map(ValidationProblem::field).toList();
    }

    @Test
    void theDefaultsAreValidAndPlaceAPauseHookAtTheStage() {
        Switchover s = new Switchover(null, "/app/worker/active-revision");
        assertEquals(List.of(), fields(canary().build(), s));
        assertEquals("POST_PRODUCTION_TRAFFIC_SHIFT", s.stage());
        DeploymentRequest r = s.applyTo(canary().build());
        assertEquals(List.of(new Gate("POST_PRODUCTION_TRAFFIC_SHIFT", 30, HookAction.ROLLBACK)), r.gates());
    }

    @Test
    void aRollingUpdateHasNoMomentToSwitchOver() {
        var p = SwitchoverValidator.validate(canary().strategy(new Strategy.Rolling(50, 200, null, null, null)).build(),
                new Switchover(null, "/app/flag"));
        assertEquals("switchover", p.get(0).field());
        assertTrue(p.get(0).allowed().startsWith("BLUE_GREEN, CANARY or LINEAR"), p.get(0).allowed());
    }

    @Test
    void greenMustHaveItsTasksAndTheStageNoOtherGate() {
        assertEquals(List.of("switchover.stage"), fields(canary().build(), new Switchover("PRE_SCALE_UP", "/app/flag")));
        assertEquals(List.of("switchover.stage"), fields(canary().gate(new Gate("POST_SCALE_UP", 60, null)).build(),
                new Switchover("POST_SCALE_UP", "/app/flag")));
    }

    @Test
    void parameterNamesFollowSsm() {
        for (String bad : new String[] {"aws/flag", "/ssm/flag", "app/flag", "/app/fl ag", "/app/", ""}) {
            assertEquals(List.of("switchover.parameter"), fields(canary().build(), new Switchover(null, bad)), bad);
        }
        assertEquals(List.of(), fields(canary().build(), new Switchover(null, "active_colour")));
    }

    @Test
    void valuesAreLiteralOrNameTheSidesTaskDefinition() {
        assertEquals(List.of("switchover.green"), fields(canary().build(), new Switchover(null, "/f", "{image}", null, null)));
        assertEquals(List.of("switchover.blue"), fields(canary().build(), new Switchover(null, "/f", "green", "green", null)));
        assertEquals("worker:8", Switchover.resolve("{taskDefinition}", "arn:aws:ecs:eu-west-1:123456789012:task-definition/worker:8"));
        assertEquals("on-arn:aws:ecs:eu-west-1:123456789012:task-definition/worker:8",
                Switchover.resolve("on-{taskDefinitionArn}", "arn:aws:ecs:eu-west-1:123456789012:task-definition/worker:8"));
        assertEquals("green", Switchover.resolve("green", null));
        assertNull(Switchover.resolve("{taskDefinition}", null));
    }
}
