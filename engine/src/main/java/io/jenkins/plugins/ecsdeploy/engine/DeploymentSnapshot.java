package io.jenkins.plugins.ecsdeploy.engine;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotAnalysis;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotGates;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotHeader;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotJson;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotLog;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotRollback;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotSides;
import io.jenkins.plugins.ecsdeploy.engine.internal.SnapshotStages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The current picture of one deployment, folded from its events ({@link #apply}). Immutable: every event gives a new
 * snapshot. It is made of one part per concern — header, stages, sides (traffic, tasks, revisions), hooks and gates,
 * rollback and outcome, log — each an immutable record in {@code engine.internal} that folds the events of its
 * concern and whose components are its JSON members. Serialised by {@link #toJson()} in the versioned schema
 * documented in docs/snapshot-schema.md ({@code "schemaVersion": 1}); the Jenkins page and the CLI read that JSON.
 *
 * <p>Adding a member: a component on the part of its concern (the JSON follows from it, both ways), the fold of the
 * event that sets it in that part, and an accessor here if Java callers need it (docs/engine.md "Adding a snapshot
 * member or an event").
 */
public final class DeploymentSnapshot {
    public static final int SCHEMA_VERSION = 1;
    /** The snapshot keeps the latest events for the page's log; older ones are dropped (the count is kept). */
    public static final int MAX_EVENTS = 200;

    /**
     * One lifecycle stage: enteredAt, and leftAt once the deployment moved on (null while in it). {@code observed}
     * is false for a stage no poll saw but which the deployment must have passed (it lies between two stages that
     * were seen, in the strategy's order, or before the end of a successful deployment): then enteredAt = leftAt =
     * the time the later stage was first seen (docs/snapshot-schema.md "stages"). {@code rollback} is true for a stage
     * entered while the deployment rolled back or stopped (a rollback re-runs stages: they are not forward progress).
     */
    public record Stage(String name, Instant enteredAt, Instant leftAt, boolean observed, boolean rollback) {
        /** A stage a poll saw. */
        public Stage(String name, Instant enteredAt, Instant leftAt) {
            this(name, enteredAt, leftAt, true, false);
        }

        /** A stage entered moving forward. */
        public Stage(String name, Instant enteredAt, Instant leftAt, boolean observed) {
            this(name, enteredAt, leftAt, observed, false);
        }

        /** JSON: a stage written before {@code observed} / {@code rollback} existed was observed, moving forward. */
        @JsonCreator
        static Stage fromJson(@JsonProperty("name") String name, @JsonProperty("enteredAt") Instant enteredAt,
                              @JsonProperty("leftAt") Instant leftAt, @JsonProperty("observed") Boolean observed,
                              @JsonProperty("rollback") Boolean rollback) {
            return new Stage(name, enteredAt, leftAt, observed == null || observed, rollback != null && rollback);
        }
    }

    /**
     * One side of the deployment: blue (source revisions) or green (target revision). Counts null = unknown.
     * {@code images} (container name to image) and {@code taskDefinition} come from DescribeServiceRevisions
     * ({@link DeploymentEvent.RevisionsDescribed}); empty / null when not (yet) known. Blue with several source
     * revisions: the task definition of the first, the images of all (the first revision's image wins per container).
     */
    public record Side(List<String> revisionArns, Integer requestedTasks, Integer runningTasks, Integer pendingTasks,
                       Double productionTrafficPercent, Double testTrafficPercent, Map<String, String> images,
                       String taskDefinition) {
        public Side {
            revisionArns = revisionArns == null ? List.of() : List.copyOf(revisionArns);
            images = images == null || images.isEmpty() ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(images));
        }

        /** "web:42": the task definition's family:revision ({@link RevisionNames#familyRevision}); null when unknown. */
        @JsonProperty(value = "revisionName", access = JsonProperty.Access.READ_ONLY)
        public String revisionName() {
            return RevisionNames.familyRevision(taskDefinition);
        }

        /** The form before images and task definition were added (kept for callers). */
        public Side(List<String> revisionArns, Integer requestedTasks, Integer runningTasks, Integer pendingTasks,
                    Double productionTrafficPercent, Double testTrafficPercent) {
            this(revisionArns, requestedTasks, runningTasks, pendingTasks, productionTrafficPercent, testTrafficPercent,
                    null, null);
        }
    }

    /** A lifecycle hook as last seen. */
    public record Hook(String hookId, String stage, String targetType, String targetArn, String status,
                       Instant expiresAt, String timeoutAction, Instant updatedAt) {}

    /**
     * A gate (a PAUSE hook the engine placed): state AWAITING_ACTION, CONTINUED, ROLLED_BACK or TIMED_OUT.
     * {@code timeoutAction} (CONTINUE or ROLLBACK, from ECS's hook; null when not known) is what ECS does at
     * {@code expiresAt} if nobody decides.
     */
    public record GateState(String stage, String hookId, String state, Instant expiresAt, Instant awaitingSince,
                            String decidedBy, String comment, Instant decidedAt, String timeoutAction) {
        /** The form before {@code timeoutAction} was added (kept for callers). */
        public GateState(String stage, String hookId, String state, Instant expiresAt, Instant awaitingSince,
                         String decidedBy, String comment, Instant decidedAt) {
            this(stage, hookId, state, expiresAt, awaitingSince, decidedBy, comment, decidedAt, null);
        }
    }

    /** A log line: when, the event type, and its one-line description. */
    public record EventLine(Instant at, String type, String text) {}

    private final SnapshotHeader header;
    private final SnapshotStages stagesPart;
    private final SnapshotSides sides;
    private final SnapshotGates gatesPart;
    private final SnapshotRollback end;
    private final SnapshotLog log;
    private final SnapshotAnalysis analysis;

    private DeploymentSnapshot(SnapshotHeader header, SnapshotStages stages, SnapshotSides sides, SnapshotGates gates,
                               SnapshotRollback end, SnapshotLog log, SnapshotAnalysis analysis) {
        this.header = header;
        this.stagesPart = stages;
        this.sides = sides;
        this.gatesPart = gates;
        this.end = end;
        this.log = log;
        this.analysis = analysis;
    }

    /** The parts in JSON order (after {@code schemaVersion}). */
    private List<Object> parts() {
        return List.of(header, stagesPart, sides, gatesPart, end, log, analysis);
    }

    /** The empty snapshot of a deployment that has not been observed yet. */
    public static DeploymentSnapshot initial(DeploymentHandle h) {
        return new DeploymentSnapshot(SnapshotHeader.of(h), SnapshotStages.EMPTY, SnapshotSides.EMPTY,
                SnapshotGates.EMPTY, SnapshotRollback.EMPTY, SnapshotLog.EMPTY,
                SnapshotAnalysis.EMPTY);
    }

    /** Folds a list of events over the initial snapshot of {@code h}. */
    public static DeploymentSnapshot fold(DeploymentHandle h, List<? extends DeploymentEvent> events) {
        DeploymentSnapshot s = initial(h);
        for (DeploymentEvent e : events) {
            s = s.apply(e);
        }
        return s;
    }

    /** The snapshot after {@code e}: every part folds it (a part keeps itself for an event of another concern). */
    public DeploymentSnapshot apply(DeploymentEvent e) {
        return new DeploymentSnapshot(header.fold(e, this), stagesPart.fold(e, this), sides.fold(e, this),
                gatesPart.fold(e, this), end.fold(e, this), log.fold(e, this),
                analysis.fold(e, this));
    }

    // ---- accessors ----
    public int schemaVersion() { return SCHEMA_VERSION; }
    public int eventCount() { return log.eventCount(); }
    public String deploymentArn() { return header.deploymentArn(); }
    public String region() { return header.region(); }
    public String accountId() { return header.accountId(); }
    public String cluster() { return header.cluster(); }
    public String service() { return header.service(); }
    public String strategy() { return header.strategy(); }
    public List<String> gateStages() { return header.gateStages(); }
    /** ECS ServiceDeploymentStatus, null before the first observation. */
    public String status() { return stagesPart.status(); }
    public String statusReason() { return stagesPart.statusReason(); }
    /** ECS lifecycleStage as a string (may be a value newer than the SDK's enum). */
    public String lifecycleStage() { return stagesPart.lifecycleStage(); }
    public Instant createdAt() { return header.createdAt(); }
    public Instant updatedAt() { return log.updatedAt(); }
    public List<Stage> stages() { return stagesPart.stages(); }
    public Side blue() { return sides.blue(); }
    public Side green() { return sides.green(); }
    public List<Hook> hooks() { return gatesPart.hooks(); }
    public List<String> alarmNames() { return end.alarms().names(); }
    public List<String> triggeredAlarms() { return end.alarms().triggered(); }
    public boolean circuitBreakerTriggered() { return end.circuitBreaker().triggered(); }
    public Integer circuitBreakerFailures() { return end.circuitBreaker().failureCount(); }
    public Integer circuitBreakerThreshold() { return end.circuitBreaker().threshold(); }
    public List<GateState> gates() { return gatesPart.gates(); }
    public RollbackCause rollbackCause() { return end.rollback() == null ? null : end.rollback().cause(); }
    public String rollbackReason() { return end.rollback() == null ? null : end.rollback().reason(); }
    public Instant rollbackStartedAt() { return end.rollback() == null ? null : end.rollback().startedAt(); }
    /** Null while running. */
    public Outcome outcome() { return end.outcome(); }
    public Instant finishedAt() { return end.finishedAt(); }
    public boolean finished() { return end.outcome() != null; }
    /** The latest {@link #MAX_EVENTS} events as log lines. */
    public List<EventLine> events() { return log.events(); }

    /** The automated canary analysis at each gate it owns, oldest first (docs/analysis.md); empty without analysis. */
    public List<io.jenkins.plugins.ecsdeploy.engine.analysis.AnalysisRun> analyses() { return analysis.analyses(); }

    /** Gates awaiting a decision now. */
    public List<GateState> awaitingGates() {
        return gatesPart.gates().stream().filter(g -> "AWAITING_ACTION".equals(g.state())).toList();
    }

    /** The stages this strategy goes through, in order (for a progress bar), from {@link Planner#stagesOf}. */
    public List<String> expectedStages() {
        return header.expectedStages();
    }

    /** The deployment's traffic steps from its own configuration ({@link DeploymentEvent.PlanObserved}); empty for ROLLING. */
    public List<PlanStep> planSteps() {
        return header.plan() == null ? List.of() : header.plan().steps();
    }

    /** The final bake of the deployment's own configuration, null when not known. */
    public Integer planBakeMinutes() {
        return header.plan() == null ? null : header.plan().bakeMinutes();
    }

    /** When green's production share last changed (the start of a canary or linear step's bake); null before. */
    public Instant trafficShiftedAt() {
        return sides.trafficShiftedAt();
    }

    /** Where the deployment stands in its traffic plan ({@link StepProgress}); null for ROLLING or before observed. */
    public StepProgress progress() {
        return StepProgress.of(this);
    }

    /** "web:42 (nginx:1.27 → nginx:1.28)": the new revision as people name it ({@link RevisionNames#describe}), or null. */
    public String revisionDescription() {
        return RevisionNames.describe(blue(), green());
    }

    // ---- JSON: the parts' records are the mapping (internal.SnapshotJson) ----

    /** The snapshot as JSON, schema docs/snapshot-schema.md version 1. */
    public String toJson() {
        return toJsonNode().toString();
    }

    public ObjectNode toJsonNode() {
        ObjectNode n = SnapshotJson.MAPPER.createObjectNode();
        n.put("schemaVersion", SCHEMA_VERSION);
        for (Object part : parts()) {
            n.setAll((ObjectNode) SnapshotJson.MAPPER.valueToTree(part));
        }
        // derived, never read back: where the deployment stands in its plan (absolute times; readers add their clock)
        n.set("progress", SnapshotJson.MAPPER.valueToTree(progress()));
        n.put("revisionDescription", revisionDescription());
        return n;
    }

    /**
     * Reads a snapshot back from {@link #toJson()} output (e.g. one persisted by Jenkins). The events are kept
     * as log lines; unknown members are ignored, so a newer minor addition does not break an older reader.
     */
    public static DeploymentSnapshot fromJson(String json) {
        JsonNode n;
        try {
            n = SnapshotJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int v = n.path("schemaVersion").asInt(-1);
        if (v != SCHEMA_VERSION) {
            throw new IllegalArgumentException("schemaVersion '" + v + "': this engine reads "
                    + SCHEMA_VERSION);
        }
        try {
            return new DeploymentSnapshot(part(n, SnapshotHeader.class), part(n, SnapshotStages.class),
                    part(n, SnapshotSides.class), part(n, SnapshotGates.class), part(n, SnapshotRollback.class),
                    part(n, SnapshotLog.class), part(n, SnapshotAnalysis.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a deployment snapshot: " + e.getOriginalMessage(), e);
        }
    }

    /** Each part reads its own members from the one flat object, ignoring the others'. */
    private static <T> T part(JsonNode n, Class<T> type) throws JsonProcessingException {
        return SnapshotJson.MAPPER.treeToValue(n, type);
    }

    @Override
    public String toString() {
        return "DeploymentSnapshot" + toJson();
    }
}
