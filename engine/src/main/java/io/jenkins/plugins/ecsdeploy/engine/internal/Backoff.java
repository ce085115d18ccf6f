package io.jenkins.plugins.ecsdeploy.engine.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The watcher's throttling backoff, after the SDK's own retries (docs/engine.md "4. Follow", "Throttling"): a poll call that
 * still fails raises a level (delay = floor × 2^level, at least 2 × floor, at most the ceiling) for its batch; each
 * successful call lowers it again. Throttling never fails a deployment. Guarded by the watcher's lock.
 */
final class Backoff {
    private static final Logger LOG = Logger.getLogger(DeploymentWatcher.class.getName());
    static final int MAX_LEVEL = 6;
    private final Duration floor;
    private final Duration ceiling;
    private int level;
    final AtomicLong throttledCalls = new AtomicLong();
    final AtomicLong failedCalls = new AtomicLong();

    Backoff(Duration floor, Duration ceiling) {
        this.floor = floor;
        this.ceiling = ceiling;
    }

    /** A failed poll call: counts it and says how long its batch waits (before jitter). */
    Duration onFailureLocked(Throwable c) {
        if (isThrottling(c)) {
            throttledCalls.incrementAndGet();
            level = Math.min(level + 1, MAX_LEVEL);
        } else {
            failedCalls.incrementAndGet();
            LOG.log(Level.FINE, "DescribeServiceDeployments failed; will try again", c);
        }
        return Cadence.min(ceiling, floor.multipliedBy(1L << Math.max(1, level)));
    }

    void onSuccessLocked() {
        if (level > 0) {
            level--;
        }
    }

    /** ECS (or the SDK) said "slow down": a throttling error code, or an SDK error whose text says so. */
    static boolean isThrottling(Throwable c) {
        if (c instanceof AwsServiceException a) {
            if (a.isThrottlingException()) {
                return true;
            }
            String code = a.awsErrorDetails() == null ? null : a.awsErrorDetails().errorCode();
            return code != null && (code.contains("Throttl") || code.equals("TooManyRequestsException")
                    || code.equals("RequestLimitExceeded"));
        }
        return c instanceof SdkException && String.valueOf(c.getMessage()).contains("Throttl");
    }
}
