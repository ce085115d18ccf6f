package io.jenkins.plugins.ecsdeploy.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Descriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.SAXParserFactory;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * What rendering the Jelly views in a real Jenkins would reveal, checked without Jenkins (no Jenkins can run in
 * this build, docs/jenkins-stand-in.md "Views"): well-formed XML with the escape-by-default header, every
 * {@code it.}/{@code descriptor.}/{@code forEach}-variable expression resolving against our classes, and every
 * form {@code field} bindable (getter + {@code @DataBoundSetter} or {@code @DataBoundConstructor} parameter).
 */
class JellyViewsStaticCheckTest {
    static final String HEADER = "<?jelly escape-by-default='true'?>";
    static final String OURS = "io.jenkins.plugins.ecsdeploy.";
    static final String FORM_NS = "/lib/form";
    static final String CORE_NS = "jelly:core";

    @Test
    void theMainViewsAreWellFormedAndEveryExpressionAndFieldResolves() throws IOException {
        Result r = check(Path.of("src/main/resources"));
        assertEquals(List.of(), r.problems(), () -> "Jelly view problems:\n" + String.join("\n", r.problems()));
        // Not vacuous: the views' members and fields really were resolved (a checker that skipped them would pass).
        String pkg = "io/jenkins/plugins/ecsdeploy/plugin/";
        for (String probe : List.of(
                pkg + "EcsApprovalAction/index.jelly: EcsDecisionAction.rollbackNow",
                pkg + "EcsApprovalAction/index.jelly: GateRecord.decideByText",
                pkg + "EcsProgressAction/index.jelly: EcsProgressAction$DeploymentRecord.state",
                pkg + "EcsProgressAction/summary.jelly: EcsProgressAction.urlName",
                pkg + "EcsDeployBuilder/config.jelly: EcsDeployBuilder$DescriptorImpl.strategyDescriptors",
                pkg + "EcsDeployBuilder/config.jelly: field EcsDeployBuilder.deployment",
                pkg + "DeployStepBase/config-common.jelly: field EcsCanaryStep.approvalStage",
                pkg + "DeployStepBase/config-common.jelly: EcsRollingStep$DescriptorImpl.doFillApprovalStageItems",
                pkg + "EcsGlobalConfiguration/config.jelly: field EcsGlobalConfiguration.pollFloorSeconds",
                pkg + "DeployStepBase/config-common.jelly: EcsLinearStep$DescriptorImpl.doFillCredentialsIdItems",
                pkg + "EcsApprovalAction/index.jelly: EcsApprovalAction.canDecide")) {
            // "<view>: <member>" at whatever line the view holds it (views are edited; line numbers move)
            String view = probe.substring(0, probe.indexOf(".jelly: ") + ".jelly".length());
            String member = probe.substring(probe.indexOf(".jelly: ") + ".jelly: ".length());
            assertTrue(r.checked().stream().anyMatch(c -> c.startsWith(view + ":") && c.endsWith(": " + member)),
                    () -> probe + " not checked; checked:\n" + String.join("\n", r.checked()));
        }
    }

    @Test
    void theCheckerFindsEveryDeliberateMistakeInTheFixtures() throws IOException, URISyntaxException {
        Path root = Path.of(Objects.requireNonNull(getClass().getResource("/jellycheck")).toURI());
        List<String> problems = check(root).problems();
        String all = String.join("\n", problems);
        String pkg = "io/jenkins/plugins/ecsdeploy/plugin/";
        // Each expected problem: file:line and a telling part of the message.
        List<String> expected = List.of(
                pkg + "EcsProgressAction/index.jelly:4: ${it.deploymentz}",
                pkg + "EcsProgressAction/index.jelly:6: ${d.lable}",
                pkg + "EcsProgressAction/index.jelly:8: ${it.noSuchMethod(d.id)}",
                pkg + "EcsProgressAction/index.jelly:8: ${empty(d.nope)}",
                pkg + "EcsProgressAction/index.jelly:10: ${it.run.whatever} ${it.deployments.size()} ok",
                pkg + "EcsWaitStep/config.jelly:1: missing header",
                pkg + "EcsWaitStep/config.jelly:3: ${descriptor.noSuchThing}",
                pkg + "EcsWaitStep/config.jelly:4: field \"nope\": io.jenkins.plugins.ecsdeploy.plugin.EcsWaitStep has no public getter",
                pkg + "EcsWaitStep/config.jelly:4: field \"nope\": io.jenkins.plugins.ecsdeploy.plugin.EcsWaitStep has neither",
                pkg + "EcsWaitStep/config.jelly:5: field \"untl\": io.jenkins.plugins.ecsdeploy.plugin.EcsWaitStep has no public getter",
                pkg + "EcsWaitStep/config.jelly:5: field \"untl\": io.jenkins.plugins.ecsdeploy.plugin.EcsWaitStep has neither",
                pkg + "EcsWaitStep/config.jelly:5: doFillUntlItems",
                pkg + "EcsWaitStep/config.jelly:6: field \"class\": io.jenkins.plugins.ecsdeploy.plugin.EcsWaitStep has neither",
                pkg + "EcsRollbackStep/config.jelly:3: not well-formed");
        for (String e : expected) {
            String[] parts = e.split(": ", 2);
            if (parts[1].endsWith(" ok")) {
                // A chain that leaves our packages (Run, List) must not be reported.
                for (String expr : parts[1].substring(0, parts[1].length() - 3).split(" ")) {
                    assertTrue(problems.stream().noneMatch(p -> p.contains(expr)), () -> expr + " reported:\n" + all);
                }
                continue;
            }
            assertTrue(problems.stream().anyMatch(p -> p.startsWith(parts[0] + ":") && p.contains(parts[1])),
                    () -> "expected a problem " + e + " in:\n" + all);
        }
        // The correct expressions in the same fixtures are not reported.
        for (String fine : List.of("${d.label}", "${it.urlName}", "${descriptor.functionName}", "field \"until\"",
                "field \"deployment\"")) {
            assertTrue(problems.stream().noneMatch(p -> p.contains(fine)), () -> fine + " reported:\n" + all);
        }
        assertEquals(13, problems.size(), () -> "exactly the planted problems, got:\n" + all);
    }

    // ---------------------------------------------------------------------------------------------- the checker

    /**
     * problems: all problems of all .jelly files under root, as "relative/path.jelly:line: message";
     * checked: each member or field resolved successfully, as "relative/path.jelly:line: Class.member".
     */
    record Result(List<String> problems, Set<String> checked) {}

    static Result check(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".jelly")).sorted().toList();
        }
        // Concrete classes with views: an abstract class's shared page (DeployStepBase/config-common.jelly) is
        // rendered with the "it"/"descriptor" of each concrete subclass that has views of its own.
        Set<Class<?>> viewClasses = new LinkedHashSet<>();
        for (Path f : files) {
            Class<?> c = classOf(root, f);
            if (c != null) {
                viewClasses.add(c);
            }
        }
        List<String> problems = new ArrayList<>();
        Set<String> checked = new LinkedHashSet<>();
        for (Path f : files) {
            String rel = root.relativize(f).toString().replace('\\', '/');
            new FileCheck(rel, Files.readString(f, StandardCharsets.UTF_8), classOf(root, f), viewClasses, problems,
                    checked).run();
        }
        // A shared page's expression is checked once per subclass: report it once.
        return new Result(new ArrayList<>(new LinkedHashSet<>(problems)), checked);
    }

    /** The view's folder names the class: a/b/C/index.jelly → a.b.C (nested classes as a/b/C$D/). */
    static Class<?> classOf(Path root, Path file) {
        Path folder = root.relativize(file).getParent();
        if (folder == null) {
            return null;
        }
        String name = folder.toString().replace('\\', '/').replace('/', '.');
        try {
            return Class.forName(name, false, JellyViewsStaticCheckTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    static final class FileCheck extends DefaultHandler {
        static final Pattern EXPR = Pattern.compile("\\$\\{([^}]*)}");
        final String rel;
        final String text;
        final String[] lines;
        final Class<?> viewClass;
        final Set<Class<?>> viewClasses;
        final List<String> problems;
        final Set<String> checked;
        Locator locator;
        /** One variable scope per open element; a null type means "bound, but not checkable". */
        final Deque<Map<String, Type>> scopes = new ArrayDeque<>();
        /** The field of the nearest enclosing element with a field attribute (f:entry), per open element. */
        final Deque<String> fields = new ArrayDeque<>();
        final StringBuilder pendingText = new StringBuilder();
        List<Target> targets;

        /** One way the page is rendered: "it" is an instance of type, "descriptor" one of descriptor. */
        record Target(Class<?> type, Class<?> descriptor) {}

        FileCheck(String rel, String text, Class<?> viewClass, Set<Class<?>> viewClasses, List<String> problems,
                Set<String> checked) {
            this.checked = checked;
            this.rel = rel;
            this.text = text;
            this.lines = text.split("\n", -1);
            this.viewClass = viewClass;
            this.viewClasses = viewClasses;
            this.problems = problems;
        }

        void ok(int line, Class<?> c, String member) {
            checked.add(rel + ":" + line + ": " + c.getName().substring(c.getPackageName().length() + 1) + "." + member);
        }

        void problem(int line, String message) {
            problems.add(rel + ":" + line + ": " + message);
        }

        void run() {
            if (!text.startsWith(HEADER)) {
                problem(1, "missing header " + HEADER + " (without it nothing is escaped)");
            }
            try {
                DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
                dbf.setNamespaceAware(true);
                dbf.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            } catch (SAXParseException e) {
                problem(e.getLineNumber(), "not well-formed XML: " + e.getMessage());
                return;
            } catch (Exception e) {
                problem(1, "cannot parse: " + e);
                return;
            }
            targets = targets();
            Map<String, Type> top = new HashMap<>();
            if (!targets.isEmpty()) {
                top.put("it", targets.get(0).type()); // resolved per target in chain()
                top.put("descriptor", Descriptor.class);
            }
            scopes.push(top);
            fields.push("");
            try {
                SAXParserFactory f = SAXParserFactory.newInstance();
                f.setNamespaceAware(true);
                f.newSAXParser().parse(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), this);
            } catch (Exception e) {
                problem(1, "cannot parse: " + e);
            }
        }

        List<Target> targets() {
            List<Target> t = new ArrayList<>();
            if (viewClass == null) {
                return t;
            }
            List<Class<?>> types = new ArrayList<>();
            if (Modifier.isAbstract(viewClass.getModifiers())) {
                for (Class<?> c : viewClasses) {
                    if (viewClass.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                        types.add(c);
                    }
                }
            }
            if (types.isEmpty()) {
                types.add(viewClass);
            }
            for (Class<?> c : types) {
                t.add(new Target(c, descriptorOf(c)));
            }
            return t;
        }

        static Class<?> descriptorOf(Class<?> c) {
            if (Descriptor.class.isAssignableFrom(c)) {
                return c; // a GlobalConfiguration is its own descriptor
            }
            for (Class<?> n : c.getDeclaredClasses()) {
                if (Descriptor.class.isAssignableFrom(n) && n.getSimpleName().equals("DescriptorImpl")) {
                    return n;
                }
            }
            return null;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            pendingText.append(ch, start, length);
        }

        void flushText() {
            if (pendingText.length() > 0) {
                expressions(pendingText.toString(), scopes.peek());
                pendingText.setLength(0);
            }
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) {
            flushText();
            Map<String, Type> parent = scopes.peek();
            Map<String, Type> scope = new HashMap<>(parent);
            for (int i = 0; i < atts.getLength(); i++) {
                expressions(atts.getValue(i), parent);
            }
            if (CORE_NS.equals(uri) && atts.getValue("var") != null) {
                String var = atts.getValue("var");
                if (localName.equals("forEach")) {
                    scope.put(var, elementType(single(atts.getValue("items"), parent)));
                } else if (localName.equals("set")) {
                    // j:set binds in the current context: visible to the following siblings too.
                    parent.put(var, single(atts.getValue("value"), parent));
                    scope.put(var, parent.get(var));
                }
            }
            String field = atts.getValue("field");
            if (field != null) {
                checkField(field);
            }
            String effective = field != null ? field : fields.peek();
            if ((FORM_NS.equals(uri) || "/lib/credentials".equals(uri)) && localName.equals("select") && !effective.isEmpty()) {
                String fill = "doFill" + Character.toUpperCase(effective.charAt(0)) + effective.substring(1) + "Items";
                for (Target t : targets) {
                    if (t.descriptor() != null && Arrays.stream(t.descriptor().getMethods())
                            .anyMatch(m -> m.getName().equals(fill))) {
                        ok(line(null), t.descriptor(), fill);
                    } else {
                        problem(line(null), "<f:select> for field \"" + effective + "\" needs public " + fill
                                + " on " + (t.descriptor() == null ? "a descriptor of " + t.type().getName()
                                        : t.descriptor().getName()));
                    }
                }
            }
            scopes.push(scope);
            fields.push(effective);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            flushText();
            scopes.pop();
            fields.pop();
        }

        /** The line of the expression: the locator reports where the tag/text ends, so search back from there. */
        int line(String needle) {
            int end = locator == null ? 1 : locator.getLineNumber();
            if (needle != null) {
                for (int l = Math.min(end, lines.length); l >= 1; l--) {
                    if (lines[l - 1].contains(needle)) {
                        return l;
                    }
                }
            }
            return end;
        }

        void checkField(String field) {
            String where = "field \"" + field + "\"";
            for (Target t : targets) {
                Class<?> c = t.type();
                if (property(c, field) == null) {
                    problem(line("field=\"" + field + "\""), where + ": " + c.getName()
                            + " has no public getter (get/is) or field, which the form reads to show the value");
                }
                if (property(c, field) != null && (boundBySetter(c, field) || boundByConstructor(c, field))) {
                    checked.add(rel + ":" + line("field=\"" + field + "\"") + ": field " + c.getSimpleName() + "." + field);
                }
                if (!boundBySetter(c, field) && !boundByConstructor(c, field)) {
                    problem(line("field=\"" + field + "\""), where + ": " + c.getName() + " has neither a @DataBoundSetter "
                            + "set" + cap(field) + " nor a @DataBoundConstructor parameter \"" + field
                            + "\", so the submitted value is dropped");
                }
            }
            if (targets.isEmpty()) {
                problem(line("field=\"" + field + "\""), where + ": the view's folder names no class");
            }
        }

        static boolean boundBySetter(Class<?> c, String field) {
            return Arrays.stream(c.getMethods()).anyMatch(m -> m.getName().equals("set" + cap(field))
                    && m.getParameterCount() == 1 && m.isAnnotationPresent(DataBoundSetter.class));
        }

        static boolean boundByConstructor(Class<?> c, String field) {
            for (Constructor<?> k : c.getConstructors()) {
                if (k.isAnnotationPresent(DataBoundConstructor.class)) {
                    for (Parameter p : k.getParameters()) {
                        if (p.getName().equals(field)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /** The type of an attribute that is exactly one chain "${a.b.c}" (else null: unknown). */
        Type single(String value, Map<String, Type> scope) {
            if (value == null) {
                return null;
            }
            Matcher m = Pattern.compile("\\$\\{\\s*([A-Za-z_$][\\w$]*(?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)*)\\s*}")
                    .matcher(value.trim());
            if (!m.matches()) {
                return null;
            }
            List<String> t = tokens(m.group(1));
            Type type = null;
            for (Target target : targets.isEmpty() ? List.of(new Target(null, null)) : targets) {
                Type r = chain(t, 0, scope, target, false).type;
                if (type == null) {
                    type = r;
                }
            }
            return type;
        }

        static Type elementType(Type t) {
            if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw
                    && Iterable.class.isAssignableFrom(raw) && p.getActualTypeArguments().length == 1) {
                return p.getActualTypeArguments()[0] instanceof Class<?> e ? e : null;
            }
            if (t instanceof Class<?> c && c.isArray()) {
                return c.getComponentType();
            }
            if (t instanceof GenericArrayType) {
                return null;
            }
            return null;
        }

        void expressions(String s, Map<String, Type> scope) {
            Matcher m = EXPR.matcher(s);
            while (m.find()) {
                List<String> t = tokens(m.group(1));
                for (Target target : targets.isEmpty() ? List.of(new Target(null, null)) : targets) {
                    scan(t, 0, t.size(), scope, target, m.group());
                }
            }
        }

        /** Checks every chain in tokens [from, to) that starts at a bound variable. */
        void scan(List<String> t, int from, int to, Map<String, Type> scope, Target target, String expr) {
            int i = from;
            while (i < to) {
                String tok = t.get(i);
                boolean startsChain = isIdent(tok) && (i == 0 || !t.get(i - 1).equals("."))
                        && scope.containsKey(tok);
                if (tok.equals("it") && targets.isEmpty() && (i == 0 || !t.get(i - 1).equals("."))) {
                    problem(line(expr), expr + ": the view's folder names no class to resolve \"it\" against");
                }
                if (startsChain) {
                    Resolved r = chain(t.subList(0, to), i, scope, target, true, expr);
                    i = r.next;
                } else {
                    i++;
                }
            }
        }

        record Resolved(Type type, int next) {}

        Resolved chain(List<String> t, int i, Map<String, Type> scope, Target target, boolean report) {
            return chain(t, i, scope, target, report, null);
        }

        /** Resolves root.a.b(…).c JEXL-style; checks members only while the type is one of our classes. */
        Resolved chain(List<String> t, int i, Map<String, Type> scope, Target target, boolean report, String expr) {
            String root = t.get(i);
            Type type = switch (root) {
                case "it" -> target.type();
                case "descriptor" -> target.descriptor();
                default -> scope.get(root);
            };
            if (report && root.equals("descriptor") && target.type() != null && target.descriptor() == null) {
                problem(line(expr), expr + ": " + target.type().getName() + " has no descriptor (nested DescriptorImpl)");
            }
            String path = root;
            int j = i + 1;
            while (j + 1 < t.size() && t.get(j).equals(".") && isIdent(t.get(j + 1))) {
                String name = t.get(j + 1);
                boolean call = j + 2 < t.size() && t.get(j + 2).equals("(");
                int close = call ? matching(t, j + 2) : -1;
                Class<?> raw = raw(type);
                boolean checkable = raw != null && raw.getName().startsWith(OURS);
                path = path + "." + name + (call ? "()" : "");
                if (call) {
                    scan(t, j + 3, close, scope, target, expr); // the arguments
                    Type next = null;
                    if (checkable) {
                        List<Method> ms = Arrays.stream(raw.getMethods()).filter(m -> m.getName().equals(name)).toList();
                        if (ms.isEmpty() && report) {
                            problem(line(expr), expr + ": " + raw.getName() + " has no public method " + name
                                    + "(…) (in " + path + ")");
                        }
                        if (!ms.isEmpty() && report) {
                            ok(line(expr), raw, name);
                        }
                        if (ms.size() == 1) {
                            next = ms.get(0).getGenericReturnType();
                        }
                    }
                    type = next;
                    j = close + 1;
                } else {
                    Type next = null;
                    if (checkable) {
                        next = property(raw, name);
                        if (next != null && report) {
                            ok(line(expr), raw, name);
                        }
                        if (next == null && report) {
                            problem(line(expr), expr + ": " + raw.getName() + " has no public getter get" + cap(name)
                                    + "()/is" + cap(name) + "() or field " + name + " (in " + path + ")");
                        }
                    }
                    type = next;
                    j += 2;
                }
            }
            return new Resolved(type, j);
        }

        static int matching(List<String> t, int open) {
            int depth = 0;
            for (int k = open; k < t.size(); k++) {
                if (t.get(k).equals("(")) {
                    depth++;
                } else if (t.get(k).equals(")") && --depth == 0) {
                    return k;
                }
            }
            return t.size();
        }

        static Class<?> raw(Type t) {
            if (t instanceof Class<?> c) {
                return c;
            }
            if (t instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
                return c;
            }
            return null;
        }

        /** JEXL's property lookup on a bean: getX(), isX() for booleans, then a public field x. */
        static Type property(Class<?> c, String name) {
            for (Method m : c.getMethods()) {
                if (m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())) {
                    if (m.getName().equals("get" + cap(name))) {
                        return m.getGenericReturnType();
                    }
                    if (m.getName().equals("is" + cap(name))
                            && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class)) {
                        return m.getGenericReturnType();
                    }
                }
            }
            for (Field f : c.getFields()) {
                if (f.getName().equals(name)) {
                    return f.getGenericType();
                }
            }
            return null;
        }

        static String cap(String s) {
            return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }

        static boolean isIdent(String s) {
            return !s.isEmpty() && (Character.isJavaIdentifierStart(s.charAt(0)));
        }

        /** Identifiers, ".", "(", ")", "," and other single symbols; string and number literals become "#". */
        static List<String> tokens(String e) {
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < e.length()) {
                char c = e.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '\'' || c == '"') {
                    int k = i + 1;
                    while (k < e.length() && e.charAt(k) != c) {
                        k += e.charAt(k) == '\\' ? 2 : 1;
                    }
                    out.add("#");
                    i = k + 1;
                } else if (Character.isJavaIdentifierStart(c)) {
                    int k = i;
                    while (k < e.length() && Character.isJavaIdentifierPart(e.charAt(k))) {
                        k++;
                    }
                    out.add(e.substring(i, k));
                    i = k;
                } else if (Character.isDigit(c)) {
                    int k = i;
                    while (k < e.length() && (Character.isLetterOrDigit(e.charAt(k)) || e.charAt(k) == '.')) {
                        k++;
                    }
                    out.add("#");
                    i = k;
                } else {
                    out.add(String.valueOf(c));
                    i++;
                }
            }
            return out;
        }
    }
}
