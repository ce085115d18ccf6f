package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Item;
import hudson.model.TaskListener;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentRequest;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.RevisionNames;
import io.jenkins.plugins.ecsdeploy.engine.RevisionSource;
import io.jenkins.plugins.ecsdeploy.engine.Strategy;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeJob;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeRun;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "Redeploy this revision" on a finished deployment's page (issue 11, item 8; docs/approvals.md "Redeploy this
 * revision"): the click queues a new build of the same job; in it, the job's own deploy step deploys the recorded task
 * definition instead of what the script names — through the same engine and the same gate.
 */
class RedeployThisRevisionTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final ObjectMapper JSON = new ObjectMapper();

    EcsSandbox sandbox;
    FakeJob job;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        job = new FakeJob("p");
        StandInJenkins.enableSecurity();
        StandInJenkins.grant("alice", Item.READ, Item.BUILD);
        StandInJenkins.grant("bob", Item.READ);
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
    }

    static HttpFakes.Answer redeploy(EcsProgressAction a, String id) throws Exception {
        HttpFakes.Answer ans = new HttpFakes.Answer();
        a.doRedeploy(HttpFakes.request(Map.of("id", id), Map.of("Accept", "application/json"), null, null), HttpFakes.response(ans));
        return ans;
    }

    static String message(HttpFakes.Answer a) throws Exception {
        return JSON.readTree(a.body()).path("message").asText();
    }

    /** Runs one build of the job with the deploy step; returns it once the step finished. */
    StepRunner build(int number, List<hudson.model.Action> actions, Map<String, Object> args) throws Exception {
        StandInJenkins.setCurrentUser(null);
        FakeRun run = new FakeRun(job, number);
        actions.forEach(run::addAction);
        StepRunner r = StepRunner.on(run);
        r.start(EcsBlueGreenStep.class, args).awaitDone(WAIT).returnValue();
        return r;
    }

    static String greenTaskDefinition(StepRunner r) {
        return DeploymentSnapshot.fromJson(r.run().getAction(EcsProgressAction.class).snapshotJson("d1")).green().taskDefinition();
    }

    @Test
    void redeployingASucceededRevisionQueuesABuildWhoseDeployStepDeploysItThroughTheSameGate() throws Exception {
        StepRunner one = build(1, List.of(), DeploymentLifecycleTest.args());
        StepRunner two = build(2, List.of(), DeploymentLifecycleTest.args("image", "web=registry/web:3.0"));
        String good = greenTaskDefinition(one);
        assertNotEquals(good, greenTaskDefinition(two), "build #2 deployed another revision");
        EcsProgressAction page = one.run().getAction(EcsProgressAction.class);

        // reading the build is not enough: redeploying starts the job
        StandInJenkins.setCurrentUser("bob");
        HttpFakes.Answer refused = redeploy(page, "d1");
        assertEquals(403, refused.status, refused.body());
        assertTrue(message(refused).contains("need the Job/Build permission"), refused.body());
        assertTrue(StandInJenkins.scheduledBuilds().isEmpty(), "nothing queued for bob");

        StandInJenkins.setCurrentUser("alice");
        HttpFakes.Answer ok = redeploy(page, "d1");
        assertEquals(200, ok.status, ok.body());
        assertTrue(message(ok).startsWith("Redeploying " + RevisionNames.familyRevision(good) + " to demo/web: a new build of this job is queued"),
                ok.body());
        List<StandInJenkins.ScheduledBuild> queued = StandInJenkins.scheduledBuilds();
        assertEquals(1, queued.size());
        assertSame(job, queued.get(0).job());
        EcsRedeployAction what = queued.get(0).action(EcsRedeployAction.class);
        assertEquals(good, what.getTaskDefinition());
        assertEquals("demo", what.getCluster());
        assertEquals("web", what.getService());
        assertEquals("alice", what.getRequestedBy());
        assertEquals("#1", what.getFromBuild());
        assertEquals("alice", queued.get(0).action(CauseAction.class).findCause(Cause.UserIdCause.class).getUserId(),
                "the queued build is started by the user who clicked");

        // build #3 is that build: the same script (it names 3.0, with a gate for alice). The redeploy request wins,
        // and the gate holds the deployment until alice approves, as for any deployment of this job.
        StandInJenkins.setCurrentUser(null);
        FakeRun run3 = new FakeRun(job, 3);
        queued.get(0).actions().forEach(run3::addAction);
        StepRunner three = StepRunner.on(run3);
        FakeStepContext c = three.start(EcsBlueGreenStep.class,
                DeploymentLifecycleTest.args("image", "web=registry/web:3.0", "approval", "alice"));
        EcsSandbox.await("the gate of the redeploy", WAIT, () -> run3.getAction(EcsApprovalAction.class) != null
                && !run3.getAction(EcsApprovalAction.class).getWaitingGates().isEmpty(), c);
        EcsApprovalAction approvals = run3.getAction(EcsApprovalAction.class);
        String hookId = approvals.getWaitingGates().get(0).getHookId();
        StandInJenkins.setCurrentUser("alice");
        HttpFakes.Answer approved = new HttpFakes.Answer();
        approvals.doApprove(HttpFakes.request(Map.of(), Map.of("Content-Type", "application/json", "Accept", "application/json"),
                "{\"hookId\":\"" + hookId + "\",\"stage\":\"POST_TEST_TRAFFIC_SHIFT\",\"comment\":\"back to the good one\"}", null),
                HttpFakes.response(approved));
        assertEquals(200, approved.status, approved.body());
        c.awaitDone(WAIT).returnValue();
        assertTrue(c.log().contains("redeploying " + RevisionNames.familyRevision(good) + " (" + good + ") instead of what this step names, as alice asked from build #1"),
                c.log());
        assertEquals(good, greenTaskDefinition(three), "build #3 deployed the revision of build #1");
        assertTrue(run3.getAction(EcsProgressAction.class).getDeployments().get(0).getState().startsWith("SUCCEEDED"),
                run3.getAction(EcsProgressAction.class).getDeployments().get(0).getState());
    }

    @Test
    void onlyAFinishedDeploymentThatSucceededCanBeRedeployedAndJenkinsMustQueueTheBuild() throws Exception {
        StandInJenkins.setCurrentUser(null);
        FakeRun run = new FakeRun(job, 1);
        StepRunner r = StepRunner.on(run);
        FakeStepContext c = r.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("approval", "alice"));
        EcsSandbox.await("the gate", WAIT, () -> run.getAction(EcsApprovalAction.class) != null
                && !run.getAction(EcsApprovalAction.class).getWaitingGates().isEmpty(), c);
        EcsProgressAction page = run.getAction(EcsProgressAction.class);
        StandInJenkins.setCurrentUser("alice");

        HttpFakes.Answer running = redeploy(page, "d1");
        assertEquals(409, running.status, running.body());
        assertTrue(message(running).contains("has not finished yet"), running.body());
        HttpFakes.Answer unknown = redeploy(page, "d7");
        assertEquals(404, unknown.status, unknown.body());

        // rolled back at the gate: its revision never served production
        EcsApprovalAction approvals = run.getAction(EcsApprovalAction.class);
        HttpFakes.Answer rolledBack = new HttpFakes.Answer();
        approvals.doRollback(HttpFakes.request(Map.of("hookId", approvals.getWaitingGates().get(0).getHookId()),
                        Map.of("Accept", "application/json"), null, null),
                HttpFakes.response(rolledBack));
        assertEquals(200, rolledBack.status, rolledBack.body());
        c.awaitDone(WAIT);
        HttpFakes.Answer notLive = redeploy(page, "d1");
        assertEquals(409, notLive.status, notLive.body());
        assertTrue(message(notLive).contains("its revision never served production"), notLive.body());
        assertTrue(StandInJenkins.scheduledBuilds().isEmpty());

        // a succeeded deployment, but Jenkins does not queue the build (a disabled job): said, not pretended
        StepRunner ok = build(2, List.of(), DeploymentLifecycleTest.args());
        StandInJenkins.setCurrentUser("alice");
        StandInJenkins.refuseScheduling();
        HttpFakes.Answer notQueued = redeploy(ok.run().getAction(EcsProgressAction.class), "d1");
        assertEquals(409, notQueued.status, notQueued.body());
        assertTrue(message(notQueued).contains("did not queue a build"), notQueued.body());
    }

    @Test
    void theBuildLogAndTheBuildPageNameStagesAndTheRevisionAsPeopleDo() throws Exception {
        StandInJenkins.setCurrentUser(null);
        FakeRun run = new FakeRun(job, 1);
        StepRunner r = StepRunner.on(run);
        FakeStepContext c = r.start(EcsCanaryStep.class, DeploymentLifecycleTest.args("canaryPercent", 20, "canaryBakeMinutes", 5));
        c.awaitDone(WAIT).returnValue();
        String log = c.log();
        // the revision as people name it, with the images that change
        assertTrue(log.matches("(?s).*ECS demo/web: deploying web:\\d+ \\(nginx:1\\.27 → web:2\\.0\\), replacing web:\\d+\n.*"), log);
        // stages in people's words with ECS's name beside them; the plan's step with a production traffic change
        // (which stages a poll sees depends on timing: any one of them, in that form)
        assertTrue(log.matches("(?s).*ECS demo/web: stage [A-Z][a-z ,]+ \\((SCALE_UP|POST_SCALE_UP|TEST_TRAFFIC_SHIFT|POST_TEST_TRAFFIC_SHIFT|"
                + "PRE_PRODUCTION_TRAFFIC_SHIFT|PRODUCTION_TRAFFIC_SHIFT|POST_PRODUCTION_TRAFFIC_SHIFT|BAKE_TIME|CLEAN_UP)\\) entered.*"), log);
        assertTrue(log.matches("(?s).*traffic production green 20% / blue 80%[^\n]* · Canary 1/2 · 20 % · bake [^\n]*\n.*"), log);
        EcsProgressAction page = run.getAction(EcsProgressAction.class);
        String revision = page.revisionOf(page.getDeployments().get(0));
        assertTrue(revision.matches(" · web:\\d+ \\(nginx:1\\.27 → web:2\\.0\\)"), revision);
        assertEquals("", page.revisionOf(null));
    }

    @Test
    void aRedeployRequestChangesOnlyTheDeploymentOfTheSameRegionClusterAndService() {
        FakeRun run = new FakeRun(job, 4);
        String td = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7";
        run.addAction(new EcsRedeployAction("us-east-1", "demo", "web", td, "alice", "#1", null));
        DeploymentRequest web = DeploymentRequest.builder().region("us-east-1").cluster("demo").service("web")
                .revision(RevisionSource.ImageOverrides.parse(List.of("web=registry/web:3.0")))
                .strategy(new Strategy.BlueGreen(5, null, null)).build();
        DeploymentRequest redeployed = Redeploys.apply(run, web, TaskListener.NULL, "demo/web");
        assertEquals(new RevisionSource.TaskDefinition(td), redeployed.revision());
        DeploymentRequest byArn = web.toBuilder().service("arn:aws:ecs:us-east-1:123456789012:service/demo/web").build();
        assertEquals(new RevisionSource.TaskDefinition(td), Redeploys.apply(run, byArn, TaskListener.NULL, "demo/web").revision(),
                "a service given by ARN is the same service");
        for (DeploymentRequest other : List.of(web.toBuilder().service("api").build(), web.toBuilder().cluster("prod").build(),
                web.toBuilder().region("eu-west-1").build())) {
            assertSame(other, Redeploys.apply(run, other, TaskListener.NULL, "x"), "another deployment of the build is left alone");
        }
        assertSame(web, Redeploys.apply(new FakeRun(job, 5), web, TaskListener.NULL, "demo/web"), "no request: unchanged");
    }
}
