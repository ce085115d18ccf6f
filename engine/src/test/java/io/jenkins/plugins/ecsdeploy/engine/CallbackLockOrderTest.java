package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Engine callbacks never run under the watcher's lock: a callback that takes a lock L while another thread, holding
 * L, calls into the engine (follow, Subscription.close, engine.close) must not deadlock (the plugin's
 * Follower → Lease lock vs. EngineRegistry → engine.close inversion).
 *
 * <p>The callback waits for L with a time limit instead of forever, so that without the fix the test fails (the
 * callback never got L while the other thread was stuck) instead of hanging the build.
 */
class CallbackLockOrderTest {
    static final long LOCK_WAIT_SECONDS = 5;

    Sandbox sb;
    DeploymentEngine engine;

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
        engine = sb.engine();
    }

    @AfterEach
    void tearDown() {
        sb.close();
    }

    /**
     * A listener whose first callback signals that it runs, then takes {@code l}: while another thread holds l, the
     * callback waits (at most {@link #LOCK_WAIT_SECONDS}) and records whether it got it.
     */
    static final class LockTaking implements DeploymentListener {
        final ReentrantLock l;
        final CountDownLatch inCallback = new CountDownLatch(1);
        final CompletableFuture<Boolean> gotLock = new CompletableFuture<>();
        final AtomicBoolean first = new AtomicBoolean(true);

        LockTaking(ReentrantLock l) {
            this.l = l;
        }

        @Override
        public void onEvent(DeploymentEvent e, DeploymentSnapshot s) {
            if (!first.compareAndSet(true, false)) {
                return;
            }
            inCallback.countDown();
            try {
                boolean got = l.tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS);
                if (got) {
                    l.unlock();
                }
                gotLock.complete(got);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                gotLock.complete(false);
            }
        }
    }

    /**
     * Holds L on another thread, waits until the callback runs (and wants L), then calls {@code intoEngine} while
     * still holding L. Returns whether the callback got L; asserts the call into the engine returned.
     */
    private boolean callIntoEngineWhileCallbackWantsTheLock(LockTaking cb, Runnable intoEngine) throws Exception {
        CompletableFuture<Long> holder = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            cb.l.lock();
            try {
                if (!cb.inCallback.await(60, TimeUnit.SECONDS)) {
                    holder.completeExceptionally(new AssertionError("no callback within 60 s"));
                    return;
                }
                long t0 = System.nanoTime();
                intoEngine.run();
                holder.complete(System.nanoTime() - t0);
            } catch (Throwable ex) {
                holder.completeExceptionally(ex);
            } finally {
                cb.l.unlock();
            }
        }, "holds-L");
        t.setDaemon(true);
        t.start();
        long nanos = holder.get(60, TimeUnit.SECONDS);
        boolean got = cb.gotLock.get(60, TimeUnit.SECONDS);
        assertTrue(nanos < TimeUnit.SECONDS.toNanos(LOCK_WAIT_SECONDS - 1),
                "the call into the engine waited " + nanos / 1_000_000 + " ms for a callback that waited for its lock");
        return got;
    }

    private DeploymentHandle started(String service) {
        return await(engine.start(Sandbox.request(sb.service(service), new Strategy.BlueGreen(5)).build()));
    }

    @Test
    void aCallbackTakingALockDoesNotDeadlockWithAThreadHoldingItThatCallsFollow() throws Exception {
        DeploymentHandle h = started("web");
        DeploymentHandle other = started("api");
        LockTaking cb = new LockTaking(new ReentrantLock());
        engine.follow(h, cb, null);
        List<Subscription> more = Collections.synchronizedList(new ArrayList<>());
        assertTrue(callIntoEngineWhileCallbackWantsTheLock(cb, () -> more.add(engine.follow(other, null, null))),
                "the callback got its lock once the other thread's follow() returned");
        assertEquals(1, more.size());
    }

    @Test
    void aCallbackTakingALockDoesNotDeadlockWithAThreadHoldingItThatClosesASubscription() throws Exception {
        DeploymentHandle h = started("web");
        Subscription second = engine.follow(h, null, null);
        LockTaking cb = new LockTaking(new ReentrantLock());
        engine.follow(h, cb, null);
        assertTrue(callIntoEngineWhileCallbackWantsTheLock(cb, second::close));
    }

    @Test
    void aCallbackTakingALockDoesNotDeadlockWithAThreadHoldingItThatClosesTheEngine() throws Exception {
        DeploymentHandle h = started("web");
        LockTaking cb = new LockTaking(new ReentrantLock());
        engine.follow(h, cb, null);
        // close() returns at once (asserted inside); it interrupts the engine's threads, so the callback may end
        // without its lock: only that it ended matters here.
        callIntoEngineWhileCallbackWantsTheLock(cb, engine::close);
        assertTrue(cb.gotLock.isDone());
    }

    @Test
    void codeChainedToTheOutcomeRunsOutsideTheWatchersLock() throws Exception {
        DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.BlueGreen(1)).build()));
        ReentrantLock l = new ReentrantLock();
        CountDownLatch chained = new CountDownLatch(1);
        CompletableFuture<Boolean> gotLock = new CompletableFuture<>();
        Subscription sub = engine.follow(h, null, null);
        sub.outcome().thenRun(() -> {
            chained.countDown();
            try {
                boolean got = l.tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS);
                if (got) {
                    l.unlock();
                }
                gotLock.complete(got);
            } catch (InterruptedException ex) {
                gotLock.complete(false);
            }
        });
        l.lock();
        try {
            assertTrue(chained.await(60, TimeUnit.SECONDS), "the deployment finished");
            engine.follow(h, null, null).close(); // into the watcher while the chained code waits for l
        } finally {
            l.unlock();
        }
        assertTrue(gotLock.get(60, TimeUnit.SECONDS));
    }

    @Test
    void callbacksOfOneDeploymentArriveInOrderAndNeverOverlapWhileOtherThreadsCallIn() throws Exception {
        DeploymentHandle h = started("web");
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        List<DeploymentEvent> seen = Collections.synchronizedList(new ArrayList<>());
        Consumer<DeploymentEvent> slow = e -> {
            if (inside.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            seen.add(e);
            Thread.onSpinWait();
            inside.decrementAndGet();
        };
        Subscription sub = engine.follow(h, (e, s) -> slow.accept(e), null);
        // Other threads poke the watcher and follow the same deployment meanwhile.
        for (int i = 0; i < 20; i++) {
            engine.watcher().poke(h.deploymentArn());
            engine.follow(h, null, null).close();
        }
        Outcome o = await(sub.outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertFalse(overlapped.get(), "two callbacks of one deployment ran at the same time");
        assertTrue(seen.get(seen.size() - 1) instanceof DeploymentEvent.Finished, "Finished came last: " + seen);
        assertTrue(seen.get(0) instanceof DeploymentEvent.Observed, "Observed came first: " + seen);
    }
}
