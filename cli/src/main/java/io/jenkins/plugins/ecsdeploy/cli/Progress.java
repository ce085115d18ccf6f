package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentListener;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.RevisionNames;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import io.jenkins.plugins.ecsdeploy.engine.StageNames;
import io.jenkins.plugins.ecsdeploy.engine.StepProgress;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Shows a deployment's progress in one of three forms (docs/cli.md "Output forms"):
 * <ul>
 *   <li>{@link Mode#TTY}: the picture (plan step, stages with people's names and ECS's, the rollback path, weights,
 *       tasks, gates), redrawn in place with ANSI escapes, fitted to the terminal's real width ({@link TerminalWidth});
 *       colour and symbols per {@link Style};</li>
 *   <li>{@link Mode#PLAIN}: one line per change, for CI logs (no escapes, no symbols);</li>
 *   <li>{@link Mode#JSON}: one JSON object per event, one per line.</li>
 * </ul>
 * Events arrive on an engine pool thread, never under the watcher's lock (must not block): everything here only
 * formats and prints.
 */
public abstract class Progress implements DeploymentListener {
    public enum Mode { TTY, PLAIN, JSON }

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the terminal picture looks: ANSI colour, and symbols (✓ ▶ ↺) instead of ASCII marks. Both only on a terminal;
     * colour not with {@code NO_COLOR} (https://no-color.org: any non-empty value) or {@code TERM=dumb}; symbols only when
     * the locale says UTF-8 (LC_ALL, LC_CTYPE, LANG), else ASCII.
     */
    public record Style(boolean colour, boolean symbols) {
        public static final Style PLAIN = new Style(false, false);

        static Style of(Map<String, String> env, boolean tty) {
            if (!tty) {
                return PLAIN;
            }
            boolean dumb = "dumb".equals(env.get("TERM"));
            String noColor = env.get("NO_COLOR");
            boolean colour = !dumb && (noColor == null || noColor.isEmpty());
            String locale = firstSet(env, "LC_ALL", "LC_CTYPE", "LANG");
            boolean utf8 = locale != null && locale.toUpperCase(Locale.ROOT).replace("-", "").contains("UTF8");
            return new Style(colour, utf8 && !dumb);
        }

        private static String firstSet(Map<String, String> env, String... names) {
            for (String n : names) {
                String v = env.get(n);
                if (v != null && !v.isEmpty()) {
                    return v;
                }
            }
            return null;
        }

        String done() { return symbols ? "✓" : "+"; }
        String current() { return symbols ? "▶" : ">"; }
        String undone() { return symbols ? "↺" : "x"; }
        String back() { return symbols ? "⟲" : "<"; }
        String dot() { return symbols ? "·" : "-"; }
        String paint(String code, String text) { return colour ? "\u001b[" + code + "m" + text + "\u001b[0m" : text; }
    }

    static final String GREEN = "32";
    static final String YELLOW = "33";
    static final String MAGENTA = "35";
    static final String RED = "31";
    static final String BOLD = "1";
    static final String DIM = "2";

    protected final PrintWriter out;
    protected volatile DeploymentSnapshot last;
    /** A line the command wants shown with the progress (e.g. where to approve); null = none. */
    protected volatile String hint;

    protected Progress(PrintWriter out) {
        this.out = out;
    }

    /** The form for a fixed width, with colour and symbols on the terminal (tests, callers without a {@link Cli}). */
    public static Progress create(Mode mode, PrintWriter out, Clock clock, int width) {
        return create(mode, out, clock, () -> width, new Style(true, true));
    }

    /** The form for a run: the terminal's width as it is at each redraw, the style of {@link Style#of}. */
    static Progress create(Mode mode, PrintWriter out, Clock clock, Cli cli) {
        return create(mode, out, clock, cli.terminalWidth, Style.of(cli.env, cli.tty));
    }

    public static Progress create(Mode mode, PrintWriter out, Clock clock, IntSupplier width, Style style) {
        return switch (mode) {
            case TTY -> new Tty(out, clock, width, style);
            case PLAIN -> new Plain(out, clock);
            case JSON -> new JsonLines(out);
        };
    }

    public DeploymentSnapshot lastSnapshot() {
        return last;
    }

    /** A message for a person (plain/tty: printed as a line; json: a {"type":"Message"} object). */
    public abstract void message(String text);

    /**
     * Sets the hint for the gate that waits now (TTY: shown under the picture, wrapped, never cut, and gone once no gate
     * waits; others: printed once).
     */
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
        private final Clock clock;

        Plain(PrintWriter out, Clock clock) {
            super(out);
            this.clock = clock;
        }

        @Override
        public synchronized void onEvent(DeploymentEvent e, DeploymentSnapshot s) {
            last = s;
            // whole seconds: CI logs are read by people; the JSON form keeps the full precision
            // untrusted text (comments, user ids, images, ECS's reasons) cannot forge lines or drive the terminal
            out.println(e.at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "  "
                    + SafeText.line(plainLine(e, s, clock.instant()), MAX_LINE));
            out.flush();
        }

        @Override
        public synchronized void message(String text) {
            out.println(SafeText.line(text, MAX_LINE));
            out.flush();
        }
    }

    /**
     * One event for a log, step-aware: a stage with its people's name beside ECS's, a production traffic change or
     * the final bake with where the plan stands ("Canary 1/2 · 10 % · bake 5m 00s left · about 15 min to go").
     */
    static String plainLine(DeploymentEvent e, DeploymentSnapshot s, Instant now) {
        String text = e.describe();
        if (e instanceof DeploymentEvent.StageEntered se) {
            text = "stage " + StageNames.withEcsName(se.stage()) + " entered" + (isRollbackStage(s, se) ? " (rolling back)" : "");
            if ("BAKE_TIME".equals(se.stage()) && s.progress() != null) {
                text += " · " + s.progress().describe(e.at());
            }
        } else if (e instanceof DeploymentEvent.TrafficChanged && s.progress() != null && s.rollbackStartedAt() == null
                && s.trafficShiftedAt() != null && s.trafficShiftedAt().equals(e.at())) {
            text += " · " + s.progress().describe(e.at());
        } else if (e instanceof DeploymentEvent.RevisionsDescribed && s.revisionDescription() != null) {
            // people's names; the JSON form keeps every ARN and image
            text = "deploying " + s.revisionDescription() + (s.blue().revisionName() == null ? "" : ", replacing " + s.blue().revisionName());
        }
        return text;
    }

    private static boolean isRollbackStage(DeploymentSnapshot s, DeploymentEvent.StageEntered se) {
        List<DeploymentSnapshot.Stage> st = s.stages();
        return !st.isEmpty() && st.get(st.size() - 1).name().equals(se.stage()) && st.get(st.size() - 1).rollback();
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
            n.put("schemaVersion", DeploymentSnapshot.SCHEMA_VERSION);
            n.put("type", "Message");
            n.put("text", text);
            out.println(n.toString());
            out.flush();
        }
    }

    /**
     * An event as a JSON object: {"schemaVersion": 1, "type": simple name, "text": describe(), then every record
     * component}; times as in the snapshot (ISO-8601, at most milliseconds: docs/snapshot-schema.md).
     */
    static ObjectNode eventJson(DeploymentEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("schemaVersion", DeploymentSnapshot.SCHEMA_VERSION);
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
        } else if (v instanceof Instant i) {
            n.put(name, SnapshotJson.iso(i)); // milliseconds at most, as the schema promises
        } else if (v instanceof Outcome o) {
            ObjectNode on = n.putObject(name);
            on.put("kind", o.kind().name());
            on.put("cause", o.cause() == null ? null : o.cause().name());
            on.put("reason", o.reason());
            on.put("decidedBy", o.decidedBy());
            on.put("plainWords", o.plainWords());
        } else if (v instanceof Collection<?> c) {
            ArrayNode a = n.putArray(name);
            c.forEach(x -> {
                if (x instanceof Record) {
                    a.add(SnapshotJson.MAPPER.valueToTree(x));
                } else {
                    a.add(String.valueOf(x));
                }
            });
        } else if (v instanceof Map<?, ?> m) {
            ObjectNode o = n.putObject(name);
            m.forEach((k, x) -> o.put(String.valueOf(k), String.valueOf(x)));
        } else {
            n.put(name, v instanceof Enum<?> en ? en.name() : String.valueOf(v));
        }
    }

    // ------------------------------------------------------------------ terminal (redrawn in place)
    static final class Tty extends Progress {
        private final Clock clock;
        private final IntSupplier width;
        private final Style style;
        private int drawn;
        private final List<String> log = new ArrayList<>();
        private final java.util.concurrent.ScheduledExecutorService ticker;

        Tty(PrintWriter out, Clock clock, IntSupplier width, Style style) {
            super(out);
            this.clock = clock;
            this.width = width;
            this.style = style;
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
            if (e instanceof DeploymentEvent.GateAwaiting) {
                out.print('\u0007'); // the terminal's bell: a gate starts waiting for someone
            }
            redraw();
        }

        @Override
        public synchronized void message(String text) {
            erase();
            for (String l : wrap(SafeText.line(text, MAX_LINE), width())) {
                out.println(l);
            }
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

        private int width() {
            return Math.max(TerminalWidth.MIN, width.getAsInt());
        }

        private void erase() {
            if (drawn > 0) {
                // cursor up `drawn` lines, to column 1, clear to the end of the screen
                out.print("\u001b[" + drawn + "A\r\u001b[J");
            }
            drawn = 0;
        }

        private void redraw() {
            List<String> lines = render(last, clock.instant(), width(), hint, log, style);
            erase();
            for (String l : lines) {
                out.println(l);
            }
            out.flush();
            drawn = lines.size(); // every line fits the width (render), so each takes exactly one row
        }
    }

    /** Shown instead of a duration for a stage the deployment passed between two polls (snapshot {@code observed: false}). */
    static final String PASSED_UNSEEN = "passed (between polls)";

    /** The TTY picture without colour, ASCII marks (status, tests). */
    static List<String> render(DeploymentSnapshot s, Instant now, int width, String hint, List<String> log) {
        return render(s, now, width, hint, log, Style.PLAIN);
    }

    /**
     * The TTY picture: each line at most {@code width - 1} visible columns (a full-width line makes some terminals wrap
     * early), so nothing wraps and the redraw erases exactly what it drew. The hint is wrapped, never cut.
     */
    static List<String> render(DeploymentSnapshot s, Instant now, int width, String hint, List<String> log, Style style) {
        int w = Math.max(TerminalWidth.MIN, width) - 1;
        List<String> lines = new ArrayList<>();
        String dot = " " + style.dot() + " ";
        lines.add(style.paint(BOLD, cut(nz(s.service()) + " @ " + nz(s.cluster()) + dot + nz(s.strategy()) + dot
                + statusWords(s), w)));
        if (s.revisionDescription() != null) {
            lines.add(cut("revision " + s.revisionDescription(), w));
        }
        StepProgress p = s.progress();
        String step = p == null ? rollingLine(s) : p.describe(now);
        if (step != null) {
            lines.add(cut(step.replace(" · ", dot), w));
        }
        List<StageRow> rows = StageRow.of(s, now);
        String current = s.lifecycleStage();
        if (!rows.isEmpty()) {
            List<StageRow> forward = rows.stream().filter(r -> !r.rollback).toList();
            int idx = -1;
            for (int i = 0; i < forward.size(); i++) {
                if (forward.get(i).state == StageRow.State.CURRENT) {
                    idx = i;
                }
            }
            int total = Math.max(1, forward.size());
            int done = s.finished() ? total : Math.max(0, idx);
            int barWidth = Math.max(8, Math.min(20, w - 80));
            int filled = (int) Math.round(barWidth * (double) done / total);
            StageRow open = rows.stream().filter(r -> r.state == StageRow.State.CURRENT).findFirst().orElse(null);
            String where = s.finished() ? "finished" : open == null ? nz(current)
                    : (open.rollback ? "rolling back: " : "stage " + (idx + 1) + "/" + total + " ") + StageNames.withEcsName(open.name)
                    + (open.lastEntered != null ? dot + human(Duration.between(open.lastEntered, now)) + " in stage" : "");
            lines.add(cut("[" + "#".repeat(filled) + "-".repeat(barWidth - filled) + "] " + where, w));
            boolean headerShown = false;
            for (StageRow r : rows) {
                if (r.rollback && !headerShown) {
                    headerShown = true;
                    lines.add(style.paint(MAGENTA, cut(style.back() + " rollback" + (s.rollbackCause() == null ? ""
                            : " (" + s.rollbackCause().plainWords() + ")"), w)));
                }
                lines.add(stageLine(r, w, style));
            }
        }
        DeploymentSnapshot.Side b = s.blue(), g = s.green();
        boolean traffic = b.productionTrafficPercent() != null || g.productionTrafficPercent() != null
                || b.testTrafficPercent() != null || g.testTrafficPercent() != null;
        String[] labels = sideLabels(s);
        if (traffic) {
            lines.add(cut("traffic  production blue " + pct(b.productionTrafficPercent()) + dot + "green "
                    + pct(g.productionTrafficPercent()) + "   test blue " + pct(b.testTrafficPercent()) + dot
                    + "green " + pct(g.testTrafficPercent()), w));
        }
        lines.add(cut("tasks    " + labels[0] + " " + tasks(b) + dot + labels[1] + " " + tasks(g), w));
        if (!s.alarmNames().isEmpty()) {
            lines.add(cut("alarms   " + String.join(", ", s.alarmNames())
                    + (s.triggeredAlarms().isEmpty() ? "  (none in ALARM)" : "  IN ALARM: " + String.join(", ", s.triggeredAlarms())), w));
        }
        for (DeploymentSnapshot.Hook h : s.hooks()) {
            if (!"PAUSE".equals(h.targetType())) {
                lines.add(cut("hook     " + StageNames.human(h.stage()) + " " + nz(h.targetArn()) + " " + nz(h.status()), w));
            }
        }
        for (DeploymentSnapshot.GateState gs : s.gates()) {
            String line = cut(("gate     " + StageNames.withEcsName(gs.stage()) + ": " + gateWords(gs, now)).replace(" · ", dot), w);
            lines.add("AWAITING_ACTION".equals(gs.state()) ? style.paint(YELLOW, line) : line);
        }
        for (String l : log) {
            lines.add(cut("  " + l, w));
        }
        if (hint != null && !s.finished() && !s.awaitingGates().isEmpty()) {
            for (String l : wrap(SafeText.line(hint, MAX_LINE), w + 1)) {
                lines.add(style.paint(YELLOW, l));
            }
        }
        return lines;
    }

    /** One stage line: mark, time, people's name, ECS's name, and what else is true of it. */
    private static String stageLine(StageRow r, int w, Style style) {
        String mark;
        String colour;
        String time = "";
        String extra = "";
        switch (r.state) {
            case CURRENT -> { mark = style.current(); colour = r.rollback ? MAGENTA : YELLOW; time = human(r.total); }
            case DONE -> { mark = r.rollback ? style.back() : r.undone ? style.undone() : style.done();
                colour = r.rollback || r.undone ? MAGENTA : GREEN; time = human(r.total); }
            case PASSED -> { mark = r.undone ? style.undone() : style.done(); colour = r.undone ? MAGENTA : GREEN; extra = PASSED_UNSEEN; }
            case NOT_RUN -> { mark = " "; colour = DIM; extra = "not run"; }
            case NOT_SEEN -> { mark = "?"; colour = DIM; extra = "not seen"; }
            case NOT_REACHED -> { mark = " "; colour = DIM; extra = "not reached"; }
            default -> { mark = " "; colour = null; }
        }
        if (r.undone) {
            extra = extra.isEmpty() ? "undone" : extra + ", undone";
        }
        if (r.visits > 1) {
            extra = (extra.isEmpty() ? "" : extra + ", ") + r.visits + " visits";
        }
        String text = String.format("%7s  %-27s%s", time, StageNames.human(r.name), r.name)
                + (extra.isEmpty() ? "" : "  (" + extra + ")");
        String rest = cut(text, w - 2);
        return (colour == null ? mark : style.paint(colour, mark)) + " " + rest;
    }

    /** "blue (old)"/"green (new)", and who serves production once it moved: "green (live)", "blue (previous)". */
    static String[] sideLabels(DeploymentSnapshot s) {
        Outcome o = s.outcome();
        if (o != null && o.succeeded()) {
            return new String[] {"blue (previous)", "green (live)"};
        }
        if (s.rollbackStartedAt() != null || o != null) {
            return new String[] {"blue (live again)", "green (rolled back)"};
        }
        Double gp = s.green().productionTrafficPercent();
        if (gp != null && gp >= 100.0) {
            return new String[] {"blue (kept ready)", "green (live)"};
        }
        return new String[] {"blue (current)", "green (new)"};
    }

    /** ROLLING has no traffic steps: how far the replacement is, by task counts. */
    private static String rollingLine(DeploymentSnapshot s) {
        if (!"ROLLING".equals(s.strategy()) || s.finished()) {
            return null;
        }
        DeploymentSnapshot.Side g = s.green();
        if (g.requestedTasks() == null) {
            return "Rolling update";
        }
        return "Rolling update · " + (g.runningTasks() == null ? 0 : g.runningTasks()) + " of " + g.requestedTasks()
                + " new tasks running" + (s.blue().runningTasks() == null ? "" : " · " + s.blue().runningTasks() + " old still running");
    }

    private static String statusWords(DeploymentSnapshot s) {
        if (s.outcome() != null) {
            return s.outcome().kind().name();
        }
        if (!s.awaitingGates().isEmpty()) {
            return "WAITING FOR A DECISION";
        }
        if (s.rollbackStartedAt() != null) {
            return "ROLLING BACK";
        }
        return nz(s.status());
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** A gate in words: "waiting · rolls back at 14:32 UTC if nobody decides (in 58m 10s)"; "approved by alice". */
    static String gateWords(DeploymentSnapshot.GateState g, Instant now) {
        return switch (g.state()) {
            case "AWAITING_ACTION" -> "waiting" + (g.expiresAt() == null ? ""
                    : " · " + ("CONTINUE".equals(g.timeoutAction()) ? "continues" : "ROLLBACK".equals(g.timeoutAction())
                    ? "rolls back" : "times out") + " at "
                    + CLOCK.format(g.expiresAt()) + " UTC if nobody decides (in " + human(Duration.between(now, g.expiresAt())) + ")");
            case "CONTINUED" -> "approved" + (g.decidedBy() == null ? " (outside this run)" : " by " + g.decidedBy());
            case "ROLLED_BACK" -> "rolled back" + (g.decidedBy() == null ? "" : " by " + g.decidedBy());
            case "TIMED_OUT" -> "timed out: nobody decided";
            default -> nz(g.state());
        } + (g.comment() == null || g.comment().isBlank() || "AWAITING_ACTION".equals(g.state()) ? "" : ": " + g.comment());
    }

    /** Lines of at most {@code width - 1} columns, broken at spaces (a longer word is split): a hint is never cut. */
    static List<String> wrap(String text, int width) {
        int w = Math.max(20, width - 1);
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            while (word.length() > w) {
                if (line.length() > 0) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                out.add(word.substring(0, w));
                word = word.substring(w);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > w) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            out.add(line.toString());
        }
        return out;
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

    /**
     * The end-of-run summary: the revision, every stage visit with its offset and duration (a canary/linear step or a
     * rollback's re-run of a stage is a visit of its own; a stage passed between two polls has neither), each stage's
     * total over its visits, the gates, the total and the outcome.
     */
    public static List<String> summary(DeploymentSnapshot s) {
        List<String> lines = new ArrayList<>();
        lines.add("Summary of " + nz(s.deploymentArn()));
        lines.add("  strategy " + nz(s.strategy()) + ", service " + nz(s.service()) + " in " + nz(s.cluster()));
        if (s.revisionDescription() != null) {
            lines.add("  revision " + s.revisionDescription()
                    + (s.blue().revisionName() == null ? "" : ", before: " + s.blue().revisionName()));
        }
        Instant start = start(s);
        lines.add("  timeline:");
        if (s.stages().isEmpty()) {
            lines.add("    (ECS reported no lifecycle stages" + ("ROLLING".equals(s.strategy()) ? " for this rolling update)" : ")"));
        }
        boolean rollbackShown = false;
        for (DeploymentSnapshot.Stage st : s.stages()) {
            if (st.rollback() && !rollbackShown) {
                rollbackShown = true;
                lines.add("    rollback" + (s.rollbackCause() == null ? "" : " (" + s.rollbackCause().plainWords() + ")") + ":");
            }
            String name = pad(st.name(), 31) + pad(StageNames.human(st.name()), 28);
            if (!st.observed()) {
                // passed between two polls: its timestamps are when the later stage was seen, so no offset, no duration
                lines.add("    " + pad("", 10) + name + PASSED_UNSEEN);
                continue;
            }
            String at = start != null && st.enteredAt() != null ? "+" + human(Duration.between(start, st.enteredAt())) : "";
            String dur = st.enteredAt() != null && st.leftAt() != null ? human(Duration.between(st.enteredAt(), st.leftAt())) : "(open)";
            lines.add("    " + pad(at, 10) + name + dur);
        }
        List<StageRow> repeated = StageRow.of(s, s.finishedAt() != null ? s.finishedAt() : s.updatedAt()).stream()
                .filter(r -> r.visits > 1).toList();
        if (!repeated.isEmpty()) {
            List<String> t = new ArrayList<>();
            repeated.forEach(r -> t.add(r.name + (r.rollback ? " (rollback)" : "") + " " + human(r.total) + " in " + r.visits + " visits"));
            lines.add("  stages entered more than once: " + String.join("; ", t));
        }
        for (DeploymentSnapshot.GateState g : s.gates()) {
            lines.add("  gate at " + g.stage() + ": " + g.state() + (g.decidedBy() == null ? "" : " by " + g.decidedBy())
                    + (g.comment() == null || g.comment().isBlank() ? "" : " (\"" + g.comment() + "\")")
                    + (g.awaitingSince() != null && g.decidedAt() != null
                    ? " after " + human(Duration.between(g.awaitingSince(), g.decidedAt())) : ""));
        }
        for (io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisRun a : s.analyses()) { // docs/analysis.md
            lines.add("  analysis at " + a.stage() + ": " + (a.verdict() == null ? "measuring" : a.verdict())
                    + (a.action() == null ? "" : (a.dryRun() ? ", would have " : ", ") + a.action())
                    + " after " + a.measurements().size() + "/" + a.measurementsPlanned() + " measurement(s)"
                    + (a.reason() == null ? "" : ": " + a.reason()));
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

    /**
     * When the deployment began: ECS's createdAt, else the first stage seen. A deployment followed from elsewhere
     * ({@code status --watch}) has its ECS createdAt, so its total is its real elapsed time, not the time watched.
     */
    static Instant start(DeploymentSnapshot s) {
        if (s.createdAt() != null) {
            return s.createdAt();
        }
        for (DeploymentSnapshot.Stage st : s.stages()) {
            if (st.enteredAt() != null) {
                return st.enteredAt();
            }
        }
        return null;
    }

    /**
     * A stage as the picture shows it: its forward visits summed (a canary/linear step, a stage re-entered) — or, for
     * the rollback path, its visits during the rollback — its state, and whether a rollback undid it.
     */
    static final class StageRow {
        enum State { DONE, CURRENT, PASSED, NOT_RUN, NOT_SEEN, NOT_REACHED, UPCOMING }

        final String name;
        final boolean rollback;
        State state;
        boolean undone;
        int visits;
        Duration total = Duration.ZERO;
        Instant lastEntered;

        StageRow(String name, boolean rollback) {
            this.name = name;
            this.rollback = rollback;
        }

        /** Forward stages in the strategy's order (plus any other seen), then the rollback's stages in the order run. */
        static List<StageRow> of(DeploymentSnapshot s, Instant now) {
            List<String> names = new ArrayList<>(s.expectedStages());
            for (DeploymentSnapshot.Stage st : s.stages()) {
                if (!st.rollback() && !names.contains(st.name())) {
                    names.add(st.name());
                }
            }
            boolean turned = s.rollbackStartedAt() != null || (s.outcome() != null && !s.outcome().succeeded());
            List<StageRow> forward = new ArrayList<>();
            List<StageRow> back = new ArrayList<>();
            for (String n : names) {
                forward.add(new StageRow(n, false));
            }
            String current = s.lifecycleStage();
            DeploymentSnapshot.Stage lastStage = s.stages().isEmpty() ? null : s.stages().get(s.stages().size() - 1);
            for (DeploymentSnapshot.Stage st : s.stages()) {
                StageRow r;
                if (st.rollback()) {
                    r = back.isEmpty() || !back.get(back.size() - 1).name.equals(st.name()) ? null : back.get(back.size() - 1);
                    if (r == null) {
                        r = back.stream().filter(x -> x.name.equals(st.name())).findFirst().orElse(null);
                    }
                    if (r == null) {
                        r = new StageRow(st.name(), true);
                        back.add(r);
                    }
                } else {
                    r = forward.get(names.indexOf(st.name()));
                }
                r.visits++;
                if (st.observed()) {
                    if (st.enteredAt() != null) {
                        r.total = r.total.plus(Duration.between(st.enteredAt(), st.leftAt() != null ? st.leftAt() : now));
                        r.lastEntered = st.enteredAt();
                    }
                    r.state = State.DONE;
                } else if (r.state == null) {
                    r.state = State.PASSED;
                }
                if (st == lastStage && st.leftAt() == null && !s.finished() && st.name().equals(current)) {
                    r.state = State.CURRENT;
                }
            }
            int furthest = -1;
            for (int i = 0; i < forward.size(); i++) {
                if (forward.get(i).state != null) {
                    furthest = i;
                }
            }
            boolean finished = s.finished();
            for (int i = 0; i < forward.size(); i++) {
                StageRow r = forward.get(i);
                if (r.state == null) {
                    if (i < furthest) {
                        r.state = "RECONCILE_SERVICE".equals(r.name) ? State.NOT_RUN : State.NOT_SEEN;
                    } else {
                        r.state = finished || turned ? State.NOT_REACHED : State.UPCOMING;
                    }
                } else if (turned && r.state != State.CURRENT) {
                    r.undone = true; // forward progress the rollback took back
                }
            }
            List<StageRow> all = new ArrayList<>(forward);
            all.addAll(back);
            return all;
        }
    }
}
