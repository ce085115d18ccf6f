package io.jenkins.plugins.ecsdeploy.apistandin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The @Symbol index structs reads (docs/jenkins-behaviour.md "Extension and symbol indexes"): binary names, one per line, only @Symbol classes. */
class SymbolIndexProcessorTest {
    @TempDir
    Path dir;

    private Path compile(String... sources) throws Exception {
        Path src = dir.resolve("src");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        for (int i = 0; i < sources.length; i += 2) {
            Path f = src.resolve(sources[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, sources[i + 1]);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new java.util.ArrayList<>(List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"),
                "-processor", SymbolIndexProcessor.class.getName(), "-implicit:class"));
        for (int i = 0; i < sources.length; i += 2) {
            args.add(src.resolve(sources[i]).toString());
        }
        assertEquals(0, javac.run(null, null, null, args.toArray(new String[0])), "compilation failed");
        return out.resolve(SymbolIndexProcessor.INDEX.replace('/', File.separatorChar));
    }

    @Test
    void listsTheBinaryNamesOfSymbolClassesSorted() throws Exception {
        Path index = compile(
                "p/Zeta.java", "package p; @org.jenkinsci.Symbol(\"zeta\") public class Zeta {}",
                "p/Outer.java", "package p; public class Outer { @org.jenkinsci.Symbol(\"inner\") public static class Inner {} }",
                "p/Plain.java", "package p; public class Plain {}");
        assertEquals("p.Outer$Inner\np.Zeta\n", Files.readString(index, StandardCharsets.UTF_8));
    }

    @Test
    void writesNoIndexWhenNothingHasASymbol() throws Exception {
        Path index = compile("p/Plain.java", "package p; public class Plain {}");
        assertFalse(Files.exists(index));
    }

    @Test
    void keepsEntriesOfAnEarlierIndexWhoseClassStillExists() throws Exception {
        Path first = compile("p/A.java", "package p; @org.jenkinsci.Symbol(\"a\") public class A {}");
        assertTrue(Files.exists(first));
        // a second, "incremental" compile of only B, with A on the class path
        Path src = dir.resolve("src2");
        Files.createDirectories(src.resolve("p"));
        Files.writeString(src.resolve("p/B.java"), "package p; @org.jenkinsci.Symbol(\"b\") public class B {}");
        Path out = dir.resolve("out");
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                "-classpath", out + File.pathSeparator + System.getProperty("java.class.path"),
                "-processor", SymbolIndexProcessor.class.getName(), src.resolve("p/B.java").toString());
        assertEquals(0, rc);
        assertEquals("p.A\np.B\n", Files.readString(first, StandardCharsets.UTF_8));
    }
}
