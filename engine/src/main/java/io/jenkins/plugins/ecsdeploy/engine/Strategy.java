package io.jenkins.plugins.ecsdeploy.engine;

/**
 * The ECS deployment strategy and its parameters. A {@code null} parameter means "not given": the
 * service's current value (or the ECS default) is kept. Ranges are checked by {@link RequestValidator}.
 */
public sealed interface Strategy permits Strategy.Rolling, Strategy.BlueGreen, Strategy.Canary, Strategy.Linear {

    /** ROLLING | BLUE_GREEN | CANARY | LINEAR, as ECS spells it. */
    String ecsName();

    /** Rolling update: minimumHealthyPercent / maximumPercent, optional circuit breaker. */
    record Rolling(Integer minimumHealthyPercent, Integer maximumPercent, Boolean circuitBreaker,
                   Boolean circuitBreakerRollback) implements Strategy {
        @Override
        public String ecsName() {
            return "ROLLING";
        }
    }

    /** Blue/green: all production traffic moves at once, then blue and green run side by side for bakeMinutes. */
    record BlueGreen(Integer bakeMinutes) implements Strategy {
        @Override
        public String ecsName() {
            return "BLUE_GREEN";
        }
    }

    /** Canary: canaryPercent of production traffic, wait canaryBakeMinutes, then 100 %, then bakeMinutes. */
    record Canary(Double canaryPercent, Integer canaryBakeMinutes, Integer bakeMinutes) implements Strategy {
        @Override
        public String ecsName() {
            return "CANARY";
        }
    }

    /** Linear: stepPercent, 2×stepPercent, … up to 100 %, stepBakeMinutes between steps, then bakeMinutes. */
    record Linear(Double stepPercent, Integer stepBakeMinutes, Integer bakeMinutes) implements Strategy {
        @Override
        public String ecsName() {
            return "LINEAR";
        }
    }
}
