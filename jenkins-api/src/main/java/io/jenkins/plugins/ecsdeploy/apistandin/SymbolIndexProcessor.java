package io.jenkins.plugins.ecsdeploy.apistandin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Writes {@code META-INF/services/annotations/org.jenkinsci.Symbol}: the binary names of the classes carrying
 * {@code @Symbol}, one per line, which is what structs' SymbolLookup reads through annotation-indexer's
 * {@code Index.list} (docs/jenkins-behaviour.md "Extension and symbol indexes"). The real annotation-indexer processor cannot be used: its artifact is
 * published on repo.jenkins-ci.org only, not on Maven Central. Build-time only; never packaged into the .hpi.
 */
@SupportedAnnotationTypes("org.jenkinsci.Symbol")
public final class SymbolIndexProcessor extends AbstractProcessor {
    static final String INDEX = "META-INF/services/annotations/org.jenkinsci.Symbol";
    private final Set<String> names = new TreeSet<>();

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            for (Element e : round.getElementsAnnotatedWith(annotation)) {
                Element t = e;
                while (t != null && !(t instanceof TypeElement)) {
                    t = t.getEnclosingElement();
                }
                if (t != null) {
                    names.add(processingEnv.getElementUtils().getBinaryName((TypeElement) t).toString());
                }
            }
        }
        if (round.processingOver() && !names.isEmpty()) {
            write();
        }
        return false;
    }

    private void write() {
        Filer filer = processingEnv.getFiler();
        // An incremental compile sees only some sources: keep entries of an earlier index whose class still exists.
        try {
            FileObject old = filer.getResource(StandardLocation.CLASS_OUTPUT, "", INDEX);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(old.openInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    line = line.trim();
                    if (!line.isEmpty() && processingEnv.getElementUtils().getTypeElement(line.replace('$', '.')) != null) {
                        names.add(line);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException missing) {
            // no earlier index
        }
        try {
            FileObject f = filer.createResource(StandardLocation.CLASS_OUTPUT, "", INDEX);
            try (Writer w = new java.io.OutputStreamWriter(f.openOutputStream(), StandardCharsets.UTF_8)) {
                for (String n : names) {
                    w.write(n);
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "Cannot write " + INDEX + ": " + e);
        }
    }
}
