package io.jenkins.plugins.ecsdeploy.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The width of the terminal, asked of the terminal itself. {@code COLUMNS} alone is not enough: bash sets it but does
 * not export it, so a Java process almost never sees it, and the picture was then drawn 100 columns wide on an 80-column
 * terminal — every line wrapped, the redraw moved the cursor up too few lines and left stale copies behind (issue 11).
 *
 * <p>Order: on a terminal, {@code stty size </dev/tty} (POSIX stty: "rows columns"; the terminal's own answer, also after
 * a resize), then {@code COLUMNS}, then 80 (the VT100 width every terminal starts with). Not on a terminal:
 * {@code COLUMNS}, then 120 (log viewers wrap themselves). Asked again at most once a second, so a resize shows at the
 * next redraw without a process per frame. JLine would do the same through native code; one {@code stty} call keeps
 * the CLI free of a native dependency (docs/cli.md "Output forms").
 */
final class TerminalWidth implements IntSupplier {
    static final int TTY_DEFAULT = 80;
    static final int PIPE_DEFAULT = 120;
    static final int MIN = 40;
    static final int MAX = 400;

    private final Map<String, String> env;
    private final boolean tty;
    private final Supplier<String> sttySize;
    private long askedAt = Long.MIN_VALUE;
    private int last;

    /**
     * @param sttySize the answer of {@code stty size} ("rows columns"), or null when there is none (tests give their own)
     */
    TerminalWidth(Map<String, String> env, boolean tty, Supplier<String> sttySize) {
        this.env = env;
        this.tty = tty;
        this.sttySize = sttySize;
    }

    @Override
    public synchronized int getAsInt() {
        long now = System.nanoTime();
        if (askedAt != Long.MIN_VALUE && now - askedAt < TimeUnit.SECONDS.toNanos(1)) {
            return last;
        }
        askedAt = now;
        last = ask();
        return last;
    }

    private int ask() {
        if (tty) {
            Integer cols = parseStty(sttySize.get());
            if (cols != null) {
                return clamp(cols);
            }
        }
        Integer cols = parse(env.get("COLUMNS"));
        if (cols != null) {
            return clamp(cols);
        }
        return tty ? TTY_DEFAULT : PIPE_DEFAULT;
    }

    private static int clamp(int cols) {
        return Math.max(MIN, Math.min(MAX, cols));
    }

    /** Columns from "rows columns"; null when the answer is not two positive numbers. */
    static Integer parseStty(String s) {
        if (s == null) {
            return null;
        }
        String[] p = s.trim().split("\\s+");
        if (p.length != 2) {
            return null;
        }
        Integer rows = parse(p[0]);
        Integer cols = parse(p[1]);
        return rows == null || cols == null ? null : cols;
    }

    private static Integer parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            int v = Integer.parseInt(s.trim());
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code stty size </dev/tty}: the controlling terminal's size, null when there is none or stty fails. */
    static String sttySize() {
        File tty = new File("/dev/tty");
        if (!tty.exists()) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(1, TimeUnit.SECONDS)) {
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
