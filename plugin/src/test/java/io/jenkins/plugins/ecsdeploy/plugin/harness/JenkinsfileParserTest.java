package io.jenkins.plugins.ecsdeploy.plugin.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.plugin.harness.JenkinsfileParser.Expression;
import io.jenkins.plugins.ecsdeploy.plugin.harness.JenkinsfileParser.StepCall;
import io.jenkins.plugins.ecsdeploy.plugin.harness.JenkinsfileParser.SymbolCall;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.SampleWaitStep;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JenkinsfileParserTest {

    @Test
    void namedArgumentsBecomeOneOrderedMapWithGroovyValueTypes() {
        StepCall c = JenkinsfileParser.parse("ecsCanary(cluster: 'prod', canaryPercent: 10.5, bakeMinutes: 15, rollback: true, alarms: ['a', \"b\"], tags: [team: 'x'], none: null)").get(0);
        assertEquals("ecsCanary", c.name());
        Map<String, Object> named = c.namedArgs();
        assertEquals(List.of("cluster", "canaryPercent", "bakeMinutes", "rollback", "alarms", "tags", "none"), List.copyOf(named.keySet()));
        assertEquals(new BigDecimal("10.5"), named.get("canaryPercent"));
        assertEquals(15, named.get("bakeMinutes"));
        assertEquals(Boolean.TRUE, named.get("rollback"));
        assertEquals(List.of("a", "b"), named.get("alarms"));
        assertEquals(Map.of("team", "x"), named.get("tags"));
        assertTrue(named.containsKey("none"));
        assertNull(named.get("none"));
        assertFalse(c.hasBody());
    }

    @Test
    void commandSyntaxWithoutParenthesesAndAContinuationComma() {
        List<StepCall> calls = JenkinsfileParser.parse("ecsWait service: 'web',\n        timeoutMinutes: 5\necho 'hi'\n");
        assertEquals(2, calls.size());
        assertEquals(Map.of("service", "web", "timeoutMinutes", 5), calls.get(0).namedArgs());
        assertEquals(List.of("hi"), calls.get(1).args());
    }

    @Test
    void namedArgumentsComeFirstAsGroovyPassesThem() {
        StepCall c = JenkinsfileParser.parse("ecsWait 'a', timeoutMinutes: 5").get(0);
        assertEquals(2, c.args().size());
        assertEquals(Map.of("timeoutMinutes", 5), c.args().get(0));
        assertEquals("a", c.args().get(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineBinder.strict().namedArgs(SampleWaitStep.class, c.args()));
        assertEquals("Expected named arguments but got [{timeoutMinutes=5}, a]", e.getMessage());
    }

    @Test
    void blocksNestAndTheClosureIsTheBody() {
        String src = """
                pipeline {
                  agent any
                  stages {
                    stage('Deploy') {
                      steps {
                        // blue/green with a gate
                        ecsBlueGreen(cluster: 'c', service: 's') {
                          ecsApprove message: 'Ship it?'
                        }
                      }
                    }
                  }
                  post { failure { echo "failed: ${env.BUILD_URL}" } }
                }
                """;
        List<StepCall> calls = JenkinsfileParser.parse(src);
        StepCall bg = JenkinsfileParser.findAll(calls, "ecsBlueGreen").get(0);
        assertTrue(bg.hasBody());
        assertEquals("ecsApprove", bg.body().get(0).name());
        assertEquals(7, bg.line());
        assertEquals(List.of("failed: ${env.BUILD_URL}"), JenkinsfileParser.findAll(calls, "echo").get(0).args(), "GString text kept as written");
        assertInstanceOf(Expression.class, JenkinsfileParser.findAll(calls, "agent").get(0).args().get(0));
    }

    @Test
    void scriptedSyntaxAssignmentsConditionsAndNestedCalls() {
        String src = """
                node {
                  def result = ecsRolling cluster: 'c', service: 's', hooks: [lambdaHook(function: 'f', stages: ['PRE_SCALE_UP'])]
                  if (result.outcome == 'SUCCEEDED') {
                    ecsWait(service: 's')
                  } else {
                    error 'failed'
                  }
                  timeout(time: 5, unit: 'MINUTES') { ecsApprove() }
                  /* block comment */
                  x = ecsRollback(service: 's', reason: '''two
                lines''')
                }
                """;
        List<StepCall> calls = JenkinsfileParser.parse(src);
        StepCall rolling = JenkinsfileParser.findAll(calls, "ecsRolling").get(0);
        SymbolCall hook = (SymbolCall) ((List<?>) rolling.namedArgs().get("hooks")).get(0);
        assertEquals("lambdaHook", hook.name());
        assertEquals(Map.of("function", "f", "stages", List.of("PRE_SCALE_UP")), hook.args().get(0));
        assertEquals(1, JenkinsfileParser.findAll(calls, "ecsWait").size());
        assertEquals(1, JenkinsfileParser.findAll(calls, "error").size());
        assertEquals(1, JenkinsfileParser.findAll(calls, "ecsApprove").size());
        assertEquals("two\nlines", JenkinsfileParser.findAll(calls, "ecsRollback").get(0).namedArgs().get("reason"));
    }

    @Test
    void aParsedCallBindsLikeTheDsl() throws Exception {
        StepCall c = JenkinsfileParser.parse("sampleWait 'web', timeoutMinutes: '30', percent: 2, onTimeout: 'ROLLBACK'".replace("'web', ", "service: 'web', ")).get(0);
        SampleWaitStep s = PipelineBinder.strict().bindCall(SampleWaitStep.class, c.args());
        assertEquals("web", s.getService());
        assertEquals(30, s.getTimeoutMinutes());
        assertEquals(2.0, s.getPercent());
        assertEquals(SampleWaitStep.OnTimeout.ROLLBACK, s.getOnTimeout());
    }

    @Test
    void aNestedSymbolCallBindsThroughTheSymbolIndex() throws Exception {
        StepCall c = JenkinsfileParser.parse("sampleWait service: 's', hook: sampleHook(function: 'f', timeoutMinutes: 4)").get(0);
        SampleWaitStep s = PipelineBinder.strict().bindCall(SampleWaitStep.class, c.args());
        assertEquals("f", s.getHook().getFunction());
        assertEquals(4, s.getHook().getTimeoutMinutes());
        StepCall anon = JenkinsfileParser.parse("sampleWait service: 's', hook: sampleHook('g')").get(0);
        assertEquals("g", PipelineBinder.strict().bindCall(SampleWaitStep.class, anon.args()).getHook().getFunction());
        StepCall bad = JenkinsfileParser.parse("sampleWait service: 's', hook: nope()").get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineBinder.strict().bindCall(SampleWaitStep.class, bad.args()));
        assertEquals("no known implementation of class " + io.jenkins.plugins.ecsdeploy.plugin.harness.samples.Hook.class.getName()
                + " is using symbol \u2018nope\u2019", e.getCause().getMessage());
    }

    @Test
    void groovyBlocksAreExtractedFromMarkdown() {
        String md = "# Title\n```groovy\necsWait service: 'a'\n```\ntext\n```bash\nls\n```\n```groovy\necho 'b'\n```\n";
        assertEquals(List.of("ecsWait service: 'a'\n", "echo 'b'\n"), JenkinsfileParser.groovyBlocks(md));
    }

    @Test
    void anUnreadableSnippetNamesTheLine() {
        JenkinsfileParser.ParseException e = assertThrows(JenkinsfileParser.ParseException.class,
                () -> JenkinsfileParser.parse("echo 'a'\necsWait(service: 'x'"));
        assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
    }
}
