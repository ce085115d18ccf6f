package io.jenkins.plugins.ecsdeploy.engine.cutover;

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
 * The cutover panels of the progress page (web/cutover.js, docs/cutovers.md "Progress") follow progress.js's rules:
 * untrusted snapshot text only through textContent / setAttribute, no HTML sink, nothing fetched; progress.js loads
 * them through its extension point; and the snapshot speaks the members the page's own gate box reads.
 */
class CutoverPageAssetTest {
    static String asset(String name) throws Exception {
        try (InputStream in = CutoverPageAssetTest.class.getResourceAsStream("/io/jenkins/plugins/ecsdeploy/web/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theCutoverPanelsUseNoHtmlSinkAndFetchNothing() throws Exception {
        String code = asset("cutover.js").replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                "fetch(", "XMLHttpRequest", "href", "src")) {
            assertFalse(code.contains(sink), "cutover.js must not use " + sink);
        }
        Matcher urls = Pattern.compile("https?://[^'\"]*").matcher(code);
        while (urls.find()) {
            assertEquals("http://www.w3.org/2000/svg", urls.group(), "the only URL is the SVG namespace, never fetched");
        }
        assertTrue(code.contains("registerSection('dns-cutover'") && code.contains("registerSection('switchover'"));
        String css = asset("cutover.css");
        assertFalse(css.contains("@import") || css.contains("url("), "no external resources in cutover.css");
        assertTrue(asset("progress.js").contains("{ name: 'cutover', css: true }"), "progress.js loads cutover.js and cutover.css");
    }

    @Test
    void aCutoverGateIsAGateThePagesOwnGateBoxCanAnswer() {
        CutoverSnapshot s = CutoverSnapshot.initial("c1").apply(new CutoverEvent.Started(ManualTime.T0, "c1", "api.example.com.", "A",
                "Z1", "b", "g", "b", "g", List.of(10, 100), 60, "gate", 0))
                .apply(new CutoverEvent.GateAwaiting(ManualTime.T0, "c1-gate-1", 1, ManualTime.T0.plusSeconds(3600)));
        var gate = s.toJsonNode().get("gates").get(0);
        assertEquals("c1-gate-1", gate.get("hookId").asText(), "the page posts {hookId, stage, comment}");
        assertEquals("AFTER_STEP_1", gate.get("stage").asText());
        assertEquals("AWAITING", gate.get("state").asText());
        assertEquals("IN_PROGRESS", s.toJsonNode().get("status").asText(), "Roll back now is offered while IN_PROGRESS");
        assertEquals("api.example.com.", s.toJsonNode().get("service").asText());
    }
}
