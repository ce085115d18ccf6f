package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.internal.EventQueue;
import io.jenkins.plugins.ecsdeploy.simulator.EventPublisher;
import io.jenkins.plugins.ecsdeploy.simulator.SqsServer;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The events queue end to end: the simulator publishes ECS's EventBridge events into the simulator's SQS endpoint, the
 * engine reads them with the real SDK SQS client, and a queue that cannot be read leaves the engine polling. Counts
 * and outcomes only; nothing here depends on how fast the machine is.
 */
class EventsQueueEndToEndTest {
    Sandbox sb;
    SqsServer sqs;
    EventPublisher publisher;
    final List<LogRecord> log = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            log.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void setUp() {
        sb = new Sandbox();
        sqs = new SqsServer(sb.clock, "123456789012").start(0);
        publisher = EventPublisher.attach(sb.sim, sqs.queue("ecs-events"));
        Logger.getLogger(EventQueue.class.getName()).addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger(EventQueue.class.getName()).removeHandler(capture);
        sb.close();
        sqs.close();
    }

    Outcome deployWithGate(DeploymentEngine engine, List<PendingGate> offered) {
        DeploymentHandle h = await(engine.start(Sandbox.request(sb.service("web"), new Strategy.BlueGreen(2))
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK)).build()));
        return await(engine.follow(h, null, g -> {
            offered.add(g);
            engine.decide(g.deployment(), g.hookId(), new GateDecision(HookAction.CONTINUE, "carol", null));
        }).outcome());
    }

    @Test
    void duplicatedEventsFromTheQueueOfferTheGateOnceAndEveryMessageIsDeleted() throws Exception {
        publisher.duplicateRate(1.0); // every event delivered twice (EventBridge delivers at least once)
        DeploymentEngine engine = sb.engine(sb.config().eventsQueueUrl(sqs.queueUrl("ecs-events")));
        List<PendingGate> offered = new CopyOnWriteArrayList<>();
        Outcome o = deployWithGate(engine, offered);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(1, offered.size());
        assertTrue(engine.watcher().eventsHealthy());
        assertTrue(engine.watcher().hintsUsed() > 0, "the events named the followed deployment");
        assertTrue(publisher.published().stream().anyMatch(b -> b.contains("HOOK_AWAITING_ACTION")), publisher.published().toString());
        assertTrue(publisher.duplicated() > 0);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (sqs.queue("ecs-events").size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // test-side wait for the consumer thread to delete what it received
        }
        assertEquals(0, sqs.queue("ecs-events").size(), "every message deleted after use, foreign ones included");
        assertTrue(log.stream().noneMatch(r -> r.getLevel().intValue() >= Level.WARNING.intValue()), log.toString());
    }

    @Test
    void anUnreachableQueueFallsBackToPollingAndSaysSoOnce() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens here once the socket is closed
        }
        String url = "http://127.0.0.1:" + closed + "/123456789012/ecs-events";
        DeploymentEngine engine = sb.engine(sb.config().eventsQueueUrl(url).maxAttempts(1));
        List<PendingGate> offered = new CopyOnWriteArrayList<>();
        Outcome o = deployWithGate(engine, offered);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(1, offered.size(), "offered by polling");
        assertFalse(engine.watcher().eventsHealthy());
        assertEquals(5.0, engine.watcher().pollBudget());
        EventQueue q = EventQueue.open(url);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (q.receiveCalls() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20); // test-side: let a few retries fail (5 s, 10 s, 20 s of virtual time apart)
        }
        assertTrue(q.receiveCalls() >= 3, "tried again: " + q.receiveCalls());
        List<String> warnings = new ArrayList<>();
        for (LogRecord r : log) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r.getMessage());
            }
        }
        assertEquals(1, warnings.size(), "said once, not once per retry: " + warnings);
        assertTrue(warnings.get(0).startsWith("events queue " + url + " cannot be read ("), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("following deployments by polling alone until it answers (docs/events.md)"));
    }

    @Test
    void aQueueThatAnswersAgainIsUsedAgainAndEachChangeIsSaidOnce() throws Exception {
        sqs.failNext(3); // maxAttempts 1: three failed ReceiveMessage calls (retried after 5, 10 s), then it answers
        DeploymentEngine engine = sb.engine(sb.config().eventsQueueUrl(sqs.queueUrl("ecs-events")).maxAttempts(1));
        List<PendingGate> offered = new CopyOnWriteArrayList<>();
        Outcome o = deployWithGate(engine, offered);
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        assertEquals(1, offered.size());
        assertTrue(engine.watcher().eventsHealthy(), "back on events");
        assertEquals(1.0, engine.watcher().pollBudget(), "the events budget again");
        assertTrue(engine.watcher().hintsUsed() > 0, "events were used after the outage");
        List<String> said = new ArrayList<>();
        for (LogRecord r : log) {
            if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                said.add(r.getLevel() + " " + r.getMessage());
            }
        }
        assertEquals(2, said.size(), "one WARNING for the outage, one INFO for the recovery: " + said);
        assertTrue(said.get(0).startsWith("WARNING events queue "), said.get(0));
        assertTrue(said.get(1).startsWith("INFO events queue ") && said.get(1).contains("answers again"), said.get(1));
    }

    @Test
    void aBadQueueUrlIsRefusedNamingTheField() {
        InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
                () -> EngineConfig.builder().region("us-east-1").eventsQueueUrl("ecs-events").build());
        assertEquals("eventsQueueUrl", e.problems().get(0).field());
        assertTrue(e.problems().get(0).message().contains("an SQS queue URL"), e.problems().get(0).message());
    }
}
