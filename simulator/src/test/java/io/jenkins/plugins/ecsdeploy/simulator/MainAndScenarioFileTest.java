package io.jenkins.plugins.ecsdeploy.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentLifecycleHook;
import software.amazon.awssdk.services.ecs.model.DeploymentStrategy;
import software.amazon.awssdk.services.ecs.model.EcsException;

class MainAndScenarioFileTest {

    private static Path example() throws Exception {
        return Path.of(MainAndScenarioFileTest.class.getResource("/scenario-example.json").toURI());
    }

    @Test
    void mainPrintsTheEndpointFirstSeedsTheScenarioAndServesARealClient() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        EcsSimulator sim = Main.start(new PrintStream(buf, true, StandardCharsets.UTF_8), "--port", "0", "--scenario", example().toString());
        try (sim; EcsClient ecs = SimulatorTestBase.client(sim.endpoint(), AwsRetryStrategy.doNotRetry())) {
            String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(sim.endpoint().toString(), lines[0]);
            assertTrue(lines[0].matches("http://127\\.0\\.0\\.1:\\d+"), lines[0]);
            assertEquals(5, lines.length);
            assertEquals(600.0, sim.clock().speed());
            // The throttle burst from the file applies to the first DescribeServices.
            EcsException t = assertThrows(EcsException.class, () -> ecs.describeServices(r -> r.cluster("demo").services("web")));
            assertTrue(t.isThrottlingException());
            assertEquals(4, ecs.describeServices(r -> r.cluster("demo").services("web", "api", "worker", "legacy")).services().size());
            assertEquals("BLUE_GREEN", ecs.describeServices(r -> r.cluster("demo").services("api")).services().get(0)
                    .deploymentConfiguration().strategyAsString());

            // A blue/green deployment with the scripted Lambda runs to the end at 600x within a few real seconds.
            String td = sim.seed().taskDefinition("web", "nginx:2");
            ecs.updateService(r -> r.cluster("demo").service("web").taskDefinition(td).deploymentConfiguration(c -> c
                    .strategy(DeploymentStrategy.BLUE_GREEN).bakeTimeInMinutes(0)
                    .lifecycleHooks(DeploymentLifecycleHook.builder().hookTargetArn("arn:aws:lambda:us-east-1:123456789012:function:smoke")
                            .roleArn("arn:aws:iam::123456789012:role/h").lifecycleStagesWithStrings("POST_SCALE_UP").build())));
            String arn = ecs.describeServices(r -> r.cluster("demo").services("web")).services().get(0).currentServiceDeployment();
            Instant deadline = Instant.now().plusSeconds(20);
            String status = "";
            while (Instant.now().isBefore(deadline) && !(status = sim.status(arn)).equals("SUCCESSFUL")) {
                Thread.sleep(20); // test-side polling of a real-time (scaled) clock
            }
            assertEquals("SUCCESSFUL", status);
            assertEquals(2, sim.lambdas().invocations().size());
            assertEquals(1, sim.lambdas().invocations().get(1).hookDetails().path("round").asInt());
        }
    }

    @Test
    void scenarioFileKnobsReachTheScenario() throws Exception {
        ScenarioFile f = ScenarioFile.load(example());
        assertEquals(7L, f.randomSeed());
        assertNull(f.clockStart(), "the example starts its clock now (no clock.start)");
        assertEquals(Duration.ofSeconds(20), f.scenario().defaultTaskStart());
        assertEquals(Duration.ofSeconds(5), f.scenario().minimumStageDuration());
        assertEquals(1.0, f.scenario().taskRules().get(0).failureRate());
        assertEquals("HighErrors", f.scenario().alarmRules().get(0).alarmName());
        assertEquals(Duration.ofSeconds(90), f.scenario().alarmRules().get(0).afterStart());
    }

    @Test
    void badArgumentsAreRefusedWithTheOptionNamed(@TempDir Path dir) throws Exception {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CommandLine.ParameterException speed = assertThrows(CommandLine.ParameterException.class, () -> Main.start(sink, "--speed", "0"));
        assertTrue(speed.getMessage().contains("--speed"), speed.getMessage());
        CommandLine.ParameterException port = assertThrows(CommandLine.ParameterException.class, () -> Main.start(sink, "--port", "70000"));
        assertTrue(port.getMessage().contains("--port"), port.getMessage());
        assertThrows(CommandLine.ParameterException.class, () -> Main.start(sink, "--bogus"));
        assertThrows(CommandLine.ParameterException.class, () -> Main.start(sink, "--port", "abc"));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"timing\":{\"taskStartSecs\":5}}");
        CommandLine.ParameterException file = assertThrows(CommandLine.ParameterException.class,
                () -> Main.start(sink, "--scenario", bad.toString()));
        assertTrue(file.getMessage().contains("timing.taskStartSecs: unknown member"), file.getMessage());
        Path rate = dir.resolve("rate.json");
        Files.writeString(rate, "{\"tasks\":[{\"imageContains\":\"x\",\"failureRate\":2}]}");
        CommandLine.ParameterException r = assertThrows(CommandLine.ParameterException.class,
                () -> Main.start(sink, "--scenario", rate.toString()));
        assertTrue(r.getMessage().contains("tasks[0]") && r.getMessage().contains("failureRate"), r.getMessage());
        assertNull(Main.start(sink, "--help"));
    }

    @Test
    void explicitPortAndSpeedAreUsed() throws Exception {
        int free;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (EcsSimulator sim = Main.start(new PrintStream(buf, true, StandardCharsets.UTF_8), "--port", String.valueOf(free), "--speed", "60")) {
            assertEquals(URI.create("http://127.0.0.1:" + free), sim.endpoint());
            assertEquals(60.0, sim.clock().speed());
            assertEquals("http://127.0.0.1:" + free, buf.toString(StandardCharsets.UTF_8).trim());
        }
    }

    @Test
    void theScaledClockStartsAtTheCurrentWallTimeUnlessTheFileNamesAStart(@TempDir Path dir) throws Exception {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        Instant before = Instant.now();
        try (EcsSimulator sim = Main.start(sink, new PrintStream(warnings, true, StandardCharsets.UTF_8),
                "--scenario", example().toString())) {
            Instant virtual = sim.clock().instant();
            Instant after = Instant.now();
            // At 600x the virtual clock runs ahead of the wall clock by 599 x the real time elapsed since it started.
            long elapsedMs = Duration.between(before, after).toMillis();
            assertTrue(!virtual.isBefore(before.minusSeconds(1)), virtual + " is before the wall time " + before);
            assertTrue(!virtual.isAfter(after.plusMillis(600 * elapsedMs + 1000)), virtual + " runs far ahead of " + after);
            assertEquals("", warnings.toString(StandardCharsets.UTF_8), "no warning when the clock starts now");
        }
        Path now = dir.resolve("now.json");
        Files.writeString(now, "{\"clock\":{\"start\":\"now\",\"speed\":1}}");
        assertNull(ScenarioFile.load(now).clockStart(), "\"now\" is the default spelled out");
        Path past = dir.resolve("past.json");
        Files.writeString(past, "{\"clock\":{\"start\":\"2026-01-01T00:00:00Z\",\"speed\":1}}");
        try (EcsSimulator sim = Main.start(sink, new PrintStream(warnings, true, StandardCharsets.UTF_8),
                "--scenario", past.toString())) {
            assertTrue(sim.clock().instant().isBefore(Instant.parse("2026-01-01T00:01:00Z")), "an explicit start is kept");
            String w = warnings.toString(StandardCharsets.UTF_8);
            assertTrue(w.startsWith("warning: clock.start 2026-01-01T00:00:00Z is ") && w.contains("ListServiceDeployments"), w);
        }
    }
}
