package io.jenkins.plugins.ecsdeploy.engine.analysis;

import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.AnalysisValue;
import java.time.Instant;
import java.util.List;

/**
 * The analysis at one gate as the snapshot shows it (JSON member {@code analyses[]}, docs/snapshot-schema.md): what was
 * planned, each measurement as it arrived, and the conclusion once there is one ({@code verdict} null while measuring).
 */
public record AnalysisRun(String stage, String hookId, String name, int measurementsPlanned, int intervalSeconds,
                          boolean dryRun, Instant startedAt, List<Measurement> measurements, String verdict,
                          String action, String reason, Instant concludedAt) {
    public AnalysisRun {
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
    }

    /** One measurement: its window, verdict, and each metric's green and blue values. */
    public record Measurement(int index, Instant at, Instant windowStart, Instant windowEnd, String verdict,
                              List<AnalysisValue> values) {
        public Measurement {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }
}
