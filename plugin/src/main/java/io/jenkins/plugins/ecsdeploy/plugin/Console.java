package io.jenkins.plugins.ecsdeploy.plugin;

import hudson.console.HyperlinkNote;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Console lines: one per transition, each with a UTC timestamp in the engine's time, so a long
 * deployment can be read back from the log alone. Never prints credentials: nothing secret reaches here.
 */
final class Console {
    private Console() {}

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    static void line(TaskListener listener, String label, String text) {
        line(listener, EngineRegistry.get().clock().instant(), label, text);
    }

    static void line(TaskListener listener, Instant at, String label, String text) {
        if (listener == null) {
            return;
        }
        listener.getLogger().println("[" + TS.format(at == null ? Instant.now() : at) + "] ECS " + label + ": " + text);
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
