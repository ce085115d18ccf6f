package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The client-side budget of the start path (preflight, RegisterTaskDefinition, UpdateService, finding the new
 * deployment, attach): a bucket of {@code perSecond} tokens in which every token spent comes back exactly one second
 * (engine clock) after it was granted. So at most {@code perSecond} tokens are granted in any one-second window — ECS
 * budgets about 20 req/s per account and Region for service reads (peers.md §3), and the engine's own starts should
 * use half of it at most by default, leaving the rest to polls, other tools and the console.
 *
 * <p>Tokens are granted in request order (FIFO). A step that needs n calls asks for n tokens before its first call;
 * when they are not there, the step is scheduled on the engine's {@link Scheduler} for the moment they come back —
 * nobody sleeps, and in virtual time the budget is kept in virtual seconds. Polls (batched, 20 ARNs a call) and gate
 * decisions / rollbacks (one per human action; must not wait behind a mass start) are not counted here.
 */
public final class StartRateLimiter {
    static final Duration WINDOW = Duration.ofSeconds(1);

    private final Scheduler scheduler;
    private final int perSecond;
    /** Grant times of the tokens still out (at most perSecond of them), oldest first. Guarded by this. */
    private final ArrayDeque<Instant> out = new ArrayDeque<>();
    private Instant lastGrant = Instant.MIN;

    public StartRateLimiter(Scheduler scheduler, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond: '" + perSecond + "' is not allowed; must be at least 1");
        }
        this.scheduler = scheduler;
        this.perSecond = perSecond;
    }

    public int perSecond() {
        return perSecond;
    }

    /**
     * Reserves {@code calls} tokens (at most perSecond: a bigger step takes the whole bucket) and returns how long
     * from now until they are granted: zero when they are there now.
     */
    public Duration reserve(int calls) {
        int n = Math.max(1, Math.min(calls, perSecond));
        Instant now = scheduler.clock().instant();
        synchronized (this) {
            Instant t = now.isAfter(lastGrant) ? now : lastGrant;
            returnTokens(t);
            int missing = out.size() + n - perSecond;
            if (missing > 0) {
                // Wait for the missing oldest tokens to come back: the last of them returns one window after its grant.
                Instant back = null;
                for (int i = 0; i < missing; i++) {
                    back = out.pollFirst();
                }
                t = back.plus(WINDOW).isAfter(t) ? back.plus(WINDOW) : t;
                returnTokens(t);
            }
            for (int i = 0; i < n; i++) {
                out.addLast(t);
            }
            lastGrant = t;
            Duration wait = Duration.between(now, t);
            return wait.isNegative() ? Duration.ZERO : wait;
        }
    }

    /** Completes (on the scheduler's thread when it has to wait) once {@code calls} tokens are granted. */
    public CompletableFuture<Void> acquire(int calls) {
        Duration wait = reserve(calls);
        if (wait.isZero()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> granted = new CompletableFuture<>();
        scheduler.schedule(wait, () -> granted.complete(null));
        return granted;
    }

    private void returnTokens(Instant at) {
        while (!out.isEmpty() && !out.peekFirst().plus(WINDOW).isAfter(at)) {
            out.pollFirst();
        }
    }
}
