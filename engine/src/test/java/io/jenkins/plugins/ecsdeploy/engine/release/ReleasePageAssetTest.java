package io.jenkins.plugins.ecsdeploy.engine.release;

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
 * The release page's assets (web/release.js, release.css; docs/releases.md "The release page") follow progress.js's
 * rules: untrusted text only through textContent, no HTML sink, nothing fetched but the configured snapshot and POST
 * URLs, no external resources; and the page reads the members the release snapshot writes.
 */
class ReleasePageAssetTest {
    static String asset(String name) throws Exception {
        try (InputStream in = ReleasePageAssetTest.class.getResourceAsStream("/io/jenkins/plugins/ecsdeploy/web/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theReleasePageUsesNoHtmlSinkAndFetchesOnlyItsConfiguredUrls() throws Exception {
        String code = asset("release.js").replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                "XMLHttpRequest", "href", ".src")) {
            assertFalse(code.contains(sink), "release.js must not use " + sink);
        }
        Matcher fetches = Pattern.compile("fetch\\(([^,)]*)").matcher(code);
        int n = 0;
        while (fetches.find()) {
            n++;
            assertTrue(List.of("url", "cfg.snapshotUrl").contains(fetches.group(1).trim()), "fetch(" + fetches.group(1) + ")");
        }
        assertEquals(2, n, "one GET of the snapshot, one POST of a decision");
        assertFalse(Pattern.compile("https?://").matcher(code).find(), "no URL of its own");
        String css = asset("release.css");
        assertFalse(css.contains("@import") || css.contains("url("), "no external resources in release.css");
    }

    @Test
    void thePageReadsTheMembersTheReleaseSnapshotWrites() throws Exception {
        String js = asset("release.js");
        ReleaseSnapshot s = new ReleaseSnapshot("shop", "WAITING_AT_GATE", 0, null, null,
                List.of(new ReleaseSnapshot.Wave(0, List.of("api"), "RUNNING", "WAITING", null, null)),
                List.of(new ReleaseSnapshot.Service("api", 0, "us-east-1", "prod", "api", "AT_GATE", "arn", null, null, null, null)), null);
        String json = s.toJson();
        for (String member : List.of("waves", "services", "gate", "gateDecidedBy", "state", "cluster", "region", "outcome",
                "note", "causeService", "status", "wave", "index")) {
            assertTrue(json.contains("\"" + member + "\""), "the snapshot has " + member);
            assertTrue(js.contains("." + member), "release.js reads " + member);
        }
    }
}
