package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared watcher under load: throttling storms and 100 concurrent deployments through one watcher. */
class WatcherLoadEndToEndTest {
    Sandbox sb;

    @AfterEach
    void tearDown() {
        if (sb != null) {
            sb.close();
        }
    }

    @Test
    void aThrottlingStormSlowsTheWatcherButFailsNothing() {
        sb = new Sandbox();
        DeploymentEngine engine = sb.engine(sb.config().maxAttempts(3));
        var r = Sandbox.request(sb.service("web"), new Strategy.BlueGreen(10))
                // The SDK's own backoff between attempts runs in real time (seconds), which is hours at 1200x:
                // give the gate a day so it cannot expire while the SDK sleeps.
                .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 1440, HookAction.ROLLBACK)).build();
        sb.sim.faults().throttleRate(null, 0.2);
        DeploymentHandle h = await(engine.start(r));
        sb.sim.faults().throttleNext("DescribeServiceDeployments", 12);
        List<Object> results = new java.util.concurrent.CopyOnWriteArrayList<>();
        var rec = new Sandbox.Recorder();
        Outcome o = await(engine.follow(h, rec, g -> engine.decide(g.deployment(), g.hookId(),
                new GateDecision(HookAction.CONTINUE, "alice", null)).whenComplete((x, e) -> results.add(x != null ? x : e))).outcome());
        assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe() + " " + results + " " + rec.events.stream().map(e -> e.at() + " " + e.describe()).toList());
        var st = engine.watcher().stats();
        assertTrue(st.throttledCalls() >= 1, "the SDK gave up on some polls and the watcher backed off: " + st);
        assertTrue(sb.sim.stats().count("DescribeServiceDeployments") > st.describeCalls(), "the SDK retried: " + st);
        assertEquals(List.of(DecisionResult.APPLIED), results);
    }

    @Test
    void aHundredDeploymentsShareOneWatcherInCallsOfTwenty() {
        sb = new Sandbox(300); // 1 virtual minute = 200 ms: starting 100 deployments takes a few virtual minutes
        DeploymentEngine engine = sb.engine();
        int n = 100;
        List<DeploymentRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(Sandbox.request(sb.service("svc" + i), new Strategy.BlueGreen(5)).build());
        }
        long before = sb.sim.stats().count("DescribeServiceDeployments");
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        for (DeploymentRequest r : requests) {
            outcomes.add(engine.start(r).thenCompose(h -> engine.follow(h, null, null).outcome()));
        }
        for (CompletableFuture<Outcome> f : outcomes) {
            Outcome o = await(f);
            assertEquals(OutcomeKind.SUCCEEDED, o.kind(), o.describe());
        }
        var st = engine.watcher().stats();
        assertTrue(st.maxCallsInOneRound() <= (n + 19) / 20, "at most ceil(100/20) calls per round: " + st);
        assertTrue(st.describeCalls() <= st.rounds() * 5, st.toString());
        assertEquals(st.describeCalls(), sb.sim.stats().count("DescribeServiceDeployments") - before,
                "every DescribeServiceDeployments came from the one watcher");
        assertTrue(st.describedArns() >= st.describeCalls() * 5, "calls carry many ARNs each: " + st);
        long engineThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ecs-deploy-")).count();
        assertTrue(engineThreads <= engine.config().ioThreads() + 2 + engine.config().pollThreads(),
                "no thread per deployment (I/O pool + 2 decision threads + the poll lane): " + engineThreads);
    }
}
