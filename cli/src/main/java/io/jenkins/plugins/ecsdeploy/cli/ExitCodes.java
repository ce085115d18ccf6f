package io.jenkins.plugins.ecsdeploy.cli;

import io.jenkins.plugins.ecsdeploy.engine.Outcome;

/** The process exit codes (documented in docs/cli.md "Exit codes"; keep both in step). */
public final class ExitCodes {
    /** The command did what was asked (deployment SUCCEEDED, reached --wait-until, gate decided, ...). */
    public static final int OK = 0;
    /** An unexpected error inside the CLI (a bug, or an environment problem we did not foresee). */
    public static final int UNEXPECTED = 1;
    /** Invalid command line: unknown flag, bad value, missing or conflicting flags. Nothing was sent to AWS. */
    public static final int USAGE = 2;
    /** The deployment was rolled back (alarm, circuit breaker, hook, gate rejected or timed out, manual). */
    public static final int ROLLED_BACK = 3;
    /** The deployment failed, was stopped, or its rollback failed. */
    public static final int FAILED = 4;
    /** An AWS call was refused or could not be made (credentials, permissions, not found, endpoint down). */
    public static final int AWS_ERROR = 5;
    /** approve / rollback: no gate is waiting, it was already decided, it expired, or the deployment ended. */
    public static final int NOTHING_TO_DECIDE = 6;
    /** approve / rollback: the approval policy does not allow this person (four eyes, not an approver, rollback rights). */
    public static final int NOT_ALLOWED = 7;

    private ExitCodes() {}

    public static int of(Outcome o) {
        if (o == null) {
            return UNEXPECTED;
        }
        return switch (o.kind()) {
            case SUCCEEDED -> OK;
            case ROLLED_BACK -> ROLLED_BACK;
            case ROLLBACK_FAILED, STOPPED, FAILED -> FAILED;
        };
    }
}
