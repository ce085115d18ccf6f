package io.jenkins.plugins.ecsdeploy.engine;

/**
 * The ECS deployment strategy and its parameters. A {@code null} parameter means "not given": the
 * service's current value (or the ECS default) is kept. Ranges are checked by {@link RequestValidator}.
 *
 * <p>The deployment circuit breaker belongs to every strategy: ECS rolls back BLUE_GREEN, CANARY and LINEAR
 * deployments whose tasks keep failing too (docs/engine.md "Circuit breaker"). The shorter constructors of each
 * record (without the circuit breaker or early success) are kept for callers written before.
 */
public sealed interface Strategy permits Strategy.Rolling, Strategy.BlueGreen, Strategy.Canary, Strategy.Linear {

    /** ROLLING | BLUE_GREEN | CANARY | LINEAR, as ECS spells it. */
    String ecsName();

    /** Turn the deployment circuit breaker on or off (null: keep the service's setting). */
    Boolean circuitBreaker();

    /** Roll back when the breaker trips (null: the same as {@link #circuitBreaker()}); false: the deployment stops. */
    Boolean circuitBreakerRollback();

    /**
     * ROLLING's early success criteria (DeploymentEarlySuccessCriteria,
     * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/early-success-criteria.html): the deployment completes
     * once {@code healthyPercent} of the desired count runs the new revision (0–100, at least minimumHealthyPercent);
     * {@code sourceCleanup} BLOCKING removes the old tasks first, DEFERRED completes first and removes them afterwards
     * (they may still run when the outcome arrives).
     */
    record EarlySuccess(Integer healthyPercent, String sourceCleanup) {
        public static final java.util.List<String> CLEANUPS = java.util.List.of("BLOCKING", "DEFERRED");
    }

    /** Rolling update: minimumHealthyPercent / maximumPercent, optional circuit breaker and early success. */
    record Rolling(Integer minimumHealthyPercent, Integer maximumPercent, Boolean circuitBreaker,
                   Boolean circuitBreakerRollback, EarlySuccess earlySuccess) implements Strategy {
        public Rolling(Integer minimumHealthyPercent, Integer maximumPercent, Boolean circuitBreaker,
                       Boolean circuitBreakerRollback) {
            this(minimumHealthyPercent, maximumPercent, circuitBreaker, circuitBreakerRollback, null);
        }

        @Override
        public String ecsName() {
            return "ROLLING";
        }
    }

    /** Blue/green: all production traffic moves at once, then blue and green run side by side for bakeMinutes. */
    record BlueGreen(Integer bakeMinutes, Boolean circuitBreaker, Boolean circuitBreakerRollback) implements Strategy {
        public BlueGreen(Integer bakeMinutes) {
            this(bakeMinutes, null, null);
        }

        @Override
        public String ecsName() {
            return "BLUE_GREEN";
        }
    }

    /** Canary: canaryPercent of production traffic, wait canaryBakeMinutes, then 100 %, then bakeMinutes. */
    record Canary(Double canaryPercent, Integer canaryBakeMinutes, Integer bakeMinutes, Boolean circuitBreaker,
                  Boolean circuitBreakerRollback) implements Strategy {
        public Canary(Double canaryPercent, Integer canaryBakeMinutes, Integer bakeMinutes) {
            this(canaryPercent, canaryBakeMinutes, bakeMinutes, null, null);
        }

        @Override
        public String ecsName() {
            return "CANARY";
        }
    }

    /** Linear: stepPercent, 2×stepPercent, … up to 100 %, stepBakeMinutes between steps, then bakeMinutes. */
    record Linear(Double stepPercent, Integer stepBakeMinutes, Integer bakeMinutes, Boolean circuitBreaker,
                  Boolean circuitBreakerRollback) implements Strategy {
        public Linear(Double stepPercent, Integer stepBakeMinutes, Integer bakeMinutes) {
            this(stepPercent, stepBakeMinutes, bakeMinutes, null, null);
        }

        @Override
        public String ecsName() {
            return "LINEAR";
        }
    }
}
