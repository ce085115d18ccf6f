package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** plan works from the options alone (no region, no credentials, no revision) and prints text or JSON. */
class PlanCommandTest {

    @Test
    void canaryPlanTextShowsStagesTrafficStepsDurationAndCapacity() {
        CliRun r = CliRun.run("plan", "--service", "web", "--strategy", "canary", "--canary-percent", "10",
                "--canary-bake-minutes", "5", "--bake-minutes", "10", "--approve-at", "POST_TEST_TRAFFIC_SHIFT");
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.out();
        assertTrue(out.contains("Strategy: CANARY"), out);
        assertTrue(out.contains("POST_TEST_TRAFFIC_SHIFT"), out);
        assertTrue(out.contains("step 1: 10%"), out);
        assertTrue(out.contains("step 2: 100%"), out);
        assertTrue(out.contains("Minimum duration: 15 min"), out);
        assertTrue(out.contains("Capacity:"), out);
        assertTrue(out.contains("gate"), out);
    }

    @Test
    void linearPlanJsonHasStrategyStagesStepsAndMinimumDuration() throws Exception {
        CliRun r = CliRun.run("plan", "--service", "web", "--strategy", "linear", "--step-percent", "25",
                "--step-bake-minutes", "2", "--bake-minutes", "5", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertEquals("LINEAR", n.get("strategy").asText());
        assertTrue(n.get("stages").isArray() && n.get("stages").size() > 0, r.out());
        List<Double> steps = new ArrayList<>();
        n.get("steps").forEach(s -> steps.add(s.get("productionTrafficPercent").asDouble()));
        assertEquals(List.of(25.0, 50.0, 75.0, 100.0), steps);
        // three step bakes of 2 minutes (none after the step that reaches 100 %) and a 5-minute bake
        assertEquals(3 * 2 + 5, n.get("minimumDurationMinutes").asInt());
    }

    @Test
    void planStillValidatesTheOptions() {
        CliRun r = CliRun.run("plan", "--service", "web", "--strategy", "canary", "--canary-percent", "0.05");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("--canary-percent '0.05': "), r.toString());
    }

    @Test
    void rollingWithEarlySuccessAndAGateAfterTheNewTasksIsPlanned() {
        CliRun r = CliRun.run("plan", "--service", "web", "--desired-count", "4", "--minimum-healthy-percent", "50",
                "--early-success-percent", "75", "--early-success-cleanup", "deferred", "--circuit-breaker",
                "--approve-at", "POST_SCALE_UP");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("POST_SCALE_UP  <- gate (PAUSE"), r.out());
        assertTrue(r.out().contains("done at 75% healthy, old tasks removed afterwards"), r.out());
    }

    @Test
    void earlySuccessIsRollingOnlyAndGatesWithRollingSitBeforeOrAfterTheNewTasks() {
        CliRun early = CliRun.run("plan", "--service", "web", "--strategy", "blue-green", "--bake-minutes", "5",
                "--early-success-percent", "50", "--circuit-breaker");
        assertEquals(ExitCodes.USAGE, early.exitCode(), early.toString());
        assertTrue(early.err().contains("--early-success-percent '50': only with --strategy rolling"), early.toString());
        CliRun gate = CliRun.run("plan", "--service", "web", "--approve-at", "POST_TEST_TRAFFIC_SHIFT");
        assertEquals(ExitCodes.USAGE, gate.exitCode(), gate.toString());
        assertTrue(gate.err().contains("--approve-at 'POST_TEST_TRAFFIC_SHIFT': with ROLLING one of PRE_SCALE_UP, "
                + "POST_SCALE_UP"), gate.toString());
    }

    @Test
    void rollingPlanNeedsNothingButTheService() {
        CliRun r = CliRun.run("plan", "--service", "web", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\"strategy\":\"ROLLING\""), r.out());
    }
}
