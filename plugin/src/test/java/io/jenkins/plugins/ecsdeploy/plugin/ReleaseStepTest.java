package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.model.Item;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 part 2 in Pipeline: {@code ecsRelease} with three services in two waves on the plugin harness —
 * one gate per wave decided on the release page with the approval policy; a circuit breaker in wave 2 rolls back the
 * wave and reverts wave 1, the step's failure names the service; a crash while a wave gate waits resumes from the
 * saved ids (docs/releases.md).
 */
class ReleaseStepTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    EcsSandbox sandbox;
    StepRunner runner;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        for (String s : List.of("api", "worker", "web")) {
            sandbox.service(s);
        }
        runner = StepRunner.create();
        runner.onRestart(sandbox::restartEngines);
        StandInJenkins.grant("release-managers", Jenkins.READ, Item.READ, Item.BUILD);
        StandInJenkins.setGroups("alice", "release-managers");
        StandInJenkins.setGroups("bob", "release-managers");
    }

    @AfterEach
    void tearDown() {
        PluginExecutors.shutdown();
        sandbox.close();
    }

    static Map<String, Object> svc(String name, String image, Object... settings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", "demo");
        m.put("service", name);
        m.put("image", "web=" + image);
        for (int i = 0; i < settings.length; i += 2) {
            m.put((String) settings[i], settings[i + 1]);
        }
        return m;
    }

    static Map<String, Object> args(String webImage, Object approval, Object... webSettings) {
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("api", svc("api", "registry/api:1.4", "strategy", "blue-green", "bakeMinutes", 0));
        services.put("worker", svc("worker", "registry/worker:1.4", "strategy", "blue-green", "bakeMinutes", 0));
        services.put("web", svc("web", webImage, webSettings));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", "shop 1.4");
        a.put("region", EcsSandbox.REGION);
        a.put("services", services);
        a.put("waves", List.of(List.of("api", "worker"), List.of("web")));
        if (approval != null) {
            a.put("approval", approval);
        }
        return a;
    }

    EcsReleaseAction.WaveGateRecord awaitGate(FakeStepContext c, int wave) throws InterruptedException {
        EcsSandbox.await("the gate of wave " + wave, WAIT, () -> {
            EcsReleaseAction a = runner.run().getAction(EcsReleaseAction.class);
            return a != null && !a.getReleases().isEmpty() && a.getReleases().get(0).gate(wave - 1) != null
                    && "WAITING".equals(a.getReleases().get(0).gate(wave - 1).getState());
        }, c);
        return runner.run().getAction(EcsReleaseAction.class).getReleases().get(0).gate(wave - 1);
    }

    EcsApprovalAction.Reply click(String user, int wave, HookAction action) throws Exception {
        EcsReleaseAction a = runner.run().getAction(EcsReleaseAction.class);
        return StandInJenkins.as(user, () -> a.decide("r1", Integer.toString(wave), action, null,
                SubmitterRules.Decider.current(runner.run().getParent()), SubmitterRules.Ids.ofRealm()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aReleaseSucceedsWithOneGatePerWaveDecidedByTheQuorum() throws Exception {
        Map<String, Object> policy = Map.of("approvers", "release-managers", "required", 2);
        FakeStepContext c = runner.start(EcsReleaseStep.class, args("registry/web:1.4", policy, "strategy", "blue-green", "bakeMinutes", 0));
        EcsReleaseAction.WaveGateRecord g1 = awaitGate(c, 1);
        assertEquals("api, worker", g1.getServices());
        EcsApprovalAction.Reply partial = click("alice", 1, HookAction.CONTINUE);
        assertEquals("Your approval is recorded: 1 of 2: alice · waiting for one more approver (release-managers).", partial.message());
        assertEquals(409, click("alice", 1, HookAction.CONTINUE).status(), "counted once");
        EcsApprovalAction.Reply ok = click("bob", 1, HookAction.CONTINUE);
        assertEquals(200, ok.status(), ok.message());
        assertEquals("Approved: wave 1 (api, worker) continues.", ok.message());
        EcsReleaseAction.WaveGateRecord g2 = awaitGate(c, 2);
        assertEquals("web", g2.getServices());
        assertEquals(200, click("alice", 2, HookAction.CONTINUE).status());
        assertEquals(200, click("bob", 2, HookAction.CONTINUE).status());
        c.awaitDone(WAIT);
        assertEquals(null, c.failure(), c.log());
        Map<String, Object> r = (Map<String, Object>) c.returnValue();
        assertEquals("SUCCEEDED", r.get("outcome"));
        Map<String, Map<String, Object>> d = (Map<String, Map<String, Object>>) r.get("deployments");
        assertEquals(List.of("api", "worker", "web"), List.copyOf(d.keySet()));
        for (Map<String, Object> x : d.values()) {
            assertEquals("SUCCESSFUL", sandbox.sim.status((String) x.get("deploymentArn")), x.toString());
        }
        assertEquals(2, runner.run().getActions(EcsDecisionAction.class).size(), "one decision per wave");
        assertTrue(c.log().contains("wave 2 (web) waits at its gate"), c.log());
    }

    @Test
    void aCircuitBreakerInWaveTwoRollsBackTheReleaseAndTheFailureNamesTheService() throws Exception {
        sandbox.sim.scenario().tasksWithImage(":bad", Duration.ofSeconds(30), 1.0);
        FakeStepContext c = runner.start(EcsReleaseStep.class, args("registry/web:bad", null, "strategy", "rolling",
                "circuitBreaker", true, "circuitBreakerRollback", true));
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t, c.log());
        assertTrue(t.getMessage().startsWith("ecsRelease: ROLLED_BACK: web was rolled back (ROLLED_BACK: circuit breaker triggered"), t.getMessage());
        assertTrue(t.getMessage().endsWith("; reverted: api, worker"), t.getMessage());
        assertTrue(c.log().contains("api (demo/api): REVERTED"), c.log());
    }

    /** docs/releases.md's Jenkinsfile shape under real Groovy: the handles it returns go on to ecsWait (composition). */
    @Test
    void aJenkinsfileReleasesWithoutGatesAndHandsEachDeploymentOnToEcsWait() throws Throwable {
        String flow = String.join("\n",
                "def r = ecsRelease name: 'shop 1.5', region: REGION, services: [",
                "        api: [cluster: 'demo', service: 'api', image: 'web=registry/api:1.5', strategy: 'blue-green', bakeMinutes: 0],",
                "        web: [cluster: 'demo', service: 'web', image: 'web=registry/web:1.5', strategy: 'rolling']",
                "    ],",
                "    waves: [['api'], ['web']]",
                "def w = ecsWait deployment: r.deployments.web",
                "echo \"release ${r.outcome}; web ${w.outcome}\"",
                "return r.deployments.api.deploymentArn");
        io.jenkins.plugins.ecsdeploy.plugin.harness.GroovyPipeline p = io.jenkins.plugins.ecsdeploy.plugin.harness.GroovyPipeline
                .running(runner).steps(EcsReleaseStep.class, EcsWaitStep.class).variable("REGION", EcsSandbox.REGION).start(flow);
        Object arn = p.await(WAIT);
        assertTrue(String.valueOf(arn).contains(":service-deployment/demo/api/"), String.valueOf(arn));
        assertTrue(p.log().contains("release SUCCEEDED; web SUCCEEDED"), p.log());
    }

    @Test
    void abortingTheBuildAtAWaveGateRollsTheReleaseBack() throws Exception {
        FakeStepContext c = runner.start(EcsReleaseStep.class, args("registry/web:1.4", true, "strategy", "blue-green", "bakeMinutes", 0));
        awaitGate(c, 1);
        String api = apiArn();
        runner.abort(c, "alice");
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(org.jenkinsci.plugins.workflow.steps.FlowInterruptedException.class, t, c.log());
        EcsSandbox.await("api rolling back", WAIT, () -> String.valueOf(sandbox.sim.status(api)).startsWith("ROLLBACK"), null);
        assertEquals(0L, sandbox.sim.stats().count("UpdateService") - 2, "wave 2 never started");
    }

    private String apiArn() throws Exception {
        com.fasterxml.jackson.databind.JsonNode n = EcsReleaseStep.JSON.readTree(
                runner.run().getAction(EcsReleaseAction.class).getReleases().get(0).snapshotJson);
        for (com.fasterxml.jackson.databind.JsonNode s : n.get("services")) {
            if (s.get("name").asText().equals("api")) {
                return s.get("deploymentArn").asText();
            }
        }
        throw new AssertionError(n.toString());
    }

    /** The group page's endpoints as release.js calls them: the snapshot JSON, and a JSON POST {id, wave, hookId, comment}. */
    @Test
    void theReleasePageServesTheSnapshotAndTakesTheWaveDecisionAsReleaseJsSendsIt() throws Exception {
        FakeStepContext c = runner.start(EcsReleaseStep.class, args("registry/web:1.4",
                Map.of("approvers", "release-managers", "notBy", "alice"), "strategy", "blue-green", "bakeMinutes", 0));
        awaitGate(c, 1);
        EcsReleaseAction a = runner.run().getAction(EcsReleaseAction.class);
        HttpFakes.Answer snap = new HttpFakes.Answer();
        StandInJenkins.setCurrentUser("bob");
        a.doSnapshot(HttpFakes.request(Map.of("id", "r1"), Map.of(), null, null), HttpFakes.response(snap));
        com.fasterxml.jackson.databind.JsonNode n = EcsReleaseStep.JSON.readTree(snap.body());
        assertEquals("release", n.path("kind").asText(), snap.body());
        assertEquals("WAITING", n.path("waves").path(0).path("gate").asText());
        assertEquals(List.of("api", "worker", "web"), List.of(n.path("services").path(0).path("name").asText(),
                n.path("services").path(1).path("name").asText(), n.path("services").path(2).path("name").asText()));
        assertEquals("POST_TEST_TRAFFIC_SHIFT", n.path("services").path(0).path("deployment").path("lifecycleStage").asText(),
                "each service's own deployment snapshot, for its stages and traffic");
        assertEquals(1, n.path("waveGates").path(0).path("wave").asInt());
        Map<String, String> json = Map.of("Content-Type", "application/json", "Accept", "application/json");
        String body = "{\"id\":\"r1\",\"wave\":\"1\",\"hookId\":\"wave-1\",\"comment\":\"<b>fine</b>\"}";
        StandInJenkins.setCurrentUser("alice");
        HttpFakes.Answer refused = new HttpFakes.Answer();
        a.doApprove(HttpFakes.request(Map.of(), json, body, null), HttpFakes.response(refused));
        assertEquals(403, refused.status, refused.body());
        assertEquals("You (alice) may not approve at this gate (notBy: alice).", EcsReleaseStep.JSON.readTree(refused.body()).path("message").asText());
        StandInJenkins.setCurrentUser("bob");
        HttpFakes.Answer ok = new HttpFakes.Answer();
        a.doApprove(HttpFakes.request(Map.of(), json, body, null), HttpFakes.response(ok));
        assertEquals(200, ok.status, ok.body());
        assertEquals("Approved: wave 1 (api, worker) continues.", EcsReleaseStep.JSON.readTree(ok.body()).path("message").asText());
        awaitGate(c, 2);
        assertEquals("<b>fine</b> [1 of 1: bob]", runner.run().getActions(EcsDecisionAction.class).get(0).getComment(), "kept as text, with who approved");
        HttpFakes.Answer no = new HttpFakes.Answer();
        a.doRollback(HttpFakes.request(Map.of(), json, body.replace("\"1\"", "\"2\"").replace("wave-1", "wave-2"), null), HttpFakes.response(no));
        assertEquals(200, no.status, no.body());
        Throwable t = c.awaitDone(WAIT).failure();
        assertTrue(t.getMessage().startsWith("ecsRelease: ROLLED_BACK: the gate of wave 2 was rejected by bob"), t.getMessage());
        assertTrue(t.getMessage().endsWith("reverted: api, worker"), t.getMessage());
    }

    @Test
    void aBadReleaseIsRefusedBeforeAnyCall() throws Exception {
        Map<String, Object> a = args("registry/web:1.4", null, "strategy", "blue-green", "bakeMinuts", 0);
        a.put("waves", List.of(List.of("api"), List.of("web", "nope")));
        FakeStepContext c = runner.start(EcsReleaseStep.class, a);
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().startsWith("ecsRelease: services.web.bakeMinuts: not a member; one of"), t.getMessage());
        assertEquals(0L, sandbox.sim.stats().count("UpdateService"));
    }

    @Test
    void aCrashWhileAWaveGateWaitsResumesFromTheSavedIdsAndTheGateIsOfferedAgain() throws Exception {
        FakeStepContext c = runner.start(EcsReleaseStep.class, args("registry/web:1.4", true, "strategy", "blue-green", "bakeMinutes", 0));
        awaitGate(c, 1);
        assertEquals(200, click("alice", 1, HookAction.CONTINUE).status());
        awaitGate(c, 2);
        EcsSandbox.await("the checkpoint saved", WAIT, () -> c.saveStateCalls() >= 2, c);
        Object before = runner.run().getAction(EcsReleaseAction.class).liveFor("r1");
        runner.crash(c);
        // the resumed step registers the release it took over (a click before that is told to try again)
        EcsSandbox.await("the release running again", WAIT, () -> {
            io.jenkins.plugins.ecsdeploy.engine.release.ReleaseRun now = runner.run().getAction(EcsReleaseAction.class).liveFor("r1");
            return now != null && now != before && "WAITING".equals(now.snapshot().waves().get(1).gate());
        }, c);
        EcsApprovalAction.Reply after = click("bob", 2, HookAction.CONTINUE);
        assertEquals(200, after.status(), after.message() + "\n" + c.log());
        c.awaitDone(WAIT);
        assertEquals(null, c.failure(), c.log());
        assertEquals(3L, sandbox.sim.stats().count("UpdateService"), "three deployments: nothing started twice");
    }

}
