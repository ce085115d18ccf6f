package io.jenkins.plugins.ecsdeploy.engine.internal;

import java.util.function.Consumer;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * How the engine sends a write that is not safe to repeat (UpdateService, ContinueServiceDeployment,
 * StopServiceDeployment, TagResource/UntagResource of a decision record): the SDK may retry it only when ECS throttled
 * it — a throttled request was refused before it was processed, so it did nothing — and never after a lost reply, a
 * time-out or a 5xx, where the first attempt may have been applied. The SDK's default strategy retries all of those
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html: "transient errors" include socket
 * time-outs and 5xx answers), which started a second deployment after a lost UpdateService reply with
 * forceNewDeployment. What the engine does instead after such an error — look at ECS's state and adopt what the first
 * attempt did — is in docs/reliability.md "Writes".
 *
 * <p>The strategy is set per request with an SDK request plugin, so it also holds for an ECS client the caller made.
 */
public final class WritePolicy {
    /** Attempts for a throttled write (the first one included); each retry backs off as the SDK's standard mode does. */
    static final int THROTTLED_ATTEMPTS = 5;

    private static final RetryStrategy THROTTLING_ONLY = DefaultRetryStrategy.standardStrategyBuilder()
            .retryOnException(DeploymentWatcher::isThrottling)
            .treatAsThrottling(DeploymentWatcher::isThrottling)
            .maxAttempts(THROTTLED_ATTEMPTS)
            .build();

    private static final SdkPlugin PLUGIN = config -> config.overrideConfiguration(c -> c.retryStrategy(THROTTLING_ONLY));

    private WritePolicy() {}

    /** For {@code XxxRequest.builder().overrideConfiguration(WritePolicy.noBlindRetry())}. */
    public static Consumer<AwsRequestOverrideConfiguration.Builder> noBlindRetry() {
        return o -> o.addPlugin(PLUGIN);
    }

    /**
     * True when a failed write may have been applied: the reply was lost (connection closed or reset, time-out) or
     * ECS answered with a server error. False for an answer that refused the request (4xx, throttling included).
     */
    public static boolean outcomeUnknown(Throwable e) {
        if (e instanceof AwsServiceException a) {
            return a.statusCode() >= 500 && !DeploymentWatcher.isThrottling(a);
        }
        return e instanceof SdkClientException;
    }
}
