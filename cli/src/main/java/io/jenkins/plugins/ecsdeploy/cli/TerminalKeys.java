package io.jenkins.plugins.ecsdeploy.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's terminal in character mode while it runs, so one key decides a gate ("a approve · r roll back", no Enter):
 * {@code stty -icanon -echo min 1 </dev/tty} (POSIX stty: no line editing, no echo, a read returns after one byte;
 * Ctrl-C still interrupts, {@code isig} stays on), and the saved settings ({@code stty -g}) back on {@link #close()} and
 * at exit (a shutdown hook, also on Ctrl-C). Where stty or /dev/tty is missing, {@link #enter()} returns null and the
 * demo reads lines (a key, then Enter).
 */
final class TerminalKeys implements AutoCloseable {
    private final String saved;
    private final Thread restoreAtExit;
    private boolean closed;

    private TerminalKeys(String saved) {
        this.saved = saved;
        this.restoreAtExit = new Thread(() -> stty(saved), "ecs-deploy-restore-terminal");
        try {
            Runtime.getRuntime().addShutdownHook(restoreAtExit);
        } catch (IllegalStateException e) {
            // shutting down already: close() restores
        }
    }

    /** Character mode, or null when the terminal cannot be switched. */
    static TerminalKeys enter() {
        String saved = stty("-g");
        if (saved == null || saved.isBlank()) {
            return null;
        }
        if (stty("-icanon", "-echo", "min", "1") == null) {
            return null;
        }
        return new TerminalKeys(saved.trim());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stty(saved);
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs anyway, restoring the same settings
        }
    }

    /** {@code stty ARGS </dev/tty}; its output, or null when it failed. */
    private static String stty(String... args) {
        File tty = new File("/dev/tty");
        if (!tty.exists()) {
            return null;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("stty");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return p.exitValue() == 0 ? out : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
