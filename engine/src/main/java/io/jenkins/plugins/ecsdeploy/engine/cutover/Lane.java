package io.jenkins.plugins.ecsdeploy.engine.cutover;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one cutover's tasks one at a time, in order, on a shared executor: no thread per cutover, no lock held while a
 * task runs (so a listener may call back into the run; its task is queued, not run inside the caller).
 */
final class Lane {
    private static final Logger LOG = Logger.getLogger(Lane.class.getName());
    private final Executor executor;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    Lane(Executor executor) {
        this.executor = executor;
    }

    void submit(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            executor.execute(this::drain);
        } catch (RuntimeException rejected) {
            synchronized (this) {
                running = false;
                queue.clear();   // the engine is closing
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable r;
            synchronized (this) {
                r = queue.poll();
                if (r == null) {
                    running = false;
                    return;
                }
            }
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a cutover task failed", e);
            }
        }
    }
}
