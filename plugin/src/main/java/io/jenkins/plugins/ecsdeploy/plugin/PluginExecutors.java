package io.jenkins.plugins.ecsdeploy.plugin;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The plugin's own bounded thread pool for work that may block: reading a workspace file from an agent, a
 * ContinueServiceDeployment a timer decided on, refreshing credentials before they expire. Never
 * {@code jenkins.util.Timer} (10 shared threads for all of Jenkins) and never the engine's scheduler thread (docs/engine.md
 * "4. Follow"): a slow agent or AWS call must stall neither. 4 threads, a bounded queue; a task's exception is logged, never
 * swallowed.
 */
final class PluginExecutors {
    private static final Logger LOGGER = Logger.getLogger(PluginExecutors.class.getName());
    static final int THREADS = 4;
    static final int QUEUE = 1000;

    private static ThreadPoolExecutor io;
    /** Tests only: while set, tasks queue here and never run (a JVM killed before they ran); shutdown() drops them. */
    private static java.util.concurrent.ExecutorService held;

    private PluginExecutors() {}

    static synchronized ExecutorService io() {
        if (held != null) {
            return held;
        }
        if (io == null || io.isShutdown()) {
            AtomicInteger n = new AtomicInteger();
            io = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "Amazon ECS Deployments I/O " + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }) {
                @Override
                protected void afterExecute(Runnable r, Throwable t) {
                    super.afterExecute(r, t);
                    if (t == null && r instanceof Future<?> f && f.isDone() && !f.isCancelled()) {
                        try {
                            f.get();
                        } catch (java.util.concurrent.ExecutionException e) {
                            t = e.getCause();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (java.util.concurrent.CancellationException ignored) {
                            // cancelled on purpose
                        }
                    }
                    if (t != null) {
                        LOGGER.log(Level.WARNING, "a task of Amazon ECS Deployments failed", t);
                    }
                }
            };
            io.allowCoreThreadTimeOut(true);
        }
        return io;
    }

    /** Runs {@code task} on the pool; an exception it throws is logged with {@code what}. */
    static void run(String what, Runnable task) {
        io().execute(() -> {
            try {
                task.run();
            } catch (RuntimeException | LinkageError e) {
                LOGGER.log(Level.WARNING, what + " failed", e);
            }
        });
    }

    /**
     * Tests only (the harness's crash: work handed to the pool just before the controller dies never runs): from now on
     * tasks are queued and not run, until {@link #shutdown()} drops them.
     */
    static synchronized void holdTasksForTests() {
        held = new java.util.concurrent.AbstractExecutorService() {
            private volatile boolean down;
            @Override public void execute(Runnable command) { /* queued in a JVM that is about to die */ }
            @Override public void shutdown() { down = true; }
            @Override public java.util.List<Runnable> shutdownNow() { down = true; return java.util.List.of(); }
            @Override public boolean isShutdown() { return down; }
            @Override public boolean isTerminated() { return down; }
            @Override public boolean awaitTermination(long t, TimeUnit u) { return true; }
        };
    }

    static synchronized void shutdown() {
        held = null;
        if (io != null) {
            io.shutdownNow();
            io = null;
        }
    }
}
