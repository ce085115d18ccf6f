package io.jenkins.plugins.ecsdeploy.engine;

import static io.jenkins.plugins.ecsdeploy.engine.Sandbox.await;
import org.junit.jupiter.api.Test;

class TmpExampleTest {
    @Test
    void print() throws Exception {
        try (Sandbox sb = new Sandbox()) {
            var e = sb.engine();
            var h = await(e.start(Sandbox.request(sb.service("web"), new Strategy.Canary(10.0, 5, 10))
                    .alarms(new Alarms(java.util.List.of("web-5xx"), true))
                    .gate(new Gate("POST_TEST_TRAFFIC_SHIFT", 60, HookAction.ROLLBACK)).build()));
            var rec = new Sandbox.Recorder();
            var sub = e.follow(h, rec, g -> {});
            await(rec.when(x -> x instanceof DeploymentEvent.GateAwaiting));
            System.out.println("JSON1 " + new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(new com.fasterxml.jackson.databind.ObjectMapper().readTree(sub.snapshot().toJson())));
        }
    }
}
