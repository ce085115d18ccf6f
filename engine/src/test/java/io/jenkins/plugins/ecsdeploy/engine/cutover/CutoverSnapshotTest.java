package io.jenkins.plugins.ecsdeploy.engine.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cutover snapshot's JSON (what the page and the CLI read) is written and read back from the record itself. */
class CutoverSnapshotTest {
    @Test
    void theJsonRoundTripsAndCarriesTheWeightsOverTimeTheGateAndThePlainWords() throws Exception {
        Instant t = Instant.parse("2026-12-02T14:00:00Z");
        CutoverSnapshot s = CutoverSnapshot.fold("c1", List.of(
                new CutoverEvent.Started(t, "c1", "api.example.com.", "A", "Z1", "ECS service a/api", "ECS service b/api", "ecs:a:api",
                        "ecs:b:api", List.of(10, 100), 60, "gate", 0),
                new CutoverEvent.RecordsRead(t, 100, null, null),
                new CutoverEvent.WeightsRequested(t.plusSeconds(5), 1, 90, 10, "C1", "step 1 of 2"),
                new CutoverEvent.WeightsInSync(t.plusSeconds(35), 1, 90, 10, "C1", t.plusSeconds(95), "blue"),
                new CutoverEvent.GateAwaiting(t.plusSeconds(95), "c1-gate-1", 1, t.plusSeconds(3695)),
                new CutoverEvent.GateDecided(t.plusSeconds(100), "c1-gate-1", 1, HookAction.ROLLBACK, "alice", "no", false),
                new CutoverEvent.RollbackStarted(t.plusSeconds(100), RollbackCause.GATE_REJECTED, "gate after step 1 (10 %) rejected by alice: no"),
                new CutoverEvent.Finished(t.plusSeconds(140), new Outcome(OutcomeKind.ROLLED_BACK, RollbackCause.GATE_REJECTED, "x", "alice"),
                        t.plusSeconds(200))));
        String json = s.toJson();
        CutoverSnapshot back = CutoverSnapshot.fromJson(json);
        assertEquals(json, back.toJson());
        var node = s.toJsonNode();
        assertEquals("DNS_CUTOVER", node.get("kind").asText());
        assertEquals("2026-12-02T14:00:35Z", node.get("weights").get(2).get("at").asText());
        assertEquals("REJECTED", node.get("gates").get(0).get("state").asText());
        assertEquals("Rolled back because a gate was rejected: x", node.get("outcome").get("plainWords").asText());
        assertEquals("2026-12-02T14:03:20Z", node.get("clientsMayResolveOldUntil").asText());
        assertEquals(List.of("ROLLED_BACK", "NOT_REACHED"), s.steps().stream().map(CutoverSnapshot.StepState::state).toList());
        assertEquals("FINISHED", s.phase());
        assertEquals(8, s.eventCount());
    }
}
