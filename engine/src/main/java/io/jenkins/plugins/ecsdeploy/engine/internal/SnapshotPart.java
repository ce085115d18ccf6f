package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;

/**
 * One concern of a {@link DeploymentSnapshot} (header, stages, sides, hooks and gates, rollback, log). Each part is an
 * immutable record whose components are its JSON members ({@link SnapshotJson}), folds the events of its own concern
 * and ignores the others, and sits in the same file as the code that derives those events from two observations
 * (the part's {@code diff}), so what is emitted and what is folded are written side by side.
 */
public interface SnapshotPart<P extends SnapshotPart<P>> {
    /**
     * This part after {@code e} ({@code this} when {@code e} is not of its concern). {@code before} is the whole
     * snapshot before {@code e}, for the rare rule that reads another concern (e.g. no stage is inferred while rolling
     * back).
     */
    P fold(DeploymentEvent e, DeploymentSnapshot before);
}
