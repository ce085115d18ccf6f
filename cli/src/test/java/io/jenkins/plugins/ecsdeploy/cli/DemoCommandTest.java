package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The demo run unattended: the README's command with --auto-approve exits 0; a rollback at the gate exits 3. */
class DemoCommandTest {

    @Test
    void autoApprovedCanaryDemoSucceedsWithASummary() {
        CliRun r = CliRun.run("demo", "--auto-approve", "--speed", "400", "--plain");
        assertEquals(0, r.exitCode(), r.toString());
        String out = r.out();
        assertTrue(out.matches("(?s).*Progress page: http://127\\.0\\.0\\.1:\\d+/.*"), out);
        assertTrue(out.contains("gate at POST_TEST_TRAFFIC_SHIFT continued by demo-user"), out);
        assertTrue(out.contains("timeline:"), out);
        assertTrue(out.matches("(?s).*BAKE_TIME\\s+Bake, old kept ready\\s+\\d+m.*"), out);
        assertTrue(out.contains("outcome: SUCCEEDED"), out);
    }

    @Test
    void demoRolledBackAtTheGateExitsWith3AndNamesTheDecider() {
        CliRun r = CliRun.run("demo", "--auto-rollback", "--user", "erin", "--strategy", "blue-green", "--speed", "400", "--plain");
        assertEquals(ExitCodes.ROLLED_BACK, r.exitCode(), r.toString());
        assertTrue(r.out().contains("gate at POST_TEST_TRAFFIC_SHIFT: ROLLED_BACK by erin"), r.out());
        assertTrue(r.out().contains("outcome: ROLLED_BACK"), r.out());
    }
}
