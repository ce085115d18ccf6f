package io.jenkins.plugins.ecsdeploy.engine.release;

import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a release ended: SUCCEEDED (every wave), ROLLED_BACK (one deployment failed or was rolled back, or a wave's gate
 * was rejected — and everything that could be was rolled back or reverted), ROLLBACK_FAILED (something could not be
 * rolled back or reverted: {@code services} says what), FAILED (nothing was deployed: e.g. the first start was refused).
 *
 * @param causeService the service whose failure ended the release (null: a wave's gate was rejected, or none)
 * @param services     each service's end in words, e.g. "SUCCEEDED", "ROLLED_BACK: circuit breaker triggered …",
 *                     "REVERTED to api:1", in release order
 */
public record ReleaseOutcome(OutcomeKind kind, String causeService, String reason, Map<String, String> services)
        implements java.io.Serializable {
    public ReleaseOutcome {
        services = services == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
    }

    public boolean succeeded() {
        return kind == OutcomeKind.SUCCEEDED;
    }

    /** One line: "ROLLED_BACK: web failed (ROLLED_BACK: circuit breaker triggered …); rolled back: worker; reverted: api". */
    public String describe() {
        return kind + ": " + reason;
    }
}
