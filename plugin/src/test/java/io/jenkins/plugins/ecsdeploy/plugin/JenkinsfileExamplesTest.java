package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.plugin.harness.JenkinsfileParser;
import io.jenkins.plugins.ecsdeploy.plugin.harness.GroovyPipeline;
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
 * Every Jenkinsfile example in README.md and docs/*.md runs under the real Groovy 2.4.21 with each step call bound
 * (strictly: an unknown key fails) exactly as Pipeline would bind it; a strategy step's example is also checked offline
 * (toRequest), so the examples are valid deployments. docs/jenkins-stand-in.md "2. The Pipeline harness".
 */
class JenkinsfileExamplesTest {
    static final Map<String, Class<? extends Step>> STEPS = Map.of(
            "ecsBlueGreen", EcsBlueGreenStep.class, "ecsCanary", EcsCanaryStep.class, "ecsLinear", EcsLinearStep.class,
            "ecsRolling", EcsRollingStep.class, "ecsApprove", EcsApproveStep.class, "ecsWait", EcsWaitStep.class,
            "ecsRollback", EcsRollbackStep.class, "ecsAtGate", EcsAtGateStep.class, "ecsRelease", EcsReleaseStep.class);

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

    /** What a step answers in the examples: a deployment for the deploy steps, ecsWait, ecsRollback and ecsAtGate. */
    static Object canned(String name, Step step) {
        if (name.equals("input") || name.equals("ecsApprovalGate")) {
            return "alice";
        }
        if (step instanceof EcsReleaseStep rs && rs.getServices() instanceof Map<?, ?> services) {
            // a release answers its outcome and one deployment per service (docs/releases.md)
            Map<String, Object> deployments = new java.util.LinkedHashMap<>();
            services.keySet().forEach(k -> deployments.put(String.valueOf(k), canned("ecsBlueGreen", null)));
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("outcome", "SUCCEEDED");
            r.put("causeService", null);
            r.put("deployments", deployments);
            return r;
        }
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("deploymentArn", "arn:aws:ecs:eu-west-1:123456789012:service-deployment/prod/web/abc");
        d.put("service", "web");
        d.put("cluster", "prod");
        d.put("region", "eu-west-1");
        d.put("outcome", "SUCCEEDED");
        d.put("finished", true);
        d.put("targetRevisionArn", "arn:aws:ecs:eu-west-1:123456789012:service-revision/prod/web/1");
        d.put("approvedBy", "alice");
        return d;
    }

    /**
     * Every ```groovy block of README.md and docs/*.md is compiled and RUN by the real Groovy 2.4.21 (GroovyPipeline):
     * calls resolve as in Pipeline (global variable {@code ecsApprove} with its Groovy resource, then steps by function
     * name), GStrings are evaluated, each step call is bound strictly as Pipeline binds it, and a strategy step's request
     * is validated offline (toRequest). Steps answer a canned deployment; sh/echo/input are stubs. A fragment may use
     * {@code d}, a deployment returned earlier.
     */
    @Test
    void everyJenkinsfileExampleInTheDocsRunsUnderRealGroovy() throws Exception {
        StandInJenkins.register(new EcsApproveVariable());
        StandInJenkins.register(new EcsApproveVariable.GroovySources());   // workflow-cps loads our .groovy only when allowed
        StandInJenkins.register(new EcsDnsCutoverVariable());   // ecsDnsCutover → ecsDnsCutoverRun { input } (cutovers.md)
        List<String> failures = new ArrayList<>();
        int blocks = 0;
        int calls = 0;
        boolean readmeApprovesThroughInput = false;
        for (Path md : markdown()) {
            List<String> groovy = JenkinsfileParser.groovyBlocks(Files.readString(md));
            for (int b = 0; b < groovy.size(); b++) {
                blocks++;
                String where = root().relativize(md) + " groovy block " + (b + 1);
                List<Step> bound = new ArrayList<>();
                GroovyPipeline p = GroovyPipeline.bindingOnly((name, step) -> {
                    bound.add(step);
                    return canned(name, step);
                }).steps(EcsBlueGreenStep.class, EcsCanaryStep.class, EcsLinearStep.class, EcsRollingStep.class,
                        EcsApproveStep.class, EcsWaitStep.class, EcsRollbackStep.class, EcsAtGateStep.class,
                        org.jenkinsci.plugins.workflow.support.steps.input.InputStep.class, EcsDnsCutoverBlockStep.class,
                        EcsReleaseStep.class)
                        .symbols("lambdaHook")
                        .variable("d", canned("ecsBlueGreen", null))
                        .variable("env", Map.of("BUILD_NUMBER", "42"));
                try {
                    p.run(groovy.get(b));
                    for (Step s : bound) {
                        if (s instanceof DeployStepBase dsb) {
                            dsb.toRequest(null, null);
                        }
                        if (s instanceof EcsReleaseStep rs) {
                            rs.request();   // a release example is a valid release (docs/releases.md)
                        }
                        if (s instanceof EcsDnsCutoverStep cut) {
                            cut.toRequest(null);   // a cutover example is a valid cutover request too
                        }
                    }
                } catch (Throwable e) {
                    failures.add(where + ": " + e);
                    continue;
                }
                calls += bound.size();
                if (md.getFileName().toString().equals("README.md") && p.calls().contains("ecsApprovalGate") && p.calls().contains("input")) {
                    readmeApprovesThroughInput = true;
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(blocks >= 13, "groovy blocks found: " + blocks);
        assertTrue(calls >= 15, "the docs show every step; bound only " + calls + " calls");
        assertTrue(readmeApprovesThroughInput, "README's ecsApprove ran the global variable: ecsApprovalGate around input");
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
