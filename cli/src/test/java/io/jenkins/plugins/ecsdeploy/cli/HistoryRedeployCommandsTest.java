package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * History and undo (issue 11, item 8): {@code history --service S} lists the service's deployments newest first with
 * outcome, revision and who decided; {@code redeploy --revision ARN} deploys a listed revision again through the same
 * engine, validation and gates as {@code deploy}. Against a running simulator through --endpoint, in accelerated
 * virtual time.
 */
class HistoryRedeployCommandsTest {
    static final double SPEED = 300;
    private static EcsSimulator sim;
    private static String endpoint;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startSimulator() {
        sim = EcsSimulator.builder().clock(VirtualClock.scaled(Instant.now(), SPEED)).build().start();
        sim.seed().loadBalancedService("prod", "shop", 2, LoadBalancerType.ALB);
        endpoint = sim.endpoint().toString();
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    private static List<String> connection(String... more) {
        List<String> a = new ArrayList<>(List.of("--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1"));
        a.addAll(List.of(more));
        return a;
    }

    private static CliRun run(String command, List<String> args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(args);
        return CliRun.run(all.toArray(String[]::new));
    }

    private static String startedArn(CliRun r) {
        Matcher m = Pattern.compile("Started (arn:aws:ecs:\\S+)").matcher(r.out());
        assertTrue(m.find(), r.toString());
        return m.group(1);
    }

    private static JsonNode history() throws Exception {
        CliRun h = run("history", connection("--cluster", "prod", "--service", "shop", "--json"));
        assertEquals(0, h.exitCode(), h.toString());
        JsonNode n = JSON.readTree(h.out());
        assertEquals(1, n.get("schemaVersion").asInt());
        return n.get("deployments");
    }

    @Test
    void historyListsOutcomesRevisionsAndWhoDecidedAndRedeployPutsAGoodRevisionBack() throws Exception {
        // 1. a good deployment
        CliRun good = run("deploy", connection("--cluster", "prod", "--service", "shop", "--image",
                "web=public.ecr.aws/nginx/nginx:1.28", "--strategy", "blue-green", "--bake-minutes", "1", "--plain"));
        assertEquals(0, good.exitCode(), good.toString());
        // 2. a bad one, rolled back at its gate by carol
        CliRun bad = run("deploy", connection("--cluster", "prod", "--service", "shop", "--image",
                "web=public.ecr.aws/nginx/nginx:1.29", "--strategy", "blue-green", "--bake-minutes", "1",
                "--approve-at", "POST_TEST_TRAFFIC_SHIFT", "--wait-until", "POST_TEST_TRAFFIC_SHIFT", "--plain"));
        assertEquals(0, bad.exitCode(), bad.toString());
        String badArn = startedArn(bad);
        CliRun status = null;
        for (int i = 0; i < 100; i++) { // the gate's hook shows up with the stage or a poll later
            status = run("status", connection(badArn));
            if (status.out().contains("gate waiting at POST_TEST_TRAFFIC_SHIFT")) {
                break;
            }
        }
        assertTrue(status.out().contains("gate waiting at POST_TEST_TRAFFIC_SHIFT"), status.toString());
        CliRun reject = run("rollback", connection("--user", "carol", "--comment", "checkout returns 500", badArn));
        assertEquals(0, reject.exitCode(), reject.toString());
        CliRun watch = run("status", connection("--watch", "--plain", badArn));
        assertEquals(ExitCodes.ROLLED_BACK, watch.exitCode(), watch.toString());

        // history: newest first, outcome, revision as people name it, images, who decided and why
        JsonNode d = history();
        assertTrue(d.size() >= 2, d.toString());
        JsonNode newest = d.get(0);
        JsonNode before = d.get(1);
        assertEquals(badArn, newest.get("deploymentArn").asText());
        assertEquals("ROLLBACK_SUCCESSFUL", newest.get("status").asText(), newest.toString());
        assertEquals("rolled back", newest.get("outcome").asText(), newest.toString());
        assertEquals("public.ecr.aws/nginx/nginx:1.29", newest.get("images").get("web").asText(), newest.toString());
        assertEquals("carol", newest.get("decisions").get(0).get("by").asText(), newest.toString());
        assertEquals("checkout returns 500", newest.get("decisions").get(0).get("comment").asText(), newest.toString());
        assertEquals("SUCCESSFUL", before.get("status").asText(), before.toString());
        assertEquals("succeeded", before.get("outcome").asText(), before.toString());
        assertEquals("public.ecr.aws/nginx/nginx:1.28", before.get("images").get("web").asText(), before.toString());
        assertTrue(before.get("revisionName").asText().matches("[a-z-]+:\\d+"), before.toString());
        String goodRevision = before.get("revisionArn").asText();

        // the text form says the same for people, with the ARNs in full for redeploy
        CliRun text = run("history", connection("--cluster", "prod", "--service", "shop"));
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().contains("rolled back by carol: \"checkout returns 500\""), text.toString());
        assertTrue(text.out().contains("revision   " + goodRevision), text.toString());

        // 3. the rollback already put the good revision back: redeploying it would start nothing, and says so at once
        CliRun nothingToDo = run("redeploy", connection("--revision", goodRevision, "--bake-minutes", "1", "--plain"));
        assertEquals(ExitCodes.USAGE, nothingToDo.exitCode(), nothingToDo.toString());
        assertTrue(nothingToDo.err().contains("shop runs " + before.get("revisionName").asText() + " now, so there is nothing to redeploy"),
                nothingToDo.toString());

        // 4. a bad revision that succeeded, found bad later: redeploy the good one through the same engine, with the
        // strategy of the latest deployment; the service runs the good task definition again
        CliRun badButLive = run("deploy", connection("--cluster", "prod", "--service", "shop", "--image",
                "web=public.ecr.aws/nginx/nginx:1.29", "--strategy", "blue-green", "--bake-minutes", "1", "--plain"));
        assertEquals(0, badButLive.exitCode(), badButLive.toString());
        CliRun redeploy = run("redeploy", connection("--revision", goodRevision, "--bake-minutes", "1", "--plain"));
        assertEquals(0, redeploy.exitCode(), redeploy.toString());
        assertTrue(redeploy.out().contains("outcome: SUCCEEDED"), redeploy.toString());
        JsonNode after = history().get(0);
        assertEquals("SUCCESSFUL", after.get("status").asText(), after.toString());
        assertEquals(before.get("taskDefinition").asText(), after.get("taskDefinition").asText(), after.toString());
        assertEquals("BLUE_GREEN", after.get("strategy").asText(), after.toString());
    }

    @Test
    void redeployAndHistoryRefuseBadInputBeforeAnyAwsCall() {
        CliRun noRevision = CliRun.run("redeploy", "--endpoint", "http://127.0.0.1:9/", "--service", "shop");
        assertEquals(ExitCodes.USAGE, noRevision.exitCode(), noRevision.toString());
        assertTrue(noRevision.err().contains("--revision: a service revision ARN (see 'ecs-deploy history'), a task definition ARN or family:revision is required"),
                noRevision.toString());

        CliRun withImage = CliRun.run("redeploy", "--endpoint", "http://127.0.0.1:9/", "--service", "shop", "--revision", "shop:3",
                "--image", "web=nginx:1.28");
        assertEquals(ExitCodes.USAGE, withImage.exitCode(), withImage.toString());
        assertTrue(withImage.err().contains("not with redeploy: --revision names what is deployed"), withImage.toString());

        CliRun otherService = CliRun.run("redeploy", "--endpoint", "http://127.0.0.1:9/", "--service", "web", "--revision",
                "arn:aws:ecs:us-east-1:123456789012:service-revision/prod/shop/1234567890");
        assertEquals(ExitCodes.USAGE, otherService.exitCode(), otherService.toString());
        assertTrue(otherService.err().contains("--service 'web': the revision's own service, shop"), otherService.toString());

        CliRun familyWithoutService = CliRun.run("redeploy", "--endpoint", "http://127.0.0.1:9/", "--revision", "shop:3");
        assertEquals(ExitCodes.USAGE, familyWithoutService.exitCode(), familyWithoutService.toString());
        assertTrue(familyWithoutService.err().contains("--service: required with a task definition as --revision"), familyWithoutService.toString());

        CliRun sandboxHistory = CliRun.run("history", "--sandbox", "--service", "shop");
        assertEquals(ExitCodes.USAGE, sandboxHistory.exitCode(), sandboxHistory.toString());
        assertTrue(sandboxHistory.err().contains("--sandbox: only with deploy, plan --check-service and demo"), sandboxHistory.toString());

        CliRun noService = CliRun.run("history", "--endpoint", "http://127.0.0.1:9/", "--limit", "0");
        assertEquals(ExitCodes.USAGE, noService.exitCode(), noService.toString());
        assertTrue(noService.err().contains("--service: a service name is required"), noService.toString());
        assertTrue(noService.err().contains("--limit '0': 1 to 100 deployments"), noService.toString());
    }
}
