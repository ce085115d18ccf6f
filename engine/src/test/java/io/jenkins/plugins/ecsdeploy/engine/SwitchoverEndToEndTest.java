package io.jenkins.plugins.ecsdeploy.engine;

import io.jenkins.plugins.ecsdeploy.simulator.MotoServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.switchover.SsmFlagStore;
import io.jenkins.plugins.ecsdeploy.engine.switchover.Switchover;
import io.jenkins.plugins.ecsdeploy.engine.switchover.SwitchoverFollower;
import io.jenkins.plugins.ecsdeploy.engine.switchover.SwitchoverState;
import io.jenkins.plugins.ecsdeploy.engine.switchover.SwitchoverValidator;
import io.jenkins.plugins.ecsdeploy.simulator.SeededService;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The switchover flag of a headless service (docs/cutovers.md "Switchover flag"): a canary of a queue worker without a
 * load balancer, run by our ECS simulator (native deployment controller, virtual time at 1200×), with the flag in
 * moto's SSM Parameter Store through the real SDK client. The engine flips the flag at the chosen stage and continues
 * the deployment; a rollback afterwards flips it back.
 */
class SwitchoverEndToEndTest {
    static final String PARAM = "/app/worker/active-revision";
    /** The switchover gate's PAUSE timeout: 14 days, so a slow first SDK call (class loading at 1200×) cannot time it out. */
    static final int LONG = 20160;
    static MotoServer moto;
    static SsmClient ssm;
    Sandbox sandbox;
    DeploymentEngine engine;
    ExecutorService io;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
        ssm = SsmClient.builder().endpointOverride(moto.endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @AfterAll
    static void stopMoto() {
        if (ssm != null) {
            ssm.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        moto.reset();
        sandbox = new Sandbox();
        engine = sandbox.engine();
        io = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void tearDown() {
        io.shutdownNow();
        sandbox.close();
    }

    String flag() {
        return ssm.getParameter(b -> b.name(PARAM)).parameter().value();
    }

    record Run(DeploymentHandle handle, SwitchoverFollower.Run run, Sandbox.Recorder events, List<SwitchoverState> states,
               CompletableFuture<SwitchoverState> flipped) {}

    Run deploy(Switchover s, int bakeMinutes) {
        SeededService worker = sandbox.sim.seed().headlessService("jobs", "worker", 2);
        ssm.putParameter(b -> b.name(PARAM).value("worker:1").type(ParameterType.STRING));
        DeploymentRequest plain = Sandbox.request(worker, new Strategy.Canary(10.0, 1, bakeMinutes, null, null)).build();
        assertEquals(List.of(), SwitchoverValidator.validate(plain, s));
        DeploymentRequest r = s.applyTo(plain);
        SwitchoverFollower follower = new SwitchoverFollower(engine, new SsmFlagStore(ssm), io);
        follower.preflight(s);
        DeploymentHandle h = Sandbox.await(engine.start(r));
        Sandbox.Recorder events = new Sandbox.Recorder();
        List<SwitchoverState> states = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<SwitchoverState> flipped = new CompletableFuture<>();
        SwitchoverFollower.Run run = follower.follow(h, s, events, gate -> { throw new AssertionError("no other gate: " + gate); },
                st -> {
                    states.add(st);
                    if (st.status().equals("FLIPPED")) {
                        flipped.complete(st);
                    }
                });
        return new Run(h, run, events, states, flipped);
    }

    @Test
    void aHeadlessCanaryFlipsTheFlagAtTheChosenStageAndBackOnRollback() {
        Switchover s = new Switchover("POST_PRODUCTION_TRAFFIC_SHIFT", PARAM, null, null, LONG);
        Run d = deploy(s, 1440);
        // roll back as soon as the bake starts (the flag is green by then): a 24-hour bake leaves ECS nothing to race
        d.events().stage("BAKE_TIME").thenRun(() -> engine.rollback(d.handle(), RollbackCause.MANUAL, "queue lag grows", "carol"));

        SwitchoverState flipped = Sandbox.await(d.flipped());
        assertEquals("worker:2", flipped.greenValue(), "green's family:revision");
        assertEquals("worker:1", flipped.previousValue());
        Outcome o = Sandbox.await(d.run().outcome());

        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals("worker:1", flag(), "blue works again");
        SwitchoverState end = d.run().switchover();
        assertEquals("FLIPPED_BACK", end.status());
        assertEquals("worker:1", end.blueValue());
        assertEquals(List.of("FLIPPED", "FLIPPED_BACK"), d.states().stream().map(SwitchoverState::status).toList());
        // the flip happened at the stage, before the deployment went on: the gate's decision says so
        DeploymentSnapshot.GateState gate = d.run().snapshot().gates().stream()
                .filter(g -> g.stage().equals("POST_PRODUCTION_TRAFFIC_SHIFT")).findFirst().orElseThrow();
        assertEquals(Switchover.DECIDED_BY, gate.decidedBy());
        assertEquals("switchover: " + PARAM + " set to 'worker:2' (was 'worker:1')", gate.comment());
        assertTrue(d.events().of(DeploymentEvent.StageEntered.class).stream().anyMatch(e -> e.stage().equals("BAKE_TIME")),
                "CONTINUE was sent after the flip");
        List<String> history = ssm.getParameterHistory(b -> b.name(PARAM)).parameters().stream().map(p -> p.value()).toList();
        assertEquals(List.of("worker:1", "worker:2", "worker:1"), history, "exactly one flip and one flip back");
    }

    @Test
    void aSuccessfulDeploymentLeavesTheFlagOnGreen() {
        Switchover s = new Switchover("POST_SCALE_UP", PARAM, "{taskDefinitionArn}", null, LONG);
        Run d = deploy(s, 1);
        Outcome o = Sandbox.await(d.run().outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(d.handle().taskDefinitionArn(), flag(), "green's task definition ARN, as asked");
        assertEquals("FLIPPED", d.run().switchover().status());
    }

    @Test
    void aFlagThatCannotBeSetRollsTheDeploymentBackBeforeGreenWorks() {
        Switchover s = new Switchover("POST_SCALE_UP", PARAM, null, null, LONG);
        Run d = deploy(s, 1);
        ssm.deleteParameter(b -> b.name(PARAM));    // gone after the preflight: the flip must fail
        Outcome o = Sandbox.await(d.run().outcome());
        assertEquals(OutcomeKind.ROLLED_BACK, o.kind(), o.describe());
        assertEquals(RollbackCause.GATE_REJECTED, o.cause());
        assertTrue(o.reason().contains("switchover: could not set " + PARAM), o.reason());
        assertEquals("FAILED", d.run().switchover().status());
    }
}
