package io.jenkins.plugins.ecsdeploy.simulator;

import java.time.Instant;

/** A service deployment's status change, in virtual time. */
public record StatusChange(String status, Instant at, String reason) {
}
