package io.jenkins.plugins.ecsdeploy.engine.analysis;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.AnalysisValue;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.GateDecision;
import io.jenkins.plugins.ecsdeploy.engine.GateHandler;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.PendingGate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;

/**
 * The analysis of one gate (one hookId) while ECS holds it: measurement k covers the window ending at the k-th interval
 * after the first whole minute of the gate, is queried {@code delaySeconds} after it closes (a task on the engine's
 * scheduler: no thread waits), and is judged metric by metric; the gate then continues, rolls back, or goes to a person
 * (docs/analysis.md "How a gate is judged").
 */
final class GateAnalysis {
    static final String BY = "analysis";
    private static final Pattern WORD = Pattern.compile("\\b([a-z][a-zA-Z0-9_]*)\\b(?!\\s*\\()");

    private final Analyses owner;
    private final AnalysisDefinition def;
    private final PendingGate gate;
    private final List<GateHandler> humans = new CopyOnWriteArrayList<>();
    private Instant origin;
    private volatile TargetGroups targetGroups;
    private volatile String targetGroupProblem;
    private int index;
    private int failures;
    private int inconclusives;
    private volatile boolean over;
    /** What the analysis concluded (null while measuring). */
    volatile String action;
    volatile DeploymentSnapshot lastSnapshot;

    GateAnalysis(Analyses owner, AnalysisDefinition def, PendingGate gate, GateHandler human) {
        this.owner = owner;
        this.def = def;
        this.gate = gate;
        this.lastSnapshot = gate.snapshot();
        addHuman(human);
    }

    void addHuman(GateHandler h) {
        if (h != null) {
            humans.add(h);
        }
    }

    List<GateHandler> humans() {
        return humans;
    }

    PendingGate gate() {
        return gate;
    }

    void start() {
        Instant now = owner.scheduler().clock().instant();
        // whole minutes: every deployment that measures in the same minute shares its GetMetricData calls. Counted from
        // when ECS opened the hook, not from when the engine saw it: the hook's timeout was sized for these windows
        // (AnalysisDefinition.measuringMinutes), so a late observation (a slow poll, a re-attach) reads windows that
        // are already over at once instead of pushing the last one past the hook's expiry (docs/analysis.md "Windows").
        Instant opened = openedAt(now);
        origin = Instant.ofEpochMilli(Math.floorDiv(opened.toEpochMilli() + 59_999, 60_000) * 60_000);
        if (!emit(new DeploymentEvent.AnalysisStarted(now, gate.stage(), gate.hookId(), def.name(), def.measurements(),
                def.intervalSeconds(), def.dryRun()))) {
            return;
        }
        DeploymentSnapshot.Side g = gate.snapshot().green();
        if (g.productionTrafficPercent() != null && g.testTrafficPercent() != null
                && g.productionTrafficPercent() == 0.0 && g.testTrafficPercent() == 0.0) {
            // nothing on green to compare: judged at the next gate, after the shift that follows
            conclude("SKIPPED", HookAction.CONTINUE.name(),
                    "not measured: green serves no traffic at this gate (production and test weight 0 %)");
            return;
        }
        owner.io().execute(() -> {
            try {
                targetGroups = owner.resolver().resolve(gate.snapshot());
            } catch (RuntimeException e) {
                targetGroupProblem = "target groups unknown: " + e.getMessage();
            }
            scheduleNext();
        });
    }

    /**
     * When ECS opened the hook: its expiry less the timeout the engine gave it ({@link AnalysisDefinition#gateTimeoutMinutes},
     * DeploymentRequest.pauseGates); {@code now} when the expiry is unknown or does not fit.
     */
    private Instant openedAt(Instant now) {
        if (gate.expiresAt() == null) {
            return now;
        }
        Instant opened = gate.expiresAt().minus(Duration.ofMinutes(def.gateTimeoutMinutes()));
        return opened.isAfter(now) ? now : opened;
    }

    private void scheduleNext() {
        int k = ++index;
        Instant end = origin.plusSeconds((long) k * def.intervalSeconds());
        Duration wait = Duration.between(owner.scheduler().clock().instant(), end.plusSeconds(def.delaySeconds()));
        owner.scheduler().schedule(wait.isNegative() ? Duration.ZERO : wait, () -> measure(k, end));
    }

    // ------------------------------------------------------------------ one measurement

    private enum Kind { VALUE, SAMPLES }

    private record Slot(int metric, String side, Kind kind) {}

    /** The values that came back, per metric and side; filled by the units' callbacks. */
    private final class Pending {
        final int k;
        final Instant start;
        final Instant end;
        final Map<String, Slot> slots = new HashMap<>();
        final Map<Slot, Double> values = new HashMap<>();
        final List<String> problems = new ArrayList<>();
        int units;

        Pending(int k, Instant start, Instant end) {
            this.k = k;
            this.start = start;
            this.end = end;
        }

        synchronized void done(Map<String, List<Double>> got) {
            for (Map.Entry<String, List<Double>> e : got.entrySet()) {
                Slot s = slots.get(e.getKey());
                if (s != null && !e.getValue().isEmpty()) {
                    values.put(s, s.kind() == Kind.SAMPLES
                            ? e.getValue().stream().mapToDouble(Double::doubleValue).sum() : e.getValue().get(0));
                }
            }
            if (--units == 0) {
                judge(this);
            }
        }

        synchronized void failed(String why) {
            problems.add(why);
            if (--units == 0) {
                judge(this);
            }
        }
    }

    private void measure(int k, Instant end) {
        if (over) {
            return;
        }
        if (targetGroups == null) {
            Pending p = new Pending(k, end.minusSeconds(def.intervalSeconds()), end);
            p.problems.add(targetGroupProblem == null ? "target groups unknown" : targetGroupProblem);
            judge(p);
            return;
        }
        // one unit per window length (metrics may have their own period); each window ends at the same instant
        Map<Integer, List<Integer>> byPeriod = new LinkedHashMap<>();
        for (int i = 0; i < def.metrics().size(); i++) {
            byPeriod.computeIfAbsent(periodOf(def.metrics().get(i)), x -> new ArrayList<>()).add(i);
        }
        int longest = byPeriod.keySet().stream().mapToInt(Integer::intValue).max().orElse(def.intervalSeconds());
        Pending p = new Pending(k, end.minusSeconds(longest), end);
        List<Runnable> submits = new ArrayList<>();
        synchronized (p) {
            for (Map.Entry<Integer, List<Integer>> e : byPeriod.entrySet()) {
                int period = e.getKey();
                List<MetricDataQuery> qs = new ArrayList<>();
                for (int i : e.getValue()) {
                    for (String side : List.of("green", "blue")) {
                        queries(i, side, period, qs, p.slots);
                    }
                }
                p.units++;
                Instant start = end.minusSeconds(period);
                MetricBatcher.Unit u = new MetricBatcher.Unit(qs, p::done, p::failed);
                Instant due = end.plusSeconds(def.delaySeconds());
                submits.add(() -> owner.batcher().submit(start, end, due, u));
            }
        }
        submits.forEach(Runnable::run);
    }

    private int periodOf(AnalysisMetric m) {
        MetricQuery q = m.isMath() ? (m.inputs().isEmpty() ? null : m.inputs().values().iterator().next()) : m.query();
        return q != null && q.periodSeconds() != null ? q.periodSeconds() : def.intervalSeconds();
    }

    private void queries(int i, String side, int period, List<MetricDataQuery> out, Map<String, Slot> slots) {
        AnalysisMetric m = def.metrics().get(i);
        String valueId = owner.batcher().nextId();
        if (m.isMath()) {
            Map<String, String> ids = new HashMap<>();
            for (Map.Entry<String, MetricQuery> in : m.inputs().entrySet()) {
                String id = owner.batcher().nextId();
                ids.put(in.getKey(), id);
                out.add(MetricDataQuery.builder().id(id).metricStat(stat(in.getValue(), side, period)).returnData(false)
                        .build());
            }
            Matcher w = WORD.matcher(m.expression());
            StringBuilder expr = new StringBuilder();
            while (w.find()) {
                w.appendReplacement(expr, Matcher.quoteReplacement(ids.getOrDefault(w.group(1), w.group(1))));
            }
            w.appendTail(expr);
            out.add(MetricDataQuery.builder().id(valueId).expression(expr.toString()).label(m.name() + " " + side)
                    .returnData(true).build());
        } else {
            out.add(MetricDataQuery.builder().id(valueId).metricStat(stat(m.query(), side, period))
                    .label(m.name() + " " + side).returnData(true).build());
        }
        slots.put(valueId, new Slot(i, side, Kind.VALUE));
        MetricQuery samples = m.effectiveSamples();
        if (samples != null) {
            String id = owner.batcher().nextId();
            out.add(MetricDataQuery.builder().id(id).metricStat(stat(samples, side, period))
                    .label(m.name() + " samples " + side).returnData(true).build());
            slots.put(id, new Slot(i, side, Kind.SAMPLES));
        }
    }

    private MetricStat stat(MetricQuery q, String side, int period) {
        List<Dimension> dims = new ArrayList<>();
        for (Map.Entry<String, String> d : q.effectiveDimensions().entrySet()) {
            dims.add(Dimension.builder().name(d.getKey()).value(targetGroups.resolve(d.getValue(), side)).build());
        }
        MetricStat.Builder b = MetricStat.builder().period(period).stat(q.statistic())
                .metric(x -> x.namespace(q.namespace()).metricName(q.metricName()).dimensions(dims));
        if (q.unit() != null) {
            b.unit(q.unit());
        }
        return b.build();
    }

    // ------------------------------------------------------------------ judging

    private void judge(Pending p) {
        if (over) {
            return;
        }
        List<AnalysisValue> values = new ArrayList<>();
        for (int i = 0; i < def.metrics().size(); i++) {
            values.add(judge(i, p));
        }
        String verdict = verdictOf(values);
        DeploymentEvent.AnalysisMeasured e = new DeploymentEvent.AnalysisMeasured(owner.scheduler().clock().instant(),
                gate.stage(), gate.hookId(), p.k, def.measurements(), p.start, p.end, verdict, values);
        if (!emit(e)) {
            return;
        }
        if (!def.dryRun() && !stillAwaiting()) {
            // decided by someone else, or ECS's timeout: nothing left to decide here. A dry run goes on reporting: its
            // windows lie within the time ECS held the gate (its timeout covers them), only read after the release
            over = true;
            owner.finished(this);
            return;
        }
        String where = " (measurement " + p.k + "/" + def.measurements() + ")";
        if ("FAIL".equals(verdict) && ++failures > def.failureLimit()) {
            conclude("FAIL", HookAction.ROLLBACK.name(), first(values, "FAIL") + where);
        } else if ("INCONCLUSIVE".equals(verdict) && ++inconclusives > def.inconclusiveLimit()) {
            String action = def.onInconclusive() == InconclusiveAction.ROLLBACK ? HookAction.ROLLBACK.name() : "ASK";
            conclude("INCONCLUSIVE", action, first(values, "INCONCLUSIVE") + where);
        } else if (p.k >= def.measurements()) {
            StringBuilder why = new StringBuilder().append(def.measurements() - failures - inconclusives).append("/")
                    .append(def.measurements()).append(" measurements passed");
            if (failures + inconclusives > 0) {
                why.append(" (").append(failures).append(" failed, ").append(inconclusives)
                        .append(" inconclusive, within the limits)");
            }
            for (AnalysisValue v : values) {
                why.append("; ").append(v.describe());
            }
            conclude("PASS", HookAction.CONTINUE.name(), why.toString());
        } else {
            scheduleNext();
        }
    }

    private AnalysisValue judge(int i, Pending p) {
        AnalysisMetric m = def.metrics().get(i);
        Double green = p.values.get(new Slot(i, "green", Kind.VALUE));
        Double blue = p.values.get(new Slot(i, "blue", Kind.VALUE));
        Double gs = p.values.get(new Slot(i, "green", Kind.SAMPLES));
        Double bs = p.values.get(new Slot(i, "blue", Kind.SAMPLES));
        Condition c = m.condition();
        Double limit = c.limit(blue);
        int min = m.minimumSamples();
        String verdict = "INCONCLUSIVE";
        String note = null;
        if (!p.problems.isEmpty()) {
            note = p.problems.get(0);
        } else if (min > 0 && (gs == null || gs < min)) {
            note = "too few samples on green: " + Numbers.plain(gs == null ? 0.0 : gs) + " < " + min;
        } else if (min > 0 && c.relative() && (bs == null || bs < min)) {
            note = "too few samples on blue: " + Numbers.plain(bs == null ? 0.0 : bs) + " < " + min;
        } else if (green == null) {
            note = "no data for green";
        } else if (limit == null) {
            note = "no data for blue";
        } else {
            verdict = c.holds(green, limit) ? "PASS" : "FAIL";
        }
        return new AnalysisValue(m.name(), green, blue, gs, bs, c.describe(), limit, verdict, note);
    }

    private static String verdictOf(List<AnalysisValue> values) {
        if (values.stream().anyMatch(v -> "FAIL".equals(v.verdict()))) {
            return "FAIL";
        }
        return values.stream().anyMatch(v -> "INCONCLUSIVE".equals(v.verdict())) ? "INCONCLUSIVE" : "PASS";
    }

    private static String first(List<AnalysisValue> values, String verdict) {
        return values.stream().filter(v -> verdict.equals(v.verdict())).findFirst().map(AnalysisValue::describe)
                .orElse(verdict);
    }

    private boolean stillAwaiting() {
        DeploymentSnapshot s = lastSnapshot;
        for (DeploymentSnapshot.GateState g : s.gates()) {
            if (g.hookId().equals(gate.hookId())) {
                return "AWAITING_ACTION".equals(g.state());
            }
        }
        return true; // not listed as a gate yet: still the hook we were offered
    }

    // ------------------------------------------------------------------ the conclusion

    private void conclude(String verdict, String decided, String reason) {
        over = true;
        String act = decided;
        String why = reason;
        if ("ASK".equals(act) && humans.isEmpty()) {
            act = HookAction.ROLLBACK.name();
            why = reason + "; nobody to ask, so rolled back";
        }
        action = act;
        emit(new DeploymentEvent.AnalysisConcluded(owner.scheduler().clock().instant(), gate.stage(), gate.hookId(),
                verdict, act, def.dryRun(), why));
        owner.finished(this);
        if (def.dryRun()) {
            return; // reports only: ECS itself continues the gate when its timeout (the measuring time) is over
        }
        if ("ASK".equals(act)) {
            PendingGate offer = new PendingGate(gate.deployment(), gate.stage(), gate.hookId(), gate.expiresAt(),
                    lastSnapshot);
            for (GateHandler h : humans) {
                h.onGate(offer);
            }
            return;
        }
        owner.decider().decide(gate.deployment(), gate.hookId(), new GateDecision(HookAction.valueOf(act), BY, why));
    }

    /** Emits through the watcher; false when the deployment is no longer followed (finished): measuring stops. */
    private boolean emit(DeploymentEvent e) {
        DeploymentSnapshot s = owner.emitter().emit(gate.deployment().deploymentArn(), e);
        if (s == null) {
            over = true;
            owner.finished(this);
            return false;
        }
        lastSnapshot = s;
        return true;
    }
}
