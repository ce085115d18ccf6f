package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot.Side;
import io.jenkins.plugins.ecsdeploy.engine.RevisionNames;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Blue (source revisions) and green (target revision): revision ARNs ({@code Observed}), images and task definition
 * ({@code RevisionsDescribed}), traffic weights ({@code TrafficChanged}) and task counts ({@code TasksChanged}).
 * JSON members: blue, green, trafficShiftedAt (when green's production share last changed: the start of a canary or
 * linear step's bake) and the derived imageChanges (written, not read back).
 */
public record SnapshotSides(Side blue, Side green, Instant trafficShiftedAt) implements SnapshotPart<SnapshotSides> {

    static final Side NO_SIDE = new Side(List.of(), null, null, null, null, null);
    public static final SnapshotSides EMPTY = new SnapshotSides(NO_SIDE, NO_SIDE, null);

    public SnapshotSides {
        blue = blue == null ? NO_SIDE : blue;
        green = green == null ? NO_SIDE : green;
    }

    public SnapshotSides(Side blue, Side green) {
        this(blue, green, null);
    }

    /** Containers whose image green changes: {@code [{container, from, to}]} ({@link RevisionNames#imageChanges}). */
    @com.fasterxml.jackson.annotation.JsonProperty(value = "imageChanges",
            access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public List<RevisionNames.ImageChange> imageChanges() {
        return RevisionNames.imageChanges(blue, green);
    }

    @Override
    public SnapshotSides fold(DeploymentEvent e, DeploymentSnapshot before) {
        if (e instanceof DeploymentEvent.Observed o) {
            return new SnapshotSides(withArns(blue, o.sourceRevisionArns()),
                    withArns(green, o.targetRevisionArn() == null ? List.of() : List.of(o.targetRevisionArn())),
                    trafficShiftedAt);
        }
        if (e instanceof DeploymentEvent.RevisionsDescribed rd) {
            return withRevisions(rd);
        }
        if (e instanceof DeploymentEvent.TrafficChanged t) {
            boolean shifted = !Objects.equals(green.productionTrafficPercent(), t.greenProductionPercent());
            return new SnapshotSides(withTraffic(blue, t.blueProductionPercent(), t.blueTestPercent()),
                    withTraffic(green, t.greenProductionPercent(), t.greenTestPercent()),
                    shifted ? t.at() : trafficShiftedAt);
        }
        if (e instanceof DeploymentEvent.TasksChanged tc) {
            boolean isGreen = "green".equals(tc.side());
            Side s = withTasks(isGreen ? green : blue, tc.requested(), tc.running(), tc.pending());
            return isGreen ? new SnapshotSides(blue, s, trafficShiftedAt) : new SnapshotSides(s, green, trafficShiftedAt);
        }
        return this;
    }

    /** Green: its one revision; blue with several sources: the first's task definition, the first image per container. */
    private SnapshotSides withRevisions(DeploymentEvent.RevisionsDescribed rd) {
        Side g = green;
        Map<String, String> blueImages = new LinkedHashMap<>();
        String blueTd = null;
        for (DeploymentEvent.RevisionDetails r : rd.revisions()) {
            if ("green".equals(r.side())) {
                g = withRevision(g, r.containerImages(), r.taskDefinitionArn());
            } else if ("blue".equals(r.side())) {
                r.containerImages().forEach(blueImages::putIfAbsent);
                if (blueTd == null) {
                    blueTd = r.taskDefinitionArn();
                }
            }
        }
        Side b = blueTd != null || !blueImages.isEmpty() ? withRevision(blue, blueImages, blueTd) : blue;
        return new SnapshotSides(b, g, trafficShiftedAt);
    }

    private static Side withArns(Side s, List<String> arns) {
        return new Side(arns, s.requestedTasks(), s.runningTasks(), s.pendingTasks(), s.productionTrafficPercent(),
                s.testTrafficPercent(), s.images(), s.taskDefinition());
    }

    private static Side withTasks(Side s, Integer requested, Integer running, Integer pending) {
        return new Side(s.revisionArns(), requested, running, pending, s.productionTrafficPercent(),
                s.testTrafficPercent(), s.images(), s.taskDefinition());
    }

    private static Side withTraffic(Side s, Double production, Double test) {
        return new Side(s.revisionArns(), s.requestedTasks(), s.runningTasks(), s.pendingTasks(), production, test,
                s.images(), s.taskDefinition());
    }

    private static Side withRevision(Side s, Map<String, String> images, String taskDefinition) {
        return new Side(s.revisionArns(), s.requestedTasks(), s.runningTasks(), s.pendingTasks(),
                s.productionTrafficPercent(), s.testTrafficPercent(), images, taskDefinition);
    }

    /** Traffic weights and task counts that changed between two observations ({@code prev} null on the first). */
    static void diff(Observation prev, Observation cur, List<DeploymentEvent> out) {
        Instant at = cur.at();
        if (prev == null || !Objects.equals(prev.greenProd(), cur.greenProd())
                || !Objects.equals(prev.greenTest(), cur.greenTest()) || !Objects.equals(prev.blueProd(), cur.blueProd())
                || !Objects.equals(prev.blueTest(), cur.blueTest())) {
            if (cur.greenProd() != null || cur.greenTest() != null || cur.blueProd() != null || cur.blueTest() != null) {
                out.add(new DeploymentEvent.TrafficChanged(at, cur.greenProd(), cur.greenTest(), cur.blueProd(),
                        cur.blueTest()));
            }
        }
        if (prev == null || prev.greenRequested() != cur.greenRequested() || prev.greenRunning() != cur.greenRunning()
                || prev.greenPending() != cur.greenPending()) {
            out.add(new DeploymentEvent.TasksChanged(at, "green", cur.targetArn(), cur.greenRequested(),
                    cur.greenRunning(), cur.greenPending()));
        }
        if (prev == null || prev.blueRequested() != cur.blueRequested() || prev.blueRunning() != cur.blueRunning()
                || prev.bluePending() != cur.bluePending()) {
            out.add(new DeploymentEvent.TasksChanged(at, "blue", cur.sourceArns().isEmpty() ? null : cur.sourceArns().get(0),
                    cur.blueRequested(), cur.blueRunning(), cur.bluePending()));
        }
    }
}
