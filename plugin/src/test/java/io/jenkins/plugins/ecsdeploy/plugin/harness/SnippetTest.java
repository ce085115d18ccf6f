package io.jenkins.plugins.ecsdeploy.plugin.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jenkins.plugins.ecsdeploy.apistandin.StandInJenkins;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.Hook;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.NoGetter;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.SampleBlockStep;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.SampleWaitStep;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Snippet generation rules of docs/jenkins-behaviour.md "Snippets and labels" and the round trip of "What the test harness emulates" case 5. */
class SnippetTest {
    @BeforeEach
    void setUp() {
        StandInJenkins.install();
    }

    @AfterEach
    void tearDown() {
        StandInJenkins.reset();
    }

    @Test
    void aSingleRequiredArgumentUsesTheShortForm() throws Exception {
        assertEquals("sampleWait 'svc'", Snippet.of(new SampleWaitStep("svc")));
    }

    @Test
    void defaultsAreOmittedAndArgumentsAreAlphabetical() throws Exception {
        SampleWaitStep s = new SampleWaitStep("svc");
        s.setTimeoutMinutes(5);
        s.setQuiet(true);
        s.setOnTimeout(SampleWaitStep.OnTimeout.ROLLBACK);
        assertEquals("sampleWait onTimeout: 'ROLLBACK', quiet: true, service: 'svc', timeoutMinutes: 5", Snippet.of(s));
    }

    @Test
    void aBlockStepGetsParenthesesAndAPlaceholderBlock() throws Exception {
        assertEquals("sampleBlock('d') {\n    // some block\n}", Snippet.of(new SampleBlockStep("d")));
    }

    @Test
    void stringsAreQuotedAndEscaped() throws Exception {
        assertEquals("sampleWait 'it\\'s a \\\\ path'", Snippet.of(new SampleWaitStep("it's a \\ path")));
        assertEquals("sampleWait '''two\nlines'''", Snippet.of(new SampleWaitStep("two\nlines")));
    }

    @Test
    void listsAndNestedDescribablesWithASymbol() throws Exception {
        SampleWaitStep s = new SampleWaitStep("svc");
        s.setTags(List.of("a", "b"));
        Hook h = new Hook("f");
        h.setTimeoutMinutes(3);
        s.setHook(h);
        assertEquals("sampleWait hook: sampleHook(function: 'f', timeoutMinutes: 3), service: 'svc', tags: ['a', 'b']", Snippet.of(s));
    }

    @Test
    void aSnippetParsesAndBindsBackToAnEqualStep() throws Throwable {
        SampleWaitStep s = new SampleWaitStep("svc");
        s.setTimeoutMinutes(12);
        s.setPercent(2.5);
        s.setTags(List.of("x"));
        Hook h = new Hook("fn");
        s.setHook(h);
        String text = Snippet.of(s);
        // the text runs under the real Groovy 2.4.21; the call is bound strictly, as Pipeline binds it
        List<Object> bound = new java.util.ArrayList<>();
        GroovyPipeline.bindingOnly((name, step) -> bound.add(step) ? null : null).steps(SampleWaitStep.class)
                .symbols("sampleHook").run(text);
        SampleWaitStep back = (SampleWaitStep) bound.get(0);
        assertEquals(Snippet.uninstantiate(s), Snippet.uninstantiate(back));
        assertEquals(text, Snippet.of(back));
    }

    @Test
    void aParameterWithoutFieldOrGetterCannotBeReadBack() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> Snippet.uninstantiate(new NoGetter("x")));
        assertEquals("no public field \u2018hidden\u2019 (or getter method) found in class " + NoGetter.class.getName(), e.getMessage());
    }
}
