package io.jenkins.plugins.ecsdeploy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The canary-analysis panel of the progress page (web/analysis.js, docs/analysis.md "Everywhere the user looks") follows
 * progress.js's rules: untrusted snapshot text only through textContent / setAttribute, no HTML sink, nothing fetched;
 * and progress.js loads it through its extension point.
 */
class AnalysisPageAssetTest {
    static String asset(String name) throws Exception {
        try (InputStream in = AnalysisPageAssetTest.class.getResourceAsStream("/io/jenkins/plugins/ecsdeploy/web/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theAnalysisPanelUsesNoHtmlSinkAndFetchesNothing() throws Exception {
        String code = asset("analysis.js").replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                "fetch(", "XMLHttpRequest", "href", "src")) {
            assertFalse(code.contains(sink), "analysis.js must not use " + sink);
        }
        Matcher urls = Pattern.compile("https?://[^'\"]*").matcher(code);
        while (urls.find()) {
            assertEquals("http://www.w3.org/2000/svg", urls.group(), "the only URL is the SVG namespace, never fetched");
        }
        assertTrue(code.contains("registerSection('analysis'"));
        String css = asset("analysis.css");
        assertFalse(css.contains("@import") || css.contains("url("), "no external resources in analysis.css");
    }

    @Test
    void progressJsLoadsThePanelThroughItsExtensionPoint() throws Exception {
        // (issue 15 added { name: 'cutover', css: true } to the same list)
        assertTrue(asset("progress.js").matches("(?s).*var EXTENSION_FILES = \\[[^\\]]*\\{ name: 'analysis', css: true }[^\\]]*\\];.*"));
    }
}
