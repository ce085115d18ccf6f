package io.jenkins.plugins.ecsdeploy.cli;

import picocli.CommandLine.Option;

/** The options {@code approve} and {@code rollback} share: who decides, why, and which gate. */
final class DecisionOptions {
    @Option(order = 60, names = "--comment", paramLabel = "TEXT", description = "Why (kept with the decision).")
    String comment;

    @Option(order = 61, names = "--user", paramLabel = "ID", description = "Who decides (default: the OS user name).")
    String user;

    @Option(order = 62, names = "--hook-id", paramLabel = "ID", description = "Which gate, when several wait (see 'status').")
    String hookId;

    /** Longest user id and comment kept with a decision (the page allows the same). */
    static final int MAX_USER = 128;
    static final int MAX_COMMENT = 2000;

    /** Refuses an explicitly empty, over-long or unprintable user id (exit 2); null = the OS user name. */
    static void checkUser(String flag, String user) {
        if (user == null) {
            return;
        }
        if (user.isBlank() || user.length() > MAX_USER || io.jenkins.plugins.ecsdeploy.engine.SafeText.hasUnsafeCharacters(user)) {
            throw new CliException(ExitCodes.USAGE, new io.jenkins.plugins.ecsdeploy.engine.ValidationProblem(flag, user,
                    "a user id of 1-" + MAX_USER + " printable characters (leave the flag out for the OS user name)").message());
        }
    }

    /** Checks the flags of approve / rollback before any call. */
    void check() {
        checkUser("--user", user);
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (comment != null && comment.length() > MAX_COMMENT) {
            problems.add(new io.jenkins.plugins.ecsdeploy.engine.ValidationProblem("--comment", comment,
                    "at most " + MAX_COMMENT + " characters").message());
        }
        if (hookId != null && (hookId.isBlank() || hookId.length() > 200 || io.jenkins.plugins.ecsdeploy.engine.SafeText.hasUnsafeCharacters(hookId))) {
            problems.add(new io.jenkins.plugins.ecsdeploy.engine.ValidationProblem("--hook-id", hookId,
                    "a hook id as 'status' shows it (leave the flag out when one gate waits)").message());
        }
        if (!problems.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, problems);
        }
    }
}
