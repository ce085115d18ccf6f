package io.jenkins.plugins.ecsdeploy.engine.cutover;

import java.time.Instant;

/**
 * A cutover gate awaiting a decision: after step {@code afterStep}, green holds {@code greenPercent} % of the answers;
 * {@code expiresAt} is when the engine applies the gate's timeout action. Answer through {@link CutoverRun#decide}.
 */
public record PendingCutoverGate(String cutoverId, String gateId, int afterStep, int greenPercent, Instant expiresAt,
                                 CutoverSnapshot snapshot) {}
