package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invalid input exits with code 2 and one line per problem, naming the flag, the value and what is allowed,
 * before any AWS call: every deploy here points at a local endpoint that counts the requests it gets.
 */
class FlagValidationTest {
    private HttpServer fakeAws;
    private final AtomicInteger awsCalls = new AtomicInteger();
    private String endpoint;

    @BeforeEach
    void startCountingEndpoint() throws Exception {
        fakeAws = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fakeAws.createContext("/", ex -> {
            awsCalls.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        fakeAws.start();
        endpoint = "http://127.0.0.1:" + fakeAws.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        fakeAws.stop(0);
    }

    private CliRun deploy(String... extra) {
        List<String> a = new ArrayList<>(List.of("deploy", "--endpoint", endpoint, "--region", "us-east-1"));
        a.addAll(List.of(extra));
        return CliRun.run(a.toArray(String[]::new));
    }

    private void assertUsageError(CliRun r, String flag, String value, String allowedFragment) {
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        // the one template (ValidationProblem.message): the value in quotes unless none was given
        String expectedStart = flag + (value == null || value.isEmpty() || value.equals(flag) ? "" : " '" + value + "'") + ": ";
        assertTrue(r.errLines().stream().anyMatch(l -> l.startsWith(expectedStart) && l.contains(allowedFragment)),
                "expected a line starting with [" + expectedStart + "] containing [" + allowedFragment + "]\n" + r);
        assertEquals(0, awsCalls.get(), "no AWS call may happen before validation passes");
    }

    @Test
    void unknownStrategyIsRefusedNamingTheAllowedValues() {
        assertUsageError(deploy("--service", "web", "--image", "web=nginx:1", "--strategy", "zigzag"),
                "--strategy", "zigzag", "rolling, blue-green, canary, linear");
    }

    @Test
    void nonNumericCanaryPercentIsRefused() {
        assertUsageError(deploy("--service", "web", "--image", "web=nginx:1", "--strategy", "canary", "--canary-percent", "ten"),
                "--canary-percent", "ten", "a number");
    }

    @Test
    void canaryPercentOutOfRangeIsReportedWithTheFlagNameNotTheEngineField() {
        CliRun r = deploy("--service", "web", "--image", "web=nginx:1", "--strategy", "canary", "--canary-percent", "150");
        assertUsageError(r, "--canary-percent", "150.0", "100");
        assertTrue(r.err().lines().noneMatch(l -> l.startsWith("canaryPercent")), r.toString());
    }

    @Test
    void linearStepBelowThreePercentIsRefused() {
        assertUsageError(deploy("--service", "web", "--image", "web=nginx:1", "--strategy", "linear", "--step-percent", "2"),
                "--step-percent", "2.0", "3");
    }

    @Test
    void bakeMinutesAboveOneDayIsRefused() {
        assertUsageError(deploy("--service", "web", "--image", "web=nginx:1", "--strategy", "blue-green", "--bake-minutes", "2000"),
                "--bake-minutes", "2000", "1440");
    }

    @Test
    void flagOfAnotherStrategyIsRefused() {
        assertUsageError(deploy("--service", "web", "--image", "web=nginx:1", "--strategy", "canary", "--step-percent", "20"),
                "--step-percent", "20", "only with --strategy linear");
    }

    @Test
    void gateAtAStageWhereEcsCannotPauseIsRefused() {
        assertUsageError(deploy("--service", "web", "--image", "web=nginx:1", "--strategy", "canary", "--approve-at", "TEST_TRAFFIC_SHIFT"),
                "--approve-at", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT");
    }

    @Test
    void malformedImageIsRefused() {
        assertUsageError(deploy("--service", "web", "--image", "nginx"), "--image", "nginx", "CONTAINER=IMAGE");
    }

    @Test
    void malformedHookIsRefused() {
        assertUsageError(deploy("--service", "web", "--image", "web=nginx:1", "--strategy", "canary", "--hook", "smoke-test"),
                "--hook", "smoke-test", "FUNCTION_ARN:STAGE");
    }

    @Test
    void hookAtAnUnknownStageIsRefused() {
        String hook = "arn:aws:lambda:us-east-1:123456789012:function:smoke:AFTER_LUNCH";
        assertUsageError(deploy("--service", "web", "--image", "web=nginx:1", "--strategy", "canary", "--hook", hook,
                "--hook-role-arn", "arn:aws:iam::123456789012:role/ecs-hooks"), "--hook", hook, "PRODUCTION_TRAFFIC_SHIFT");
    }

    @Test
    void waitUntilMustBeAStageOrCompleted() {
        assertUsageError(deploy("--service", "web", "--image", "web=nginx:1", "--wait-until", "LUNCH"),
                "--wait-until", "LUNCH", "COMPLETED");
    }

    @Test
    void missingServiceIsRefused() {
        assertUsageError(deploy("--image", "web=nginx:1"), "--service", "", "required");
    }

    @Test
    void missingRevisionIsRefused() {
        assertUsageError(deploy("--service", "web"), "--image/--task-definition/--task-definition-file", "", "--image CONTAINER=IMAGE");
    }

    @Test
    void twoRevisionSourcesAreRefused() {
        CliRun r = deploy("--service", "web", "--image", "web=nginx:1", "--task-definition", "web:3");
        assertUsageError(r, "--image/--task-definition/--task-definition-file", "--image web=nginx:1 --task-definition web:3", "exactly one");
    }

    @Test
    void unreadableTaskDefinitionFileIsRefused() {
        assertUsageError(deploy("--service", "web", "--task-definition-file", "/nonexistent/td.json"),
                "--task-definition-file", "/nonexistent/td.json", "an existing file");
    }

    @Test
    void badRegionIsRefused() {
        CliRun r = CliRun.run("deploy", "--endpoint", endpoint, "--region", "mars-1", "--service", "web", "--image", "web=nginx:1");
        assertUsageError(r, "--region", "mars-1", "us-east-1");
    }

    @Test
    void missingRegionWithoutEnvironmentIsRefused() {
        // a profile that exists nowhere, so a developer's own ~/.aws/config region cannot leak into the test
        CliRun r = CliRun.run(Map.of("AWS_PROFILE", "ecs-deploy-test-no-such-profile"), "deploy", "--service", "web", "--image", "web=nginx:1");
        assertUsageError(r, "--region", "", "region is required");
    }

    @Test
    void everyProblemIsReportedOnItsOwnLine() {
        CliRun r = deploy("--strategy", "canary", "--canary-percent", "abc", "--canary-bake-minutes", "x", "--image", "bad");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        List<String> lines = r.errLines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("--canary-percent 'abc': ")), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("--canary-bake-minutes 'x': ")), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("--image 'bad': ")), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("--service: a service name is required")), r.toString());
        assertEquals(0, awsCalls.get());
    }

    @Test
    void unknownFlagIsRefusedWithExitCode2() {
        CliRun r = deploy("--service", "web", "--image", "web=nginx:1", "--colour", "blue");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--colour: not an option"), r.toString());
        assertEquals(0, awsCalls.get());
    }

    @Test
    void flagWithoutItsValueIsRefused() {
        CliRun r = CliRun.run("deploy", "--service");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--service: a value NAME is required"), r.toString());
    }

    @Test
    void endpointMustBeAnHttpUrl() {
        CliRun r = CliRun.run("deploy", "--endpoint", "ftp://x", "--region", "us-east-1", "--service", "web", "--image", "web=a");
        assertUsageError(r, "--endpoint", "ftp://x", "http://");
    }

    @Test
    void pollIntervalOutsideItsRangeIsRefused() {
        CliRun r = CliRun.run("deploy", "--endpoint", endpoint, "--poll-seconds", "0", "--region", "us-east-1",
                "--service", "web", "--image", "web=a");
        assertUsageError(r, "--poll-seconds", "0.0", "0.1 to 60 seconds");
    }

    @Test
    void sandboxAndEndpointTogetherAreRefused() {
        CliRun r = CliRun.run("deploy", "--sandbox", "--endpoint", endpoint, "--service", "web", "--image", "web=a");
        assertUsageError(r, "--sandbox", "--endpoint " + endpoint, "either --sandbox or --endpoint");
    }

    @Test
    void statusWithAMalformedArnIsRefused() {
        CliRun r = CliRun.run("status", "--endpoint", endpoint, "not-an-arn");
        assertUsageError(r, "ARN", "not-an-arn", "service-deployment");
    }

    @Test
    void approveInAnEmbeddedSandboxIsRefused() {
        CliRun r = CliRun.run("approve", "--sandbox", "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/abc");
        assertUsageError(r, "--sandbox", "", "--endpoint");
    }

    @Test
    void noCommandIsAUsageError() {
        CliRun r = CliRun.run();
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("a command is required"), r.toString());
    }

    @Test
    void demoRefusesAnUnknownStrategy() {
        CliRun r = CliRun.run("demo", "--strategy", "big-bang");
        assertUsageError(r, "--strategy", "big-bang", "canary");
    }

    @Test
    void helpListsTheExitCodes() {
        CliRun r = CliRun.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("3   the deployment was rolled back"), r.toString());
    }
}
