package io.jenkins.plugins.ecsdeploy.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * What a command may touch of the outside world: its output streams, whether stdout is a terminal, the
 * environment and the user name. Tests build one over string buffers; {@link #system()} is the real one.
 */
public final class Cli {
    final PrintWriter out;
    final PrintWriter err;
    final boolean tty;
    final Map<String, String> env;
    final int width;
    final String userName;
    final InputStream in;
    /** Opens URLs in a browser (the demo's page); a no-op in tests. */
    final java.util.function.Consumer<String> browser;
    /** The terminal's width now (it may be resized while a deployment runs); {@link #width} when not a terminal. */
    final IntSupplier terminalWidth;
    /** Whether EC2 instance metadata gives credentials (the last source of the default chain; tests: a fake). */
    final BooleanSupplier instanceMetadata;

    public Cli(PrintWriter out, PrintWriter err, boolean tty, Map<String, String> env, int width, String userName,
               InputStream in, java.util.function.Consumer<String> browser) {
        this(out, err, tty, env, () -> width, userName, in, browser, () -> false);
    }

    public Cli(PrintWriter out, PrintWriter err, boolean tty, Map<String, String> env, IntSupplier terminalWidth,
               String userName, InputStream in, java.util.function.Consumer<String> browser, BooleanSupplier instanceMetadata) {
        this.out = out;
        this.err = err;
        this.tty = tty;
        this.env = Map.copyOf(env);
        this.terminalWidth = terminalWidth;
        this.width = terminalWidth.getAsInt();
        this.userName = userName;
        this.in = in;
        this.browser = browser;
        this.instanceMetadata = instanceMetadata;
    }

    /** The process's own streams. A terminal is stdout attached to a console (System.console() != null). */
    public static Cli system() {
        Charset cs = System.console() != null ? System.console().charset() : StandardCharsets.UTF_8;
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, cs), true);
        boolean tty = System.console() != null;
        Map<String, String> env = System.getenv();
        TerminalWidth width = new TerminalWidth(env, tty, TerminalWidth::sttySize);
        return new Cli(out, err, tty, env, width, System.getProperty("user.name", "unknown"), System.in, Cli::openBrowser,
                CredentialsCheck::instanceMetadataAnswers);
    }

    private static void openBrowser(String url) {
        try {
            if (java.awt.Desktop.isDesktopSupported() && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                java.awt.Desktop.getDesktop().browse(java.net.URI.create(url));
            }
        } catch (Exception | LinkageError ignored) {
            // headless machine: the URL is printed anyway
        }
    }
}
