package io.jenkins.plugins.ecsdeploy.engine.analysis;

import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;

/** Where GetMetricData goes: the CloudWatch client, or a stub in tests. Blocking: called on an I/O thread. */
@FunctionalInterface
public interface MetricsSource {
    GetMetricDataResponse getMetricData(GetMetricDataRequest request);
}
