package io.jenkins.plugins.ecsdeploy.cli;

import picocli.CommandLine.Option;

/** How progress is shown: redrawn on a terminal, one line per change otherwise, or JSON lines. */
public final class OutputOptions {
    @Option(order = 200, names = "--json", description = "Machine output: one JSON object per line (events, messages, the result).")
    boolean json;

    @Option(order = 201, names = "--plain", description = "One plain line per change even on a terminal (what CI logs get anyway).")
    boolean plain;

    Progress.Mode mode(Cli cli) {
        if (json) {
            return Progress.Mode.JSON;
        }
        return cli.tty && !plain ? Progress.Mode.TTY : Progress.Mode.PLAIN;
    }
}
