package io.jenkins.plugins.ecsdeploy.engine;

/**
 * Why a deployment was rolled back (or why its rollback failed). {@link #plainWords()} is the one text every front
 * end shows for a cause (the CLI, the Jenkins plugin, the progress page); how each cause is recognised:
 * docs/engine.md "7. Outcomes".
 */
public enum RollbackCause {
    ALARM("a CloudWatch alarm went into ALARM"),
    CIRCUIT_BREAKER("the deployment circuit breaker tripped: new tasks kept failing to start"),
    LAMBDA_HOOK_FAILED("a Lambda lifecycle hook failed"),
    GATE_REJECTED("a gate was rejected"),
    GATE_TIMED_OUT("a gate timed out without a decision"),
    MANUAL("someone asked for a rollback"),
    BUILD_ABORTED("the build was aborted"),
    STAGE_TIME_LIMIT("a lifecycle stage ran into ECS's 24-hour limit"),
    /** The deployment failed and ECS had no earlier revision to return to (typically the service's first deployment). */
    NO_EARLIER_REVISION("the deployment failed and ECS had no earlier revision to return to"),
    /** ECS found the load balancer wiring (target groups, listener rules) invalid. */
    NETWORK_CONFIGURATION("ECS found the load balancer wiring invalid (target groups and listener rules)"),
    /** ECS could not use a role: it could not assume it, or the role lacks a permission. */
    PERMISSIONS("ECS could not use an IAM role: it could not assume it or the role lacks a permission"),
    /** A DNS cutover: green's endpoint failed its health check before a shift (docs/cutovers.md). */
    HEALTH_CHECK_FAILED("green's health check failed"),
    UNKNOWN("ECS rolled back for a reason this engine does not recognise");

    private final String plainWords;

    RollbackCause(String plainWords) {
        this.plainWords = plainWords;
    }

    /** The cause in plain words, e.g. "a gate was rejected". */
    public String plainWords() {
        return plainWords;
    }
}
