package io.jenkins.plugins.ecsdeploy.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The current picture of one deployment, folded from its events ({@link #apply}). Immutable: every
 * event gives a new snapshot. Serialised by {@link #toJson()} in the versioned schema documented in
 * docs/snapshot-schema.md ({@code "schemaVersion": 1}); the Jenkins page and the CLI read that JSON.
 */
public final class DeploymentSnapshot {
    public static final int SCHEMA_VERSION = 1;
    /** The snapshot keeps the latest events for the page's log; older ones are dropped (the count is kept). */
    public static final int MAX_EVENTS = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One lifecycle stage: enteredAt, and leftAt once the deployment moved on (null while in it). {@code observed}
     * is false for a stage no poll saw but which the deployment must have passed (it lies between two stages that
     * were seen, in the strategy's order, or before the end of a successful deployment): then enteredAt = leftAt =
     * the time the later stage was first seen (docs/snapshot-schema.md "stages").
     */
    public record Stage(String name, Instant enteredAt, Instant leftAt, boolean observed) {
        /** A stage a poll saw. */
        public Stage(String name, Instant enteredAt, Instant leftAt) {
            this(name, enteredAt, leftAt, true);
        }
    }

    /**
     * One side of the deployment: blue (source revisions) or green (target revision). Counts null = unknown.
     * {@code images} (container name to image) and {@code taskDefinition} come from DescribeServiceRevisions
     * ({@link DeploymentEvent.RevisionsDescribed}); empty / null when not (yet) known. Blue with several source
     * revisions: the task definition of the first, the images of all (the first revision's image wins per container).
     */
    public record Side(List<String> revisionArns, Integer requestedTasks, Integer runningTasks, Integer pendingTasks,
                       Double productionTrafficPercent, Double testTrafficPercent, java.util.Map<String, String> images,
                       String taskDefinition) {
        public Side {
            revisionArns = revisionArns == null ? List.of() : List.copyOf(revisionArns);
            images = images == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(images));
        }

        /** The form before images and task definition were added (kept for callers). */
        public Side(List<String> revisionArns, Integer requestedTasks, Integer runningTasks, Integer pendingTasks,
                    Double productionTrafficPercent, Double testTrafficPercent) {
            this(revisionArns, requestedTasks, runningTasks, pendingTasks, productionTrafficPercent, testTrafficPercent,
                    null, null);
        }

        Side withRevisionArns(List<String> arns) {
            return new Side(arns, requestedTasks, runningTasks, pendingTasks, productionTrafficPercent,
                    testTrafficPercent, images, taskDefinition);
        }

        Side withTasks(Integer requested, Integer running, Integer pending) {
            return new Side(revisionArns, requested, running, pending, productionTrafficPercent, testTrafficPercent,
                    images, taskDefinition);
        }

        Side withTraffic(Double production, Double test) {
            return new Side(revisionArns, requestedTasks, runningTasks, pendingTasks, production, test, images,
                    taskDefinition);
        }

        Side withRevision(java.util.Map<String, String> images, String taskDefinition) {
            return new Side(revisionArns, requestedTasks, runningTasks, pendingTasks, productionTrafficPercent,
                    testTrafficPercent, images, taskDefinition);
        }

        static final Side EMPTY = new Side(List.of(), null, null, null, null, null);
    }

    /** A lifecycle hook as last seen. */
    public record Hook(String hookId, String stage, String targetType, String targetArn, String status,
                       Instant expiresAt, String timeoutAction, Instant updatedAt) {}

    /** A gate (a PAUSE hook the engine placed): state AWAITING_ACTION, CONTINUED, ROLLED_BACK or TIMED_OUT. */
    public record GateState(String stage, String hookId, String state, Instant expiresAt, Instant awaitingSince,
                            String decidedBy, String comment, Instant decidedAt) {}

    /** A log line: when, the event type, and its one-line description. */
    public record EventLine(Instant at, String type, String text) {}

    private final int eventCount;
    private final String deploymentArn;
    private final String region;
    private final String accountId;
    private final String cluster;
    private final String service;
    private final String strategy;
    private final List<String> gateStages;
    private final String status;
    private final String statusReason;
    private final String lifecycleStage;
    private final Instant createdAt;
    private final Instant updatedAt;
    private final List<Stage> stages;
    private final Side blue;
    private final Side green;
    private final List<Hook> hooks;
    private final List<String> alarmNames;
    private final List<String> triggeredAlarms;
    private final Integer circuitBreakerFailures;
    private final Integer circuitBreakerThreshold;
    private final boolean circuitBreakerTriggered;
    private final List<GateState> gates;
    private final RollbackCause rollbackCause;
    private final String rollbackReason;
    private final Instant rollbackStartedAt;
    private final Outcome outcome;
    private final Instant finishedAt;
    private final List<EventLine> events;

    private DeploymentSnapshot(B b) {
        this.eventCount = b.eventCount;
        this.deploymentArn = b.deploymentArn;
        this.region = b.region;
        this.accountId = b.accountId;
        this.cluster = b.cluster;
        this.service = b.service;
        this.strategy = b.strategy;
        this.gateStages = List.copyOf(b.gateStages);
        this.status = b.status;
        this.statusReason = b.statusReason;
        this.lifecycleStage = b.lifecycleStage;
        this.createdAt = b.createdAt;
        this.updatedAt = b.updatedAt;
        this.stages = List.copyOf(b.stages);
        this.blue = b.blue;
        this.green = b.green;
        this.hooks = List.copyOf(b.hooks);
        this.alarmNames = List.copyOf(b.alarmNames);
        this.triggeredAlarms = List.copyOf(b.triggeredAlarms);
        this.circuitBreakerFailures = b.circuitBreakerFailures;
        this.circuitBreakerThreshold = b.circuitBreakerThreshold;
        this.circuitBreakerTriggered = b.circuitBreakerTriggered;
        this.gates = List.copyOf(b.gates);
        this.rollbackCause = b.rollbackCause;
        this.rollbackReason = b.rollbackReason;
        this.rollbackStartedAt = b.rollbackStartedAt;
        this.outcome = b.outcome;
        this.finishedAt = b.finishedAt;
        this.events = List.copyOf(b.events);
    }

    /** The empty snapshot of a deployment that has not been observed yet. */
    public static DeploymentSnapshot initial(DeploymentHandle h) {
        B b = new B();
        b.deploymentArn = h.deploymentArn();
        b.region = h.region();
        b.accountId = h.accountId();
        b.cluster = h.cluster();
        b.service = h.service();
        b.strategy = h.strategy();
        b.gateStages.addAll(h.gateStages());
        return new DeploymentSnapshot(b);
    }

    /** Folds a list of events over the initial snapshot of {@code h}. */
    public static DeploymentSnapshot fold(DeploymentHandle h, List<? extends DeploymentEvent> events) {
        DeploymentSnapshot s = initial(h);
        for (DeploymentEvent e : events) {
            s = s.apply(e);
        }
        return s;
    }

    /** The snapshot after {@code e}. */
    public DeploymentSnapshot apply(DeploymentEvent e) {
        B b = new B(this);
        b.eventCount++;
        if (b.updatedAt == null || e.at().isAfter(b.updatedAt)) {
            b.updatedAt = e.at();
        }
        b.events.add(new EventLine(e.at(), e.getClass().getSimpleName(), e.describe()));
        while (b.events.size() > MAX_EVENTS) {
            b.events.remove(0);
        }
        if (e instanceof DeploymentEvent.Observed o) {
            b.deploymentArn = o.deploymentArn();
            if (o.strategy() != null) {
                b.strategy = o.strategy();
            }
            b.createdAt = o.createdAt();
            b.blue = b.blue.withRevisionArns(o.sourceRevisionArns());
            b.green = b.green.withRevisionArns(o.targetRevisionArn() == null ? List.of() : List.of(o.targetRevisionArn()));
            b.alarmNames.clear();
            b.alarmNames.addAll(o.alarmNames());
        } else if (e instanceof DeploymentEvent.StatusChanged sc) {
            b.status = sc.status();
            b.statusReason = sc.statusReason();
        } else if (e instanceof DeploymentEvent.RevisionsDescribed rd) {
            java.util.Map<String, String> blueImages = new java.util.LinkedHashMap<>();
            String blueTd = null;
            for (DeploymentEvent.RevisionDetails r : rd.revisions()) {
                if ("green".equals(r.side())) {
                    b.green = b.green.withRevision(r.containerImages(), r.taskDefinitionArn());
                } else if ("blue".equals(r.side())) {
                    r.containerImages().forEach(blueImages::putIfAbsent);
                    if (blueTd == null) {
                        blueTd = r.taskDefinitionArn();
                    }
                }
            }
            if (blueTd != null || !blueImages.isEmpty()) {
                b.blue = b.blue.withRevision(blueImages, blueTd);
            }
        } else if (e instanceof DeploymentEvent.StageEntered se) {
            b.lifecycleStage = se.stage();
            markPassed(b, expectedStagesBefore(b, se.stage()), se.at());
            b.stages.add(new Stage(se.stage(), se.at(), null));
        } else if (e instanceof DeploymentEvent.StageLeft sl) {
            for (int i = b.stages.size() - 1; i >= 0; i--) {
                Stage st = b.stages.get(i);
                if (st.name().equals(sl.stage()) && st.leftAt() == null) {
                    b.stages.set(i, new Stage(st.name(), st.enteredAt(), sl.at(), st.observed()));
                    break;
                }
            }
        } else if (e instanceof DeploymentEvent.TrafficChanged t) {
            b.green = b.green.withTraffic(t.greenProductionPercent(), t.greenTestPercent());
            b.blue = b.blue.withTraffic(t.blueProductionPercent(), t.blueTestPercent());
        } else if (e instanceof DeploymentEvent.TasksChanged tc) {
            Side old = "green".equals(tc.side()) ? b.green : b.blue;
            Side n = old.withTasks(tc.requested(), tc.running(), tc.pending());
            if ("green".equals(tc.side())) {
                b.green = n;
            } else {
                b.blue = n;
            }
        } else if (e instanceof DeploymentEvent.HookStatusChanged hs) {
            Hook nh = new Hook(hs.hookId(), hs.stage(), hs.targetType(), hs.targetArn(), hs.status(), hs.expiresAt(),
                    hs.timeoutAction(), hs.at());
            boolean replaced = false;
            for (int i = 0; i < b.hooks.size(); i++) {
                if (b.hooks.get(i).hookId().equals(hs.hookId())) {
                    Hook old = b.hooks.get(i);
                    b.hooks.set(i, new Hook(old.hookId(), old.stage(), nh.targetType(), nh.targetArn(), nh.status(),
                            nh.expiresAt() == null ? old.expiresAt() : nh.expiresAt(), nh.timeoutAction(), hs.at()));
                    replaced = true;
                }
            }
            if (!replaced) {
                b.hooks.add(nh);
            }
            if ("TIMED_OUT".equals(hs.status())) {
                updateGate(b, hs.hookId(), g -> new GateState(g.stage(), g.hookId(), "TIMED_OUT", g.expiresAt(),
                        g.awaitingSince(), g.decidedBy(), g.comment(), g.decidedAt() == null ? hs.at() : g.decidedAt()));
            }
        } else if (e instanceof DeploymentEvent.AlarmTriggered a) {
            for (String n : a.names()) {
                if (!b.triggeredAlarms.contains(n)) {
                    b.triggeredAlarms.add(n);
                }
            }
        } else if (e instanceof DeploymentEvent.CircuitBreakerTriggered cb) {
            b.circuitBreakerTriggered = true;
            b.circuitBreakerFailures = cb.failureCount();
            b.circuitBreakerThreshold = cb.threshold();
        } else if (e instanceof DeploymentEvent.GateAwaiting ga) {
            boolean known = b.gates.stream().anyMatch(g -> g.hookId().equals(ga.hookId()));
            if (!known) {
                b.gates.add(new GateState(ga.stage(), ga.hookId(), "AWAITING_ACTION", ga.expiresAt(), ga.at(), null,
                        null, null));
            }
        } else if (e instanceof DeploymentEvent.GateDecided gd) {
            String state = gd.action() == HookAction.CONTINUE ? "CONTINUED" : "ROLLED_BACK";
            boolean known = b.gates.stream().anyMatch(g -> g.hookId().equals(gd.hookId()));
            if (!known) {
                b.gates.add(new GateState(gd.stage(), gd.hookId(), state, null, null, gd.by(), gd.comment(), gd.at()));
            } else {
                updateGate(b, gd.hookId(), g -> new GateState(g.stage(), g.hookId(), state, g.expiresAt(),
                        g.awaitingSince(), gd.by() != null ? gd.by() : g.decidedBy(),
                        gd.comment() != null ? gd.comment() : g.comment(), gd.at()));
            }
        } else if (e instanceof DeploymentEvent.RollbackStarted rs) {
            b.rollbackCause = rs.cause();
            b.rollbackReason = rs.reason();
            b.rollbackStartedAt = rs.at();
        } else if (e instanceof DeploymentEvent.Finished f) {
            b.outcome = f.outcome();
            b.finishedAt = f.at();
            // A stage still open when the deployment ends is closed at the end.
            for (int i = 0; i < b.stages.size(); i++) {
                Stage st = b.stages.get(i);
                if (st.leftAt() == null) {
                    b.stages.set(i, new Stage(st.name(), st.enteredAt(), f.at(), st.observed()));
                }
            }
            if (f.outcome() != null && f.outcome().kind() == OutcomeKind.SUCCEEDED) {
                // A successful deployment went through every stage of its strategy: those after the last one seen
                // (typically a short CLEAN_UP) passed between the last poll and the end.
                markPassed(b, expectedStagesBefore(b, null), f.at());
            }
        }
        return new DeploymentSnapshot(b);
    }

    /**
     * The expected stages (in the strategy's order) that lie after the furthest stage reached so far and before
     * {@code next} (null = the end), which the deployment must have passed although no poll saw them. Empty while
     * rolling back or stopping (rollback re-runs stages in another order, ecs-api-facts §3b), when {@code next} lies
     * behind the furthest stage reached (a canary/linear step goes back to PRE_PRODUCTION_TRAFFIC_SHIFT) or is not an
     * expected stage. RECONCILE_SERVICE is never inferred: it runs only when more than one service revision is active
     * (ecs-api-facts §3b), so not seeing it says nothing.
     */
    private static List<String> expectedStagesBefore(B b, String next) {
        List<String> expected = Planner.stagesOf(b.strategy);
        if (expected.isEmpty() || b.rollbackStartedAt != null || b.status != null
                && (b.status.startsWith("ROLLBACK") || b.status.startsWith("STOP"))) {
            return List.of();
        }
        int to = next == null ? expected.size() : expected.indexOf(next);
        if (to < 0) {
            return List.of();
        }
        int furthest = -1;
        for (Stage st : b.stages) {
            furthest = Math.max(furthest, expected.indexOf(st.name()));
        }
        List<String> passed = new ArrayList<>();
        for (int i = furthest + 1; i < to; i++) {
            if (!"RECONCILE_SERVICE".equals(expected.get(i))) {
                passed.add(expected.get(i));
            }
        }
        return passed;
    }

    private static void markPassed(B b, List<String> names, Instant at) {
        for (String n : names) {
            b.stages.add(new Stage(n, at, at, false));
        }
    }

    private static void updateGate(B b, String hookId, java.util.function.UnaryOperator<GateState> f) {
        for (int i = 0; i < b.gates.size(); i++) {
            if (b.gates.get(i).hookId().equals(hookId)) {
                b.gates.set(i, f.apply(b.gates.get(i)));
            }
        }
    }

    // ---- accessors ----
    public int schemaVersion() { return SCHEMA_VERSION; }
    public int eventCount() { return eventCount; }
    public String deploymentArn() { return deploymentArn; }
    public String region() { return region; }
    public String accountId() { return accountId; }
    public String cluster() { return cluster; }
    public String service() { return service; }
    public String strategy() { return strategy; }
    public List<String> gateStages() { return gateStages; }
    /** ECS ServiceDeploymentStatus, null before the first observation. */
    public String status() { return status; }
    public String statusReason() { return statusReason; }
    /** ECS lifecycleStage as a string (may be a value newer than the SDK's enum, ecs-api-facts §10.1). */
    public String lifecycleStage() { return lifecycleStage; }
    public Instant createdAt() { return createdAt; }
    public Instant updatedAt() { return updatedAt; }
    public List<Stage> stages() { return stages; }
    public Side blue() { return blue; }
    public Side green() { return green; }
    public List<Hook> hooks() { return hooks; }
    public List<String> alarmNames() { return alarmNames; }
    public List<String> triggeredAlarms() { return triggeredAlarms; }
    public boolean circuitBreakerTriggered() { return circuitBreakerTriggered; }
    public Integer circuitBreakerFailures() { return circuitBreakerFailures; }
    public Integer circuitBreakerThreshold() { return circuitBreakerThreshold; }
    public List<GateState> gates() { return gates; }
    public RollbackCause rollbackCause() { return rollbackCause; }
    public String rollbackReason() { return rollbackReason; }
    public Instant rollbackStartedAt() { return rollbackStartedAt; }
    /** Null while running. */
    public Outcome outcome() { return outcome; }
    public Instant finishedAt() { return finishedAt; }
    public boolean finished() { return outcome != null; }
    /** The latest {@link #MAX_EVENTS} events as log lines. */
    public List<EventLine> events() { return events; }

    /** Gates awaiting a decision now. */
    public List<GateState> awaitingGates() {
        return gates.stream().filter(g -> "AWAITING_ACTION".equals(g.state())).toList();
    }

    /** The stages this strategy goes through, in order (for a progress bar), from {@link Planner#stagesOf}. */
    public List<String> expectedStages() {
        return Planner.stagesOf(strategy);
    }

    // ---- JSON ----

    /** The snapshot as JSON, schema docs/snapshot-schema.md version 1. */
    public String toJson() {
        return toJsonNode().toString();
    }

    public ObjectNode toJsonNode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("schemaVersion", SCHEMA_VERSION);
        n.put("deploymentArn", deploymentArn);
        n.put("region", region);
        n.put("accountId", accountId);
        n.put("cluster", cluster);
        n.put("service", service);
        n.put("strategy", strategy);
        n.put("status", status);
        n.put("statusReason", statusReason);
        n.put("lifecycleStage", lifecycleStage);
        n.put("createdAt", iso(createdAt));
        n.put("updatedAt", iso(updatedAt));
        n.put("finishedAt", iso(finishedAt));
        ArrayNode es = n.putArray("expectedStages");
        expectedStages().forEach(es::add);
        ArrayNode st = n.putArray("stages");
        for (Stage s : stages) {
            ObjectNode o = st.addObject();
            o.put("name", s.name());
            o.put("enteredAt", iso(s.enteredAt()));
            o.put("leftAt", iso(s.leftAt()));
            o.put("observed", s.observed());
        }
        side(n.putObject("blue"), blue);
        side(n.putObject("green"), green);
        ArrayNode hs = n.putArray("hooks");
        for (Hook h : hooks) {
            ObjectNode o = hs.addObject();
            o.put("hookId", h.hookId());
            o.put("stage", h.stage());
            o.put("targetType", h.targetType());
            o.put("targetArn", h.targetArn());
            o.put("status", h.status());
            o.put("expiresAt", iso(h.expiresAt()));
            o.put("timeoutAction", h.timeoutAction());
            o.put("updatedAt", iso(h.updatedAt()));
        }
        ObjectNode al = n.putObject("alarms");
        ArrayNode an = al.putArray("names");
        alarmNames.forEach(an::add);
        ArrayNode at = al.putArray("triggered");
        triggeredAlarms.forEach(at::add);
        ObjectNode cb = n.putObject("circuitBreaker");
        cb.put("triggered", circuitBreakerTriggered);
        cb.put("failureCount", circuitBreakerFailures);
        cb.put("threshold", circuitBreakerThreshold);
        ArrayNode gs = n.putArray("gateStages");
        gateStages.forEach(gs::add);
        ArrayNode ga = n.putArray("gates");
        for (GateState g : gates) {
            ObjectNode o = ga.addObject();
            o.put("stage", g.stage());
            o.put("hookId", g.hookId());
            o.put("state", g.state());
            o.put("expiresAt", iso(g.expiresAt()));
            o.put("awaitingSince", iso(g.awaitingSince()));
            o.put("decidedBy", g.decidedBy());
            o.put("comment", g.comment());
            o.put("decidedAt", iso(g.decidedAt()));
        }
        if (rollbackCause != null || rollbackStartedAt != null) {
            ObjectNode r = n.putObject("rollback");
            r.put("cause", rollbackCause == null ? null : rollbackCause.name());
            r.put("reason", rollbackReason);
            r.put("startedAt", iso(rollbackStartedAt));
        } else {
            n.putNull("rollback");
        }
        if (outcome != null) {
            ObjectNode o = n.putObject("outcome");
            o.put("kind", outcome.kind().name());
            o.put("cause", outcome.cause() == null ? null : outcome.cause().name());
            o.put("reason", outcome.reason());
            o.put("decidedBy", outcome.decidedBy());
            o.put("description", outcome.describe());
        } else {
            n.putNull("outcome");
        }
        n.put("eventCount", eventCount);
        ArrayNode ev = n.putArray("events");
        for (EventLine l : events) {
            ObjectNode o = ev.addObject();
            o.put("at", iso(l.at()));
            o.put("type", l.type());
            o.put("text", l.text());
        }
        return n;
    }

    /**
     * Reads a snapshot back from {@link #toJson()} output (e.g. one persisted by Jenkins). The events are kept
     * as log lines; unknown members are ignored, so a newer minor addition does not break an older reader.
     */
    public static DeploymentSnapshot fromJson(String json) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int v = n.path("schemaVersion").asInt(-1);
        if (v != SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion: '" + v + "' is not allowed; this engine reads "
                    + SCHEMA_VERSION);
        }
        B b = new B();
        b.deploymentArn = text(n, "deploymentArn");
        b.region = text(n, "region");
        b.accountId = text(n, "accountId");
        b.cluster = text(n, "cluster");
        b.service = text(n, "service");
        b.strategy = text(n, "strategy");
        b.status = text(n, "status");
        b.statusReason = text(n, "statusReason");
        b.lifecycleStage = text(n, "lifecycleStage");
        b.createdAt = instant(n, "createdAt");
        b.updatedAt = instant(n, "updatedAt");
        b.finishedAt = instant(n, "finishedAt");
        for (JsonNode s : n.path("stages")) {
            b.stages.add(new Stage(text(s, "name"), instant(s, "enteredAt"), instant(s, "leftAt"),
                    s.path("observed").asBoolean(true)));
        }
        b.blue = readSide(n.path("blue"));
        b.green = readSide(n.path("green"));
        for (JsonNode h : n.path("hooks")) {
            b.hooks.add(new Hook(text(h, "hookId"), text(h, "stage"), text(h, "targetType"), text(h, "targetArn"),
                    text(h, "status"), instant(h, "expiresAt"), text(h, "timeoutAction"), instant(h, "updatedAt")));
        }
        n.path("alarms").path("names").forEach(x -> b.alarmNames.add(x.asText()));
        n.path("alarms").path("triggered").forEach(x -> b.triggeredAlarms.add(x.asText()));
        JsonNode cb = n.path("circuitBreaker");
        b.circuitBreakerTriggered = cb.path("triggered").asBoolean(false);
        b.circuitBreakerFailures = cb.hasNonNull("failureCount") ? cb.get("failureCount").asInt() : null;
        b.circuitBreakerThreshold = cb.hasNonNull("threshold") ? cb.get("threshold").asInt() : null;
        n.path("gateStages").forEach(x -> b.gateStages.add(x.asText()));
        for (JsonNode g : n.path("gates")) {
            b.gates.add(new GateState(text(g, "stage"), text(g, "hookId"), text(g, "state"), instant(g, "expiresAt"),
                    instant(g, "awaitingSince"), text(g, "decidedBy"), text(g, "comment"), instant(g, "decidedAt")));
        }
        JsonNode r = n.path("rollback");
        if (r.isObject()) {
            b.rollbackCause = r.hasNonNull("cause") ? RollbackCause.valueOf(r.get("cause").asText()) : null;
            b.rollbackReason = text(r, "reason");
            b.rollbackStartedAt = instant(r, "startedAt");
        }
        JsonNode o = n.path("outcome");
        if (o.isObject()) {
            b.outcome = new Outcome(OutcomeKind.valueOf(o.get("kind").asText()),
                    o.hasNonNull("cause") ? RollbackCause.valueOf(o.get("cause").asText()) : null,
                    text(o, "reason"), text(o, "decidedBy"));
        }
        b.eventCount = n.path("eventCount").asInt(0);
        for (JsonNode e : n.path("events")) {
            b.events.add(new EventLine(instant(e, "at"), text(e, "type"), text(e, "text")));
        }
        return new DeploymentSnapshot(b);
    }

    private static Side readSide(JsonNode s) {
        List<String> arns = new ArrayList<>();
        s.path("revisionArns").forEach(x -> arns.add(x.asText()));
        java.util.Map<String, String> images = new java.util.LinkedHashMap<>();
        s.path("images").fields().forEachRemaining(f -> images.put(f.getKey(), f.getValue().asText()));
        return new Side(arns, intOrNull(s, "requestedTasks"), intOrNull(s, "runningTasks"), intOrNull(s, "pendingTasks"),
                s.hasNonNull("productionTrafficPercent") ? s.get("productionTrafficPercent").asDouble() : null,
                s.hasNonNull("testTrafficPercent") ? s.get("testTrafficPercent").asDouble() : null, images,
                text(s, "taskDefinition"));
    }

    private static Integer intOrNull(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asInt() : null;
    }

    private static String text(JsonNode n, String f) {
        return n.hasNonNull(f) ? n.get(f).asText() : null;
    }

    private static Instant instant(JsonNode n, String f) {
        return n.hasNonNull(f) ? Instant.parse(n.get(f).asText()) : null;
    }

    private static void side(ObjectNode o, Side s) {
        ArrayNode a = o.putArray("revisionArns");
        s.revisionArns().forEach(a::add);
        // ObjectNode.put(String, Integer/Double) writes JSON null for a null value: unknown counts stay null
        o.put("requestedTasks", s.requestedTasks());
        o.put("runningTasks", s.runningTasks());
        o.put("pendingTasks", s.pendingTasks());
        o.put("productionTrafficPercent", s.productionTrafficPercent());
        o.put("testTrafficPercent", s.testTrafficPercent());
        ObjectNode im = o.putObject("images");
        s.images().forEach(im::put);
        o.put("taskDefinition", s.taskDefinition());
    }


    /** ISO-8601 UTC with at most millisecond precision: what JavaScript's Date.parse reads everywhere. */
    private static String iso(Instant i) {
        return i == null ? null : i.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    @Override
    public String toString() {
        return "DeploymentSnapshot" + toJson();
    }

    /** Mutable copy used while folding one event. */
    private static final class B {
        int eventCount;
        String deploymentArn, region, accountId, cluster, service, strategy;
        final List<String> gateStages = new ArrayList<>();
        String status, statusReason, lifecycleStage;
        Instant createdAt, updatedAt;
        final List<Stage> stages = new ArrayList<>();
        Side blue = Side.EMPTY, green = Side.EMPTY;
        final List<Hook> hooks = new ArrayList<>();
        final List<String> alarmNames = new ArrayList<>();
        final List<String> triggeredAlarms = new ArrayList<>();
        Integer circuitBreakerFailures, circuitBreakerThreshold;
        boolean circuitBreakerTriggered;
        final List<GateState> gates = new ArrayList<>();
        RollbackCause rollbackCause;
        String rollbackReason;
        Instant rollbackStartedAt;
        Outcome outcome;
        Instant finishedAt;
        final List<EventLine> events = new ArrayList<>();

        B() {}

        B(DeploymentSnapshot s) {
            eventCount = s.eventCount;
            deploymentArn = s.deploymentArn;
            region = s.region;
            accountId = s.accountId;
            cluster = s.cluster;
            service = s.service;
            strategy = s.strategy;
            gateStages.addAll(s.gateStages);
            status = s.status;
            statusReason = s.statusReason;
            lifecycleStage = s.lifecycleStage;
            createdAt = s.createdAt;
            updatedAt = s.updatedAt;
            stages.addAll(s.stages);
            blue = s.blue;
            green = s.green;
            hooks.addAll(s.hooks);
            alarmNames.addAll(s.alarmNames);
            triggeredAlarms.addAll(s.triggeredAlarms);
            circuitBreakerFailures = s.circuitBreakerFailures;
            circuitBreakerThreshold = s.circuitBreakerThreshold;
            circuitBreakerTriggered = s.circuitBreakerTriggered;
            gates.addAll(s.gates);
            rollbackCause = s.rollbackCause;
            rollbackReason = s.rollbackReason;
            rollbackStartedAt = s.rollbackStartedAt;
            outcome = s.outcome;
            finishedAt = s.finishedAt;
            events.addAll(s.events);
        }
    }
}
