package io.jenkins.plugins.ecsdeploy.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code ecs-deploy demo ...} in-process on a background thread and exposes the page URL it prints. */
final class DemoRun implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("Progress page: (http://127\\.0\\.0\\.1:\\d+/)");

    private final StringBuffer out = new StringBuffer();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<String> url = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final CompletableFuture<Void> holding = new CompletableFuture<>();
    private final Thread thread;

    DemoRun(List<String> args) {
        Writer capture = new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                out.append(cbuf, off, len);
                if (!holding.isDone() && out.indexOf("Holding the page") >= 0) {
                    holding.complete(null);
                }
                if (!url.isDone()) {
                    Matcher m = URL.matcher(out);
                    if (m.find()) {
                        url.complete(m.group(1));
                    }
                }
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        Cli cli = new Cli(new PrintWriter(capture, true), new PrintWriter(err, true), false, Map.of(), 120, "tester",
                new ByteArrayInputStream(new byte[0]), u -> { });
        thread = new Thread(() -> {
            try {
                int code = Main.run(args.toArray(String[]::new), cli);
                exit.complete(code);
                url.completeExceptionally(new IllegalStateException("demo ended without a page URL\n" + output()));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
                url.completeExceptionally(t);
            }
        }, "demo-under-test");
        thread.setDaemon(true);
        thread.start();
    }

    String url() throws Exception {
        return url.get(60, TimeUnit.SECONDS);
    }

    /** Waits for the demo command to return (after its --hold, if any: see {@link #endHold()}). */
    int exitCode(long seconds) throws Exception {
        return exit.get(seconds, TimeUnit.SECONDS);
    }

    /** Waits until the demo has finished and holds its page (--hold). */
    void awaitHolding() throws Exception {
        holding.get(60, TimeUnit.SECONDS);
    }

    /** Ends a --hold early, once the demo has finished and holds (it treats the interrupt as the end of the hold). */
    void endHold() throws Exception {
        holding.get(60, TimeUnit.SECONDS);
        thread.interrupt();
    }

    String output() {
        return out + "\n--- stderr\n" + err;
    }

    @Override
    public void close() {
        if (!exit.isDone()) {
            thread.interrupt();
            try {
                exit.get(20, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the test already failed; do not hide its reason
            }
        }
    }
}
