package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three progress forms: plain lines for CI, JSON lines, and the terminal picture; and the summary. */
class ProgressTest {
    static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/abc123";
    static final Instant T0 = Instant.parse("2026-11-22T01:00:00Z");

    static DeploymentHandle handle() {
        return new DeploymentHandle(ARN, "us-east-1", "123456789012", "demo", "web", null, "CANARY", List.of("POST_TEST_TRAFFIC_SHIFT"));
    }

    /** A canary that waits at its gate, is rejected by alice and rolls back. */
    static List<DeploymentEvent> rejectedCanary() {
        List<DeploymentEvent> e = new ArrayList<>();
        e.add(new DeploymentEvent.StatusChanged(T0, "IN_PROGRESS", null));
        e.add(new DeploymentEvent.StageEntered(T0.plusSeconds(5), "PRE_SCALE_UP"));
        e.add(new DeploymentEvent.StageLeft(T0.plusSeconds(10), "PRE_SCALE_UP"));
        e.add(new DeploymentEvent.StageEntered(T0.plusSeconds(10), "SCALE_UP"));
        e.add(new DeploymentEvent.TasksChanged(T0.plusSeconds(70), "green", null, 4, 4, 0));
        e.add(new DeploymentEvent.StageLeft(T0.plusSeconds(180), "SCALE_UP"));
        e.add(new DeploymentEvent.StageEntered(T0.plusSeconds(180), "POST_TEST_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.TrafficChanged(T0.plusSeconds(181), 0.0, 100.0, 100.0, 0.0));
        e.add(new DeploymentEvent.GateAwaiting(T0.plusSeconds(185), "POST_TEST_TRAFFIC_SHIFT", "h-1", T0.plusSeconds(3785)));
        e.add(new DeploymentEvent.GateDecided(T0.plusSeconds(245), "POST_TEST_TRAFFIC_SHIFT", "h-1", HookAction.ROLLBACK, "alice", "5xx too high"));
        e.add(new DeploymentEvent.RollbackStarted(T0.plusSeconds(246), RollbackCause.GATE_REJECTED, "gate at POST_TEST_TRAFFIC_SHIFT rejected by alice"));
        e.add(new DeploymentEvent.Finished(T0.plusSeconds(300), new Outcome(OutcomeKind.ROLLED_BACK, RollbackCause.GATE_REJECTED,
                "gate at POST_TEST_TRAFFIC_SHIFT rejected by alice", "alice")));
        return e;
    }

    private static String feed(Progress p, List<DeploymentEvent> events) {
        DeploymentSnapshot s = DeploymentSnapshot.initial(handle());
        for (DeploymentEvent e : events) {
            s = s.apply(e);
            p.onEvent(e, s);
        }
        p.close();
        return null;
    }

    @Test
    void plainModePrintsOneLinePerEventWithItsTime() {
        StringWriter w = new StringWriter();
        List<DeploymentEvent> events = rejectedCanary();
        feed(Progress.create(Progress.Mode.PLAIN, new PrintWriter(w), Clock.fixed(T0, ZoneOffset.UTC), 100), events);
        List<String> lines = w.toString().lines().toList();
        assertEquals(events.size(), lines.size(), w.toString());
        assertEquals("2026-11-22T01:00:05Z  stage Before new tasks start (PRE_SCALE_UP) entered", lines.get(1));
        assertTrue(lines.get(9).contains("rolled back by alice: 5xx too high"), lines.get(9));
        assertFalse(w.toString().contains("\u001b"), "no ANSI escapes in CI logs");
    }

    @Test
    void jsonModePrintsOneParsableObjectPerEvent() throws Exception {
        StringWriter w = new StringWriter();
        List<DeploymentEvent> events = rejectedCanary();
        feed(Progress.create(Progress.Mode.JSON, new PrintWriter(w), Clock.fixed(T0, ZoneOffset.UTC), 100), events);
        List<String> lines = w.toString().lines().toList();
        assertEquals(events.size(), lines.size());
        ObjectMapper m = new ObjectMapper();
        JsonNode gate = m.readTree(lines.get(8));
        assertEquals("GateAwaiting", gate.get("type").asText());
        assertEquals("h-1", gate.get("hookId").asText());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", gate.get("lifecycleStage").asText());
        assertEquals(ARN, gate.get("deploymentArn").asText());
        JsonNode fin = m.readTree(lines.get(lines.size() - 1));
        assertEquals("Finished", fin.get("type").asText());
        assertEquals("ROLLED_BACK", fin.get("outcome").get("kind").asText());
        assertEquals("alice", fin.get("outcome").get("decidedBy").asText());
    }

    @Test
    void terminalPictureShowsBarCurrentStageTimeInStageWeightsTasksAndGate() {
        List<DeploymentEvent> events = rejectedCanary().subList(0, 9);
        DeploymentSnapshot s = DeploymentSnapshot.fold(handle(), events);
        List<String> lines = Progress.render(s, T0.plusSeconds(240), 120, "open the page", List.of());
        String all = String.join("\n", lines);
        assertTrue(all.contains("stage 6/11 Test traffic on new (POST_TEST_TRAFFIC_SHIFT) - 1m 00s in stage"), all);
        assertTrue(all.matches("(?s).*\\[#+-+\\].*"), all);
        assertTrue(all.contains(">  1m 00s  Test traffic on new"), all);
        assertTrue(all.contains("+  2m 50s  Start new tasks            SCALE_UP"), all);
        assertTrue(all.contains("production blue 100% - green 0%"), all);
        assertTrue(all.contains("test blue 0% - green 100%"), all);
        assertTrue(all.contains("green (new) 4/4 running"), all);
        assertTrue(all.contains("gate     Test traffic on new (POST_TEST_TRAFFIC_SHIFT): waiting - times out at 02:03 UTC if nobody decides (in 59m 05s)"), all);
        assertTrue(all.contains("open the page"), all);
        lines.forEach(l -> assertTrue(visible(l).length() < 120, "line as wide as the terminal: " + l));
    }

    @Test
    void terminalPictureShowsAStagePassedBetweenPollsAsPassedWithoutADuration() {
        // SCALE_UP is followed directly by POST_TEST_TRAFFIC_SHIFT: POST_SCALE_UP and TEST_TRAFFIC_SHIFT passed unseen
        DeploymentSnapshot s = DeploymentSnapshot.fold(handle(), rejectedCanary().subList(0, 9));
        assertFalse(stage(s, "TEST_TRAFFIC_SHIFT").observed(), "fixture: the engine infers the stage as not observed");
        List<String> lines = Progress.render(s, T0.plusSeconds(240), 120, null, List.of());
        assertEquals("+          Send test traffic to new   TEST_TRAFFIC_SHIFT  (passed (between polls))", line(lines, " TEST_TRAFFIC_SHIFT"));
        assertEquals("+          New tasks running          POST_SCALE_UP  (passed (between polls))", line(lines, "POST_SCALE_UP"));
        assertEquals("+  2m 50s  Start new tasks            SCALE_UP", line(lines, " SCALE_UP"));
    }

    @Test
    void summaryTimelineShowsAStagePassedBetweenPollsWithoutOffsetOrDuration() {
        DeploymentSnapshot s = DeploymentSnapshot.fold(handle(), rejectedCanary());
        List<String> lines = Progress.summary(s);
        assertTrue(line(lines, " TEST_TRAFFIC_SHIFT").matches(" {14}TEST_TRAFFIC_SHIFT +Send test traffic to new +passed \\(between polls\\)"),
                line(lines, " TEST_TRAFFIC_SHIFT"));
        String all = String.join("\n", lines);
        assertFalse(all.matches("(?s).*TEST_TRAFFIC_SHIFT\\s+0s.*"), all);
        assertTrue(all.matches("(?s).*\\+2m 55s\\s+POST_TEST_TRAFFIC_SHIFT\\s+Test traffic on new\\s+2m 00s.*"), all);
    }

    private static DeploymentSnapshot.Stage stage(DeploymentSnapshot s, String name) {
        return s.stages().stream().filter(st -> st.name().equals(name)).findFirst().orElseThrow();
    }

    private static String line(List<String> lines, String containing) {
        return lines.stream().filter(l -> l.contains(containing) && !l.contains("POST_" + containing.strip()))
                .findFirst().orElseThrow(() -> new AssertionError(containing + " not in " + lines));
    }

    /** What the terminal shows of a line: without the colour escapes. */
    static String visible(String l) {
        return l.replaceAll("\u001b\\[[0-9;]*m", "");
    }

    @Test
    void terminalModeRedrawsInPlace() {
        StringWriter w = new StringWriter();
        feed(Progress.create(Progress.Mode.TTY, new PrintWriter(w), Clock.fixed(T0, ZoneOffset.UTC), 100), rejectedCanary().subList(0, 3));
        // the second and third pictures move the cursor up over the previous one and clear it
        assertTrue(w.toString().contains("\u001b[J"), w.toString());
        assertTrue(w.toString().matches("(?s).*\u001b\\[\\d+A.*"), w.toString());
    }

    @Test
    void controlCharactersInUntrustedTextCannotReachTheTerminal() {
        assertEquals("evil\\e[2Jimage", Progress.cut("evil\u001b[2Jimage", 100));
    }

    @Test
    void aCommentCannotForgeLinesOrDriveTheTerminalInPlainCiOutputAndIsCapped() {
        StringWriter w = new StringWriter();
        Progress p = Progress.create(Progress.Mode.PLAIN, new PrintWriter(w), Clock.fixed(T0, ZoneOffset.UTC), 100);
        List<DeploymentEvent> e = new java.util.ArrayList<>(rejectedCanary().subList(0, 2));
        e.add(new DeploymentEvent.GateDecided(T0.plusSeconds(245), "POST_TEST_TRAFFIC_SHIFT", "h-1", HookAction.CONTINUE,
                "mallory\u0007", "ok\r\n2026-11-22T01:05:00Z  gate at POST_TEST_TRAFFIC_SHIFT approved by admin\u001b[2J\u202e"
                + "x".repeat(100_000)));
        feed(p, e);
        List<String> lines = w.toString().lines().toList();
        assertEquals(3, lines.size(), "one line per event, none forged: " + lines);
        String decided = lines.get(2);
        assertTrue(decided.contains("ok\\r\\n2026-11-22T01:05:00Z") && decided.contains("\\e[2J\\u202e")
                && decided.contains("mallory\\x07"), decided);
        assertTrue(w.toString().chars().noneMatch(c -> c == 0x1b || c == 0x07 || c == '\r' || c == 0x202e), "no raw control character");
        assertTrue(decided.length() < Progress.MAX_LINE + 60 && decided.contains("…(+"), "capped: " + decided.length());
    }

    @Test
    void summaryHasTimelineWithDurationsGateDecisionAndOutcome() {
        DeploymentSnapshot s = DeploymentSnapshot.fold(handle(), rejectedCanary());
        String all = String.join("\n", Progress.summary(s));
        assertTrue(all.matches("(?s).*\\+0s\\s+PRE_SCALE_UP\\s+Before new tasks start\\s+5s.*"), all);
        assertTrue(all.matches("(?s).*\\+5s\\s+SCALE_UP\\s+Start new tasks\\s+2m 50s.*"), all);
        assertTrue(all.contains("gate at POST_TEST_TRAFFIC_SHIFT: ROLLED_BACK by alice (\"5xx too high\") after 1m 00s"), all);
        assertTrue(all.contains("outcome: ROLLED_BACK: gate at POST_TEST_TRAFFIC_SHIFT rejected by alice"), all);
    }
}
