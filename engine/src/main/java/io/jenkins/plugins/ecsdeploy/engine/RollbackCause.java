package io.jenkins.plugins.ecsdeploy.engine;

/** Why a deployment was rolled back. */
public enum RollbackCause {
    ALARM,
    CIRCUIT_BREAKER,
    LAMBDA_HOOK_FAILED,
    GATE_REJECTED,
    GATE_TIMED_OUT,
    MANUAL,
    BUILD_ABORTED,
    STAGE_TIME_LIMIT,
    UNKNOWN
}
