package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs a write path (a gate decision, a rollback) on the I/O pool and, when ECS still throttles after the SDK's own
 * retries, tries again later on the scheduler (2 s, 4 s, ... 64 s; 6 more tries). A throttled request was not applied,
 * so trying again is not a blind retry; any other failure completes the future exceptionally at once.
 */
final class Throttled {
    static final int TRIES = 7;

    private Throttled() {}

    static <T> CompletableFuture<T> call(Scheduler scheduler, Executor io, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(scheduler, io, work, result, 0);
        return result;
    }

    private static <T> void attempt(Scheduler scheduler, Executor io, Supplier<T> work, CompletableFuture<T> result, int n) {
        CompletableFuture.supplyAsync(work, io).whenComplete((v, e) -> {
            if (e == null) {
                result.complete(v);
                return;
            }
            Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (DeploymentWatcher.isThrottling(c) && n + 1 < TRIES) {
                scheduler.schedule(Duration.ofSeconds(2L << n), () -> attempt(scheduler, io, work, result, n + 1));
            } else {
                result.completeExceptionally(c);
            }
        });
    }
}
