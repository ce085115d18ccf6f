package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The snapshot is folded per concern: every event type is folded by the part of its concern, and the JSON is the
 * parts' records. A new event type without a fold, or a part that forgets a member, fails here.
 */
class SnapshotConcernsTest {
    static final Instant T = DeploymentSnapshotTest.T;
    static final DeploymentHandle H = DeploymentSnapshotTest.H;

    /** One event of every type, each changing something beyond the log when folded on the state before it. */
    static List<DeploymentEvent> oneOfEach() {
        return List.of(
                new DeploymentEvent.Observed(T, H.deploymentArn(), "svc", "cl", "CANARY", List.of("rev/1"), "rev/2", T,
                        List.of("5xx")),
                new DeploymentEvent.RevisionsDescribed(T, List.of(new DeploymentEvent.RevisionDetails("green", "rev/2",
                        "td:2", Map.of("web", "web:2"))), List.of()),
                new DeploymentEvent.PlanObserved(T, "CANARY", 10.0, 5, 10),
                new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null),
                new DeploymentEvent.StageEntered(T, "SCALE_UP"),
                new DeploymentEvent.StageLeft(T.plusSeconds(1), "SCALE_UP"),
                new DeploymentEvent.TrafficChanged(T, 0.0, 100.0, 100.0, 0.0),
                new DeploymentEvent.TasksChanged(T, "blue", "rev/1", 2, 2, 0),
                new DeploymentEvent.HookStatusChanged(T, "POST_TEST_TRAFFIC_SHIFT", "h1", "PAUSE", null, "AWAITING_ACTION",
                        T.plusSeconds(60), "ROLLBACK"),
                new DeploymentEvent.GateAwaiting(T, "POST_TEST_TRAFFIC_SHIFT", "h1", T.plusSeconds(60)),
                new DeploymentEvent.AnalysisStarted(T, "POST_TEST_TRAFFIC_SHIFT", "h1", "canary", 3, 60, false),
                new DeploymentEvent.AnalysisMeasured(T, "POST_TEST_TRAFFIC_SHIFT", "h1", 1, 3, T.minusSeconds(60), T,
                        "FAIL", List.of(new DeploymentEvent.AnalysisValue("5xx-rate", 2.0, 1.0, 300.0, 1200.0,
                                "<= 1.5 * blue", 1.5, "FAIL", null))),
                new DeploymentEvent.AnalysisConcluded(T, "POST_TEST_TRAFFIC_SHIFT", "h1", "FAIL", "ROLLBACK", false,
                        "5xx-rate: green 2 vs blue 1"),
                new DeploymentEvent.GateDecided(T, "POST_TEST_TRAFFIC_SHIFT", "h1", HookAction.ROLLBACK, "bob", null),
                new DeploymentEvent.AlarmTriggered(T, List.of("5xx")),
                new DeploymentEvent.CircuitBreakerTriggered(T, 3, 3),
                new DeploymentEvent.RollbackStarted(T, RollbackCause.ALARM, "alarm 5xx"),
                new DeploymentEvent.Finished(T.plusSeconds(9), new Outcome(OutcomeKind.ROLLED_BACK, RollbackCause.ALARM,
                        "alarm 5xx", null)));
    }

    @Test
    void everyEventTypeIsFoldedByTheSnapshotPartOfItsConcern() {
        Set<Class<?>> covered = new HashSet<>();
        DeploymentSnapshot s = DeploymentSnapshot.initial(H);
        for (DeploymentEvent e : oneOfEach()) {
            covered.add(e.getClass());
            DeploymentSnapshot next = s.apply(e);
            assertNotEquals(withoutLog(s), withoutLog(next), e.getClass().getSimpleName() + " changed nothing but the log");
            s = next;
        }
        assertEquals(new HashSet<>(Arrays.asList(DeploymentEvent.class.getPermittedSubclasses())), covered,
                "an event type without an example here (and perhaps without a fold)");
    }

    @Test
    void theJsonIsTheSameAfterAReadBackForEveryConcern() {
        DeploymentSnapshot s = DeploymentSnapshot.fold(H, oneOfEach());
        ObjectNode n = s.toJsonNode();
        assertEquals(n, DeploymentSnapshot.fromJson(s.toJson()).toJsonNode());
        assertEquals("schemaVersion", n.fieldNames().next());
        assertEquals(33, n.size(), "schemaVersion + the 32 members of docs/snapshot-schema.md: " + n.fieldNames());
    }

    private static ObjectNode withoutLog(DeploymentSnapshot s) {
        ObjectNode n = s.toJsonNode();
        n.remove(List.of("eventCount", "events", "updatedAt"));
        return n;
    }
}
