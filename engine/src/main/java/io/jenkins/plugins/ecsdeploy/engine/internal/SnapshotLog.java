package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every event, as a log line: the latest {@link DeploymentSnapshot#MAX_EVENTS} of them, the total count (a cheap
 * change marker for pages that poll) and the time of the latest. JSON members: updatedAt, eventCount, events.
 */
public record SnapshotLog(Instant updatedAt, int eventCount, List<DeploymentSnapshot.EventLine> events)
        implements SnapshotPart<SnapshotLog> {

    public static final SnapshotLog EMPTY = new SnapshotLog(null, 0, List.of());

    public SnapshotLog {
        events = events == null ? List.of() : List.copyOf(events);
    }

    @Override
    public SnapshotLog fold(DeploymentEvent e, DeploymentSnapshot before) {
        List<DeploymentSnapshot.EventLine> lines = new ArrayList<>(Math.min(events.size() + 1, DeploymentSnapshot.MAX_EVENTS));
        int from = Math.max(0, events.size() + 1 - DeploymentSnapshot.MAX_EVENTS);
        lines.addAll(events.subList(from, events.size()));
        lines.add(new DeploymentSnapshot.EventLine(e.at(), e.getClass().getSimpleName(), e.describe()));
        Instant updated = updatedAt == null || e.at().isAfter(updatedAt) ? e.at() : updatedAt;
        return new SnapshotLog(updated, eventCount + 1, lines);
    }
}
