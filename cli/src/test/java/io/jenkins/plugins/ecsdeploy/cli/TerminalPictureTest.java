package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The terminal picture at the terminal's real width (issue 11): bash does not export COLUMNS, so the width comes from
 * the terminal itself; every line fits, so a redraw erases exactly what it drew (checked on a small terminal emulator:
 * one picture on screen, not a stack of stale copies); colour and symbols only on a terminal and not with NO_COLOR; a
 * gate hint that is never cut and goes once the gate is decided; a bell when a gate starts waiting; the plan's step;
 * repeated stages summed; the rollback path drawn as a rollback.
 */
class TerminalPictureTest {
    static final Instant T0 = ProgressTest.T0;
    static final String HINT = "Gate waiting at Test traffic on new (POST_TEST_TRAFFIC_SHIFT): a approve · r roll back · or on http://127.0.0.1:45678/";

    static DeploymentHandle handle() {
        return ProgressTest.handle();
    }

    /** A canary with images, its plan, two production steps (PRE_PRODUCTION_TRAFFIC_SHIFT entered twice) and a gate. */
    static List<DeploymentEvent> canaryWithGate() {
        List<DeploymentEvent> e = new ArrayList<>();
        e.add(new DeploymentEvent.Observed(T0, ProgressTest.ARN, "svc", "cl", "CANARY", List.of("rev/1"), "rev/2", T0, List.of()));
        e.add(new DeploymentEvent.RevisionsDescribed(T0, List.of(
                new DeploymentEvent.RevisionDetails("blue", "rev/1", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
                        Map.of("web", "public.ecr.aws/nginx/nginx:1.27")),
                new DeploymentEvent.RevisionDetails("green", "rev/2", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2",
                        Map.of("web", "public.ecr.aws/nginx/nginx:1.28"))), List.of()));
        e.add(new DeploymentEvent.PlanObserved(T0, "CANARY", 10.0, 5, 10));
        e.add(new DeploymentEvent.StatusChanged(T0, "IN_PROGRESS", null));
        e.add(new DeploymentEvent.StageEntered(T0.plusSeconds(5), "SCALE_UP"));
        e.add(new DeploymentEvent.TasksChanged(T0.plusSeconds(60), "green", null, 4, 4, 0));
        e.add(new DeploymentEvent.StageLeft(T0.plusSeconds(120), "SCALE_UP"));
        e.add(new DeploymentEvent.StageEntered(T0.plusSeconds(120), "PRE_PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageLeft(T0.plusSeconds(130), "PRE_PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T0.plusSeconds(130), "PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.TrafficChanged(T0.plusSeconds(135), 10.0, 100.0, 90.0, 0.0));
        e.add(new DeploymentEvent.StageLeft(T0.plusSeconds(430), "PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T0.plusSeconds(430), "PRE_PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.HookStatusChanged(T0.plusSeconds(431), "PRE_PRODUCTION_TRAFFIC_SHIFT", "h-2", "PAUSE", null,
                "AWAITING_ACTION", T0.plusSeconds(4031), "ROLLBACK"));
        e.add(new DeploymentEvent.GateAwaiting(T0.plusSeconds(431), "PRE_PRODUCTION_TRAFFIC_SHIFT", "h-2", T0.plusSeconds(4031)));
        return e;
    }

    /** The same canary: the gate is rejected, ECS rolls back through PRODUCTION_TRAFFIC_SHIFT and CLEAN_UP. */
    static List<DeploymentEvent> rolledBack() {
        List<DeploymentEvent> e = new ArrayList<>(canaryWithGate());
        e.add(new DeploymentEvent.GateDecided(T0.plusSeconds(448), "PRE_PRODUCTION_TRAFFIC_SHIFT", "h-2", HookAction.ROLLBACK, "alice", "p99 too high"));
        e.add(new DeploymentEvent.RollbackStarted(T0.plusSeconds(449), RollbackCause.GATE_REJECTED, "gate rejected by alice"));
        e.add(new DeploymentEvent.StatusChanged(T0.plusSeconds(450), "ROLLBACK_IN_PROGRESS", null));
        e.add(new DeploymentEvent.StageLeft(T0.plusSeconds(450), "PRE_PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T0.plusSeconds(450), "PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageLeft(T0.plusSeconds(470), "PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T0.plusSeconds(470), "CLEAN_UP"));
        e.add(new DeploymentEvent.Finished(T0.plusSeconds(500), new Outcome(OutcomeKind.ROLLED_BACK, RollbackCause.GATE_REJECTED,
                "gate rejected by alice", "alice")));
        return e;
    }

    /** Runs the events through the TTY form on a terminal {@code columns} wide, COLUMNS unset: what the screen shows. */
    static Screen showOnTerminal(int columns, List<DeploymentEvent> events, String hint) {
        TerminalWidth width = new TerminalWidth(Map.of("TERM", "xterm-256color", "LANG", "C.UTF-8"), true, () -> "40 " + columns);
        StringWriter w = new StringWriter();
        Progress p = Progress.create(Progress.Mode.TTY, new PrintWriter(w), Clock.fixed(T0.plusSeconds(500), ZoneOffset.UTC),
                width, Progress.Style.of(Map.of("LANG", "C.UTF-8"), true));
        DeploymentSnapshot s = DeploymentSnapshot.initial(handle());
        for (DeploymentEvent e : events) {
            s = s.apply(e);
            p.onEvent(e, s);
            if (e instanceof DeploymentEvent.GateAwaiting && hint != null) {
                p.hint(hint);
            }
        }
        p.close();
        Screen screen = new Screen(columns);
        screen.write(w.toString());
        return screen;
    }

    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {60, 80, 120})
    void theWidthComesFromTheTerminalNotFromColumnsAndOnePictureStaysOnScreen(int columns) {
        assertEquals(columns, new TerminalWidth(Map.of(), true, () -> "40 " + columns).getAsInt(),
                "COLUMNS unset (bash does not export it): the terminal's own size");
        Screen screen = showOnTerminal(columns, canaryWithGate(), HINT);
        // every redraw erased exactly what it drew: one header on screen, not a stack of stale copies
        assertEquals(1, screen.count("web @ demo"), screen.toString());
        assertEquals(0, screen.wrapped, "a line wider than the terminal wrapped:\n" + screen);
        // the hint is never cut: its words are all on screen, in order
        String flat = screen.toString().replace("\n", " ").replaceAll(" +", " ");
        assertTrue(flat.contains("a approve · r roll back"), screen.toString());
        assertTrue(flat.contains("http://127.0.0.1:45678/"), screen.toString());
    }

    @Test
    void withoutATerminalAnswerColumnsThenADefaultIsUsed() {
        assertEquals(72, new TerminalWidth(Map.of("COLUMNS", "72"), true, () -> null).getAsInt());
        assertEquals(TerminalWidth.TTY_DEFAULT, new TerminalWidth(Map.of(), true, () -> "garbage").getAsInt());
        assertEquals(TerminalWidth.PIPE_DEFAULT, new TerminalWidth(Map.of(), false, () -> "40 60").getAsInt(),
                "not a terminal: its size is not asked");
    }

    @Test
    void colourAndSymbolsOnlyOnATerminalAndNoColourWithNoColor() {
        assertEquals(new Progress.Style(true, true), Progress.Style.of(Map.of("LANG", "en_GB.UTF-8"), true));
        assertEquals(new Progress.Style(false, true), Progress.Style.of(Map.of("LANG", "en_GB.UTF-8", "NO_COLOR", "1"), true));
        assertEquals(new Progress.Style(true, false), Progress.Style.of(Map.of("LANG", "C"), true), "no UTF-8: ASCII marks");
        assertEquals(Progress.Style.PLAIN, Progress.Style.of(Map.of("LANG", "en_GB.UTF-8"), false), "not a terminal");
        DeploymentSnapshot s = DeploymentSnapshot.fold(handle(), canaryWithGate());
        String coloured = String.join("\n", Progress.render(s, T0.plusSeconds(440), 100, null, List.of(), new Progress.Style(true, true)));
        assertTrue(coloured.contains("\u001b[32m✓\u001b[0m"), coloured);
        String noColour = String.join("\n", Progress.render(s, T0.plusSeconds(440), 100, null, List.of(), new Progress.Style(false, true)));
        assertFalse(noColour.contains("\u001b"), noColour);
        assertTrue(noColour.contains("✓"), noColour);
    }

    @Test
    void theGateHintIsShownWhileTheGateWaitsAndGoesOnceItIsDecided() {
        DeploymentSnapshot waiting = DeploymentSnapshot.fold(handle(), canaryWithGate());
        String at60 = String.join("\n", Progress.render(waiting, T0.plusSeconds(440), 60, HINT, List.of()));
        assertTrue(at60.replace("\n", " ").contains("a approve · r roll back"), at60);
        List<DeploymentEvent> decided = new ArrayList<>(canaryWithGate());
        decided.add(new DeploymentEvent.GateDecided(T0.plusSeconds(448), "PRE_PRODUCTION_TRAFFIC_SHIFT", "h-2", HookAction.CONTINUE, "bob", null));
        String after = String.join("\n", Progress.render(DeploymentSnapshot.fold(handle(), decided), T0.plusSeconds(450), 60, HINT, List.of()));
        assertFalse(after.contains("a approve"), after);
    }

    @Test
    void aBellRingsOnceWhenAGateStartsWaiting() {
        StringWriter w = new StringWriter();
        Progress p = Progress.create(Progress.Mode.TTY, new PrintWriter(w), Clock.fixed(T0, ZoneOffset.UTC), 80);
        DeploymentSnapshot s = DeploymentSnapshot.initial(handle());
        for (DeploymentEvent e : canaryWithGate()) {
            s = s.apply(e);
            p.onEvent(e, s);
        }
        p.close();
        assertEquals(1, w.toString().chars().filter(c -> c == 0x07).count(), "one bell, for the one gate");
        StringWriter plain = new StringWriter();
        Progress q = Progress.create(Progress.Mode.PLAIN, new PrintWriter(plain), Clock.fixed(T0, ZoneOffset.UTC), 80);
        DeploymentSnapshot s2 = DeploymentSnapshot.initial(handle());
        for (DeploymentEvent e : canaryWithGate()) {
            s2 = s2.apply(e);
            q.onEvent(e, s2);
        }
        assertTrue(plain.toString().chars().noneMatch(c -> c == 0x07 || c == 0x1b), "no bell or escape in a CI log");
    }

    @Test
    void thePictureSaysWhichStepOfThePlanAndSumsTheVisitsOfARepeatedStage() {
        DeploymentSnapshot s = DeploymentSnapshot.fold(handle(), canaryWithGate());
        List<String> lines = Progress.render(s, T0.plusSeconds(440), 120, null, List.of());
        String all = String.join("\n", lines);
        assertTrue(all.contains("revision web:2 (nginx:1.27 → nginx:1.28)"), all);
        assertTrue(all.contains("Canary 1/2 - 10 % - waiting for a decision, then about 10 min"), all);
        // PRE_PRODUCTION_TRAFFIC_SHIFT: 10 s, then 10 s so far in the second visit: 20 s in all, not first entry to now
        String pre = lines.stream().filter(l -> l.contains("PRE_PRODUCTION_TRAFFIC_SHIFT") && l.contains("visits")).findFirst().orElseThrow();
        assertTrue(pre.contains(" 20s ") && pre.contains("2 visits"), pre);
        assertTrue(all.contains("PRODUCTION_TRAFFIC_SHIFT") && all.contains("5m 00s"), all);
    }

    @Test
    void aRolledBackDeploymentIsDrawnAsARollbackWithTheStagesItUndid() {
        DeploymentSnapshot s = DeploymentSnapshot.fold(handle(), rolledBack());
        List<String> lines = Progress.render(s, T0.plusSeconds(500), 120, null, List.of());
        String all = String.join("\n", lines);
        assertTrue(all.contains("< rollback (a gate was rejected)") || all.contains("< rollback ("), all);
        // forward stages the rollback took back are marked so, not shown as plain "done"
        String scaleUp = lines.stream().filter(l -> l.contains("SCALE_UP") && !l.contains("_SCALE_UP")).findFirst().orElseThrow();
        assertTrue(scaleUp.startsWith("x") && scaleUp.contains("undone"), scaleUp);
        // stages never reached are not drawn as done
        String bake = lines.stream().filter(l -> l.contains("BAKE_TIME")).findFirst().orElseThrow();
        assertTrue(bake.contains("not reached"), bake);
        // the rollback's own visits, after the header, with their time
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("< rollback")).findFirst().orElseThrow());
        assertTrue(lines.get(header + 1).startsWith("<") && lines.get(header + 1).contains("PRODUCTION_TRAFFIC_SHIFT")
                && lines.get(header + 1).contains("20s"), lines.get(header + 1));
        assertTrue(all.contains("blue (live again)") && all.contains("green (rolled back)"), all);
    }

    /**
     * A terminal of {@code columns} columns: prints characters (wrapping at the right margin, as terminals do), and
     * understands what the picture uses: newline, carriage return, cursor up (ESC [ n A), clear to the end (ESC [ J),
     * colours (ESC [ ... m, ignored) and the bell (ignored).
     */
    static final class Screen {
        final int columns;
        final List<StringBuilder> rows = new ArrayList<>();
        int row;
        int col;
        int wrapped;

        Screen(int columns) {
            this.columns = columns;
            rows.add(new StringBuilder());
        }

        void write(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == 0x1b && i + 1 < s.length() && s.charAt(i + 1) == '[') {
                    int j = i + 2;
                    while (j < s.length() && !Character.isLetter(s.charAt(j))) {
                        j++;
                    }
                    String arg = s.substring(i + 2, j);
                    char cmd = s.charAt(j);
                    if (cmd == 'A') {
                        row = Math.max(0, row - (arg.isEmpty() ? 1 : Integer.parseInt(arg)));
                    } else if (cmd == 'J') {
                        StringBuilder r = rows.get(row);
                        if (r.length() > col) {
                            r.setLength(col);
                        }
                        while (rows.size() > row + 1) {
                            rows.remove(rows.size() - 1);
                        }
                    }
                    i = j;
                } else if (c == '\n') {
                    newline();
                } else if (c == '\r') {
                    col = 0;
                } else if (c == 0x07) {
                    // the bell
                } else {
                    if (col >= columns) {
                        wrapped++;
                        newline();
                    }
                    StringBuilder r = rows.get(row);
                    while (r.length() < col) {
                        r.append(' ');
                    }
                    if (r.length() == col) {
                        r.append(c);
                    } else {
                        r.setCharAt(col, c);
                    }
                    col++;
                }
            }
        }

        private void newline() {
            row++;
            col = 0;
            while (rows.size() <= row) {
                rows.add(new StringBuilder());
            }
        }

        int count(String text) {
            int n = 0;
            for (StringBuilder r : rows) {
                if (r.indexOf(text) >= 0) {
                    n++;
                }
            }
            return n;
        }

        @Override
        public String toString() {
            return String.join("\n", rows);
        }
    }
}
