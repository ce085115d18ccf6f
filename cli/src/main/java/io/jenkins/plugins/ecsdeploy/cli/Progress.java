package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Shows a deployment's progress in one of three forms (docs/cli.md "Output"):
 * <ul>
 *   <li>{@link Mode#TTY}: the current stage with a bar, the stage list, weights and task counts, redrawn in place
 *       with ANSI escapes (only when {@code System.console() != null});</li>
 *   <li>{@link Mode#PLAIN}: one line per change, for CI logs;</li>
 *   <li>{@link Mode#JSON}: one JSON object per event, one per line.</li>
 * </ul>
 * Events arrive on an engine pool thread, never under the watcher's lock (must not block): everything here only
 * formats and prints.
 */
public abstract class Progress implements DeploymentListener {
    public enum Mode { TTY, PLAIN, JSON }

    static final ObjectMapper JSON = new ObjectMapper();

    protected final PrintWriter out;
    protected volatile DeploymentSnapshot last;
    /** A line the command wants shown with the progress (e.g. where to approve); null = none. */
    protected volatile String hint;

    protected Progress(PrintWriter out) {
        this.out = out;
    }

    public static Progress create(Mode mode, PrintWriter out, Clock clock, int width) {
        return switch (mode) {
            case TTY -> new Tty(out, clock, width);
            case PLAIN -> new Plain(out);
            case JSON -> new JsonLines(out);
        };
    }

    public DeploymentSnapshot lastSnapshot() {
        return last;
    }

    /** A message for a person (plain/tty: printed as a line; json: a {"type":"Message"} object). */
    public abstract void message(String text);

    /** Sets the hint line (TTY keeps it under the progress; others print it once). */
    public void hint(String text) {
        this.hint = text;
        message(text);
    }

    /** Stops any redraw timer; prints nothing. */
    public void close() {}

    /** The terminal echoed a line the user typed (TTY: one more line to clear on the next redraw). */
    public void inputLineEchoed() {}

    // ------------------------------------------------------------------ plain lines (CI logs)
    static final class Plain extends Progress {
        Plain(PrintWriter out) {
            super(out);
        }

        @Override
        public synchronized void onEvent(DeploymentEvent e, DeploymentSnapshot s) {
            last = s;
            // whole seconds: CI logs are read by people; the JSON form keeps the full precision
            // untrusted text (comments, user ids, images, ECS's reasons) cannot forge lines or drive the terminal
            out.println(e.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "  " + SafeText.line(e.describe(), MAX_LINE));
            out.flush();
        }

        @Override
        public synchronized void message(String text) {
            out.println(SafeText.line(text, MAX_LINE));
            out.flush();
        }
    }

    // ------------------------------------------------------------------ JSON lines
    static final class JsonLines extends Progress {
        JsonLines(PrintWriter out) {
            super(out);
        }

        @Override
        public synchronized void onEvent(DeploymentEvent e, DeploymentSnapshot s) {
            last = s;
            ObjectNode n = eventJson(e);
            n.put("deploymentArn", s.deploymentArn());
            n.put("lifecycleStage", s.lifecycleStage());
            n.put("status", s.status());
            out.println(n.toString());
            out.flush();
        }

        @Override
        public synchronized void message(String text) {
            ObjectNode n = JSON.createObjectNode();
            n.put("type", "Message");
            n.put("text", text);
            out.println(n.toString());
            out.flush();
        }
    }

    /** An event as a JSON object: {"type": simple name, "text": describe(), then every record component}. */
    static ObjectNode eventJson(DeploymentEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", e.getClass().getSimpleName());
        n.put("text", e.describe());
        if (e.getClass().isRecord()) {
            for (RecordComponent c : e.getClass().getRecordComponents()) {
                try {
                    put(n, c.getName(), c.getAccessor().invoke(e));
                } catch (ReflectiveOperationException ex) {
                    n.put(c.getName(), String.valueOf(ex));
                }
            }
        }
        return n;
    }

    private static void put(ObjectNode n, String name, Object v) {
        if (v == null) {
            n.putNull(name);
        } else if (v instanceof Number num) {
            if (v instanceof Double || v instanceof Float) {
                n.put(name, num.doubleValue());
            } else {
                n.put(name, num.longValue());
            }
        } else if (v instanceof Boolean b) {
            n.put(name, b);
        } else if (v instanceof Outcome o) {
            ObjectNode on = n.putObject(name);
            on.put("kind", o.kind().name());
            on.put("cause", o.cause() == null ? null : o.cause().name());
            on.put("reason", o.reason());
            on.put("decidedBy", o.decidedBy());
        } else if (v instanceof Collection<?> c) {
            ArrayNode a = n.putArray(name);
            c.forEach(x -> a.add(String.valueOf(x)));
        } else if (v instanceof Map<?, ?> m) {
            ObjectNode o = n.putObject(name);
            m.forEach((k, x) -> o.put(String.valueOf(k), String.valueOf(x)));
        } else {
            n.put(name, v instanceof Enum<?> en ? en.name() : String.valueOf(v)); // Instant.toString() is ISO-8601
        }
    }

    // ------------------------------------------------------------------ terminal (redrawn in place)
    static final class Tty extends Progress {
        private final Clock clock;
        private final int width;
        private int drawn;
        private final List<String> log = new ArrayList<>();
        private final java.util.concurrent.ScheduledExecutorService ticker;

        Tty(PrintWriter out, Clock clock, int width) {
            super(out);
            this.clock = clock;
            this.width = Math.max(40, width);
            // Redraw once a second so "time in stage" moves between events (a display timer, not engine waiting).
            this.ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ecs-deploy-tty");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }

        private synchronized void tick() {
            if (last != null && !last.finished()) {
                redraw();
            }
        }

        @Override
        public synchronized void onEvent(DeploymentEvent e, DeploymentSnapshot s) {
            last = s;
            log.add(e.describe());
            while (log.size() > 3) {
                log.remove(0);
            }
            redraw();
        }

        @Override
        public synchronized void message(String text) {
            erase();
            out.println(SafeText.line(text, MAX_LINE));
            out.flush();
            if (last != null) {
                redraw();
            }
        }

        @Override
        public void hint(String text) {
            this.hint = text;
            synchronized (this) {
                if (last != null) {
                    redraw();
                } else {
                    message(text);
                }
            }
        }

        @Override
        public synchronized void close() {
            ticker.shutdownNow();
            if (last != null) {
                redraw();
            }
            drawn = 0; // leave the last picture on screen
        }

        @Override
        public synchronized void inputLineEchoed() {
            if (drawn > 0) {
                drawn++;
            }
        }

        private void erase() {
            if (drawn > 0) {
                // cursor up `drawn` lines, to column 1, clear to the end of the screen
                out.print("\u001b[" + drawn + "A\r\u001b[J");
            }
            drawn = 0;
        }

        private void redraw() {
            List<String> lines = render(last, clock.instant(), width, hint, log);
            erase();
            for (String l : lines) {
                out.println(l);
            }
            out.flush();
            drawn = lines.size();
        }
    }

    /** Shown instead of a duration for a stage the deployment passed between two polls (snapshot {@code observed: false}). */
    static final String PASSED_UNSEEN = "passed (between polls)";

    /** The TTY picture as plain lines (no escapes; each cut to {@code width} so none wraps). */
    static List<String> render(DeploymentSnapshot s, Instant now, int width, String hint, List<String> log) {
        List<String> lines = new ArrayList<>();
        String bold = "\u001b[1m", reset = "\u001b[0m";
        lines.add(bold + cut((s.service() == null ? "" : s.service()) + " @ " + (s.cluster() == null ? "" : s.cluster())
                + "  " + nz(s.strategy()) + "  " + nz(s.status()), width - 8) + reset);
        List<String> stages = new ArrayList<>(s.expectedStages());
        for (DeploymentSnapshot.Stage st : s.stages()) {
            if (!stages.contains(st.name())) {
                stages.add(st.name());
            }
        }
        String current = s.lifecycleStage();
        int idx = current == null ? -1 : stages.indexOf(current);
        int total = Math.max(1, stages.size());
        int done = s.finished() ? total : Math.max(0, idx);
        int barWidth = Math.min(30, Math.max(10, width - 50));
        int filled = (int) Math.round(barWidth * (double) done / total);
        DeploymentSnapshot.Stage open = null;
        for (DeploymentSnapshot.Stage st : s.stages()) {
            if (st.name().equals(current)) {
                open = st;
            }
        }
        String inStage = open != null && open.enteredAt() != null && !s.finished()
                ? "  " + human(Duration.between(open.enteredAt(), now)) + " in stage" : "";
        lines.add(cut("[" + "#".repeat(filled) + "-".repeat(barWidth - filled) + "] "
                + (s.finished() ? "finished" : "stage " + (idx + 1) + "/" + total + " " + nz(current)) + inStage, width));
        for (String name : stages) {
            // a stage can be visited more than once (each canary/linear step): show the total time spent in it
            // Visits with observed == false passed between two polls: no poll saw them, so their enteredAt/leftAt are
            // the time the later stage was seen, not a duration (docs/snapshot-schema.md "stages"). They count as
            // passed but add no time; a stage only ever passed unseen shows PASSED_UNSEEN instead of "0s".
            boolean seen = false;
            boolean observed = false;
            Duration spent = Duration.ZERO;
            for (DeploymentSnapshot.Stage st : s.stages()) {
                if (st.name().equals(name)) {
                    seen = true;
                    if (st.observed()) {
                        observed = true;
                        if (st.enteredAt() != null) {
                            spent = spent.plus(Duration.between(st.enteredAt(), st.leftAt() != null ? st.leftAt() : now));
                        }
                    }
                }
            }
            String mark;
            String time = "";
            if (name.equals(current) && !s.finished()) {
                mark = " > ";
                time = human(spent);
            } else if (seen) {
                mark = " + ";
                time = observed ? human(spent) : PASSED_UNSEEN;
            } else {
                mark = "   ";
            }
            lines.add(cut(mark + pad(name, 31) + time, width));
        }
        DeploymentSnapshot.Side b = s.blue(), g = s.green();
        lines.add(cut("traffic  production blue " + pct(b.productionTrafficPercent()) + " / green "
                + pct(g.productionTrafficPercent()) + "   test blue " + pct(b.testTrafficPercent()) + " / green "
                + pct(g.testTrafficPercent()), width));
        lines.add(cut("tasks    blue " + tasks(b) + "   green " + tasks(g), width));
        if (!s.alarmNames().isEmpty()) {
            lines.add(cut("alarms   " + String.join(", ", s.alarmNames())
                    + (s.triggeredAlarms().isEmpty() ? "  (none in ALARM)" : "  IN ALARM: " + String.join(", ", s.triggeredAlarms())), width));
        }
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            if (!"PAUSE".equals(h.targetType())) {
                lines.add(cut("hook     " + nz(h.stage()) + " " + nz(h.targetArn()) + " " + nz(h.status()), width));
            }
        }
        for (DeploymentSnapshot.GateState gs : s.gates()) {
            lines.add(cut("gate     " + gs.stage() + " " + gs.state() + (gs.decidedBy() == null ? "" : " by " + gs.decidedBy())
                    + ("AWAITING_ACTION".equals(gs.state()) && gs.expiresAt() != null
                    ? " (times out in " + human(Duration.between(now, gs.expiresAt())) + ")" : ""), width));
        }
        for (String l : log) {
            lines.add(cut("  " + l, width));
        }
        if (hint != null && !s.finished()) {
            lines.add(cut(hint, width));
        }
        return lines;
    }

    static String tasks(DeploymentSnapshot.Side s) {
        if (s.requestedTasks() == null && s.runningTasks() == null) {
            return "-";
        }
        return (s.runningTasks() == null ? "?" : s.runningTasks()) + "/" + (s.requestedTasks() == null ? "?" : s.requestedTasks())
                + " running" + (s.pendingTasks() != null && s.pendingTasks() > 0 ? " (" + s.pendingTasks() + " pending)" : "");
    }

    static String pct(Double d) {
        if (d == null) {
            return "-";
        }
        return (d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(Math.round(d * 10) / 10.0)) + "%";
    }

    static String human(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long s = d.getSeconds();
        if (s >= 3600) {
            return s / 3600 + "h " + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m " + String.format("%02d", s % 60) + "s";
        }
        return s + "s";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s + " " : s + " ".repeat(n - s.length());
    }

    /** Longest line printed in the plain and terminal forms (a longer event or message is shortened, saying so). */
    static final int MAX_LINE = 2000;

    /**
     * Shows control and invisible characters of untrusted strings as visible escapes ({@link SafeText}: no ANSI
     * injection, no forged lines) and cuts to the width.
     */
    static String cut(String s, int width) {
        String clean = SafeText.line(s, Math.max(width, MAX_LINE));
        return clean.length() <= width ? clean : clean.substring(0, Math.max(0, width - 1)) + "~";
    }

    /** The end-of-run summary: the timeline with durations, the gates and the outcome. */
    public static List<String> summary(DeploymentSnapshot s) {
        List<String> lines = new ArrayList<>();
        lines.add("Summary of " + nz(s.deploymentArn()));
        lines.add("  strategy " + nz(s.strategy()) + ", service " + nz(s.service()) + " in " + nz(s.cluster()));
        Instant start = s.createdAt() != null ? s.createdAt()
                : (s.stages().isEmpty() ? null : s.stages().get(0).enteredAt());
        lines.add("  timeline:");
        if (s.stages().isEmpty()) {
            lines.add("    (ECS reported no lifecycle stages" + ("ROLLING".equals(s.strategy()) ? " for this rolling update)" : ")"));
        }
        for (DeploymentSnapshot.Stage st : s.stages()) {
            if (!st.observed()) {
                // passed between two polls: its timestamps are when the later stage was seen, so no offset, no duration
                lines.add("    " + pad("", 10) + pad(st.name(), 31) + PASSED_UNSEEN);
                continue;
            }
            String at = start != null && st.enteredAt() != null ? "+" + human(Duration.between(start, st.enteredAt())) : "";
            String dur = st.enteredAt() != null && st.leftAt() != null ? human(Duration.between(st.enteredAt(), st.leftAt())) : "(open)";
            lines.add("    " + pad(at, 10) + pad(st.name(), 31) + dur);
        }
        for (DeploymentSnapshot.GateState g : s.gates()) {
            lines.add("  gate at " + g.stage() + ": " + g.state() + (g.decidedBy() == null ? "" : " by " + g.decidedBy())
                    + (g.comment() == null || g.comment().isBlank() ? "" : " (\"" + g.comment() + "\")")
                    + (g.awaitingSince() != null && g.decidedAt() != null
                    ? " after " + human(Duration.between(g.awaitingSince(), g.decidedAt())) : ""));
        }
        if (start != null && s.finishedAt() != null) {
            lines.add("  total " + human(Duration.between(start, s.finishedAt())) + " (deployment clock)");
        }
        lines.add("  outcome: " + (s.outcome() == null ? "still running" : s.outcome().describe()
                + (s.outcome().decidedBy() != null && (s.outcome().reason() == null || !s.outcome().reason().contains(s.outcome().decidedBy()))
                ? " (by " + s.outcome().decidedBy() + ")" : "")));
        List<String> clean = new ArrayList<>();
        lines.forEach(l -> clean.add(cut(l, 10_000)));
        return clean;
    }
}
