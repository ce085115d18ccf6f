package io.jenkins.plugins.ecsdeploy.plugin.harness;

import hudson.model.Result;
import hudson.model.TaskListener;
import hudson.util.Secret;
import java.beans.Introspector;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Binds named arguments to a Step (or any describable) the way Pipeline does: {@code DSL.parseArgs} for the call
 * shape and structs' {@code DescribableModel.instantiate} for binding (docs/jenkins-behaviour.md "Binding a step call", "Parameters and their order", "Instantiating a step", "Type coercion").
 *
 * <p>Strict mode (the default, as under JenkinsRule where {@code Main.isUnitTest} is true) throws on unknown keys;
 * lenient mode (production) prints the warning line to the given listener and ignores them.
 *
 * <p>Not emulated: {@code CustomDescribableModel}, {@code @Symbol} lookup of nested describables (only
 * {@code $class} is), GStrings (the parser already turns them into Strings), deprecated setters.
 */
public final class PipelineBinder {
    /** The key structs uses for {@code sym('x')} calls ("Instantiating a step" point 2). */
    public static final String ANONYMOUS_KEY = "<anonymous>";

    private final boolean strict;
    private final TaskListener listener;
    private final List<Class<?>> knownImplementations = new ArrayList<>();

    private PipelineBinder(boolean strict, TaskListener listener) {
        this.strict = strict;
        this.listener = listener;
    }

    /** Unknown keys throw ({@code STRICT_PARAMETER_CHECKING}, the JenkinsRule default). */
    public static PipelineBinder strict() {
        return new PipelineBinder(true, TaskListener.NULL);
    }

    /** Unknown keys are reported as one line on {@code listener} (the step's log) and ignored: production. */
    public static PipelineBinder lenient(TaskListener listener) {
        return new PipelineBinder(false, listener);
    }

    /**
     * Classes a simple {@code $class} name may resolve to (real Jenkins: classes of registered descriptors
     * assignable to the declared type, "Type coercion" row 6).
     */
    public PipelineBinder withImplementations(Class<?>... types) {
        knownImplementations.addAll(List.of(types));
        return this;
    }

    // ------------------------------------------------------------------------------------------------ call shape

    /**
     * {@code DSL.parseArgs}: turns the Groovy call's argument array (named arguments collected into one Map that
     * comes first, exactly as Groovy passes them) into the named-argument map ("Binding a step call").
     *
     * @param type the Step class (its model decides the sole key and whether it is a single-param step)
     * @param groovyArgs the positional arguments without the trailing closure
     */
    public Map<String, Object> namedArgs(Class<?> type, List<?> groovyArgs) {
        Model m = Model.of(type);
        if (groovyArgs.isEmpty()) {
            return new LinkedHashMap<>();
        }
        if (groovyArgs.size() == 1) {
            Object arg = groovyArgs.get(0);
            String sole = m.soleRequiredParameter();
            boolean singleParamStep = m.parameters.size() == 1 && sole != null;
            if (arg instanceof Map) {
                Map<?, ?> map = (Map<?, ?>) arg;
                boolean namedForm;
                if (map.containsKey("$class")) {
                    namedForm = false;   // the meta-step form: the map is the value of the sole key
                } else if (singleParamStep) {
                    namedForm = map.size() == 1 && map.containsKey(sole);
                } else {
                    namedForm = true;
                }
                if (namedForm) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    map.forEach((k, v) -> out.put(String.valueOf(k), v));
                    return out;
                }
            }
            if (sole != null) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put(sole, arg);
                return out;
            }
            throw new IllegalArgumentException("Expected named arguments but got " + arg);
        }
        throw new IllegalArgumentException("Expected named arguments but got " + groovyArgs);
    }

    /** Parses and binds in one go, as {@code DSL.invokeStep} steps 1 and 7 do. */
    public <T> T bindCall(Class<T> type, List<?> groovyArgs) throws Exception {
        return instantiate(type, namedArgs(type, groovyArgs));
    }

    // ------------------------------------------------------------------------------------------------ binding

    /** {@code DescribableModel.instantiate(Map, TaskListener)} ("Instantiating a step"). */
    public <T> T instantiate(Class<T> type, Map<String, ?> arguments) throws Exception {
        Model m = Model.of(type);
        Map<String, Object> args = new LinkedHashMap<>(arguments);
        if (args.containsKey(ANONYMOUS_KEY)) {
            if (args.size() != 1) {
                throw new IllegalArgumentException("All arguments have to be named but it has " + ANONYMOUS_KEY);
            }
            String sole = m.soleRequiredParameter();
            if (sole == null) {
                throw new IllegalArgumentException("Arguments to " + type + " have to be explicitly named");
            }
            args = new LinkedHashMap<>();
            args.put(sole, arguments.get(ANONYMOUS_KEY));
        }
        TreeSet<String> unknown = new TreeSet<>(args.keySet());
        unknown.removeAll(m.parameters.keySet());
        if (!unknown.isEmpty()) {
            String text = "WARNING: Unknown parameter(s) found for class type '" + type.getName() + "': " + String.join(",", unknown);
            if (strict) {
                throw new IllegalArgumentException(text);
            }
            listener.getLogger().println(text);
        }
        try {
            Object[] ctorArgs = new Object[m.constructorParams.size()];
            Type[] types = m.constructor.getGenericParameterTypes();
            for (int i = 0; i < ctorArgs.length; i++) {
                String name = m.constructorParams.get(i);
                Object v = args.get(name);
                Class<?> erased = m.constructor.getParameterTypes()[i];
                if (v == null) {
                    ctorArgs[i] = defaultValue(erased, name);
                } else {
                    ctorArgs[i] = coerce(type.getName() + "." + name, types[i], v);
                }
            }
            T o = type.cast(m.constructor.newInstance(ctorArgs));
            for (Map.Entry<String, Setter> e : m.setters.entrySet()) {
                if (args.containsKey(e.getKey())) {
                    Setter s = e.getValue();
                    Object v = args.get(e.getKey());
                    s.set(o, v == null ? null : coerce(s.context(type), s.type(), v));
                }
            }
            return o;
        } catch (Exception x) {
            for (Object v : arguments.values()) {
                if (v instanceof Secret) {
                    throw new IllegalArgumentException("Could not instantiate arguments for " + type.getName()
                            + ". Secrets are involved, so details are available on more verbose logging levels.", x);
                }
            }
            throw new IllegalArgumentException("Could not instantiate " + arguments + " for " + type.getName() + ": " + x, x);
        }
    }

    private static Object defaultValue(Class<?> t, String name) {
        if (!t.isPrimitive()) {
            return null;
        }
        if (t == boolean.class) {
            return false;
        }
        if (t == char.class) {
            throw new UnsupportedOperationException("not yet handling @DataBoundConstructor default value of char; pass an explicit value for " + name);
        }
        if (t == long.class) {
            return 0L;
        }
        if (t == float.class) {
            return 0.0f;
        }
        if (t == double.class) {
            return 0.0d;
        }
        if (t == short.class) {
            return (short) 0;
        }
        if (t == byte.class) {
            return (byte) 0;
        }
        return 0;
    }

    /** {@code DescribableModel.coerce} ("Type coercion"), rows 0-14 in order. */
    Object coerce(String context, Type type, Object o) throws Exception {
        Class<?> erased = erasure(type);
        if (type instanceof Class && o instanceof Number) {          // row 0: Groovy's CachedClass coercion
            Number n = (Number) o;
            Class<?> b = box(erased);
            if (b == Integer.class) {
                o = n.intValue();
            } else if (b == Long.class) {
                o = n.longValue();
            } else if (b == Double.class) {
                o = n.doubleValue();
            } else if (b == Float.class) {
                o = n.floatValue();
            } else if (b == Short.class) {
                o = n.shortValue();
            } else if (b == Byte.class) {
                o = n.byteValue();
            } else if (b == BigInteger.class && !(o instanceof BigInteger)) {
                o = new BigInteger(n.toString());
            }
        }
        if (o instanceof List && Collection.class.isAssignableFrom(erased)) {   // row 2
            Type elem = Object.class;
            if (type instanceof ParameterizedType) {
                elem = ((ParameterizedType) type).getActualTypeArguments()[0];
            }
            List<Object> out = new ArrayList<>();
            for (Object e : (List<?>) o) {
                out.add(e == null ? null : coerce(context, elem, e));
            }
            return out;   // a Set/LinkedList parameter then fails with "argument type mismatch", as in Jenkins
        }
        if (box(erased).isInstance(o)) {                                        // row 3
            return o;
        }
        if (o == null) {                                                        // row 4
            return null;
        }
        if (o instanceof JenkinsfileParser.SymbolCall) {                        // row 5: sym(...) in a script
            JenkinsfileParser.SymbolCall call = (JenkinsfileParser.SymbolCall) o;
            return instantiate(resolveSymbol(erased, call.name()), symbolArgs(call));
        }
        if (o instanceof Map) {                                                 // row 6
            Map<String, Object> m = new LinkedHashMap<>();
            ((Map<?, ?>) o).forEach((k, v) -> m.put(String.valueOf(k), v));
            Object clazz = m.remove("$class");
            Class<?> impl;
            if (clazz != null) {
                impl = resolveClass(erased, clazz.toString());
            } else if (!Modifier.isAbstract(erased.getModifiers()) && !erased.isInterface()) {
                impl = erased;
            } else {
                throw new UnsupportedOperationException("must specify $class with an implementation of " + erased);
            }
            return instantiate(impl, m);
        }
        if (o instanceof String) {
            String s = (String) o;
            if (erased.isEnum()) {                                              // row 7
                return enumValue(erased, s);
            }
            if (erased == URL.class) {                                          // row 8
                return new URL(s);
            }
            if (erased == Result.class) {                                       // row 9
                return Result.fromString(s);
            }
            if ((erased == char.class || erased == Character.class) && s.length() == 1) {   // row 10
                return s.charAt(0);
            }
            Class<?> b = box(erased);                                           // row 11
            try {
                if (b == Integer.class) {
                    return Integer.valueOf(s);
                } else if (b == Float.class) {
                    return Float.valueOf(s);
                } else if (b == Double.class) {
                    return Double.valueOf(s);
                } else if (b == Long.class) {
                    return Long.valueOf(s);
                } else if (b == Byte.class) {
                    return Byte.valueOf(s);
                } else if (b == Short.class) {
                    return Short.valueOf(s);
                }
            } catch (NumberFormatException x) {
                throw new ClassCastException(context + " expects " + b + " but was unable to coerce the received value \"" + s + "\" to that type");
            }
            if (b == Boolean.class) {                                           // row 12
                return Boolean.valueOf(s);
            }
        }
        if (o instanceof List && erased.isArray()) {                            // row 13
            Class<?> component = erased.getComponentType();
            if (component.isPrimitive()) {
                throw new ClassCastException(context + " expects " + type + " but received " + o.getClass());
            }
            Type compType = type instanceof GenericArrayType ? ((GenericArrayType) type).getGenericComponentType() : component;
            List<?> l = (List<?>) o;
            Object arr = Array.newInstance(component, l.size());
            for (int i = 0; i < l.size(); i++) {
                Array.set(arr, i, l.get(i) == null ? null : coerce(context, compType, l.get(i)));
            }
            return arr;
        }
        throw new ClassCastException(context + " expects " + type + " but received " + o.getClass());   // row 14
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String s) {
        return Enum.valueOf((Class) type, s);
    }

    private Class<?> resolveClass(Class<?> base, String name) throws ClassNotFoundException {
        if (name.contains(".")) {
            return Class.forName(name, true, base.getClassLoader() == null ? getClass().getClassLoader() : base.getClassLoader());
        }
        List<Class<?>> matches = new ArrayList<>();
        for (Class<?> c : knownImplementations) {
            if (base.isAssignableFrom(c) && c.getSimpleName().equals(name)) {
                matches.add(c);
            }
        }
        if (matches.isEmpty()) {
            throw new UnsupportedOperationException("no known implementation of " + base + " is named " + name);
        }
        if (matches.size() > 1) {
            throw new UnsupportedOperationException(name + " as a " + base + " could mean either " + matches.get(0).getName() + " or " + matches.get(1).getName());
        }
        return matches.get(0);
    }

    /** {@code sym('x')} gives the anonymous key, {@code sym(a: 1)} named arguments ("Instantiating a step" point 2). */
    private static Map<String, Object> symbolArgs(JenkinsfileParser.SymbolCall call) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> args = call.args();
        if (args.size() == 1 && args.get(0) instanceof Map) {
            ((Map<?, ?>) args.get(0)).forEach((k, v) -> m.put(String.valueOf(k), v));
        } else if (args.size() == 1) {
            m.put(ANONYMOUS_KEY, args.get(0));
        } else if (!args.isEmpty()) {
            throw new IllegalArgumentException("Expected named arguments but got " + args);
        }
        return m;
    }

    /**
     * structs' SymbolLookup: only classes listed in {@code META-INF/services/annotations/org.jenkinsci.Symbol} on
     * the class path (our processor writes it for the plugin's classes) are candidates; each is a Descriptor whose
     * {@code clazz} must be assignable to the declared type and whose @Symbol names the symbol.
     */
    private Class<?> resolveSymbol(Class<?> base, String symbol) throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        java.util.Enumeration<URL> indexes = cl.getResources("META-INF/services/annotations/org.jenkinsci.Symbol");
        while (indexes.hasMoreElements()) {
            URL u = indexes.nextElement();
            String text;
            try (java.io.InputStream in = u.openStream()) {
                text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            for (String line : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                Class<?> c = Class.forName(line.trim(), false, cl);
                org.jenkinsci.Symbol sym = c.getAnnotation(org.jenkinsci.Symbol.class);
                if (sym == null || !List.of(sym.value()).contains(symbol) || !hudson.model.Descriptor.class.isAssignableFrom(c)) {
                    continue;
                }
                Constructor<?> k = c.getDeclaredConstructor();
                k.setAccessible(true);
                Class<?> described = ((hudson.model.Descriptor<?>) k.newInstance()).clazz;
                if (base.isAssignableFrom(described)) {
                    return described;
                }
            }
        }
        throw new UnsupportedOperationException("no known implementation of " + base + " is using symbol \u2018" + symbol + "\u2019");
    }

    static Class<?> erasure(Type t) {
        if (t instanceof Class) {
            return (Class<?>) t;
        }
        if (t instanceof ParameterizedType) {
            return erasure(((ParameterizedType) t).getRawType());
        }
        if (t instanceof GenericArrayType) {
            return Array.newInstance(erasure(((GenericArrayType) t).getGenericComponentType()), 0).getClass();
        }
        return Object.class;
    }

    static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        if (c == int.class) {
            return Integer.class;
        }
        if (c == long.class) {
            return Long.class;
        }
        if (c == double.class) {
            return Double.class;
        }
        if (c == float.class) {
            return Float.class;
        }
        if (c == boolean.class) {
            return Boolean.class;
        }
        if (c == short.class) {
            return Short.class;
        }
        if (c == byte.class) {
            return Byte.class;
        }
        if (c == char.class) {
            return Character.class;
        }
        return Void.class;
    }

    // ------------------------------------------------------------------------------------------------ the model

    /** The parameters of a describable class: constructor ones in order, then setters alphabetically ("Parameters and their order"). */
    public static final class Model {
        final Class<?> type;
        final Constructor<?> constructor;
        final List<String> constructorParams = new ArrayList<>();
        final Map<String, Setter> setters = new TreeMap<>();
        /** All parameter names in model order; value true = required (a constructor parameter). */
        final Map<String, Boolean> parameters = new LinkedHashMap<>();

        private Model(Class<?> type) {
            this.type = type;
            Constructor<?> found = null;
            for (Constructor<?> c : type.getConstructors()) {
                if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                    found = c;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("There's no @DataBoundConstructor on any constructor of " + type);
            }
            this.constructor = found;
            for (Parameter p : found.getParameters()) {
                if (!p.isNamePresent()) {
                    throw new IllegalStateException(found + " has @DataBoundConstructor but its parameter names are not in the class file; compile with -parameters");
                }
                constructorParams.add(p.getName());
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.isAnnotationPresent(DataBoundSetter.class)) {
                        setters.putIfAbsent(f.getName(), new Setter(f));
                    }
                }
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(DataBoundSetter.class)) {
                        if (!m.getName().startsWith("set") || m.getParameterCount() != 1) {
                            throw new IllegalStateException(m + " cannot be a @DataBoundSetter");
                        }
                        setters.putIfAbsent(Introspector.decapitalize(m.getName().substring(3)), new Setter(m));
                    }
                }
            }
            for (String p : constructorParams) {
                parameters.put(p, !setters.containsKey(p));
            }
            for (String s : setters.keySet()) {
                parameters.put(s, false);
            }
        }

        public static Model of(Class<?> type) {
            return new Model(type);
        }

        /** The sole constructor parameter, or null unless the constructor has exactly one ("Parameters and their order"). */
        public String soleRequiredParameter() {
            return constructorParams.size() == 1 ? constructorParams.get(0) : null;
        }

        /** Parameter names in model order: constructor parameters first, then setters alphabetically. */
        public List<String> parameterNames() {
            return new ArrayList<>(parameters.keySet());
        }

        public boolean isRequired(String name) {
            return Boolean.TRUE.equals(parameters.get(name));
        }
    }

    static final class Setter {
        private final AccessibleObject target;

        Setter(AccessibleObject target) {
            this.target = target;
            target.setAccessible(true);
        }

        Type type() {
            return target instanceof Field ? ((Field) target).getGenericType() : ((Method) target).getGenericParameterTypes()[0];
        }

        String context(Class<?> owner) {
            return target instanceof Field
                    ? "class " + owner.getName() + "." + ((Field) target).getName()
                    : "class " + owner.getName() + "." + ((Method) target).getName() + "()";
        }

        void set(Object o, Object v) throws IllegalAccessException, InvocationTargetException {
            if (target instanceof Field) {
                ((Field) target).set(o, v);
            } else {
                ((Method) target).invoke(o, v);
            }
        }
    }
}
