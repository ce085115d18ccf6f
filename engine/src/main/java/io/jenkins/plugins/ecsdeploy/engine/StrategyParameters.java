package io.jenkins.plugins.ecsdeploy.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Strategy settings as loose fields — what a CLI's flags or a generic Pipeline step collect — turned into a
 * {@link Strategy}. A setting that belongs to another strategy is refused with a message naming it (ECS accepts
 * canaryConfiguration only with CANARY, linearConfiguration only with LINEAR and earlySuccessCriteria only with
 * ROLLING; rolling limits are ROLLING settings here). The circuit breaker goes with every strategy. Ranges are
 * checked later by {@link RequestValidator}.
 */
public record StrategyParameters(String strategy, Integer minimumHealthyPercent, Integer maximumPercent,
                                 Boolean circuitBreaker, Boolean circuitBreakerRollback, Integer bakeMinutes,
                                 Double canaryPercent, Integer canaryBakeMinutes, Double stepPercent,
                                 Integer stepBakeMinutes, Integer earlySuccessPercent,
                                 String earlySuccessCleanup) {

    public static final List<String> NAMES = List.of("ROLLING", "BLUE_GREEN", "CANARY", "LINEAR");

    /** Without early success criteria (the fields before they existed). */
    public StrategyParameters(String strategy, Integer minimumHealthyPercent, Integer maximumPercent,
                              Boolean circuitBreaker, Boolean circuitBreakerRollback, Integer bakeMinutes,
                              Double canaryPercent, Integer canaryBakeMinutes, Double stepPercent, Integer stepBakeMinutes) {
        this(strategy, minimumHealthyPercent, maximumPercent, circuitBreaker, circuitBreakerRollback, bakeMinutes,
                canaryPercent, canaryBakeMinutes, stepPercent, stepBakeMinutes, null, null);
    }

    /** The strategy, or {@link InvalidRequestException} listing every misplaced setting. */
    public Strategy toStrategy() {
        List<ValidationProblem> p = new ArrayList<>();
        String name = strategy == null ? null : strategy.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (name == null || !NAMES.contains(name)) {
            throw new InvalidRequestException(List.of(new ValidationProblem("strategy", strategy,
                    "one of ROLLING, BLUE_GREEN, CANARY, LINEAR")));
        }
        only(p, name, "ROLLING", "minimumHealthyPercent", minimumHealthyPercent);
        only(p, name, "ROLLING", "maximumPercent", maximumPercent);
        only(p, name, "ROLLING", "earlySuccessPercent", earlySuccessPercent);
        only(p, name, "ROLLING", "earlySuccessCleanup", earlySuccessCleanup);
        only(p, name, "CANARY", "canaryPercent", canaryPercent);
        only(p, name, "CANARY", "canaryBakeMinutes", canaryBakeMinutes);
        only(p, name, "LINEAR", "stepPercent", stepPercent);
        only(p, name, "LINEAR", "stepBakeMinutes", stepBakeMinutes);
        if (name.equals("ROLLING") && bakeMinutes != null) {
            p.add(new ValidationProblem("bakeMinutes", String.valueOf(bakeMinutes),
                    "only with BLUE_GREEN, CANARY or LINEAR (this deployment is ROLLING)"));
        }
        if (!p.isEmpty()) {
            throw new InvalidRequestException(p);
        }
        Strategy.EarlySuccess early = earlySuccessPercent == null && earlySuccessCleanup == null ? null
                : new Strategy.EarlySuccess(earlySuccessPercent,
                earlySuccessCleanup == null ? null : earlySuccessCleanup.trim().toUpperCase(Locale.ROOT));
        return switch (name) {
            case "ROLLING" -> new Strategy.Rolling(minimumHealthyPercent, maximumPercent, circuitBreaker, circuitBreakerRollback, early);
            case "BLUE_GREEN" -> new Strategy.BlueGreen(bakeMinutes, circuitBreaker, circuitBreakerRollback);
            case "CANARY" -> new Strategy.Canary(canaryPercent, canaryBakeMinutes, bakeMinutes, circuitBreaker, circuitBreakerRollback);
            default -> new Strategy.Linear(stepPercent, stepBakeMinutes, bakeMinutes, circuitBreaker, circuitBreakerRollback);
        };
    }

    private static void only(List<ValidationProblem> p, String name, String owner, String field, Object value) {
        if (value != null && !name.equals(owner)) {
            p.add(new ValidationProblem(field, String.valueOf(value), "only with strategy " + owner + " (this deployment is "
                    + name + ")"));
        }
    }
}
