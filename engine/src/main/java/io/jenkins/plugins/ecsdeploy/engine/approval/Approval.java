package io.jenkins.plugins.ecsdeploy.engine.approval;

import java.io.Serializable;
import java.time.Instant;

/** One person's approval at a gate that needs several ({@link Tally}). */
public record Approval(String userId, Instant at, String comment) implements Serializable {
}
