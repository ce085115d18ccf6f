package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.plugin.harness.JenkinsfileParser;
import io.jenkins.plugins.ecsdeploy.plugin.harness.PipelineBinder;
import io.jenkins.plugins.ecsdeploy.plugin.harness.StepRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every Jenkinsfile example in README.md and docs/*.md is parsed with the harness parser, and each call
 * of one of our steps is bound (strictly: an unknown key fails) exactly as Pipeline would bind it. A
 * strategy step's example is also checked offline (toRequest), so the examples are valid deployments.
 */
class JenkinsfileExamplesTest {
    static final Map<String, Class<? extends Step>> STEPS = Map.of(
            "ecsBlueGreen", EcsBlueGreenStep.class, "ecsCanary", EcsCanaryStep.class, "ecsLinear", EcsLinearStep.class,
            "ecsRolling", EcsRollingStep.class, "ecsApprove", EcsApproveStep.class, "ecsWait", EcsWaitStep.class,
            "ecsRollback", EcsRollbackStep.class, "ecsAtGate", EcsAtGateStep.class);

    @BeforeEach
    void setUp() {
        StandInJenkins.install();
        STEPS.values().forEach(StepRunner::descriptorOf);
        StandInJenkins.register(new LambdaHookSpec.DescriptorImpl());   // lambdaHook(...) resolves by @Symbol
    }

    @AfterEach
    void tearDown() {
        StandInJenkins.reset();
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docs").resolve("architecture.md"))) {
            p = p.getParent();
        }
        assertNotNull(p, "the repository root (with docs/architecture.md) above " + Path.of("").toAbsolutePath());
        return p;
    }

    static List<Path> markdown() throws IOException {
        Path root = root();
        List<Path> files = new ArrayList<>();
        if (Files.exists(root.resolve("README.md"))) {
            files.add(root.resolve("README.md"));
        }
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void everyStepCallInTheDocsParsesAndBinds() throws Exception {
        PipelineBinder binder = PipelineBinder.strict();
        int calls = 0;
        List<String> failures = new ArrayList<>();
        for (Path md : markdown()) {
            List<String> blocks = JenkinsfileParser.groovyBlocks(Files.readString(md));
            for (int b = 0; b < blocks.size(); b++) {
                String where = root().relativize(md) + " groovy block " + (b + 1);
                List<JenkinsfileParser.StepCall> parsed;
                try {
                    parsed = JenkinsfileParser.parse(blocks.get(b));
                } catch (RuntimeException e) {
                    failures.add(where + ": does not parse: " + e.getMessage());
                    continue;
                }
                for (JenkinsfileParser.StepCall call : JenkinsfileParser.findAll(parsed, STEPS.keySet().toArray(new String[0]))) {
                    calls++;
                    Class<? extends Step> type = STEPS.get(call.name());
                    StepDescriptor d = StepRunner.descriptorOf(type);
                    try {
                        if (d.takesImplicitBlockArgument() && !call.hasBody()) {
                            failures.add(where + " line " + call.line() + ": " + call.name() + " needs a body");
                            continue;
                        }
                        Step step = binder.bindCall(type, call.args());
                        if (step instanceof DeployStepBase s) {
                            s.toRequest(null, null);
                        }
                    } catch (Exception e) {
                        failures.add(where + " line " + call.line() + ": " + call.name() + ": " + e.getMessage());
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(calls >= 15, "the docs show every step; found only " + calls + " calls");
    }

    @Test
    void pipelineStepsDocumentsEveryParameterOfEveryStep() throws Exception {
        String doc = Files.readString(root().resolve("docs").resolve("pipeline-steps.md"));
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Class<? extends Step>> e : STEPS.entrySet()) {
            assertTrue(doc.contains("`" + e.getKey() + "`"), e.getKey());
            for (String p : PipelineBinder.Model.of(e.getValue()).parameterNames()) {
                if (!doc.contains("`" + p + "`")) {
                    missing.add(e.getKey() + "." + p);
                }
            }
        }
        for (String p : PipelineBinder.Model.of(LambdaHookSpec.class).parameterNames()) {
            if (!doc.contains("`" + p + "`")) {
                missing.add("hooks." + p);
            }
        }
        assertEquals(List.of(), missing);
        assertFalse(doc.isEmpty());
    }
}
