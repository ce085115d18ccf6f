package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.LostReplyProxy;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI under the findings of issue 10, against a standalone simulator through --endpoint (separate engines, as in
 * separate processes): who decided a gate from another terminal reaches the deploying process and {@code status};
 * a lost UpdateService reply with --force-new-deployment starts one deployment; the page answers the truth for a
 * finished deployment.
 */
class CliReliabilityTest {
    static final double SPEED = 300;
    private static EcsSimulator sim;
    private static String endpoint;

    @BeforeAll
    static void startSimulator() {
        sim = EcsSimulator.builder().clock(VirtualClock.scaled(Instant.now(), SPEED)).build().start();
        sim.seed().loadBalancedService("prod", "web", 2, LoadBalancerType.ALB);
        sim.seed().loadBalancedService("prod", "api", 2, LoadBalancerType.ALB);
        // a rollback of a quarter of an hour (3 s real): the deploying process learns who decided long before the end
        sim.scenario().cleanUp(Duration.ofMinutes(15));
        endpoint = sim.endpoint().toString();
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    private static String[] withEndpoint(String url, String... args) {
        List<String> a = new java.util.ArrayList<>(List.of(args));
        a.addAll(1, List.of("--endpoint", url, "--poll-seconds", "0.2", "--poll-max-seconds", "1"));
        return a.toArray(String[]::new);
    }

    /** Test-side polling of a live process: the product never sleeps to wait. */
    private static String awaitOutput(DemoRun run, Pattern p) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Matcher m = p.matcher(run.output());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not printed: " + p + "\n" + run.output());
    }

    @Test
    void aGateRejectedFromAnotherTerminalNamesWhoAndWhyInTheDeployingProcessAndInStatus() throws Exception {
        try (DemoRun deploy = new DemoRun(List.of(withEndpoint(endpoint, "deploy", "--cluster", "prod", "--service", "web",
                "--image", "web=public.ecr.aws/nginx/nginx:1.29", "--strategy", "blue-green", "--bake-minutes", "1",
                "--approve-at", "POST_TEST_TRAFFIC_SHIFT", "--gate-timeout-minutes", "600", "--plain")))) {
            String arn = awaitOutput(deploy, Pattern.compile("Started (arn:aws:ecs:\\S+)"));
            awaitOutput(deploy, Pattern.compile("(Gate waiting at Test traffic on new \\(POST_TEST_TRAFFIC_SHIFT\\))"));
            CliRun rollback = CliRun.run(withEndpoint(endpoint, "rollback", arn, "--user", "zoe", "--comment", "p99 > 2 s"));
            assertEquals(0, rollback.exitCode(), rollback.toString());

            assertEquals(ExitCodes.ROLLED_BACK, deploy.exitCode(60), deploy.output());
            // before issue 10: "rejected outside this engine", no name, no comment
            assertTrue(deploy.output().contains("gate at POST_TEST_TRAFFIC_SHIFT: ROLLED_BACK by zoe (\"p99 > 2 s\")"), deploy.output());
            assertTrue(deploy.output().contains("outcome: ROLLED_BACK") && deploy.output().contains("zoe"), deploy.output());

            CliRun status = CliRun.run(withEndpoint(endpoint, "status", arn));
            assertEquals(0, status.exitCode(), status.toString());
            assertTrue(status.out().matches("(?s).*decided: gate \\(hook \\S+\\) ROLLBACK by zoe at \\S+: p99 > 2 s.*"), status.toString());
            CliRun json = CliRun.run(withEndpoint(endpoint, "status", arn, "--json"));
            JsonNode d = new ObjectMapper().readTree(json.out()).path("recordedDecisions").get(0);
            assertEquals("zoe", d.path("by").asText());
            assertEquals("ROLLBACK", d.path("action").asText());
            assertEquals("p99 > 2 s", d.path("comment").asText());
        }
    }

    @Test
    void aLostUpdateServiceReplyWithForceNewDeploymentStartsOneDeploymentAndTheCliFollowsIt() throws Exception {
        try (LostReplyProxy proxy = LostReplyProxy.start(sim.endpoint())) {
            proxy.dropReplyOnce("UpdateService");
            int before = sim.deploymentArns().size();
            CliRun deploy = CliRun.run(withEndpoint(proxy.endpoint().toString(), "deploy", "--cluster", "prod", "--service", "api",
                    "--task-definition", "api:1", "--force-new-deployment", "--strategy", "blue-green", "--bake-minutes", "0",
                    "--wait-until", "SCALE_UP", "--plain"));
            assertEquals(0, deploy.exitCode(), deploy.toString());
            assertEquals(List.of("UpdateService"), proxy.dropped());
            assertEquals(1, proxy.forwarded("UpdateService"), "not sent twice");
            assertEquals(before + 1, sim.deploymentArns().size(), "one new deployment, not two");
            assertTrue(deploy.out().contains("Started " + sim.deploymentArns().get(sim.deploymentArns().size() - 1)), deploy.toString());
        }
    }

    @Test
    void rollingBackAFinishedDeploymentFromThePageIsRefusedWith409SayingSo() throws Exception {
        try (DemoRun demo = new DemoRun(List.of("demo", "--plain", "--port", "0", "--speed", "600", "--strategy", "rolling",
                "--hold", "120"))) {
            String url = demo.url();
            demo.awaitHolding(); // finished: the page stays up
            assertTrue(demo.output().contains("outcome: SUCCEEDED"), demo.output());
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
            String page = browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher tm = Pattern.compile("data-csrf-token=\"([^\"]+)\"").matcher(page);
            assertTrue(tm.find(), page);
            HttpResponse<String> r = browser.send(HttpRequest.newBuilder(URI.create(url + "api/rollback"))
                    .header(ProgressServer.CSRF_HEADER, tm.group(1)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"comment\":\"too late\"}")).build(), HttpResponse.BodyHandlers.ofString());
            // before issue 10: 200 "rollback requested" for a deployment that had long finished
            assertEquals(409, r.statusCode(), r.body());
            assertTrue(r.body().contains("DEPLOYMENT_FINISHED") && r.body().contains("already finished"), r.body());
            demo.endHold();
        }
    }
}
