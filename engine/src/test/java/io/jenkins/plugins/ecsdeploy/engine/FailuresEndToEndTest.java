package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.simulator.HookResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a deployment ends other than success, with the outcome's cause and reason. */
class FailuresEndToEndTest {
    static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:smoke";
    static final String ROLE = "arn:aws:iam::123456789012:role/hooks";

    Sandbox sb;
    DeploymentEngine engine;

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
        engine = sb.engine();
    }

    @AfterEach
    void tearDown() {
        sb.close();
    }

    Outcome run(DeploymentRequest r) {
        return run(r, null);
    }

    Outcome run(DeploymentRequest r, DeploymentListener l) {
        return await(engine.follow(await(engine.start(r)), l, null).outcome());
    }

    @Test
    void aFailingLambdaHookRollsBackNamingTheFunction() {
        sb.sim.lambdas().register(FN, e -> HookResponse.failed());
        var r = Sandbox.request(sb.service("web"), new Strategy.BlueGreen(5))
                .hook(new LambdaHook(FN, ROLE, List.of("POST_TEST_TRAFFIC_SHIFT"), "{\"suite\":\"smoke\"}", 10, null)).build();
        var rec = new Sandbox.Recorder();
        Outcome o = run(r, rec);
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.LAMBDA_HOOK_FAILED, o.cause());
        // Said once: the function and the stage are not repeated by quoting ECS's text that names them too.
        assertEquals("Lambda hook " + FN + " at POST_TEST_TRAFFIC_SHIFT failed", o.reason());
        assertEquals("ROLLED_BACK: Lambda hook " + FN + " at POST_TEST_TRAFFIC_SHIFT failed", o.describe());
        assertEquals(List.of("Lambda hook " + FN + " at POST_TEST_TRAFFIC_SHIFT failed"),
                rec.of(DeploymentEvent.RollbackStarted.class).stream().map(DeploymentEvent.RollbackStarted::reason).toList());
        assertEquals("{\"suite\":\"smoke\"}", sb.sim.lambdas().invocations(FN).get(0).hookDetails().toString());
    }

    @Test
    void aPassingLambdaHookLetsItSucceed() {
        sb.sim.lambdas().register(FN, e -> e.invocation() < 2 ? HookResponse.inProgress(30, null) : HookResponse.succeeded());
        var r = Sandbox.request(sb.service("web"), new Strategy.BlueGreen(2))
                .hook(new LambdaHook(FN, ROLE, List.of("POST_TEST_TRAFFIC_SHIFT"), null, null, null)).build();
        assertEquals(OutcomeKind.SUCCEEDED, run(r).kind());
        assertEquals(2, sb.sim.lambdas().invocations(FN).size());
    }

    @Test
    void anAlarmRollsBackNamingTheAlarm() {
        sb.sim.scenario().alarmAfter("web-5xx", Duration.ofMinutes(3));
        var r = Sandbox.request(sb.service("web"), new Strategy.BlueGreen(30))
                .alarms(new Alarms(List.of("web-5xx", "web-latency"), true)).build();
        var rec = new Sandbox.Recorder();
        Outcome o = run(r, rec);
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.ALARM, o.cause());
        assertEquals("alarm web-5xx went into ALARM", o.reason());
        assertEquals("ROLLED_BACK: alarm web-5xx went into ALARM", o.describe());
        assertEquals(List.of("alarm web-5xx went into ALARM"),
                rec.of(DeploymentEvent.RollbackStarted.class).stream().map(DeploymentEvent.RollbackStarted::reason).toList());
    }

    @Test
    void anAlarmWithoutRollbackStopsTheDeployment() {
        sb.sim.scenario().alarmAfter("web-5xx", Duration.ofMinutes(3));
        var r = Sandbox.request(sb.service("web"), new Strategy.BlueGreen(30))
                .alarms(new Alarms(List.of("web-5xx"), false)).build();
        Outcome o = run(r);
        assertEquals(OutcomeKind.STOPPED, o.kind(), o.describe());
        assertTrue(o.reason().startsWith("deployment stopped"), o.reason());
    }

    @Test
    void theCircuitBreakerRollsBackARollingDeployment() {
        sb.sim.scenario().tasksWithImage(":bad", Duration.ofSeconds(30), 1.0);
        var r = Sandbox.request(sb.service("web"), new Strategy.Rolling(50, 200, true, true))
                .revision(new RevisionSource.ImageOverrides(Map.of("web", "registry/web:bad"))).build();
        Outcome o = run(r);
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.CIRCUIT_BREAKER, o.cause());
        assertTrue(o.reason().startsWith("circuit breaker triggered: "), o.reason());
    }

    @Test
    void aManualRollbackInTheBakeNamesWhoAndIsIdempotent() {
        var rec = new Sandbox.Recorder();
        DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.BlueGreen(600)).build()));
        var sub = engine.follow(h, rec, null);
        await(rec.stage("BAKE_TIME"));
        await(engine.rollback(h, RollbackCause.MANUAL, "customer complaints", "carol"));
        await(engine.rollback(h, RollbackCause.MANUAL, "customer complaints", "carol"));
        Outcome o = await(sub.outcome());
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.MANUAL, o.cause());
        assertEquals("carol", o.decidedBy());
        assertEquals("ROLLED_BACK: rolled back by carol: customer complaints", o.describe());
        assertEquals(1L, sb.sim.stats().count("StopServiceDeployment"), "the second rollback sent nothing");
        await(engine.rollback(h, RollbackCause.MANUAL, "again", "carol")); // after the end: still fine
        assertEquals(1L, sb.sim.stats().count("StopServiceDeployment"));
    }

    @Test
    void anAbortedBuildRollsBackWithThatCause() {
        var rec = new Sandbox.Recorder();
        DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.Canary(10.0, 30, 30)).build()));
        var sub = engine.follow(h, rec, null);
        await(rec.stage("PRODUCTION_TRAFFIC_SHIFT"));
        await(engine.rollback(h, RollbackCause.BUILD_ABORTED, null, "dave"));
        Outcome o = await(sub.outcome());
        assertEquals(RollbackCause.BUILD_ABORTED, o.cause(), o.describe());
        assertEquals("ROLLED_BACK: build aborted by dave", o.describe());
    }

    /** Another controller (its own engine) rolls back: this engine only sees ECS's state. */
    /** The recorder of the last {@link #rolledBackFromOutside} (what the engine saw). */
    private Sandbox.Recorder lastRecorder;

    private Outcome rolledBackFromOutside() {
        var rec = new Sandbox.Recorder();
        lastRecorder = rec;
        DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.BlueGreen(600)).build()));
        var sub = engine.follow(h, rec, null);
        await(rec.stage("BAKE_TIME"));
        try (var other = sb.engine()) {
            await(other.rollback(h, RollbackCause.MANUAL, "from the CLI", "erin"));
        }
        return await(sub.outcome());
    }

    @Test
    void aRollbackRequestedFromOutsideTheEngineIsManualWhenEcsShowsTheRequest() {
        sb.sim.scenario().requestedDelay(Duration.ofMinutes(10)); // ROLLBACK_REQUESTED outlasts a poll
        Outcome o = rolledBackFromOutside();
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind());
        assertEquals(RollbackCause.MANUAL, o.cause(), o.describe());
        assertTrue(o.reason().startsWith("rolled back on request from outside this engine (StopServiceDeployment)"), o.reason());
    }

    @Test
    void aRollbackFromOutsideThatNoStructuredFieldExplainsKeepsEcsReasonInsteadOfGuessing() {
        sb.sim.scenario().requestedDelay(Duration.ZERO); // ROLLBACK_REQUESTED passes between two polls
        Outcome o = rolledBackFromOutside();
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind());
        // A poll may still land in the moment of ROLLBACK_REQUESTED on a slow machine: then the request is structured
        // evidence and MANUAL is right (the test above). This test is about the other case only.
        boolean sawRequest = lastRecorder.of(DeploymentEvent.StatusChanged.class).stream()
                .anyMatch(e -> "ROLLBACK_REQUESTED".equals(e.status()));
        org.junit.jupiter.api.Assumptions.assumeFalse(sawRequest, "the engine saw ROLLBACK_REQUESTED this time");
        assertEquals(RollbackCause.UNKNOWN, o.cause(), o.describe());
        // ECS's own words (the simulator's, since AWS publishes none for a stop), never an invented cause
        assertEquals("ECS said: Service deployment rolled back because of a StopServiceDeployment request.", o.reason());
        assertEquals("Rolled back: ECS said: Service deployment rolled back because of a StopServiceDeployment request.",
                o.plainWords());
    }

    @Test
    void aHookFailingAgainDuringTheRollbackIsRollbackFailed() {
        // PRODUCTION_TRAFFIC_SHIFT re-runs during a rollback (Lambda-hook page): a hook there that always fails
        // fails the deployment, then fails the rollback too.
        sb.sim.lambdas().register(FN, e -> HookResponse.failed());
        var r = Sandbox.request(sb.service("web"), new Strategy.BlueGreen(5))
                .hook(new LambdaHook(FN, ROLE, List.of("PRODUCTION_TRAFFIC_SHIFT"), null, null, null)).build();
        Outcome o = run(r);
        assertEquals(OutcomeKind.ROLLBACK_FAILED, o.kind(), o.describe());
        assertEquals(RollbackCause.LAMBDA_HOOK_FAILED, o.cause());
        // Not "…failed; the rollback failed: Rollback failed: Lambda lifecycle hook <FN> at … returned FAILED."
        assertEquals("Lambda hook " + FN + " at PRODUCTION_TRAFFIC_SHIFT failed; the rollback failed: the same hook failed again",
                o.reason());
    }
}
