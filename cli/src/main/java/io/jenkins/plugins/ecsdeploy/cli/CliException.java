package io.jenkins.plugins.ecsdeploy.cli;

import java.util.List;

/** Ends a command with an exit code and the lines to print on stderr (one problem per line). */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final List<String> lines;

    public CliException(int exitCode, List<String> lines) {
        super(String.join("\n", lines));
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    public CliException(int exitCode, String line) {
        this(exitCode, List.of(line));
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> lines() {
        return lines;
    }
}
