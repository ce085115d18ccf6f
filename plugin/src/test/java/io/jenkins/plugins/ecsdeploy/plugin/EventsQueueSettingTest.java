package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.util.FormValidation;
import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEngine;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.plugin.harness.FakeStepContext;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import io.jenkins.plugins.ecsdeploy.simulator.EventPublisher;
import io.jenkins.plugins.ecsdeploy.simulator.SqsServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Manage Jenkins » System » Amazon ECS Deployments » ECS events queue (docs/events.md): the URL is checked with the
 * engine's own rule, reaches every engine made after it was saved, and the engine then reads the simulator's queue.
 */
class EventsQueueSettingTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    EcsSandbox sandbox;
    SqsServer sqs;
    StepRunner runner;
    EcsGlobalConfiguration global;

    @BeforeEach
    void setUp() {
        sandbox = new EcsSandbox();
        sandbox.service("web");
        sqs = new SqsServer(sandbox.clock, "123456789012").start(0);
        EventPublisher.attach(sandbox.sim, sqs.queue("ecs-events"));
        runner = StepRunner.create();
        global = new EcsGlobalConfiguration();
        StandInJenkins.register(global);
    }

    @AfterEach
    void tearDown() {
        sandbox.close();
        sqs.close();
    }

    @Test
    void aQueueUrlThatIsNoSqsQueueUrlIsRefusedNamingTheFieldAndWhatIsAllowed() {
        FormValidation bad = global.doCheckEventsQueueUrl("ecs-events");
        assertEquals(FormValidation.Kind.ERROR, bad.kind);
        // the engine's message: the field, the value given, what is allowed (HTML-escaped by FormValidation.error)
        assertTrue(bad.getMessage().startsWith("eventsQueueUrl ") && bad.getMessage().contains("ecs-events")
                && bad.getMessage().contains(": an SQS queue URL, e.g. https://sqs.eu-west-1.amazonaws.com/123456789012/"),
                bad.getMessage());
        assertEquals(FormValidation.Kind.ERROR, global.doCheckEventsQueueUrl("https://sqs.eu-west-1.amazonaws.com/ecs-events").kind);
        assertEquals(FormValidation.Kind.OK, global.doCheckEventsQueueUrl(
                "https://sqs.eu-west-1.amazonaws.com/123456789012/ecs-deploy-events").kind);
        assertEquals(FormValidation.Kind.OK, global.doCheckEventsQueueUrl("  ").kind, "empty: polling alone");
    }

    @Test
    void aSavedUrlTheEngineRefusesFailsTheStepBeforeAnyEcsCallNamingTheSetting() throws Exception {
        global.setEventsQueueUrl("not a queue"); // e.g. a hand-edited XML: the form would have refused it
        AbortException e = assertThrows(AbortException.class,
                () -> EngineRegistry.get().acquire(runner.run(), null, EcsSandbox.REGION, null));
        assertTrue(e.getMessage().startsWith("eventsQueueUrl 'not a queue': an SQS queue URL"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(Manage Jenkins » System » Amazon ECS Deployments)"), e.getMessage());
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("approval", true));
        c.awaitDone(WAIT);
        assertTrue(String.valueOf(c.failure()).contains("eventsQueueUrl 'not a queue'"), String.valueOf(c.failure()));
        assertEquals(0L, sandbox.sim.stats().count("UpdateService"), "nothing was written to ECS");
    }

    @Test
    void theConfiguredQueueReachesTheEngineAndItsEventsAreUsedForTheDeployment() throws Exception {
        String url = sqs.queueUrl("ecs-events");
        try (EngineRegistry.Lease before = EngineRegistry.get().acquire(runner.run(), null, EcsSandbox.REGION, null)) {
            assertNull(before.engine().config().eventsQueueUrl(), "not configured: polling alone");
        }
        global.setEventsQueueUrl(url);
        FakeStepContext c = runner.start(EcsBlueGreenStep.class, DeploymentLifecycleTest.args("approval", true));
        EcsSandbox.await("a gate offered", WAIT, () -> runner.run().getAction(EcsApprovalAction.class) != null
                && !runner.run().getAction(EcsApprovalAction.class).getWaitingGates().isEmpty(), c);
        EcsApprovalAction approvals = runner.run().getAction(EcsApprovalAction.class);
        GateRecord g = approvals.getWaitingGates().get(0);
        assertEquals(200, approvals.decide(g.getHookId(), HookAction.CONTINUE, null,
                new SubmitterRules.Decider("carol", "carol", java.util.List.of(), false, true),
                SubmitterRules.Ids.CASE_INSENSITIVE).status());
        @SuppressWarnings("unchecked")
        Map<String, Object> done = (Map<String, Object>) c.awaitDone(WAIT).returnValue();
        assertEquals("SUCCEEDED", done.get("outcome"), c.log());
        try (EngineRegistry.Lease lease = EngineRegistry.get().acquire(runner.run(), null, EcsSandbox.REGION, null)) {
            DeploymentEngine engine = lease.engine();
            assertEquals(url, engine.config().eventsQueueUrl());
            assertTrue(engine.watcher().eventsHealthy());
            assertTrue(engine.watcher().hintsUsed() > 0, "events named the deployment and were used");
        }
    }
}
