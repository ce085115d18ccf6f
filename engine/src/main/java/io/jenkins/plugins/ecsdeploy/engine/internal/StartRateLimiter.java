package io.jenkins.plugins.ecsdeploy.engine.internal;

import io.jenkins.plugins.ecsdeploy.engine.time.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client-side budget of the start path (preflight, RegisterTaskDefinition, UpdateService, finding the new
 * deployment, attach): a bucket of {@code perSecond} tokens. A step that makes up to n calls takes n tokens before its
 * first call and gives them back when it is done; they return to the bucket one second (engine clock) after that.
 * So the calls of every step that runs in a given one-second window were all covered by tokens out at the same time:
 * at most {@code perSecond} calls in any one-second window, however long the steps' round trips take. ECS budgets
 * about 20 req/s per account and Region for service reads (request-throttling page, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html); the default of 10 leaves half of it to
 * polls, other tools and the console.
 *
 * <p>Tokens are granted in request order (FIFO), with one exception: the later steps of a start already under way
 * (UpdateService, finding its deployment) go before new starts' preflights, so a mass start completes its starts one
 * after another instead of running every preflight first. A step that finds the bucket short waits as a callback: the tokens
 * come back through a task on the engine's {@link Scheduler} — nobody sleeps, and in virtual time the budget is kept
 * in virtual seconds. Polls (batched, 20 ARNs a call) and gate decisions / rollbacks (one per human action; they must
 * not wait behind a mass start) are not counted here.
 */
public final class StartRateLimiter {
    static final Duration WINDOW = Duration.ofSeconds(1);

    /** Tokens taken by one step: give them back once its calls are done (idempotent). */
    public interface Permit {
        void release();
    }

    private record Waiter(int n, CompletableFuture<Permit> granted) {}

    private final Scheduler scheduler;
    private final int perSecond;
    private final Object lock = new Object();
    private int available;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    /** Steps of starts already under way: served before {@link #waiting}. */
    private final ArrayDeque<Waiter> urgent = new ArrayDeque<>();

    public StartRateLimiter(Scheduler scheduler, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond '" + perSecond + "': must be at least 1");
        }
        this.scheduler = scheduler;
        this.perSecond = perSecond;
        this.available = perSecond;
    }

    public int perSecond() {
        return perSecond;
    }

    /**
     * Completes with a permit once {@code calls} tokens (at most perSecond: a bigger step takes the whole bucket) are
     * granted: at once when they are there and nobody waits before, else on the scheduler's thread when enough
     * tokens came back.
     */
    public CompletableFuture<Permit> acquire(int calls) {
        return acquire(calls, false);
    }

    /** As {@link #acquire(int)}; {@code underWay}: a later step of a start already admitted, served first. */
    public CompletableFuture<Permit> acquire(int calls, boolean underWay) {
        int n = Math.max(1, Math.min(calls, perSecond));
        synchronized (lock) {
            if (urgent.isEmpty() && (underWay || waiting.isEmpty()) && available >= n) {
                available -= n;
                return CompletableFuture.completedFuture(permit(n));
            }
            CompletableFuture<Permit> f = new CompletableFuture<>();
            (underWay ? urgent : waiting).addLast(new Waiter(n, f));
            return f;
        }
    }

    private Permit permit(int n) {
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                scheduler.schedule(WINDOW, () -> giveBack(n));
            }
        };
    }

    private void giveBack(int n) {
        List<Waiter> granted = new ArrayList<>();
        synchronized (lock) {
            available += n;
            while (!urgent.isEmpty() && available >= urgent.peekFirst().n()) {
                Waiter w = urgent.pollFirst();
                available -= w.n();
                granted.add(w);
            }
            while (urgent.isEmpty() && !waiting.isEmpty() && available >= waiting.peekFirst().n()) {
                Waiter w = waiting.pollFirst();
                available -= w.n();
                granted.add(w);
            }
        }
        for (Waiter w : granted) { // outside the lock: the steps run from here
            w.granted().complete(permit(w.n()));
        }
    }
}
