package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import io.jenkins.plugins.ecsdeploy.simulator.HookResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScratchReasonsTest {
    static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:smoke";
    static final String ROLE = "arn:aws:iam::123456789012:role/hooks";
    @Test
    void print() {
        try (Sandbox sb = new Sandbox()) {
            DeploymentEngine engine = sb.engine();
            sb.sim.lambdas().register(FN, e -> HookResponse.failed());
            for (String st : List.of("POST_TEST_TRAFFIC_SHIFT", "PRODUCTION_TRAFFIC_SHIFT")) {
                var r = Sandbox.request(sb.service("web" + st.length()), new Strategy.BlueGreen(5))
                        .hook(new LambdaHook(FN, ROLE, List.of(st), null, 10, null)).build();
                var rec = new Sandbox.Recorder();
                Outcome o = await(engine.follow(await(engine.start(r)), rec, null).outcome());
                System.out.println("XX " + o.describe());
                rec.events.forEach(e -> System.out.println("XX   " + e.describe()));
            }
            sb.sim.scenario().alarmAfter("web-5xx", Duration.ofMinutes(3));
            var r = Sandbox.request(sb.service("alarmed"), new Strategy.BlueGreen(30))
                    .alarms(new Alarms(List.of("web-5xx", "web-latency"), true)).build();
            var rec = new Sandbox.Recorder();
            Outcome o = await(engine.follow(await(engine.start(r)), rec, null).outcome());
            System.out.println("XX " + o.describe());
            rec.events.forEach(e -> System.out.println("XX   " + e.describe()));
        }
    }
}
