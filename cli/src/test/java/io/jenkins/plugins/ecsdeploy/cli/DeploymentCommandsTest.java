package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy / status / approve / rollback against a running simulator through --endpoint (as a user would against a
 * standalone simulator or any ECS-compatible endpoint), in accelerated virtual time.
 */
class DeploymentCommandsTest {
    static final double SPEED = 300;
    private static EcsSimulator sim;
    private static String endpoint;

    @BeforeAll
    static void startSimulator() {
        sim = EcsSimulator.builder().clock(VirtualClock.scaled(Instant.now(), SPEED)).build().start();
        sim.seed().loadBalancedService("prod", "web", 2, LoadBalancerType.ALB);
        sim.seed().loadBalancedService("prod", "api", 2, LoadBalancerType.ALB);
        endpoint = sim.endpoint().toString();
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    private static String startedArn(CliRun r) {
        Matcher m = Pattern.compile("Started (arn:aws:ecs:\\S+)").matcher(r.out());
        assertTrue(m.find(), r.toString());
        return m.group(1);
    }

    @Test
    void deployReturnsAtTheGateThenApproveLetsItFinishAndWatchReportsSucceeded() throws Exception {
        CliRun deploy = CliRun.run("deploy", "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", "--cluster", "prod", "--service", "web",
                "--image", "web=public.ecr.aws/nginx/nginx:1.28", "--strategy", "canary", "--canary-percent", "20",
                "--canary-bake-minutes", "1", "--bake-minutes", "1", "--approve-at", "POST_TEST_TRAFFIC_SHIFT",
                "--wait-until", "POST_TEST_TRAFFIC_SHIFT", "--plain");
        assertEquals(0, deploy.exitCode(), deploy.toString());
        assertTrue(deploy.out().contains("Reached POST_TEST_TRAFFIC_SHIFT"), deploy.toString());
        String arn = startedArn(deploy);

        // the gate's PAUSE hook shows up with the stage or a poll later
        CliRun status = null;
        for (int i = 0; i < 100; i++) {
            status = CliRun.run("status", "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", arn);
            if (status.out().contains("gate waiting at POST_TEST_TRAFFIC_SHIFT")) {
                break;
            }
        }
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().contains("gate waiting at POST_TEST_TRAFFIC_SHIFT"), status.toString());
        assertTrue(status.out().contains("POST_TEST_TRAFFIC_SHIFT"), status.toString());

        CliRun approve = CliRun.run("approve", "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", "--user", "bob", "--comment", "smoke tests green", arn);
        assertEquals(0, approve.exitCode(), approve.toString());
        assertTrue(approve.out().contains("Approved the gate at POST_TEST_TRAFFIC_SHIFT"), approve.toString());
        assertTrue(approve.out().contains("as bob"), approve.toString());

        CliRun again = CliRun.run("approve", "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", arn);
        assertEquals(ExitCodes.NOTHING_TO_DECIDE, again.exitCode(), again.toString());

        CliRun watch = CliRun.run("status", "--watch", "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", "--plain", arn);
        assertEquals(0, watch.exitCode(), watch.toString());
        assertTrue(watch.out().contains("outcome: SUCCEEDED"), watch.toString());
    }

    @Test
    void rollbackWithoutAGateStopsTheDeploymentAndWatchExitsWithCode3() throws Exception {
        CliRun deploy = CliRun.run("deploy", "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", "--cluster", "prod", "--service", "api",
                "--image", "web=public.ecr.aws/nginx/nginx:1.28", "--strategy", "blue-green", "--bake-minutes", "30",
                "--wait-until", "BAKE_TIME", "--plain");
        assertEquals(0, deploy.exitCode(), deploy.toString());
        String arn = startedArn(deploy);
        CliRun rollback = CliRun.run("rollback", "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", "--user", "carol", "--comment", "p99 latency", arn);
        assertEquals(0, rollback.exitCode(), rollback.toString());
        assertTrue(rollback.out().contains("Rollback requested"), rollback.toString());
        CliRun watch = CliRun.run("status", "--watch", "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", "--json", arn);
        assertEquals(ExitCodes.ROLLED_BACK, watch.exitCode(), watch.toString());
        ObjectMapper m = new ObjectMapper();
        JsonNode last = null;
        for (String line : watch.outLines()) {
            last = m.readTree(line); // every line is JSON
        }
        assertNotNull(last);
        assertEquals("Result", last.get("type").asText());
        assertEquals("ROLLED_BACK", last.get("outcome").asText());
    }

    @Test
    void deployServingThePageIsApprovedByAPostCarryingThePagesCsrfToken() throws Exception {
        try (DemoRun run = new DemoRun(java.util.List.of("deploy", "--sandbox", "--sandbox-speed", "300", "--serve-page",
                "--user", "dave", "--cluster", "demo", "--service", "web", "--image", "web=public.ecr.aws/nginx/nginx:1.28",
                "--strategy", "blue-green", "--bake-minutes", "1", "--approve-at", "POST_SCALE_UP", "--plain"))) {
            // a browser keeps the session cookie the page sets; the CSRF token belongs to that session
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
            String base = run.url();
            String page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Matcher tm = Pattern.compile("data-csrf-token=\"([^\"]+)\"").matcher(page);
            assertTrue(tm.find(), page);
            String hookId = null;
            ObjectMapper m = new ObjectMapper();
            for (int i = 0; i < 300 && hookId == null; i++) {
                JsonNode snap = m.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "api/snapshot")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode g : snap.path("gates")) {
                    if ("AWAITING_ACTION".equals(g.path("state").asText())) {
                        hookId = g.path("hookId").asText();
                    }
                }
                if (hookId == null) {
                    Thread.sleep(50); // test-side polling of a live server; the product never sleeps to wait
                }
            }
            assertNotNull(hookId, run.output());
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "api/approve"))
                    .header(ProgressServer.CSRF_HEADER, tm.group(1)).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"hookId\":\"" + hookId + "\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(0, run.exitCode(60), run.output());
            assertTrue(run.output().contains("gate at POST_SCALE_UP: CONTINUED by dave"), run.output());
        }
    }

    @Test
    void deployInTheEmbeddedSandboxPrintsJsonLinesAndEndsSucceeded() throws Exception {
        CliRun r = CliRun.run("deploy", "--sandbox", "--sandbox-speed", "400", "--cluster", "demo", "--service", "web",
                "--image", "web=public.ecr.aws/nginx/nginx:1.28", "--strategy", "linear", "--step-percent", "50",
                "--step-bake-minutes", "1", "--bake-minutes", "1", "--json");
        assertEquals(0, r.exitCode(), r.toString());
        ObjectMapper m = new ObjectMapper();
        JsonNode last = null;
        boolean sawTraffic = false;
        for (String line : r.outLines()) {
            last = m.readTree(line);
            if ("TrafficChanged".equals(last.path("type").asText()) && last.path("greenProductionPercent").asDouble() == 50.0) {
                sawTraffic = true;
            }
        }
        assertTrue(sawTraffic, "a TrafficChanged event with green at 50 %\n" + r);
        assertEquals("SUCCEEDED", last.get("outcome").asText(), r.toString());
        assertEquals(0, last.get("exitCode").asInt());
    }
}
