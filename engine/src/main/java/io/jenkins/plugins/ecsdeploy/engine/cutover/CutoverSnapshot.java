package io.jenkins.plugins.ecsdeploy.engine.cutover;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The current picture of one DNS cutover, folded from its {@link CutoverEvent}s ({@link #apply}). Immutable. Its JSON
 * (docs/snapshot-schema.md "Cutover snapshot", {@code "kind": "DNS_CUTOVER"}, {@code "schemaVersion": 1}) is what the
 * progress page's cutover view (web/cutover.js) and the CLI render: the weights over time, the steps, the gates, the
 * health checks and the outcome. The record's components are its JSON members (Jackson, the snapshot conventions of
 * {@link SnapshotJson}: ISO millisecond instants, nulls written, unknown members ignored when read).
 */
public record CutoverSnapshot(int schemaVersion, String kind, String cutoverId, String record, String recordType,
                              String hostedZoneId, int cacheSeconds, Side blue, Side green, List<StepState> steps,
                              Integer currentStep, String phase, List<WeightPoint> weights, List<GateState> gates,
                              List<HealthResult> healthChecks, String greenDeploymentArn, String greenDeployment,
                              Rollback rollback, Outcome outcome, Instant clientsMayResolveOldUntil, String oldSide,
                              Instant startedAt, Instant updatedAt, Instant finishedAt, List<Line> events, int eventCount) {
    public static final int SCHEMA_VERSION = 1;
    public static final String KIND = "DNS_CUTOVER";
    /** The snapshot keeps the latest lines for the page's log (the count is kept). */
    public static final int MAX_EVENTS = 200;
    /** Weight points and health results kept (oldest dropped first). */
    public static final int MAX_POINTS = 100;

    /** One side: its target, its set identifier, what its record answers, its current weight (null = no record yet). */
    public record Side(String target, String setIdentifier, String answer, Integer weight) {}

    /**
     * One step: PENDING, CHECKING (green's health), SHIFTING (change PENDING at Route 53), WAITING (INSYNC, waiting a
     * TTL or the bake), AWAITING_GATE, DONE; ROLLED_BACK for a step undone by a rollback, NOT_REACHED after one.
     */
    public record StepState(int index, int greenPercent, String state, Instant requestedAt, Instant inSyncAt,
                            Instant waitUntil, Instant clientsMayResolveBlueUntil, String changeId) {
        StepState with(String s) {
            return new StepState(index, greenPercent, s, requestedAt, inSyncAt, waitUntil, clientsMayResolveBlueUntil, changeId);
        }
    }

    /** Weights at a moment: READ (listed before the first change), REQUESTED (change PENDING), INSYNC. */
    public record WeightPoint(Instant at, Integer blue, Integer green, String status, String changeId, String reason) {}

    /** A gate between steps: AWAITING, CONTINUED, REJECTED, TIMED_OUT (with the timeout action in {@code comment}). */
    public record GateState(String gateId, int afterStep, String state, Instant awaitingSince, Instant expiresAt,
                            String decidedBy, String comment, Instant decidedAt) {
        /** For the progress page's gate box (it answers {@code {hookId, stage, comment}}): the gate's id. */
        @JsonProperty(value = "hookId", access = JsonProperty.Access.READ_ONLY)
        public String hookId() {
            return gateId;
        }

        /** For the progress page: where the gate sits, e.g. AFTER_STEP_2. */
        @JsonProperty(value = "stage", access = JsonProperty.Access.READ_ONLY)
        public String stage() {
            return "AFTER_STEP_" + afterStep;
        }
    }

    public record HealthResult(Instant at, int step, String url, int attempt, int attempts, Integer status, boolean ok,
                               String detail) {}

    public record Rollback(RollbackCause cause, String reason, Instant startedAt) {}

    public record Line(Instant at, String type, String text) {}

    public CutoverSnapshot {
        steps = List.copyOf(steps);
        weights = List.copyOf(weights);
        gates = List.copyOf(gates);
        healthChecks = List.copyOf(healthChecks);
        events = List.copyOf(events);
    }

    /** Nothing happened yet. */
    public static CutoverSnapshot initial(String cutoverId) {
        return new CutoverSnapshot(SCHEMA_VERSION, KIND, cutoverId, null, null, null, 0, null, null, List.of(), null,
                "STARTING", List.of(), List.of(), List.of(), null, null, null, null, null, null, null, null, null,
                List.of(), 0);
    }

    public static CutoverSnapshot fold(String cutoverId, List<? extends CutoverEvent> events) {
        CutoverSnapshot s = initial(cutoverId);
        for (CutoverEvent e : events) {
            s = s.apply(e);
        }
        return s;
    }

    public boolean finished() {
        return outcome != null;
    }

    /**
     * The members the shared progress page reads from a deployment snapshot (web/progress.js: title, status pill, gate
     * box, Roll back now), derived: {@code strategy} DNS_CUTOVER, {@code service} the record, {@code status} in ECS's
     * words (IN_PROGRESS, ROLLBACK_IN_PROGRESS, then SUCCESSFUL, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED, STOPPED, FAILED),
     * {@code lifecycleStage} the step and phase. Written, ignored when read.
     */
    @JsonProperty(value = "strategy", access = JsonProperty.Access.READ_ONLY)
    public String strategy() {
        return KIND;
    }

    @JsonProperty(value = "service", access = JsonProperty.Access.READ_ONLY)
    public String service() {
        return record;
    }

    @JsonProperty(value = "status", access = JsonProperty.Access.READ_ONLY)
    public String status() {
        if (outcome == null) {
            return rollback != null ? "ROLLBACK_IN_PROGRESS" : "IN_PROGRESS";
        }
        return switch (outcome.kind()) {
            case SUCCEEDED -> "SUCCESSFUL";
            case ROLLED_BACK -> "ROLLBACK_SUCCESSFUL";
            case ROLLBACK_FAILED -> "ROLLBACK_FAILED";
            case STOPPED -> "STOPPED";
            case FAILED -> "FAILED";
        };
    }

    @JsonProperty(value = "lifecycleStage", access = JsonProperty.Access.READ_ONLY)
    public String lifecycleStage() {
        if (outcome != null) {
            return null;
        }
        return currentStep == null ? phase : "STEP " + currentStep + "/" + steps.size() + " " + phase;
    }

    /** The gates awaiting a decision now (at most one). */
    public List<GateState> awaitingGates() {
        return gates.stream().filter(g -> "AWAITING".equals(g.state())).toList();
    }

    public CutoverSnapshot apply(CutoverEvent e) {
        B b = new B(this);
        b.updatedAt = e.at();
        b.eventCount = eventCount + 1;
        List<Line> lines = new ArrayList<>(events);
        lines.add(new Line(e.at(), e.getClass().getSimpleName(), e.describe()));
        while (lines.size() > MAX_EVENTS) {
            lines.remove(0);
        }
        b.events = lines;
        if (e instanceof CutoverEvent.Started s) {
            b.cutoverId = s.cutoverId();
            b.record = s.record();
            b.recordType = s.recordType();
            b.hostedZoneId = s.hostedZoneId();
            b.cacheSeconds = s.cacheSeconds();
            b.blue = new Side(s.blue(), s.blueSetIdentifier(), null, null);
            b.green = new Side(s.green(), s.greenSetIdentifier(), null, null);
            List<StepState> st = new ArrayList<>();
            for (int i = 0; i < s.steps().size(); i++) {
                st.add(new StepState(i + 1, s.steps().get(i), "PENDING", null, null, null, null, null));
            }
            b.steps = st;
            b.startedAt = s.at();
            b.phase = "RESOLVING";
        } else if (e instanceof CutoverEvent.GreenDeployment g) {
            b.greenDeploymentArn = g.deploymentArn() != null ? g.deploymentArn() : greenDeploymentArn;
            b.greenDeployment = g.status();
            b.phase = "STARTED".equals(g.status()) ? "DEPLOYING_GREEN" : "RESOLVING";
        } else if (e instanceof CutoverEvent.TargetsResolved t) {
            b.blue = blue == null ? null : new Side(blue.target(), blue.setIdentifier(), t.blueAnswer(), blue.weight());
            b.green = green == null ? null : new Side(green.target(), green.setIdentifier(), t.greenAnswer(), green.weight());
        } else if (e instanceof CutoverEvent.RecordsRead r) {
            b.blue = withWeight(blue, r.blueWeight());
            b.green = withWeight(green, r.greenWeight());
            b.weights = append(weights, new WeightPoint(r.at(), r.blueWeight(), r.greenWeight(), "READ", null, r.note()));
        } else if (e instanceof CutoverEvent.HealthChecked h) {
            b.healthChecks = append(healthChecks, new HealthResult(h.at(), h.step(), h.url(), h.attempt(), h.attempts(),
                    h.status(), h.ok(), h.detail()));
            b.steps = setStep(steps, h.step(), st -> st.with("CHECKING"));
            b.currentStep = h.step();
            b.phase = "CHECKING";
        } else if (e instanceof CutoverEvent.WeightsRequested w) {
            b.weights = append(weights, new WeightPoint(w.at(), w.blueWeight(), w.greenWeight(), "REQUESTED", w.changeId(), w.reason()));
            if (w.step() > 0) {
                b.steps = setStep(steps, w.step(), st -> new StepState(st.index(), st.greenPercent(), "SHIFTING", w.at(), null,
                        null, null, w.changeId()));
                b.currentStep = w.step();
                b.phase = "SHIFTING";
            }
        } else if (e instanceof CutoverEvent.WeightsInSync w) {
            b.weights = append(weights, new WeightPoint(w.at(), w.blueWeight(), w.greenWeight(), "INSYNC", w.changeId(), null));
            b.blue = withWeight(blue, w.blueWeight());
            b.green = withWeight(green, w.greenWeight());
            b.clientsMayResolveOldUntil = w.clientsMayResolveOldUntil();
            b.oldSide = w.oldSide();
            if (w.step() > 0) {
                b.steps = setStep(steps, w.step(), st -> new StepState(st.index(), st.greenPercent(), "WAITING", st.requestedAt(),
                        w.at(), st.waitUntil(), w.clientsMayResolveOldUntil(), w.changeId()));
                b.phase = "WAITING";
            }
        } else if (e instanceof CutoverEvent.Waiting w) {
            b.steps = setStep(steps, w.step(), st -> new StepState(st.index(), st.greenPercent(), "WAITING", st.requestedAt(),
                    st.inSyncAt(), w.until(), st.clientsMayResolveBlueUntil(), st.changeId()));
            b.phase = "WAITING";
        } else if (e instanceof CutoverEvent.GateAwaiting g) {
            List<GateState> gs = new ArrayList<>(gates);
            gs.removeIf(x -> x.gateId().equals(g.gateId()));
            gs.add(new GateState(g.gateId(), g.afterStep(), "AWAITING", g.at(), g.expiresAt(), null, null, null));
            b.gates = gs;
            b.steps = setStep(steps, g.afterStep(), st -> st.with("AWAITING_GATE"));
            b.phase = "AWAITING_GATE";
        } else if (e instanceof CutoverEvent.GateDecided g) {
            List<GateState> gs = new ArrayList<>();
            for (GateState x : gates) {
                if (x.gateId().equals(g.gateId())) {
                    String state = g.timedOut() ? "TIMED_OUT" : g.action() == HookAction.CONTINUE ? "CONTINUED" : "REJECTED";
                    String comment = g.timedOut() ? "timed out: " + g.action() : g.comment();
                    x = new GateState(x.gateId(), x.afterStep(), state, x.awaitingSince(), x.expiresAt(), g.by(), comment, g.at());
                }
                gs.add(x);
            }
            b.gates = gs;
            if (g.action() == HookAction.CONTINUE) {
                b.steps = setStep(steps, g.afterStep(), st -> st.with("DONE"));
            }
        } else if (e instanceof CutoverEvent.RollbackStarted r) {
            b.rollback = new Rollback(r.cause(), r.reason(), r.at());
            b.phase = "ROLLING_BACK";
            List<StepState> st = new ArrayList<>();
            for (StepState x : steps) {
                st.add(x.with(x.requestedAt() == null ? "NOT_REACHED" : "ROLLED_BACK"));
            }
            b.steps = st;
        } else if (e instanceof CutoverEvent.Finished f) {
            b.outcome = f.outcome();
            b.finishedAt = f.at();
            b.phase = "FINISHED";
            if (f.clientsMayResolveOldUntil() != null) {
                b.clientsMayResolveOldUntil = f.clientsMayResolveOldUntil();
            }
            if (f.outcome().succeeded()) {
                List<StepState> st = new ArrayList<>();
                for (StepState x : steps) {
                    st.add(x.with("DONE"));
                }
                b.steps = st;
            }
        }
        return b.build();
    }

    private static Side withWeight(Side s, Integer w) {
        return s == null ? null : new Side(s.target(), s.setIdentifier(), s.answer(), w);
    }

    private static <T> List<T> append(List<T> l, T v) {
        List<T> out = new ArrayList<>(l);
        out.add(v);
        while (out.size() > MAX_POINTS) {
            out.remove(0);
        }
        return out;
    }

    private static List<StepState> setStep(List<StepState> steps, int index, java.util.function.UnaryOperator<StepState> f) {
        List<StepState> out = new ArrayList<>();
        for (StepState s : steps) {
            out.add(s.index() == index ? f.apply(s) : s);
        }
        return out;
    }

    public String toJson() {
        try {
            return SnapshotJson.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ObjectNode toJsonNode() {
        return SnapshotJson.MAPPER.valueToTree(this);
    }

    public static CutoverSnapshot fromJson(String json) {
        try {
            return SnapshotJson.MAPPER.readValue(json, CutoverSnapshot.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A mutable copy used only inside {@link #apply}. */
    private static final class B {
        String cutoverId, record, recordType, hostedZoneId, phase, greenDeploymentArn, greenDeployment, oldSide;
        int cacheSeconds, eventCount;
        Side blue, green;
        List<StepState> steps;
        Integer currentStep;
        List<WeightPoint> weights;
        List<GateState> gates;
        List<HealthResult> healthChecks;
        Rollback rollback;
        Outcome outcome;
        Instant clientsMayResolveOldUntil, startedAt, updatedAt, finishedAt;
        List<Line> events;

        B(CutoverSnapshot s) {
            cutoverId = s.cutoverId; record = s.record; recordType = s.recordType; hostedZoneId = s.hostedZoneId;
            phase = s.phase; greenDeploymentArn = s.greenDeploymentArn; greenDeployment = s.greenDeployment; oldSide = s.oldSide;
            cacheSeconds = s.cacheSeconds; eventCount = s.eventCount; blue = s.blue; green = s.green; steps = s.steps;
            currentStep = s.currentStep; weights = s.weights; gates = s.gates; healthChecks = s.healthChecks;
            rollback = s.rollback; outcome = s.outcome; clientsMayResolveOldUntil = s.clientsMayResolveOldUntil;
            startedAt = s.startedAt; updatedAt = s.updatedAt; finishedAt = s.finishedAt; events = s.events;
        }

        CutoverSnapshot build() {
            return new CutoverSnapshot(SCHEMA_VERSION, KIND, cutoverId, record, recordType, hostedZoneId, cacheSeconds, blue,
                    green, steps, currentStep, phase, weights, gates, healthChecks, greenDeploymentArn, greenDeployment,
                    rollback, outcome, clientsMayResolveOldUntil, oldSide, startedAt, updatedAt, finishedAt, events, eventCount);
        }
    }
}
