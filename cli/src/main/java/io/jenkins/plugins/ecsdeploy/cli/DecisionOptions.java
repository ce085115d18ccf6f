package io.jenkins.plugins.ecsdeploy.cli;

import picocli.CommandLine.Option;

/** The options {@code approve} and {@code rollback} share: who decides, why, and which gate. */
final class DecisionOptions {
    @Option(names = "--comment", paramLabel = "TEXT", description = "Why (kept with the decision).")
    String comment;

    @Option(names = "--user", paramLabel = "ID", description = "Who decides (default: the OS user name).")
    String user;

    @Option(names = "--hook-id", paramLabel = "ID", description = "Which gate, when several wait (see 'status').")
    String hookId;
}
