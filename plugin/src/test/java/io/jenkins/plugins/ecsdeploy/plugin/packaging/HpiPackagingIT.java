package io.jenkins.plugins.ecsdeploy.plugin.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import hudson.Extension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import net.java.sezpoz.impl.SerAnnotatedElement;
import net.java.sezpoz.impl.SerEnumConst;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;

/**
 * Opens the built {@code target/amazon-ecs-deployments.hpi} and checks it against what maven-hpi-plugin would
 * produce and what Jenkins reads (docs/jenkins-behaviour.md "Plugin archive and manifest", "Extension and symbol indexes"; decision D5). Runs in the integration-test phase
 * (failsafe), i.e. after {@code package} built the archive.
 */
class HpiPackagingIT {
    private static final String SHORT_NAME = "amazon-ecs-deployments";
    private static final String INNER_JAR = "WEB-INF/lib/" + SHORT_NAME + ".jar";
    /** Which plugin owns which packages we might reference (for the Plugin-Dependencies cross-check). */
    private static final Map<String, List<String>> PLUGIN_PACKAGES = new LinkedHashMap<>();

    static {
        PLUGIN_PACKAGES.put("workflow-step-api", List.of("org/jenkinsci/plugins/workflow/steps/"));
        PLUGIN_PACKAGES.put("workflow-api", List.of("org/jenkinsci/plugins/workflow/graph/", "org/jenkinsci/plugins/workflow/flow/",
                "org/jenkinsci/plugins/workflow/actions/", "org/jenkinsci/plugins/workflow/log/", "org/jenkinsci/plugins/workflow/graphanalysis/"));
        PLUGIN_PACKAGES.put("structs", List.of("org/jenkinsci/plugins/structs/"));
        PLUGIN_PACKAGES.put("credentials", List.of("com/cloudbees/plugins/credentials/"));
        PLUGIN_PACKAGES.put("aws-credentials", List.of("com/cloudbees/jenkins/plugins/awscredentials/"));
        // workflow-support's own packages (pipeline-input-step lives under .../support/steps/input/, a separate plugin)
        PLUGIN_PACKAGES.put("workflow-support", List.of("org/jenkinsci/plugins/workflow/support/actions/",
                "org/jenkinsci/plugins/workflow/support/pickles/", "org/jenkinsci/plugins/workflow/support/storage/",
                "org/jenkinsci/plugins/workflow/support/visualization/", "org/jenkinsci/plugins/workflow/support/concurrent/",
                "org/jenkinsci/plugins/workflow/support/steps/ExecutorStep", "org/jenkinsci/plugins/workflow/support/DefaultStepContext"));
        PLUGIN_PACKAGES.put("pipeline-input-step", List.of("org/jenkinsci/plugins/workflow/support/steps/input/"));
        PLUGIN_PACKAGES.put("workflow-cps", List.of("org/jenkinsci/plugins/workflow/cps/"));
        PLUGIN_PACKAGES.put("plain-credentials", List.of("org/jenkinsci/plugins/plaincredentials/"));
    }

    private static Path hpi;
    private static Manifest hpiManifest;
    private static Map<String, byte[]> inner;           // entries of the inner jar
    private static Manifest innerManifest;
    private static List<String> hpiEntries;
    private static Path work;

    @BeforeAll
    static void open() throws IOException {
        hpi = Paths.get(System.getProperty("hpi.file", "target/" + SHORT_NAME + ".hpi"));
        assertTrue(Files.isRegularFile(hpi), "the build must produce " + hpi);
        work = Files.createTempDirectory("hpi-it");
        try (ZipFile z = new ZipFile(hpi.toFile())) {
            hpiEntries = z.stream().map(ZipEntry::getName).collect(Collectors.toList());
            ZipEntry mf = z.getEntry("META-INF/MANIFEST.MF");
            assertNotNull(mf, "META-INF/MANIFEST.MF is missing from the .hpi");
            try (InputStream in = z.getInputStream(mf)) {
                hpiManifest = new Manifest(in);
            }
            ZipEntry jar = z.getEntry(INNER_JAR);
            assertNotNull(jar, INNER_JAR + " is missing from the .hpi");
            inner = new TreeMap<>();
            try (JarInputStream in = new JarInputStream(z.getInputStream(jar))) {
                innerManifest = in.getManifest();
                for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                    inner.put(e.getName(), in.readAllBytes());
                }
            }
            for (String name : hpiEntries) {   // extract the jars for class loading
                if (name.startsWith("WEB-INF/lib/") && name.endsWith(".jar")) {
                    try (InputStream in = z.getInputStream(z.getEntry(name))) {
                        Files.copy(in, work.resolve(name.substring("WEB-INF/lib/".length())));
                    }
                }
            }
        }
    }

    private static String attr(Manifest m, String name) {
        return m.getMainAttributes().getValue(name);
    }

    // ------------------------------------------------------------------------------------------ manifest

    @Test
    void theManifestCarriesWhatJenkinsReadsToLoadThePlugin() {
        assertNotNull(innerManifest, INNER_JAR + " has no META-INF/MANIFEST.MF (as its first entries)");
        for (Manifest m : List.of(hpiManifest, innerManifest)) {
            assertEquals("1.0", m.getMainAttributes().getValue(Attributes.Name.MANIFEST_VERSION));
            assertEquals(SHORT_NAME, attr(m, "Short-Name"));
            assertEquals(SHORT_NAME, attr(m, "Artifact-Id"));
            assertEquals("io.jenkins.plugins", attr(m, "Group-Id"));
            assertFalse(attr(m, "Long-Name") == null || attr(m, "Long-Name").isBlank(), "Long-Name");
            assertTrue(attr(m, "Url") != null && attr(m, "Url").startsWith("https://"), "Url");
            assertEquals(System.getProperty("hpi.expected.version"), attr(m, "Plugin-Version"));
            assertEquals(System.getProperty("hpi.expected.jenkinsVersion", "2.541.3"), attr(m, "Jenkins-Version"));
            assertEquals(attr(m, "Jenkins-Version"), attr(m, "Hudson-Version"));
            assertNull(attr(m, "Plugin-Class"), "no legacy hudson.Plugin subclass");
        }
        Map<Object, Object> outer = new TreeMap<>(Comparator.comparing(Object::toString));
        outer.putAll(hpiManifest.getMainAttributes());
        Map<Object, Object> jar = new TreeMap<>(Comparator.comparing(Object::toString));
        jar.putAll(innerManifest.getMainAttributes());
        outer.remove(new Attributes.Name("Ant-Version"));   // added by the zip step only
        jar.remove(new Attributes.Name("Ant-Version"));
        assertEquals(jar, outer, "the .hpi and its jar share one manifest");
    }

    @Test
    void pluginDependenciesAreRealIdsWithVersionsAndMatchThePom() {
        String deps = attr(hpiManifest, "Plugin-Dependencies");
        assertNotNull(deps, "Plugin-Dependencies");
        String expected = System.getProperty("hpi.expected.pluginDependencies");
        if (expected != null) {
            assertEquals(expected, deps);
        }
        for (String d : deps.split(",")) {
            assertTrue(d.matches("[a-z0-9-]+:[0-9][0-9A-Za-z._-]*(;resolution:=optional)?"), "malformed dependency " + d);
        }
        Set<String> ids = dependencyIds(deps, false);
        assertTrue(ids.contains("workflow-step-api") && ids.contains("credentials") && ids.contains("aws-credentials"), deps);
    }

    @Test
    void everyPluginPackageTheClassesReferenceIsADeclaredDependencyAndViceVersa() {
        Set<String> referenced = new TreeSet<>();
        for (Map.Entry<String, byte[]> e : inner.entrySet()) {
            if (e.getKey().endsWith(".class")) {
                String text = new String(e.getValue(), StandardCharsets.ISO_8859_1);
                PLUGIN_PACKAGES.forEach((id, prefixes) -> {
                    for (String p : prefixes) {
                        if (text.contains(p)) {
                            referenced.add(id);
                        }
                    }
                });
            }
        }
        Set<String> declared = dependencyIds(attr(hpiManifest, "Plugin-Dependencies"), true);
        Set<String> required = dependencyIds(attr(hpiManifest, "Plugin-Dependencies"), false);
        Set<String> undeclared = new TreeSet<>(referenced);
        undeclared.removeAll(declared);
        assertTrue(undeclared.isEmpty(), "classes reference plugins missing from Plugin-Dependencies: " + undeclared);
        Set<String> unused = new TreeSet<>(required);
        unused.removeAll(referenced);
        assertTrue(unused.isEmpty(), "Plugin-Dependencies lists plugins no class references: " + unused);
    }

    private static Set<String> dependencyIds(String deps, boolean includeOptional) {
        Set<String> out = new TreeSet<>();
        for (String d : deps.split(",")) {
            if (includeOptional || !d.endsWith(";resolution:=optional")) {
                out.add(d.substring(0, d.indexOf(':')));
            }
        }
        return out;
    }

    @Test
    void maskClassesHidesTheSdkCopiesOfOtherPlugins() {
        String mask = attr(hpiManifest, "Mask-Classes");
        assertNotNull(mask, "Mask-Classes (decision D5)");
        String expected = System.getProperty("hpi.expected.maskClasses");
        if (expected != null) {
            assertEquals(expected, mask);
        }
        assertTrue(List.of(mask.trim().split("[ \t\r\n]+")).containsAll(List.of("software.amazon.awssdk.", "com.fasterxml.jackson.")), mask);
    }

    @Test
    void supportDynamicLoadingFollowsTheExtensionsAsMavenHpiPluginComputesIt() throws Exception {
        List<SerAnnotatedElement> ext = extensionIndex();
        boolean anyNo = false;
        boolean anyMaybe = false;
        for (SerAnnotatedElement e : ext) {
            Object v = e.values.get("dynamicLoadable");
            String c = v == null ? "MAYBE" : ((SerEnumConst) v).constName;
            anyNo |= c.equals("NO");
            anyMaybe |= c.equals("MAYBE");
        }
        String expected = anyNo ? "false" : anyMaybe ? null : "true";
        assertEquals(expected, attr(hpiManifest, "Support-Dynamic-Loading"),
                "docs/jenkins-behaviour.md 'Plugin archive and manifest': false if any @Extension says NO, absent if any is MAYBE, true only if all are YES");
    }

    // ------------------------------------------------------------------------------------------ layout

    @Test
    void theArchiveHasTheHpiLayout() {
        assertTrue(hpiEntries.contains(INNER_JAR));
        assertTrue(hpiEntries.stream().noneMatch(n -> n.startsWith("WEB-INF/classes/")), "WEB-INF/classes is deprecated");
        assertTrue(hpiEntries.stream().noneMatch(n -> n.endsWith(".class")), "classes belong in jars");
        assertTrue(inner.containsKey("index.jelly"), "index.jelly (HpiMojo refuses a plugin without it)");
    }

    @Test
    void theEngineAndItsSdkAreBundledButNothingJenkinsOrProvided() {
        List<String> jars = hpiEntries.stream().filter(n -> n.startsWith("WEB-INF/lib/")).map(n -> n.substring(12)).collect(Collectors.toList());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("ecs-deploy-engine-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("ecs-2.")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("sdk-core-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("jackson-databind-")), jars.toString());
        for (String forbidden : List.of("jenkins-api", "sezpoz", "guava", "jakarta.servlet-api", "junit", "netty-", "slf4j-api",
                // test-only libraries of the harness (and what Jenkins core supplies itself)
                "groovy", "commons-jexl", "jboss-marshalling", "xstream", "spring-security", "spring-core", "ecs-deploy-simulator")) {
            assertTrue(jars.stream().noneMatch(j -> j.startsWith(forbidden)), forbidden + " must not be bundled: " + jars);
        }
    }

    @Test
    void noStandInClassIsAnywhereInTheArchive() throws Exception {
        Set<String> standIn = standInClassFiles();
        assertTrue(standIn.contains("hudson/Extension.class"), "found the stand-in jar");
        List<String> offenders = new ArrayList<>();
        inner.keySet().stream().filter(standIn::contains).forEach(n -> offenders.add(INNER_JAR + "!" + n));
        for (Path jar : bundledJars()) {
            try (ZipFile z = new ZipFile(jar.toFile())) {
                z.stream().map(ZipEntry::getName)
                        .filter(n -> standIn.contains(n) || n.startsWith("io/jenkins/plugins/ecsdeploy/apistandin/"))
                        .forEach(n -> offenders.add(jar.getFileName() + "!" + n));
            }
        }
        assertTrue(offenders.isEmpty(), "stand-in classes in the .hpi: " + offenders);
    }

    /** The class files of the jenkins-api stand-in, found where the test class path has hudson.Extension. */
    private static Set<String> standInClassFiles() throws Exception {
        URL where = Extension.class.getProtectionDomain().getCodeSource().getLocation();
        Set<String> out = new TreeSet<>();
        Path p = Paths.get(where.toURI());
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(f -> f.toString().endsWith(".class")).forEach(f -> out.add(p.relativize(f).toString().replace('\\', '/')));
            }
        } else {
            try (ZipInputStream z = new ZipInputStream(Files.newInputStream(p))) {
                for (ZipEntry e; (e = z.getNextEntry()) != null;) {
                    if (e.getName().endsWith(".class")) {
                        out.add(e.getName());
                    }
                }
            }
        }
        return out;
    }

    private static List<Path> bundledJars() throws IOException {
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void helpFilesAndViewsFromTheResourcesAreInTheInnerJar() throws IOException {
        Path res = Paths.get("src/main/resources");
        if (!Files.isDirectory(res)) {
            return;
        }
        List<String> missing = new ArrayList<>();
        try (Stream<Path> s = Files.walk(res)) {
            s.filter(Files::isRegularFile).map(f -> res.relativize(f).toString().replace('\\', '/'))
                    .filter(n -> !inner.containsKey(n)).forEach(missing::add);
        }
        assertTrue(missing.isEmpty(), "resources missing from the inner jar: " + missing);
    }

    // ------------------------------------------------------------------------------------------ indexes

    private static List<SerAnnotatedElement> extensionIndex() throws IOException, ClassNotFoundException {
        byte[] idx = inner.get("META-INF/annotations/hudson.Extension");
        assertNotNull(idx, "META-INF/annotations/hudson.Extension (SezPoz): without it no extension is registered");
        List<SerAnnotatedElement> out = new ArrayList<>();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(idx))) {
            for (Object o; (o = in.readObject()) != null;) {
                out.add((SerAnnotatedElement) o);
            }
        }
        return out;
    }

    @Test
    void theExtensionIndexListsExactlyOurExtensionClasses() throws Exception {
        Set<String> indexed = new TreeSet<>();
        for (SerAnnotatedElement e : extensionIndex()) {
            indexed.add(e.className + (e.memberName == null ? "" : "#" + e.memberName));
        }
        assertFalse(indexed.isEmpty(), "no @Extension indexed");
        Set<String> annotated = new TreeSet<>();
        try (URLClassLoader cl = pluginLoader()) {
            for (String c : pluginClassNames()) {
                if (cl.loadClass(c).isAnnotationPresent(Extension.class)) {
                    annotated.add(c);
                }
            }
        }
        for (String i : indexed) {
            assertTrue(inner.containsKey(i.replaceAll("#.*", "").replace('.', '/') + ".class"), "indexed class not in the jar: " + i);
        }
        Set<String> indexedTypes = indexed.stream().filter(i -> !i.contains("#")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(annotated, indexedTypes, "classes carrying @Extension vs META-INF/annotations/hudson.Extension");
    }

    @Test
    void theSymbolIndexListsExactlyOurSymbolClasses() throws Exception {
        byte[] idx = inner.get("META-INF/services/annotations/org.jenkinsci.Symbol");
        Set<String> annotated = new TreeSet<>();
        try (URLClassLoader cl = pluginLoader()) {
            for (String c : pluginClassNames()) {
                if (cl.loadClass(c).isAnnotationPresent(Symbol.class)) {
                    annotated.add(c);
                }
            }
        }
        if (annotated.isEmpty() && idx == null) {
            return;
        }
        assertNotNull(idx, "META-INF/services/annotations/org.jenkinsci.Symbol: structs finds @Symbol names only through it");
        Set<String> listed = new TreeSet<>();
        for (String line : new String(idx, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                listed.add(line.trim());
            }
        }
        assertEquals(annotated, listed);
    }

    @Test
    void parameterNamesAreCompiledInForStaplerAndStructs() throws Exception {
        int checked = 0;
        List<String> unnamed = new ArrayList<>();
        try (URLClassLoader cl = pluginLoader()) {
            for (String c : pluginClassNames()) {
                Class<?> k = cl.loadClass(c);
                for (Constructor<?> ctor : k.getDeclaredConstructors()) {
                    if (ctor.isAnnotationPresent(DataBoundConstructor.class)) {
                        checked++;
                        for (Parameter p : ctor.getParameters()) {
                            if (!p.isNamePresent()) {
                                unnamed.add(ctor.toString());
                            }
                        }
                    }
                }
                for (Method m : k.getDeclaredMethods()) {
                    for (Parameter p : m.getParameters()) {
                        if (p.isAnnotationPresent(QueryParameter.class)) {
                            checked++;
                            if (!p.isNamePresent()) {
                                unnamed.add(m.toString());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked > 0, "no @DataBoundConstructor/@QueryParameter found to check");
        assertTrue(unnamed.isEmpty(), "compiled without -parameters (no MethodParameters attribute): " + unnamed);
    }

    private static List<String> pluginClassNames() {
        List<String> out = new ArrayList<>();
        for (String n : inner.keySet()) {
            if (n.endsWith(".class") && !n.equals("module-info.class")) {
                out.add(n.substring(0, n.length() - 6).replace('/', '.'));
            }
        }
        return out;
    }

    /**
     * Loads the plugin's classes from the .hpi's own jars (child-first for our packages, so the copy on the test
     * class path is not used); Jenkins types come from the test class path, where the stand-in plays core.
     */
    private static URLClassLoader pluginLoader() throws IOException {
        Path innerJar = work.resolve(SHORT_NAME + ".jar");
        List<URL> urls = new ArrayList<>();
        urls.add(innerJar.toUri().toURL());
        for (Path j : bundledJars()) {
            if (!j.equals(innerJar)) {
                urls.add(j.toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), HpiPackagingIT.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("io.jenkins.plugins.ecsdeploy.") && !name.startsWith("io.jenkins.plugins.ecsdeploy.apistandin.")) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        if (c == null) {
                            c = findClass(name);
                        }
                        return c;
                    }
                }
                return super.loadClass(name, resolve);
            }

            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return findResources(name);
            }
        };
    }

    @Test
    void everyBundledJarIsAReadableZip() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (Path j : bundledJars()) {
            try (ZipFile z = new ZipFile(j.toFile())) {
                names.add(j.getFileName().toString());
                if (z.size() == 0) {
                    fail(j + " is empty");
                }
            }
        }
        assertTrue(names.size() > 5, names.toString());
    }
}
