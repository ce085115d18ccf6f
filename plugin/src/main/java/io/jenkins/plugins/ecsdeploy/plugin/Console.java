package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.console.HyperlinkNote;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Console lines: one per transition, each with a UTC timestamp, so a long deployment can be read back from the log
 * alone. Every line is stamped with ONE clock — Jenkins' (the engine registry's clock: the system clock in production)
 * — never with a time ECS reported, so lines never jump between two clocks (a found defect: an endpoint whose clock
 * differs from the controller's made the log's times go back and forth). Never prints credentials: nothing secret
 * reaches here. Untrusted text is passed through {@link SafeText} by the callers ({@link #safe}).
 */
final class Console {
    private Console() {}

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    static void line(TaskListener listener, String label, String text) {
        print(listener, EngineRegistry.get().clock().instant(), label, text);
    }

    /** As {@link #line(TaskListener, String, String)}; {@code ecsTime} (what ECS reported) is not used for the stamp. */
    static void line(TaskListener listener, Instant ecsTime, String label, String text) {
        line(listener, label, text);
    }

    private static void print(TaskListener listener, Instant at, String label, String text) {
        if (listener == null) {
            return;
        }
        listener.getLogger().println("[" + TS.format(at == null ? Instant.now() : at) + "] ECS " + safe(label) + ": " + text);
    }

    /** Untrusted text (user ids, comments, ECS reasons, names) as one safe console line (engine SafeText). */
    static String safe(String untrusted) {
        return untrusted == null ? "null" : SafeText.line(untrusted);
    }

    /** A console hyperlink to {@code rel} under the build's URL (plain text when the run is unknown). */
    static String link(Run<?, ?> run, String rel, String text) {
        if (run == null) {
            return text;
        }
        try {
            return HyperlinkNote.encodeTo("/" + run.getUrl() + rel, text);
        } catch (RuntimeException | LinkageError e) {
            return text;
        }
    }
}
