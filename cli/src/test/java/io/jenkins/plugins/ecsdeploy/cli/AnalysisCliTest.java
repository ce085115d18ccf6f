package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy --analysis-file} in the embedded sandbox (shared virtual clock; the sandbox's revisions whose image
 * contains "bad" answer 2 % of requests with a 5xx, the others 1 %): the terminal shows each measurement, the outcome
 * names the failing metric and both values (docs/analysis.md).
 */
class AnalysisCliTest {
    static final String YAML = """
            name: web-canary
            measurements: 3
            intervalSeconds: 60
            delaySeconds: 60
            metrics:
              - name: 5xx-rate
                expression: 100 * errors / requests
                inputs:
                  requests: { metricName: RequestCount, statistic: Sum }
                  errors: { metricName: HTTPCode_Target_5XX_Count, statistic: Sum }
                samples: { metricName: RequestCount, statistic: Sum }
                minimumSamples: 100
                condition: <= 1.5 * blue
              - name: p99-latency
                query: { metricName: TargetResponseTime, statistic: p99 }
                condition: <= 1.2 * blue
            """;

    @TempDir
    Path dir;

    CliRun deploy(String image, String... more) throws Exception {
        return deploy(600, image, more);
    }

    CliRun deploy(int speed, String image, String... more) throws Exception {
        Path f = dir.resolve("canary.yaml");
        Files.writeString(f, YAML);
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("deploy", "--sandbox", "--sandbox-speed",
                String.valueOf(speed), "--cluster", "demo", "--service", "web", "--image", "web=" + image, "--strategy", "canary",
                "--canary-percent", "20", "--canary-bake-minutes", "1", "--bake-minutes", "1", "--plain",
                "--analysis-file", f.toString()));
        a.addAll(java.util.List.of(more));
        return CliRun.run(a.toArray(String[]::new));
    }

    @Test
    void aGreenThatDoublesIts5xxRateIsRolledBackByAnalysisAndTheTerminalShowsEachMeasurement() throws Exception {
        CliRun r = deploy("registry/web:bad-2");
        assertEquals(ExitCodes.ROLLED_BACK, r.exitCode(), r.toString());
        assertTrue(r.out().contains("analysis at PRE_PRODUCTION_TRAFFIC_SHIFT, measurement 1/3: FAIL; 5xx-rate: green 2"
                + " vs blue 1, limit <= 1.5 * blue = 1.5 → FAIL"), r.out());
        assertTrue(r.out().contains("rejected by analysis: 5xx-rate: green 2 vs blue 1"), r.out());
        assertTrue(r.out().contains("analysis at PRE_PRODUCTION_TRAFFIC_SHIFT: FAIL, ROLLBACK after 1/3 measurement(s)"),
                "the summary: " + r.out());
    }

    @Test
    void aHealthyCanaryGoesThroughEveryStepWithoutAHuman() throws Exception {
        CliRun r = deploy("registry/web:2");
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertEquals(2, r.out().split("PASS: continues", -1).length - 1, r.out());
        assertFalse(r.out().contains("ecs-deploy approve"), "nobody was asked: " + r.out());
    }

    @Test
    void aDryRunDecidesNothingAndTheTerminalSaysWhatItWouldHaveDone() throws Exception {
        // ECS releases a dry run's gates itself when their measuring time is over: a slower clock leaves this JVM time
        // to read each measurement within it however busy the machine is
        CliRun r = deploy(200, "registry/web:bad-2", "--analysis-dry-run");
        assertEquals(ExitCodes.OK, r.exitCode(), "the bad green went through, as without analysis: " + r);
        assertTrue(r.out().contains("measurement 1/3: FAIL; 5xx-rate: green 2 vs blue 1"), r.out());
        assertTrue(r.out().contains("FAIL (dry run): would have rolled back: 5xx-rate: green 2 vs blue 1"), r.out());
        assertFalse(r.out().contains("by analysis"), "no decision was recorded: " + r.out());
    }

    @Test
    void metricsGivenAsFlagsWithoutAFileAreMeasuredAndShownAtEveryStep() throws Exception {
        CliRun r = CliRun.run("deploy", "--sandbox", "--sandbox-speed", "600", "--cluster", "demo", "--service", "web",
                "--image", "web=registry/web:2", "--strategy", "canary", "--canary-percent", "20",
                "--canary-bake-minutes", "1", "--bake-minutes", "1", "--plain", "--analysis-measurements", "2",
                "--analysis-metric", "p99-latency=TargetResponseTime:p99 <= 1.2 * blue",
                "--analysis-metric", "p50=AWS/ApplicationELB:TargetResponseTime:p50 <= 1.5 x blue");
        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertTrue(r.out().contains("measurement 2/2: PASS; p99-latency: green 0.2 vs blue 0.2, limit <= 1.2 * blue = 0.24"
                + " → PASS; p50: green 0.05 vs blue 0.05"), r.out());
        assertEquals(2, r.out().split("PASS: continues", -1).length - 1, r.out());

        CliRun bad = CliRun.run("deploy", "--sandbox", "--cluster", "demo", "--service", "web", "--image", "web=a:1",
                "--strategy", "canary", "--analysis-metric", "p99=TargetResponseTime <= 2");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("--analysis-metric 'p99=TargetResponseTime <= 2': NAME=[NAMESPACE:]METRIC:STATISTIC"
                + " CONDITION"), bad.err());
        CliRun badStatistic = CliRun.run("deploy", "--sandbox", "--cluster", "demo", "--service", "web", "--image",
                "web=a:1", "--strategy", "canary", "--analysis-metric", "p99=TargetResponseTime:Median <= 2");
        assertEquals(ExitCodes.USAGE, badStatistic.exitCode(), badStatistic.toString());
        assertTrue(badStatistic.err().contains("--analysis-metric: "), badStatistic.err());
    }

    @Test
    void aMistakeInTheFileIsExit2NamingItsPathBeforeAnythingStarts() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"metrics\":[{\"name\":\"p99\",\"query\":{\"metricName\":\"TargetResponseTime\","
                + "\"statistic\":\"p99\"},\"condition\":\"<= 1.2 * blue\",\"minimumSample\":5}]}");
        CliRun r = CliRun.run("deploy", "--sandbox", "--cluster", "demo", "--service", "web", "--image", "web=a:1",
                "--strategy", "canary", "--analysis-file", f.toString());
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--analysis-file bad.json: bad.json.metrics[0].minimumSample: not a member"),
                r.err());
        CliRun rolling = CliRun.run("deploy", "--sandbox", "--cluster", "demo", "--service", "web", "--image",
                "web=a:1", "--analysis-dry-run");
        assertEquals(ExitCodes.USAGE, rolling.exitCode(), rolling.toString());
        assertTrue(rolling.err().contains("--analysis-dry-run: only with --analysis-file or --analysis-metric"), rolling.err());
    }
}
