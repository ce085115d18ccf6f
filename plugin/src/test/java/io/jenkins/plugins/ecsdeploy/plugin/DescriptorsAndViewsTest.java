package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.util.FormValidation;
import io.jenkins.plugins.ecsdeploy.plugin.harness.PipelineBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.interceptor.RequirePOST;

/** Help files, Jelly escaping, symbols and form checks: what the snippet generator and the UI rely on. */
class DescriptorsAndViewsTest {
    static final List<Class<?>> DESCRIBED = List.of(EcsBlueGreenStep.class, EcsCanaryStep.class, EcsLinearStep.class,
            EcsRollingStep.class, EcsApproveStep.class, EcsWaitStep.class, EcsRollbackStep.class, EcsAtGateStep.class,
            LambdaHookSpec.class, EcsDeployBuilder.class, EcsDnsCutoverStep.class, EcsDnsCutoverBlockStep.class, SwitchoverSpec.class,
            EcsDnsCutoverBuilder.class, EcsReleaseStep.class);

    /** Found the way Descriptor.getHelpFile does: the class, then its superclasses. */
    static boolean hasHelp(Class<?> type, String field) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getResource(c.getSimpleName() + "/help-" + field + ".html") != null) {
                return true;
            }
        }
        return false;
    }

    @Test
    void everyParameterOfEveryStepHasAHelpFile() {
        List<String> missing = new ArrayList<>();
        for (Class<?> type : DESCRIBED) {
            for (String p : PipelineBinder.Model.of(type).parameterNames()) {
                if (!hasHelp(type, p)) {
                    missing.add(type.getSimpleName() + "." + p);
                }
            }
        }
        for (String p : List.of("defaultRegion", "pollFloorSeconds", "endpointUrl")) {
            if (!hasHelp(EcsGlobalConfiguration.class, p)) {
                missing.add("EcsGlobalConfiguration." + p);
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyJellyViewEscapesByDefault() throws IOException {
        Path views = Path.of("src/main/resources");
        List<String> bad = new ArrayList<>();
        int n = 0;
        try (Stream<Path> s = Files.walk(views)) {
            for (Path p : (Iterable<Path>) s.filter(x -> x.toString().endsWith(".jelly"))::iterator) {
                n++;
                if (!Files.readString(p).startsWith("<?jelly escape-by-default='true'?>")) {
                    bad.add(p.toString());
                }
            }
        }
        assertEquals(List.of(), bad);
        assertTrue(n >= 15, "views found: " + n);
    }

    @Test
    void symbolsEqualFunctionNamesSoPipelineCallsTheStep() throws Exception {
        for (Class<?> type : DESCRIBED) {
            for (Class<?> nested : type.getDeclaredClasses()) {
                if (StepDescriptor.class.isAssignableFrom(nested)) {
                    StepDescriptor d = (StepDescriptor) nested.getDeclaredConstructor().newInstance();
                    assertEquals(d.getFunctionName(), nested.getAnnotation(Symbol.class).value()[0], type.getName());
                    assertFalse(d.getDisplayName().isBlank());
                }
            }
        }
    }

    @Test
    void decisionEndpointsArePostOnly() throws Exception {
        for (String m : List.of("doApprove", "doRollback")) {
            assertTrue(EcsApprovalAction.class.getMethod(m, org.kohsuke.stapler.StaplerRequest2.class,
                    org.kohsuke.stapler.StaplerResponse2.class).isAnnotationPresent(RequirePOST.class), m);
        }
        assertTrue(EcsProgressAction.class.getMethod("doRollbackNow", org.kohsuke.stapler.StaplerRequest2.class,
                org.kohsuke.stapler.StaplerResponse2.class).isAnnotationPresent(RequirePOST.class), "doRollbackNow");
    }

    @Test
    void formChecksExplainRanges() {
        EcsCanaryStep.DescriptorImpl canary = new EcsCanaryStep.DescriptorImpl();
        assertEquals(FormValidation.Kind.OK, canary.doCheckCanaryPercent("10").kind);
        assertEquals(FormValidation.Kind.ERROR, canary.doCheckCanaryPercent("150").kind);
        assertEquals(FormValidation.Kind.ERROR, canary.doCheckCanaryPercent("ten").kind);
        assertEquals(FormValidation.Kind.ERROR, canary.doCheckApprovalTimeout("20159").kind);
        assertEquals(FormValidation.Kind.OK, canary.doCheckApprovalTimeout("").kind);
        assertEquals(FormValidation.Kind.ERROR, canary.doCheckImage("web").kind);
        assertEquals(FormValidation.Kind.OK, canary.doCheckImage("web=registry/web:1, log=registry/log:2").kind);
        assertEquals(FormValidation.Kind.ERROR, canary.doCheckRoleArn("deployer").kind);
        assertEquals(FormValidation.Kind.ERROR, new EcsLinearStep.DescriptorImpl().doCheckStepPercent("2").kind);
        assertEquals(6, canary.doFillApprovalStageItems().size());
        assertEquals("COMPLETED", canary.doFillWaitUntilItems().get(0).value);
    }

    @Test
    void theEngineWebAssetsAreServedButNothingElse() throws IOException {
        assertTrue(EcsProgressAction.asset("progress.js").length > 1000);
        assertTrue(EcsProgressAction.asset("progress.css").length > 100);
        assertEquals(null, EcsProgressAction.asset("../engine/DeploymentEngine.class"));
        assertEquals(null, EcsProgressAction.asset("progress.html"));
        assertEquals(null, EcsProgressAction.asset("nothing.js"));
    }
}
