package io.jenkins.plugins.ecsdeploy.plugin.harness;

import hudson.model.Result;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

/**
 * What the Snippet Generator writes for a configured step: structs' {@code uninstantiate2} plus
 * {@code Snippetizer.functionCall} (docs/jenkins-behaviour.md "Snippets and labels"). Parse the text back with
 * {@link JenkinsfileParser} and bind it with {@link PipelineBinder} for a round trip, as
 * {@code SnippetizerTester.assertRoundTrip} does.
 */
public final class Snippet {
    private Snippet() {
    }

    /** The snippet of a step, using its descriptor's function name and block flag. */
    public static String of(Step step) throws Exception {
        StepDescriptor d = StepRunner.descriptorOf(step.getClass());
        return functionCall(d.getFunctionName(), d.takesImplicitBlockArgument(), step, false);
    }

    /**
     * The arguments a snippet would carry ("Snippets and labels" points 1-3): read back through field/getter/is-getter, required nulls
     * dropped, optional values equal to those of an instance built from the constructor values alone omitted,
     * alphabetical. Nested objects come back as {@link Nested}.
     */
    public static Map<String, Object> uninstantiate(Object o) throws Exception {
        Class<?> type = o.getClass();
        PipelineBinder.Model m = PipelineBinder.Model.of(type);
        Map<String, Object> ctorArgs = new LinkedHashMap<>();
        for (String p : m.constructorParams) {
            ctorArgs.put(p, read(o, p));
        }
        Object control = null;
        try {
            control = PipelineBinder.strict().instantiate(type, ctorArgs);
        } catch (Exception e) {
            control = null;   // as structs: nothing is omitted, a warning would be logged
        }
        Map<String, Object> out = new TreeMap<>();
        for (String p : m.parameterNames()) {
            Object v = read(o, p);
            if (m.isRequired(p)) {
                if (v != null) {
                    out.put(p, plain(v, declaredType(m, p)));
                }
                continue;
            }
            if (control != null && Objects.deepEquals(v, read(control, p))) {
                continue;
            }
            out.put(p, plain(v, declaredType(m, p)));
        }
        return out;
    }

    private static Class<?> declaredType(PipelineBinder.Model m, String p) {
        int i = m.constructorParams.indexOf(p);
        if (i >= 0 && !m.setters.containsKey(p)) {
            return m.constructor.getParameterTypes()[i];
        }
        return PipelineBinder.erasure(m.setters.get(p).type());
    }

    /** A nested object in a snippet: written as {@code symbol(args)} or {@code [$class: 'X', args]}. */
    public record Nested(String symbol, String dollarClass, Map<String, Object> arguments) {
    }

    private static Object read(Object o, String name) throws Exception {
        Class<?> c = o.getClass();
        try {
            Field f = c.getField(name);
            return f.get(o);
        } catch (NoSuchFieldException e) {
            // try getters
        }
        String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String g : new String[] {"get" + cap, "is" + cap}) {
            try {
                Method m = c.getMethod(g);
                if (Modifier.isPublic(m.getModifiers())) {
                    return m.invoke(o);
                }
            } catch (NoSuchMethodException e) {
                // next
            }
        }
        throw new UnsupportedOperationException("no public field \u2018" + name + "\u2019 (or getter method) found in " + c);
    }

    private static Object plain(Object v, Class<?> declared) throws Exception {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Enum) {
            return ((Enum<?>) v).name();
        }
        if (v instanceof URL || v instanceof Result || v instanceof Character) {
            return v.toString();
        }
        if (v.getClass().isArray()) {
            List<Object> l = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                l.add(plain(Array.get(v, i), v.getClass().getComponentType()));
            }
            return l;
        }
        if (v instanceof Collection) {
            List<Object> l = new ArrayList<>();
            for (Object x : (Collection<?>) v) {
                l.add(plain(x, Object.class));
            }
            return l;
        }
        if (v instanceof Map) {
            Map<String, Object> mm = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                mm.put(String.valueOf(e.getKey()), plain(e.getValue(), Object.class));
            }
            return mm;
        }
        if (v.getClass().getName().startsWith("java.")) {
            return v;
        }
        String symbol = null;
        for (Class<?> n : v.getClass().getDeclaredClasses()) {
            Symbol s = n.getAnnotation(Symbol.class);
            if (s != null && s.value().length > 0) {
                symbol = s.value()[0];
            }
        }
        String dollar = v.getClass() == declared ? null : v.getClass().getSimpleName();
        return new Nested(symbol, dollar, uninstantiate(v));
    }

    // ------------------------------------------------------------------------------------------ rendering

    private static String functionCall(String name, boolean block, Object o, boolean nested) throws Exception {
        Map<String, Object> args = uninstantiate(o);
        return call(name, block, args, PipelineBinder.Model.of(o.getClass()).soleRequiredParameter(), nested);
    }

    private static String call(String name, boolean block, Map<String, Object> args, String sole, boolean nested) {
        StringBuilder b = new StringBuilder(name);
        boolean onlyValue = args.size() == 1 && sole != null && args.containsKey(sole);
        Object only = args.size() == 1 ? args.values().iterator().next() : null;
        boolean parens = (block ^ args.isEmpty()) || (onlyValue && (only instanceof Map || only instanceof List)) || nested;
        b.append(parens ? "(" : args.isEmpty() ? "" : " ");
        if (onlyValue) {
            b.append(literal(only));
        } else {
            boolean first = true;
            for (Map.Entry<String, Object> e : args.entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                b.append(e.getKey()).append(": ").append(literal(e.getValue()));
            }
        }
        if (parens) {
            b.append(")");
        }
        if (block) {
            b.append(" {\n    // some block\n}");
        }
        return b.toString();
    }

    static String literal(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            String s = ((String) v).replace("\\", "\\\\").replace("'", "\\'");
            return ((String) v).contains("\n") ? "'''" + s + "'''" : "'" + s + "'";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List) {
            StringBuilder b = new StringBuilder("[");
            boolean first = true;
            for (Object x : (List<?>) v) {
                b.append(first ? "" : ", ").append(literal(x));
                first = false;
            }
            return b.append("]").toString();
        }
        if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            if (m.isEmpty()) {
                return "[:]";
            }
            StringBuilder b = new StringBuilder("[");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(first ? "" : ", ").append(e.getKey()).append(": ").append(literal(e.getValue()));
                first = false;
            }
            return b.append("]").toString();
        }
        if (v instanceof Nested) {
            Nested n = (Nested) v;
            if (n.symbol() != null) {
                return call(n.symbol(), false, n.arguments(), null, true);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            if (n.dollarClass() != null) {
                m.put("$class", n.dollarClass());
            }
            m.putAll(n.arguments());
            return literal(m);
        }
        return literal(v.toString());
    }
}
