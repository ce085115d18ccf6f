package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What deployments cost the controller (docs/performance.md "The Jenkins side"). The default run pins the build.xml
 * bound for one canary deployment; the load run (N concurrent builds) runs only when asked:
 * {@code mvn -B -ntp -o -pl plugin test -Dtest=JenkinsLoadTest -Decs.jenkinsLoad.builds=1000}.
 */
class JenkinsLoadTest {
    /** Issue 12's targets per deployment. */
    static final int MAX_WRITES = 20;
    static final int MAX_BUILD_XML_BYTES = 64 * 1024;

    @Test
    void oneCanaryDeploymentWritesBuildXmlAtMostTwentyTimesAndUnder64KiB() throws Exception {
        JenkinsLoad.Result r;
        try (EcsSandbox sandbox = new EcsSandbox()) {
            r = JenkinsLoad.run(sandbox, 1, "CANARY", 120);
        }
        System.out.println(r.markdown());
        assertEquals(List.of(), r.failures);
        assertEquals(1, r.gates, "one gate, approved");
        // a save per engine event (about 35 for this deployment) breaks this; see EcsProgressAction#update
        assertTrue(r.maxWrites() <= MAX_WRITES, "build.xml writes: " + r.writes);
        assertTrue(r.finalXml.get(0) <= MAX_BUILD_XML_BYTES, "final build.xml bytes: " + r.finalXml);
        // fewer writes, nothing lost: the last one holds the outcome, the last stage and the approved gate
        assertTrue(r.firstBuildXml.contains("<outcome>SUCCEEDED"), r.firstBuildXml);
        assertTrue(r.firstBuildXml.contains("<stage>CLEAN_UP</stage>") || r.firstBuildXml.contains("<stage>BAKE_TIME</stage>"),
                r.firstBuildXml);
        assertTrue(r.firstBuildXml.contains("<decidedBy>bench</decidedBy>"), r.firstBuildXml);
    }

    @Test
    @EnabledIfSystemProperty(named = "ecs.jenkinsLoad.builds", matches = "\\d+")
    void manyConcurrentDeploymentsThroughTheSteps() throws Exception {
        int n = Integer.parseInt(System.getProperty("ecs.jenkinsLoad.builds"));
        double speed = Double.parseDouble(System.getProperty("ecs.jenkinsLoad.speed", "60"));
        JenkinsLoad.Result r;
        try (EcsSandbox sandbox = new EcsSandbox(speed)) {
            r = JenkinsLoad.run(sandbox, n, null, 1800);
        }
        String md = r.markdown();
        System.out.println(md);
        Path out = Path.of(System.getProperty("ecs.jenkinsLoad.out", "target/jenkins-load-" + n + ".md"));
        Files.writeString(out, md + (r.failures.isEmpty() ? "" : "\nFAILURES: " + r.failures.size() + "\n"
                + r.failures.get(0) + "\n"));
        assertEquals(List.of(), r.failures.size() > 3 ? r.failures.subList(0, 3) : r.failures,
                r.failures.size() + " of " + n + " builds did not end SUCCEEDED");
    }
}
