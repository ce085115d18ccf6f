package io.jenkins.plugins.ecsdeploy.plugin.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.util.Secret;
import hudson.util.StreamTaskListener;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.AbstractHook;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.BadSetter;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.CharStep;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.Hook;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.HookHolder;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.OtherHook;
import io.jenkins.plugins.ecsdeploy.plugin.harness.samples.SampleWaitStep;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The binding rules of docs/jenkins-behaviour.md "Binding a step call", "Parameters and their order", "Instantiating a step", "Type coercion", one test per rule. */
class PipelineBinderTest {
    private final PipelineBinder strict = PipelineBinder.strict();

    @BeforeEach
    void reset() {
        SampleWaitStep.SETTER_CALLS.clear();
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    // ---- "Binding a step call": call shape

    @Test
    void aSolePositionalArgumentBindsToTheOnlyConstructorParameter() throws Exception {
        SampleWaitStep s = strict.bindCall(SampleWaitStep.class, List.of("svc"));
        assertEquals("svc", s.getService());
    }

    @Test
    void positionalPlusNamedArgumentsFailWithTheExactDslText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.namedArgs(SampleWaitStep.class, List.of(map("timeoutMinutes", 5), "a")));
        assertEquals("Expected named arguments but got [{timeoutMinutes=5}, a]", e.getMessage());
    }

    @Test
    void twoPositionalArgumentsFail() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.namedArgs(SampleWaitStep.class, List.of("a", "b")));
        assertEquals("Expected named arguments but got [a, b]", e.getMessage());
    }

    @Test
    void aPositionalArgumentWithoutASoleKeyFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.namedArgs(HookHolder.class, List.of("a")));
        assertEquals("Expected named arguments but got a", e.getMessage());
    }

    @Test
    void noArgumentsGiveAnEmptyMap() {
        assertTrue(strict.namedArgs(SampleWaitStep.class, List.of()).isEmpty());
    }

    @Test
    void aMapWithDollarClassIsTheValueOfTheSoleKeyNotNamedArguments() {
        Map<String, Object> m = map("$class", "Foo", "x", 1);
        assertEquals(Map.of("function", m), strict.namedArgs(Hook.class, List.of(m)));
    }

    @Test
    void aSingleParamStepReadsAMapAsNamedOnlyWhenItsOnlyKeyIsTheParameter() {
        // CharStep has exactly one parameter and no setters: a "single-param step"
        assertEquals(map("separator", ","), strict.namedArgs(CharStep.class, List.of(map("separator", ","))));
        Map<String, Object> other = map("other", 1);
        assertEquals(Map.of("separator", other), strict.namedArgs(CharStep.class, List.of(other)));
    }

    // ---- "Parameters and their order"

    @Test
    void parametersAreConstructorOnesThenSettersAlphabetically() {
        assertEquals(List.of("service", "boxed", "delayMillis", "hook", "names", "onTimeout", "percent", "quiet", "tags", "timeoutMinutes"),
                PipelineBinder.Model.of(SampleWaitStep.class).parameterNames());
        assertTrue(PipelineBinder.Model.of(SampleWaitStep.class).isRequired("service"));
        assertFalse(PipelineBinder.Model.of(SampleWaitStep.class).isRequired("quiet"));
    }

    @Test
    void aDataBoundSetterThatIsNotASetterBreaksTheModel() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PipelineBinder.Model.of(BadSetter.class));
        assertTrue(e.getMessage().endsWith("cannot be a @DataBoundSetter"), e.getMessage());
    }

    @Test
    void aClassWithoutDataBoundConstructorIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PipelineBinder.Model.of(String.class));
        assertEquals("There's no @DataBoundConstructor on any constructor of class java.lang.String", e.getMessage());
    }

    // ---- "Instantiating a step"

    @Test
    void unknownKeysInStrictModeThrowTheExactSortedWarningText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(SampleWaitStep.class, map("service", "s", "junk", 1, "garbage", 2)));
        assertEquals("WARNING: Unknown parameter(s) found for class type '" + SampleWaitStep.class.getName() + "': garbage,junk", e.getMessage());
    }

    @Test
    void unknownKeysInLenientModeAreOneLogLineAndTheStepIsStillBuilt() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PipelineBinder lenient = PipelineBinder.lenient(new StreamTaskListener(log, StandardCharsets.UTF_8));
        SampleWaitStep s = lenient.instantiate(SampleWaitStep.class, map("service", "s", "junk", 1, "garbage", 2));
        assertEquals("s", s.getService());
        assertEquals("WARNING: Unknown parameter(s) found for class type '" + SampleWaitStep.class.getName() + "': garbage,junk"
                + System.lineSeparator(), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void settersRunAlphabeticallyAndOnlyForPresentKeys() throws Exception {
        SampleWaitStep s = strict.instantiate(SampleWaitStep.class, map("timeoutMinutes", 5, "service", "s", "quiet", true, "boxed", 1));
        assertEquals(List.of("boxed", "quiet", "timeoutMinutes"), SampleWaitStep.SETTER_CALLS);
        assertEquals(SampleWaitStep.OnTimeout.CONTINUE, s.getOnTimeout(), "absent key keeps the field initializer");
    }

    @Test
    void anExplicitNullReachesAnObjectSetterAndBreaksAPrimitiveOne() throws Exception {
        SampleWaitStep s = strict.instantiate(SampleWaitStep.class, map("service", "s", "boxed", null));
        assertNull(s.getBoxed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(SampleWaitStep.class, map("service", "s", "quiet", null)));
        assertTrue(e.getMessage().startsWith("Could not instantiate {service=s, quiet=null} for " + SampleWaitStep.class.getName() + ": "), e.getMessage());
    }

    @Test
    void aMissingRequiredValueReachesTheConstructorAsNullAndPrimitivesGetDefaults() throws Exception {
        assertNull(strict.instantiate(SampleWaitStep.class, map()).getService());
        HookHolder h = strict.instantiate(HookHolder.class, map("cluster", "c"));
        assertEquals(0, h.getCount());
    }

    @Test
    void aCharConstructorParameterHasNoDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> strict.instantiate(CharStep.class, map()));
        assertTrue(e.getMessage().endsWith("java.lang.UnsupportedOperationException: not yet handling @DataBoundConstructor default value of char; pass an explicit value for separator"), e.getMessage());
    }

    @Test
    void anExceptionFromTheConstructorIsWrappedAndOnlyTheCauseChainNamesIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(HookHolder.class, map("cluster", "boom", "count", 1)));
        assertEquals("Could not instantiate {cluster=boom, count=1} for " + HookHolder.class.getName() + ": java.lang.reflect.InvocationTargetException", e.getMessage());
        assertInstanceOf(InvocationTargetException.class, e.getCause());
        assertEquals("cluster must not be boom", rootMessage(e));
    }

    @Test
    void secretsHideTheArgumentsInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(HookHolder.class, map("cluster", "boom", "token", Secret.fromString("s3cr3t"))));
        assertEquals("Could not instantiate arguments for " + HookHolder.class.getName() + ". Secrets are involved, so details are available on more verbose logging levels.", e.getMessage());
    }

    @Test
    void anonymousKeyMustBeAloneAndNeedsASoleParameter() throws Exception {
        assertEquals("x", strict.instantiate(SampleWaitStep.class, map(PipelineBinder.ANONYMOUS_KEY, "x")).getService());
        assertEquals("All arguments have to be named but it has <anonymous>", assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(SampleWaitStep.class, map(PipelineBinder.ANONYMOUS_KEY, "x", "quiet", true))).getMessage());
        assertEquals("Arguments to class " + HookHolder.class.getName() + " have to be explicitly named", assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(HookHolder.class, map(PipelineBinder.ANONYMOUS_KEY, "x"))).getMessage());
    }

    // ---- "Type coercion"

    @Test
    void aStringGoesIntoAnIntAndAnIntegerIntoADouble() throws Exception {
        SampleWaitStep s = strict.instantiate(SampleWaitStep.class, map("service", "s", "timeoutMinutes", "30", "percent", 5));
        assertEquals(30, s.getTimeoutMinutes());
        assertEquals(5.0, s.getPercent());
        assertEquals(1.5, strict.instantiate(SampleWaitStep.class, map("percent", new BigDecimal("1.5"))).getPercent());
    }

    @Test
    void aNonNumericStringForAnIntFailsWithTheCoercionText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(SampleWaitStep.class, map("timeoutMinutes", "abc")));
        assertEquals("class " + SampleWaitStep.class.getName() + ".setTimeoutMinutes() expects class java.lang.Integer but was unable to coerce the received value \"abc\" to that type",
                e.getCause().getMessage());
    }

    @Test
    void enumsBindCaseSensitively() throws Exception {
        assertEquals(SampleWaitStep.OnTimeout.ROLLBACK, strict.instantiate(SampleWaitStep.class, map("onTimeout", "ROLLBACK")).getOnTimeout());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(SampleWaitStep.class, map("onTimeout", "rollback")));
        assertEquals("No enum constant " + SampleWaitStep.OnTimeout.class.getCanonicalName() + ".rollback", e.getCause().getMessage());
    }

    @Test
    void anyStringOtherThanTrueIsFalseForABoolean() throws Exception {
        assertFalse(strict.instantiate(SampleWaitStep.class, map("quiet", "yes")).isQuiet());
        assertTrue(strict.instantiate(SampleWaitStep.class, map("quiet", "TRUE")).isQuiet());
    }

    @Test
    void aListGoesIntoAListButNotIntoASet() throws Exception {
        assertEquals(List.of("a", "b"), strict.instantiate(SampleWaitStep.class, map("tags", Arrays.asList("a", "b"))).getTags());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(SampleWaitStep.class, map("names", Arrays.asList("a", "b"))));
        assertEquals("argument type mismatch", e.getCause().getMessage());
    }

    @Test
    void anIntegerDoesNotBecomeAString() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(SampleWaitStep.class, map("service", 5)));
        assertEquals(SampleWaitStep.class.getName() + ".service expects class java.lang.String but received class java.lang.Integer", e.getCause().getMessage());
    }

    @Test
    void aListGoesIntoAnObjectArray() throws Exception {
        assertArrayEquals(new String[] {"A", "B"}, strict.instantiate(HookHolder.class, map("stages", List.of("A", "B"))).getStages());
    }

    @Test
    void aMapBuildsANestedDescribableOfAConcreteTypeWithoutDollarClass() throws Exception {
        SampleWaitStep s = strict.instantiate(SampleWaitStep.class, map("hook", map("function", "f", "timeoutMinutes", "3")));
        assertEquals("f", s.getHook().getFunction());
        assertEquals(3, s.getHook().getTimeoutMinutes());
    }

    @Test
    void aNestedMapFollowsTheUnknownKeyRuleToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(SampleWaitStep.class, map("hook", map("function", "f", "bogus", 1))));
        assertEquals("WARNING: Unknown parameter(s) found for class type '" + Hook.class.getName() + "': bogus", e.getCause().getMessage());
    }

    @Test
    void anAbstractNestedTypeNeedsDollarClass() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> strict.instantiate(HookHolder.class, map("hook", map("function", "f"))));
        assertEquals("must specify $class with an implementation of class " + AbstractHook.class.getName(), e.getCause().getMessage());

        PipelineBinder known = PipelineBinder.strict().withImplementations(Hook.class, OtherHook.class);
        assertInstanceOf(Hook.class, known.instantiate(HookHolder.class, map("hook", map("$class", "Hook", "function", "f"))).getHook());
        assertInstanceOf(OtherHook.class, known.instantiate(HookHolder.class, map("hook", map("$class", OtherHook.class.getName()))).getHook());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> known.instantiate(HookHolder.class, map("hook", map("$class", "Nope"))));
        assertEquals("no known implementation of class " + AbstractHook.class.getName() + " is named Nope", unknown.getCause().getMessage());
    }

    @Test
    void theInputMapIsNotModified() throws Exception {
        Map<String, Object> hook = new HashMap<>(map("$class", "Hook", "function", "f"));
        PipelineBinder.strict().withImplementations(Hook.class).instantiate(HookHolder.class, map("hook", hook));
        assertTrue(hook.containsKey("$class"));
    }
}
