package io.jenkins.plugins.ecsdeploy.engine.cutover;

/**
 * The check of green's endpoint before each shift (docs/cutovers.md "Health check"): an HTTP GET of {@code url} — or,
 * when url is null, of {@code http://<green's host><path>} (the load balancer's DNS name, the alias's DNS name, or the
 * value) — that must answer {@code expectedStatus}. Up to {@code attempts} tries, {@code intervalSeconds} apart (a
 * scheduled wait, no thread held), each given {@code timeoutSeconds}; the first answer with the expected status passes.
 * Redirects are not followed: a 301 is not a 200. A check that fails every attempt stops the cutover before that shift.
 */
public record HealthCheck(String url, String path, int expectedStatus, int attempts, int intervalSeconds, int timeoutSeconds) {
    /** GET / must answer 200; 3 attempts 10 s apart, 5 s each. */
    public static final HealthCheck DEFAULT = new HealthCheck(null, "/", 200, 3, 10, 5);

    public HealthCheck {
        if ((path == null || path.isEmpty()) && url == null) {
            path = "/";
        }
    }

    /** The default check on another path. */
    public static HealthCheck path(String path) {
        return new HealthCheck(null, path, 200, DEFAULT.attempts, DEFAULT.intervalSeconds, DEFAULT.timeoutSeconds);
    }

    /** The default check of an explicit URL. */
    public static HealthCheck url(String url) {
        return new HealthCheck(url, null, 200, DEFAULT.attempts, DEFAULT.intervalSeconds, DEFAULT.timeoutSeconds);
    }

    public HealthCheck withExpectedStatus(int status) {
        return new HealthCheck(url, path, status, attempts, intervalSeconds, timeoutSeconds);
    }

    public HealthCheck withAttempts(int attempts, int intervalSeconds) {
        return new HealthCheck(url, path, expectedStatus, attempts, intervalSeconds, timeoutSeconds);
    }

    public HealthCheck withTimeoutSeconds(int seconds) {
        return new HealthCheck(url, path, expectedStatus, attempts, intervalSeconds, seconds);
    }

    /** The URL to GET for a green side whose host is {@code greenHost} (null when not known yet). */
    public String urlFor(String greenHost) {
        if (url != null) {
            return url;
        }
        if (greenHost == null) {
            return null;
        }
        String h = greenHost.endsWith(".") ? greenHost.substring(0, greenHost.length() - 1) : greenHost;
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]"; // an IPv6 address in a URL
        }
        return "http://" + h + (path == null ? "/" : path);
    }

    public String describe() {
        return "GET " + (url != null ? url : "http://<green>" + path) + " → " + expectedStatus + " (" + attempts
                + (attempts == 1 ? " attempt" : " attempts") + (attempts > 1 ? ", " + intervalSeconds + " s apart" : "")
                + ", " + timeoutSeconds + " s each)";
    }
}
