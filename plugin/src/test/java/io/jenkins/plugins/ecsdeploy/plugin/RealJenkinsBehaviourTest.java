package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.jenkins.plugins.awscredentials.AWSCredentialsHelper;
import com.cloudbees.jenkins.plugins.awscredentials.AmazonWebServicesCredentials;
import hudson.AbortException;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.User;
import hudson.util.ListBoxModel;
import hudson.util.StreamTaskListener;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.JenkinsXStream;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.CauseOfInterruption;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.TimeoutStepExecution;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The defects a run in a real Jenkins found (issue 16 item 0) and the core behaviours of issue 8, each pinned in the
 * stand-in harness that now behaves like core where we depend on it (docs/jenkins-stand-in.md "Behaviour table").
 */
class RealJenkinsBehaviourTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    EcsSandbox sandbox;
    StepRunner runner;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        runner = StepRunner.create();
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
        StandInJenkins.reset();
    }

    Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cluster", "demo");
        m.put("service", "web");
        m.put("region", EcsSandbox.REGION);
        m.put("image", "web=registry/web:2.0");
        m.put("bakeMinutes", 0);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    EcsApprovalAction approvals() {
        return runner.run().getAction(EcsApprovalAction.class);
    }

    GateRecord awaitGate(FakeStepContext c) throws InterruptedException {
        EcsSandbox.await("a gate offered", WAIT, () -> approvals() != null && !approvals().getWaitingGates().isEmpty(), c);
        return approvals().getWaitingGates().get(0);
    }

    static SubmitterRules.Decider user(String id) {
        return new SubmitterRules.Decider(id, id, List.of(), false, true);
    }

    // ---- 16.0 (1): a config.xml without some fields ----

    @Test
    void aConfigXmlWithoutOptionalFieldsLoadsThroughXStreamWithTheDefaultsAndDeploys() throws Exception {
        String xml = "<io.jenkins.plugins.ecsdeploy.plugin.EcsDeployBuilder>"
                + "<deployment class=\"io.jenkins.plugins.ecsdeploy.plugin.EcsBlueGreenStep\">"
                + "<cluster>demo</cluster><service>web</service><region>" + EcsSandbox.REGION + "</region>"
                + "<image>web=registry/web:3.0</image><alarms>web-5xx</alarms><bakeMinutes>0</bakeMinutes>"
                + "</deployment></io.jenkins.plugins.ecsdeploy.plugin.EcsDeployBuilder>";
        EcsDeployBuilder b = (EcsDeployBuilder) JenkinsXStream.fromXml(xml);
        DeployStepBase d = b.getDeployment();
        assertTrue(d.isAlarmRollback(), "a missing alarmRollback is the default true, never false");
        assertEquals(DeployStepBase.DEFAULT_APPROVAL_TIMEOUT, d.getApprovalTimeout());
        assertEquals("ROLLBACK", d.getOnAbort());
        assertEquals("COMPLETED", d.getWaitUntil());
        assertEquals("POST_TEST_TRAFFIC_SHIFT", d.getApprovalStage());
        assertNotNull(d.getHooks());
        assertTrue(d.toRequest(null, null).alarms().rollback());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        b.deploy(runner.run(), null, new StreamTaskListener(new PrintStream(log, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("deployment finished: SUCCEEDED"), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void buildXmlWithoutTheListsLoadsAndTheGlobalConfigurationKeepsItsDefaults() {
        EcsProgressAction p = (EcsProgressAction) JenkinsXStream.fromXml("<io.jenkins.plugins.ecsdeploy.plugin.EcsProgressAction/>");
        p.onLoad(runner.run());
        assertTrue(p.getDeployments().isEmpty());
        EcsApprovalAction a = (EcsApprovalAction) JenkinsXStream.fromXml("<io.jenkins.plugins.ecsdeploy.plugin.EcsApprovalAction/>");
        a.onLoad(runner.run());
        assertTrue(a.getWaitingGates().isEmpty());
        EcsGlobalConfiguration g = (EcsGlobalConfiguration) JenkinsXStream.fromXml("<io.jenkins.plugins.ecsdeploy.plugin.EcsGlobalConfiguration/>");
        assertEquals(EcsGlobalConfiguration.DEFAULT_POLL_FLOOR_SECONDS, g.getPollFloorSeconds());
        assertFalse(g.isAllowControllerCredentials(), "the controller's own identity is off unless an administrator allows it");
    }

    // ---- 16.0 (2): abort at a gate ----

    @Test
    void abortAtAGateClosesTheGateAtOnceAndTheRecordEndsWithTheRollbackNotInProgress() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true));
        GateRecord g = awaitGate(c);
        runner.abort(c, "alice");
        Throwable t = c.awaitDone(WAIT).failure();
        assertInstanceOf(FlowInterruptedException.class, t);
        assertFalse(approvals().gate(g.getHookId()).isWaiting(), "no Approve is offered for an aborted build");
        EcsSandbox.await("the record reaches ECS's end", WAIT, () -> {
            String j = runner.run().getAction(EcsProgressAction.class).snapshotJson("d1");
            return j != null && j.contains("\"ROLLBACK_SUCCESSFUL\"");
        }, null);
        String j = runner.run().getAction(EcsProgressAction.class).snapshotJson("d1");
        assertFalse(j.contains("\"status\":\"IN_PROGRESS\""), j);
        assertFalse(j.contains("\"state\":\"AWAITING_ACTION\""), j);
    }

    // ---- 16.0 (3) and issue 8: the credentials drop-down ----

    /** An aws-credentials entry as the stand-in store holds it. */
    public static final class Cred implements AmazonWebServicesCredentials {
        private static final long serialVersionUID = 1L;
        final String id;
        Cred(String id) { this.id = id; }
        @Override public String getId() { return id; }
        @Override public String getDescription() { return "deployer in prod"; }
        @Override public String getDisplayName() { return id; }
        @Override public Descriptor<com.cloudbees.plugins.credentials.Credentials> getDescriptor() { return null; }
        public String getAccessKey() { return "AKIA" + id; }
        public Object resolveCredentials() { return new CredentialsAndSdkTest.ForeignBasic(); }
    }

    @Test
    void aNonAdminWhoMayConfigureTheJobSeesTheCredentialsWithExactlyOneEmptyOption() throws Exception {
        StandInJenkins.addCredentials(new Cred("aws-prod"));
        StandInJenkins.grant("carol", Jenkins.READ, Item.READ, Item.CONFIGURE);
        StandInJenkins.grant("reader", Jenkins.READ, Item.READ);
        Item job = runner.run().getParent();
        ListBoxModel m = StandInJenkins.as("carol", () -> new EcsBlueGreenStep.DescriptorImpl().doFillCredentialsIdItems(job, ""));
        assertEquals(1, m.stream().filter(o -> o.value.isEmpty()).count(), m.toString());
        assertTrue(m.stream().anyMatch(o -> o.value.equals("aws-prod")), m.toString());
        // the trap: aws-credentials' own helper, given the job's folder (here: Jenkins), lists nothing for carol
        ListBoxModel helper = StandInJenkins.as("carol", () -> AWSCredentialsHelper.doFillCredentialsIdItems(null));
        assertFalse(helper.stream().anyMatch(o -> o.value.equals("aws-prod")), helper.toString());
        ListBoxModel hidden = StandInJenkins.as("reader", () -> new EcsBlueGreenStep.DescriptorImpl().doFillCredentialsIdItems(job, ""));
        assertFalse(hidden.stream().anyMatch(o -> o.value.equals("aws-prod")), "Job/Read alone lists nothing: " + hidden);
    }

    // ---- 16.0 (4): one clock in the console ----

    @Test
    void consoleLinesAreStampedWithJenkinsClockNeverWithTheTimeEcsReported() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamTaskListener l = new StreamTaskListener(new PrintStream(out, true, StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        Console.line(l, Instant.parse("2001-01-01T00:00:00Z"), "demo/web", "stage entered");
        String line = out.toString(StandardCharsets.UTF_8);
        assertFalse(line.contains("2001-01-01"), line);
        String now = EngineRegistry.get().clock().instant().toString().substring(0, 10);
        assertTrue(line.startsWith("[" + now), line);
    }

    // ---- 16.0 (5) ----

    @Test
    void theGlobalConfigurationHasADisplayName() {
        assertEquals("Amazon ECS Deployments", new EcsGlobalConfiguration().getDisplayName());
    }

    // ---- 16.0 (6): timeout and abort inside ecsApprove ----

    FakeStepContext approveAtGate() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true, "waitUntil", "POST_TEST_TRAFFIC_SHIFT"));
        Object d = c.awaitDone(WAIT).returnValue();
        EcsApproveInput a = EcsApproveInput.start(runner, Map.of("deployment", d));
        FakeStepContext approve = a.gate();
        awaitGate(approve);
        // the stop goes to the innermost step: the gate's input
        EcsSandbox.await("ecsApprove's input", WAIT, () -> a.pipeline.innermost() != null
                && a.pipeline.innermost().toString().contains(" input]"), approve);
        return approve;
    }

    @Test
    void aPipelineTimeoutInsideEcsApproveEndsAbortedWithTheTimeoutCause() throws Exception {
        FakeStepContext approve = approveAtGate();
        assertTrue(PauseAction.isPaused(approve.node()), "Stage View / Graph View show the step as paused");
        runner.timeout(approve);
        FlowInterruptedException t = assertInstanceOf(FlowInterruptedException.class, approve.awaitDone(WAIT).failure());
        assertEquals(hudson.model.Result.ABORTED, t.getResult());
        assertInstanceOf(TimeoutStepExecution.ExceededTimeout.class, t.getCauses().get(0));
        EcsSandbox.await("the pause ended", WAIT, () -> !PauseAction.isPaused(approve.node()), null);
    }

    @Test
    void aManualStopInsideEcsApproveEndsAbortedByThatUser() throws Exception {
        FakeStepContext approve = approveAtGate();
        runner.abort(approve, "alice");
        FlowInterruptedException t = assertInstanceOf(FlowInterruptedException.class, approve.awaitDone(WAIT).failure());
        assertInstanceOf(CauseOfInterruption.UserInterruption.class, t.getCauses().get(0));
        assertFalse(approve.log().contains("was build aborted"), approve.log());
    }

    // ---- 16.0 (7) and (9): after a restart ----

    @Test
    void afterARestartTheRecordKeepsTheApproverGatesAndHooksAndTheLogIsNotRepeated() throws Exception {
        runner.onRestart(sandbox::restartEngines);
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true, "bakeMinutes", 3));
        GateRecord g = awaitGate(c);
        assertEquals(200, approvals().decide(g.getHookId(), HookAction.CONTINUE, "ship it", user("alice"),
                SubmitterRules.Ids.CASE_INSENSITIVE).status());
        EcsSandbox.await("baking", WAIT, () -> c.log().contains("BAKE_TIME"), c);
        runner.restart(c);
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", d.get("outcome"));
        assertEquals("alice", d.get("approvedBy"), "the returned deployment names the approver after a restart");
        String j = runner.run().getAction(EcsProgressAction.class).snapshotJson("d1");
        assertTrue(j.contains("\"hookId\":\"" + g.getHookId() + "\""), j);
        assertTrue(j.contains("\"decidedBy\":\"alice\""), j);
        assertFalse(j.contains("\"gates\":[]"), j);
        // every line of the log (without its time stamp) once: nothing the record already held is printed again
        Map<String, Integer> lines = new HashMap<>();
        for (String line : c.log().split("\n")) {
            String text = line.replaceFirst("^\\[[^\\]]*\\] ", "");
            if (text.startsWith("ECS ")) {
                lines.merge(text, 1, Integer::sum);
            }
        }
        lines.forEach((text, n) -> assertEquals(1, n, "printed " + n + " times: " + text + "\n" + c.log()));
    }

    // ---- 16.0 (8) and (11): who may decide ----

    @Test
    void aNonAdminMemberOfTheAllowedGroupMayDecideAndOthersSeeNoButtons() throws Exception {
        StandInJenkins.grant("release-managers", Jenkins.READ, Item.READ);
        StandInJenkins.grant("bob", Jenkins.READ, Item.READ, Item.BUILD);
        StandInJenkins.setGroups("dave", "release-managers");
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", "release-managers"));
        GateRecord g = awaitGate(c);
        // core: the clicker's User.getAuthorities() is empty for a non-admin caller; the request's authentication has the group
        assertEquals(List.of(), StandInJenkins.as("dave", () -> User.current().getAuthorities()));
        assertNull(StandInJenkins.as("dave", () -> SubmitterRules.refusal(g.submitter,
                SubmitterRules.Decider.current(runner.run().getParent()), SubmitterRules.Ids.ofRealm())));
        assertTrue(StandInJenkins.as("dave", () -> approvals().canDecide(g)));
        assertFalse(StandInJenkins.as("bob", () -> approvals().canDecide(g)), "bob is outside the list: no buttons");
        HttpFakes.Answer a = new HttpFakes.Answer();
        StandInJenkins.as("dave", () -> {
            approvals().doApprove(HttpFakes.request(Map.of("hookId", g.getHookId()), Map.of("Accept", "application/json"), null, null),
                    HttpFakes.response(a));
            return null;
        });
        assertEquals(200, a.status, a.body());
        c.awaitDone(WAIT).returnValue();
    }

    // ---- 16.0 (10): the Snippet Generator ----

    @Test
    void theSnippetGeneratorRefusesAStepWithoutItsDeployment() {
        EcsWaitStep.DescriptorImpl d = new EcsWaitStep.DescriptorImpl();
        Descriptor.FormException e = assertThrows(Descriptor.FormException.class,
                () -> d.newInstance(null, new JSONObject().element("deployment", "").element("until", "COMPLETED")));
        assertEquals("deployment", e.getFormField());
        assertTrue(e.getMessage().contains("deployment: d"), e.getMessage());
        assertEquals(hudson.util.FormValidation.Kind.ERROR, d.doCheckDeployment("").kind);
    }

    // ---- issue 16: found in a real Jenkins 2.541.3 with workflow-cps 4350 ----

    @Test
    void ecsApproveAndEcsDnsCutoverLoadTheirGroovyOnlyBecauseThePluginAllowsItAsWorkflowCpsRequires() throws Exception {
        ClassLoader trusted = new io.jenkins.plugins.ecsdeploy.plugin.harness.GroovyPipeline.AllowlistedGroovySources(
                getClass().getClassLoader());
        List<String> classes = List.of(EcsApproveVariable.GROOVY_CLASS, EcsDnsCutoverVariable.GROOVY_CLASS);
        for (String c : classes) {   // workflow-cps hides a .groovy that no allowlist accepts
            try (groovy.lang.GroovyClassLoader gcl = new groovy.lang.GroovyClassLoader(trusted)) {
                assertThrows(ClassNotFoundException.class, () -> gcl.loadClass(c), c);
            }
        }
        assertNotNull(EcsApproveVariable.GroovySources.class.getAnnotation(hudson.Extension.class),
                "the allowlist must be an @Extension so that Jenkins registers it");
        StandInJenkins.register(new EcsApproveVariable.GroovySources());
        for (String c : classes) {
            try (groovy.lang.GroovyClassLoader gcl = new groovy.lang.GroovyClassLoader(trusted)) {
                assertEquals(c, gcl.loadClass(c).getName());
            }
        }
        assertFalse(new EcsApproveVariable.GroovySources().isAllowed("jar:file:/x.jar!/evil/Other.groovy"));
    }

    @Test
    void aDecisionSeenByTheResumedGateStepStaysInTheRecordWhenEcsWaitFollowsAnewAfterARestart() throws Exception {
        String arn = "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/abc";
        String stage = "POST_TEST_TRAFFIC_SHIFT";
        String hook = "ecs-pause-" + "A".repeat(43);
        io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle h = new io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle(
                arn, EcsSandbox.REGION, "123456789012", "demo", "web", null, "CANARY", List.of(stage));
        Instant t = Instant.parse("2026-12-03T08:45:00Z");
        hudson.model.Run<?, ?> run = runner.run();
        EcsProgressAction p = EcsProgressAction.of(run);
        String id = p.newRecord("demo/web", EcsSandbox.REGION, "CANARY");
        p.started(id, arn);
        p.update(id, io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot.fold(h, List.of(
                new io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.StageEntered(t, stage),
                new io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.GateAwaiting(t.plusSeconds(1), stage, hook, t.plusSeconds(3600)))), true);
        p.onLoad(run);   // Jenkins restarted: the action comes back from build.xml
        // the resumed ecsApprovalGate's follower sees the decision taken through the input after the restart ...
        p.update(id, io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot.fold(h, List.of(
                new io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.GateAwaiting(t.plusSeconds(60), stage, hook, t.plusSeconds(3600)),
                new io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.GateDecided(t.plusSeconds(61), stage, hook, HookAction.CONTINUE, "dave", null),
                new io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.StageEntered(t.plusSeconds(62), "PRE_PRODUCTION_TRAFFIC_SHIFT"))), true);
        // ... then ecsWait follows anew: its engine starts from what ECS says now and knows no gate
        p.update(id, io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot.fold(h, List.of(
                new io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent.StageEntered(t.plusSeconds(70), "BAKE_TIME"))), true);
        com.fasterxml.jackson.databind.JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.snapshotJson(id));
        com.fasterxml.jackson.databind.JsonNode g = s.path("gates").get(0);
        assertEquals("dave", g.path("decidedBy").asText(), s.toString());
        assertFalse("AWAITING_ACTION".equals(g.path("state").asText()), s.toString());
        assertTrue(s.path("events").toString().contains("GateDecided"), s.toString());
        assertEquals("BAKE_TIME", s.path("lifecycleStage").asText(), s.toString());
    }

    @Test
    void anEcsWaitStartedAfterARestartPrintsOnlyWhatIsNewAndTheRecordKeepsTheDecision() throws Exception {
        runner.onRestart(sandbox::restartEngines);
        FakeStepContext deploy = runner.start(EcsBlueGreenStep.class,
                args("approval", true, "waitUntil", "POST_TEST_TRAFFIC_SHIFT", "bakeMinutes", 3));
        Object d = deploy.awaitDone(WAIT).returnValue();
        FakeStepContext first = runner.start(EcsWaitStep.class, Map.of("deployment", d, "until", "PRE_PRODUCTION_TRAFFIC_SHIFT"));
        GateRecord g = awaitGate(first);
        runner.restart(first);   // Jenkins restarts while the gate waits
        assertEquals(200, approvals().decide(g.getHookId(), HookAction.CONTINUE, "ship it", user("alice"),
                SubmitterRules.Ids.CASE_INSENSITIVE).status());
        first.awaitDone(WAIT);
        sandbox.restartEngines();   // the registry closed the idle engine: the next step's engine observes anew
        FakeStepContext then = runner.start(EcsWaitStep.class, Map.of("deployment", d));   // a new step, not a resumed one
        then.awaitDone(WAIT);
        assertFalse(then.log().contains("following "), then.log());
        assertFalse(then.log().contains("plan: "), then.log());
        String j = runner.run().getAction(EcsProgressAction.class).snapshotJson("d1");
        assertTrue(j.contains("\"decidedBy\":\"alice\""), j);
    }

    // ---- issue 10: request bodies ----

    @Test
    void anOversizedOrMalformedJsonBodyIsRefusedWith400AndAClearMessage() throws Exception {
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, args("approval", true));
        GateRecord g = awaitGate(c);
        HttpFakes.Answer big = new HttpFakes.Answer();
        approvals().doApprove(HttpFakes.request(Map.of(), Map.of("Content-Type", "application/json", "Accept", "application/json"),
                "{\"hookId\":\"" + g.getHookId() + "\",\"comment\":\"" + "x".repeat(40_000) + "\"}", null), HttpFakes.response(big));
        assertEquals(400, big.status, big.body());
        assertTrue(big.body().contains("larger than"), big.body());
        HttpFakes.Answer bad = new HttpFakes.Answer();
        approvals().doApprove(HttpFakes.request(Map.of(), Map.of("Content-Type", "application/json", "Accept", "application/json"),
                "{\"hookId\": ", null), HttpFakes.response(bad));
        assertEquals(400, bad.status, bad.body());
        assertTrue(bad.body().contains("not valid JSON"), bad.body());
        assertTrue(approvals().gate(g.getHookId()).isWaiting(), "nothing was decided");
    }

    // ---- issue 8: engines, the controller's identity, the builder's symbol ----

    @Test
    void oneEnginePerCredentialsRegionAndRoleAndNoneAfterShutdown() throws Exception {
        EngineRegistry.useForCredentialTests(new io.jenkins.plugins.ecsdeploy.engine.time.SystemScheduler(), java.net.URI.create("http://127.0.0.1:9"));
        StandInJenkins.addCredentials(new Cred("aws-prod"));
        EngineRegistry r = EngineRegistry.get();
        r.acquire(runner.run(), "aws-prod", "eu-west-1", null).close();
        r.acquire(runner.run(), "aws-prod", "eu-west-1", null).close();
        assertEquals(1, r.size(), "keyed by credentials, not by the identity of the looked-up object");
        r.acquire(runner.run(), "aws-prod", "eu-west-1", "arn:aws:iam::123456789012:role/deployer").close();
        assertEquals(2, r.size());
        AbortException e = assertThrows(AbortException.class, () -> r.acquire(runner.run(), null, "eu-west-1", null));
        assertTrue(e.getMessage().contains("credentialsId") && e.getMessage().contains("controller's own AWS identity"), e.getMessage());
        new EngineRegistry.Shutdown().onBeforeShutdown();
        assertEquals(0, r.size());
        assertThrows(AbortException.class, () -> r.acquire(runner.run(), "aws-prod", "eu-west-1", null));
    }

    @Test
    void theFreestyleBuilderHasNoSymbolSoNoStepRunsWhileItsArgumentsAreBound() {
        assertNull(EcsDeployBuilder.DescriptorImpl.class.getAnnotation(org.jenkinsci.Symbol.class));
    }
}
