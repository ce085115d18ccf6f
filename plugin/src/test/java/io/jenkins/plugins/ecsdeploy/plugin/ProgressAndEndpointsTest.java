package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.AbortException;
import hudson.model.Item;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The progress action (snapshot JSON, assets, several deployments) and the approval endpoints over "HTTP". */
class ProgressAndEndpointsTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    EcsSandbox sandbox;
    StepRunner runner;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        sandbox.service("api");
        runner = StepRunner.create();
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    static JsonNode get(EcsProgressAction a, String id) throws Exception {
        HttpFakes.Answer ans = new HttpFakes.Answer();
        a.doSnapshot(HttpFakes.request(id == null ? Map.of() : Map.of("id", id), Map.of(), null, null), HttpFakes.response(ans));
        assertEquals(200, ans.status, ans.body());
        assertEquals("application/json;charset=UTF-8", ans.contentType);
        return JSON.readTree(ans.body());
    }

    @Test
    void twoDeploymentsInOneBuildEachGetASectionWithTheirSnapshot() throws Exception {
        FakeStepContext web = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args());
        Map<String, Object> apiArgs = DeploymentLifecycleTest.args("service", "api", "image", "web=registry/api:2.0");
        apiArgs.remove("bakeMinutes");
        FakeStepContext api = runner.start(EcsCanaryStep.class, apiArgs);
        web.awaitDone(WAIT).returnValue();
        api.awaitDone(WAIT).returnValue();

        EcsProgressAction a = runner.run().getAction(EcsProgressAction.class);
        assertEquals(2, a.getDeployments().size());
        JsonNode all = get(a, null);
        assertEquals(2, all.path("deployments").size());
        JsonNode d1 = get(a, "d1");
        assertEquals(1, d1.path("schemaVersion").asInt(), d1.toString());
        assertEquals("d1", d1.path("jenkins").path("id").asText());
        assertEquals("demo/web", d1.path("jenkins").path("label").asText());
        JsonNode d2 = get(a, "d2");
        assertEquals("demo/api", d2.path("jenkins").path("label").asText());
        assertTrue(d2.toString().contains("CANARY"), d2.toString());
        assertTrue(a.getDeployments().get(0).getState().startsWith("SUCCEEDED"), a.getDeployments().get(0).getState());
        // console lines at transitions, with timestamps. Which stages a poll sees depends on timing (a short stage
        // can pass between two polls), so the log is checked for a timestamped stage line and the record for the
        // stage: the snapshot lists TEST_TRAFFIC_SHIFT either as observed or as inferred ("observed": false,
        // docs/snapshot-schema.md "stages").
        assertTrue(web.log().matches("(?s).*\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ] ECS demo/web: stage [A-Za-z ,]+ \\([A-Z_]+\\) entered.*"), web.log());
        boolean testShiftRecorded = false;
        for (JsonNode st : d1.path("stages")) {
            testShiftRecorded |= "TEST_TRAFFIC_SHIFT".equals(st.path("name").asText());
        }
        assertTrue(testShiftRecorded, d1.path("stages").toString());
        assertTrue(web.log().contains("(live progress)"), web.log());
    }

    @Test
    void snapshotNeedsReadPermissionAndUnknownIdsAre404() throws Exception {
        FakeStepContext web = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args());
        web.awaitDone(WAIT);
        EcsProgressAction a = runner.run().getAction(EcsProgressAction.class);
        HttpFakes.Answer missing = new HttpFakes.Answer();
        a.doSnapshot(HttpFakes.request(Map.of("id", "d9"), Map.of(), null, null), HttpFakes.response(missing));
        assertEquals(404, missing.status);
        StandInJenkins.enableSecurity();
        StandInJenkins.setCurrentUser("stranger");
        HttpFakes.Answer refused = new HttpFakes.Answer();
        a.doSnapshot(HttpFakes.request(Map.of("id", "d1"), Map.of(), null, null), HttpFakes.response(refused));
        assertEquals(403, refused.status);
    }

    @Test
    void assetEndpointServesTheSharedScript() throws Exception {
        EcsProgressAction a = new EcsProgressAction();
        HttpFakes.Answer js = new HttpFakes.Answer();
        a.doAsset(HttpFakes.request(Map.of(), Map.of(), null, "/progress.js"), HttpFakes.response(js));
        assertEquals(200, js.status);
        assertEquals("text/javascript;charset=UTF-8", js.contentType);
        assertTrue(js.body().contains("data-snapshot-url"));
        HttpFakes.Answer evil = new HttpFakes.Answer();
        a.doAsset(HttpFakes.request(Map.of(), Map.of(), null, "/../../../etc/passwd"), HttpFakes.response(evil));
        assertEquals(404, evil.status);
    }

    @Test
    void approveEndpointTakesTheProgressPagesJsonAndRefusesWithAClearMessage() throws Exception {
        StandInJenkins.enableSecurity();
        StandInJenkins.grant("alice", Item.READ, Item.BUILD);
        StandInJenkins.grant("bob", Item.READ, Item.BUILD);
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("approval", "alice"));
        EcsSandbox.await("a gate", WAIT, () -> runner.run().getAction(EcsApprovalAction.class) != null
                && !runner.run().getAction(EcsApprovalAction.class).getWaitingGates().isEmpty(), c);
        EcsApprovalAction approvals = runner.run().getAction(EcsApprovalAction.class);
        String hookId = approvals.getWaitingGates().get(0).getHookId();
        Map<String, String> json = Map.of("Content-Type", "application/json", "Accept", "application/json");
        String body = "{\"hookId\":\"" + hookId + "\",\"stage\":\"POST_TEST_TRAFFIC_SHIFT\",\"comment\":\"<b>ok</b>\"}";

        StandInJenkins.setCurrentUser("bob");
        HttpFakes.Answer refused = new HttpFakes.Answer();
        approvals.doApprove(HttpFakes.request(Map.of(), json, body, null), HttpFakes.response(refused));
        assertEquals(403, refused.status);
        assertTrue(JSON.readTree(refused.body()).path("message").asText().contains("You (bob) are not allowed"), refused.body());

        StandInJenkins.setCurrentUser("alice");
        HttpFakes.Answer ok = new HttpFakes.Answer();
        approvals.doApprove(HttpFakes.request(Map.of(), json, body, null), HttpFakes.response(ok));
        assertEquals(200, ok.status, ok.body());
        assertEquals(true, JSON.readTree(ok.body()).path("ok").asBoolean());

        HttpFakes.Answer again = new HttpFakes.Answer();
        approvals.doRollback(HttpFakes.request(Map.of("hookId", hookId), Map.of(), null, null), HttpFakes.response(again));
        assertEquals(409, again.status);
        assertEquals("text/plain;charset=UTF-8", again.contentType, "user text is never served as HTML");
        assertTrue(again.body().contains("already decided: approved by alice"), again.body());
        c.awaitDone(WAIT).returnValue();
        assertEquals("<b>ok</b>", runner.run().getActions(EcsDecisionAction.class).get(0).getComment());
    }

    /** Waits until the deployment d1 of this build runs in ECS: in {@code stage}, or in any stage when null. */
    EcsProgressAction runningDeployment(FakeStepContext c, String stage) throws Exception {
        EcsSandbox.await("the deployment to run" + (stage == null ? "" : " in " + stage), WAIT, () -> {
            EcsProgressAction a = runner.run().getAction(EcsProgressAction.class);
            String json = a == null ? null : a.snapshotJson("d1");
            String now = json == null ? null : io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot.fromJson(json).lifecycleStage();
            return now != null && (stage == null || stage.equals(now));
        }, c);
        return runner.run().getAction(EcsProgressAction.class);
    }

    static HttpFakes.Answer rollbackNow(EcsProgressAction a, String id, String comment) throws Exception {
        HttpFakes.Answer ans = new HttpFakes.Answer();
        Map<String, String> json = Map.of("Content-Type", "application/json", "Accept", "application/json");
        a.doRollbackNow(HttpFakes.request(Map.of("id", id), json,
                JSON.writeValueAsString(Map.of("comment", comment)), null), HttpFakes.response(ans));
        return ans;
    }

    @Test
    void rollBackNowByAUserWithBuildRollsTheRunningDeploymentBackAndRecordsWhoWhenAndWhy() throws Exception {
        StandInJenkins.enableSecurity();
        StandInJenkins.grant("carol", Item.READ, Item.BUILD);
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("bakeMinutes", 60));
        EcsProgressAction a = runningDeployment(c, "BAKE_TIME");

        StandInJenkins.setCurrentUser("carol");
        HttpFakes.Answer ok = rollbackNow(a, "d1", "<b>customer complaints</b>");
        assertEquals(200, ok.status, ok.body());
        assertEquals("application/json;charset=UTF-8", ok.contentType);
        assertTrue(JSON.readTree(ok.body()).path("ok").asBoolean(), ok.body());

        c.awaitDone(WAIT);
        assertTrue(c.failure() instanceof AbortException, String.valueOf(c.failure()));
        JsonNode snap = get(a, "d1");
        assertEquals("ROLLED_BACK", snap.path("outcome").path("kind").asText(), snap.toString());
        assertEquals("MANUAL", snap.path("outcome").path("cause").asText(), snap.toString());
        assertEquals("carol", snap.path("outcome").path("decidedBy").asText(), snap.toString());
        assertEquals("rolled back by carol: <b>customer complaints</b>", snap.path("outcome").path("reason").asText());

        var audit = runner.run().getActions(EcsDecisionAction.class);
        assertEquals(1, audit.size());
        EcsDecisionAction d = audit.get(0);
        assertEquals("carol", d.getUserId());
        assertEquals("ROLLBACK", d.getDecision());
        assertEquals("<b>customer complaints</b>", d.getComment());
        assertEquals(null, d.getHookId());
        assertTrue(d.isRollbackNow());
        assertTrue(d.getTimestamp() > 0);
        assertEquals(a.getDeployments().get(0).getDeploymentArn(), d.getDeploymentArn());
        assertTrue(d.toString().startsWith("Rolled back now by carol at BAKE_TIME ("), d.toString());
    }

    @Test
    void rollBackNowIsRefusedWith403ToAUserWithoutBuildAndNothingHappens() throws Exception {
        StandInJenkins.enableSecurity();
        StandInJenkins.grant("reader", Item.READ);
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("bakeMinutes", 2));
        EcsProgressAction a = runningDeployment(c, null);

        StandInJenkins.setCurrentUser("reader");
        HttpFakes.Answer refused = rollbackNow(a, "d1", "let me");
        assertEquals(403, refused.status, refused.body());
        assertEquals("You (reader) need the Job/Build permission on this job to roll back this deployment.",
                JSON.readTree(refused.body()).path("message").asText());
        assertEquals(0L, sandbox.sim.stats().count("StopServiceDeployment"));
        c.awaitDone(WAIT).returnValue(); // it went on to success
        assertTrue(runner.run().getActions(EcsDecisionAction.class).isEmpty());
    }

    @Test
    void rollBackNowFollowsTheDeploymentsApproverListLikeAGateDecision() throws Exception {
        StandInJenkins.enableSecurity();
        StandInJenkins.grant("alice", Item.READ, Item.BUILD);
        StandInJenkins.grant("bob", Item.READ, Item.BUILD);
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("approval", "alice"));
        EcsProgressAction a = runningDeployment(c, null);

        StandInJenkins.setCurrentUser("bob");
        HttpFakes.Answer refused = rollbackNow(a, "d1", "");
        assertEquals(403, refused.status, refused.body());
        assertTrue(JSON.readTree(refused.body()).path("message").asText()
                .startsWith("You (bob) are not allowed to roll back this deployment: it needs to be one of alice"), refused.body());

        StandInJenkins.setCurrentUser("alice");
        HttpFakes.Answer ok = rollbackNow(a, "d1", "");
        assertEquals(200, ok.status, ok.body());
        c.awaitDone(WAIT);
        assertEquals("ROLLED_BACK", get(a, "d1").path("outcome").path("kind").asText());
        assertEquals("MANUAL", get(a, "d1").path("outcome").path("cause").asText());
    }

    @Test
    void rollBackNowOfAFinishedDeploymentIsRefusedWithAClearMessage() throws Exception {
        StandInJenkins.enableSecurity();
        StandInJenkins.grant("carol", Item.READ, Item.BUILD);
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args());
        c.awaitDone(WAIT).returnValue();
        EcsProgressAction a = runner.run().getAction(EcsProgressAction.class);

        StandInJenkins.setCurrentUser("carol");
        HttpFakes.Answer refused = new HttpFakes.Answer();
        a.doRollbackNow(HttpFakes.request(Map.of("id", "d1"), Map.of(), null, null), HttpFakes.response(refused));
        assertEquals(409, refused.status, refused.body());
        assertEquals("text/plain;charset=UTF-8", refused.contentType, "user text is never served as HTML");
        assertTrue(refused.body().startsWith("The deployment of demo/web has already finished (SUCCEEDED"), refused.body());
        assertTrue(refused.body().endsWith("there is nothing to roll back."), refused.body());
        assertEquals(0L, sandbox.sim.stats().count("StopServiceDeployment"));
        assertTrue(runner.run().getActions(EcsDecisionAction.class).isEmpty());
    }

    @Test
    void anUnknownCredentialsIdFailsBeforeAnyAwsCall() throws Exception {
        EngineRegistry.useForTests(new io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler(), sandbox.sim.endpoint(), null);
        long before = sandbox.sim.stats().total();
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("credentialsId", "aws-prod"));
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(AbortException.class, t);
        assertTrue(t.getMessage().contains("credentialsId 'aws-prod': the id of an 'AWS Credentials' entry"), t.getMessage());
        assertEquals(before, sandbox.sim.stats().total());
    }
}
