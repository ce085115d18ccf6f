package io.jenkins.plugins.ecsdeploy.engine.release;

import java.time.Instant;
import java.util.List;

/**
 * A wave's gate, offered once every service of the wave waits at its own gate (docs/releases.md "One gate per wave").
 * {@code expiresAt}: the earliest of the services' hook timeouts.
 */
public record PendingWaveGate(String releaseName, int wave, List<String> services, Instant expiresAt, ReleaseSnapshot snapshot) {
}
