package io.jenkins.plugins.ecsdeploy.engine;

import java.time.Instant;

/** A PAUSE hook the engine placed, now AWAITING_ACTION: answer through {@link DeploymentEngine#decide}. */
public record PendingGate(DeploymentHandle deployment, String stage, String hookId, Instant expiresAt,
                          DeploymentSnapshot snapshot) {}
