package io.jenkins.plugins.ecsdeploy.engine.cutover;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** One HTTP GET of green's endpoint, answered asynchronously (no thread waits for it). Tests give their own. */
@FunctionalInterface
public interface HealthProbe {
    /** The status, or null with {@code detail} saying why there was none (refused, timed out, TLS …). Never fails. */
    record Result(Integer status, String detail) {}

    CompletableFuture<Result> get(String url, Duration timeout);
}
