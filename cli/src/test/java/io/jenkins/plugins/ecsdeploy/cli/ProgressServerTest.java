package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page server: CSRF refusal, Host check, and that untrusted strings never become markup in its responses. */
class ProgressServerTest {
    static final String XSS = "<img src=x onerror=alert(1)>";

    private final List<String> decisions = new ArrayList<>();
    private ProgressServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        ProgressServer.Backend backend = new ProgressServer.Backend() {
            @Override
            public String snapshotJson() {
                return "{\"schemaVersion\":1,\"service\":\"" + XSS.replace("\"", "\\\"") + "\"}";
            }

            @Override
            public CompletableFuture<ProgressServer.Decision> approve(String hookId, String comment) {
                decisions.add("approve " + hookId + " " + comment);
                return CompletableFuture.completedFuture(new ProgressServer.Decision(true, "APPLIED", "ok"));
            }

            @Override
            public CompletableFuture<ProgressServer.Decision> rollback(String hookId, String comment) {
                decisions.add("rollback " + hookId + " " + comment);
                return CompletableFuture.completedFuture(new ProgressServer.Decision(false, "ALREADY_DECIDED", "already"));
            }
        };
        server = new ProgressServer(0, backend, "title " + XSS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header(ProgressServer.CSRF_HEADER, token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void approveWithoutTheCsrfTokenIsRefusedWith403AndNotApplied() throws Exception {
        HttpResponse<String> r = post("/api/approve", null, "{\"hookId\":\"h-1\"}");
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("CSRF"), r.body());
        assertTrue(decisions.isEmpty(), "the backend must not be called");
    }

    @Test
    void rollbackWithAWrongCsrfTokenIsRefusedWith403() throws Exception {
        HttpResponse<String> r = post("/api/rollback", server.csrfToken() + "x", "{\"hookId\":\"h-1\"}");
        assertEquals(403, r.statusCode());
        assertTrue(decisions.isEmpty());
    }

    @Test
    void approveWithTheTokenFromThePageReachesTheBackend() throws Exception {
        String page = get("/").body();
        assertTrue(page.contains("data-csrf-token=\"" + server.csrfToken() + "\""), page);
        HttpResponse<String> r = post("/api/approve", server.csrfToken(), "{\"hookId\":\"h-1\",\"comment\":\"looks good\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("approve h-1 looks good"), decisions);
    }

    @Test
    void aDecisionTheEngineDidNotApplyAnswers409() throws Exception {
        HttpResponse<String> r = post("/api/rollback", server.csrfToken(), "{\"hookId\":\"h-1\"}");
        assertEquals(409, r.statusCode());
        assertTrue(r.body().contains("ALREADY_DECIDED"), r.body());
    }

    @Test
    void rollBackNowNeedsTheCsrfTokenAndReachesTheBackendWithTheComment() throws Exception {
        String page = get("/").body();
        assertTrue(page.contains("data-abort-url=\"/api/rollback-now\""), page);
        HttpResponse<String> refused = post("/api/rollback-now", null, "{\"comment\":\"now\"}");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(decisions.isEmpty(), "the backend must not be called without the token");
        HttpResponse<String> r = post("/api/rollback-now", server.csrfToken(), "{\"comment\":\"5xx rising\"}");
        // the test backend's rollback answers "not applied": the page is told 409 with the result
        assertEquals(409, r.statusCode(), r.body());
        assertEquals(List.of("rollback null 5xx rising"), decisions);
        assertEquals(405, get("/api/rollback-now").statusCode());
    }

    @Test
    void decisionsMustBePosts() throws Exception {
        assertEquals(405, get("/api/approve").statusCode());
        assertTrue(decisions.isEmpty());
    }

    @Test
    void aForeignHostHeaderIsRefusedSoDnsRebindingCannotReadTheToken() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream o = s.getOutputStream();
            o.write(("GET / HTTP/1.1\r\nHost: evil.example:" + server.port() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            String resp = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(resp.startsWith("HTTP/1.1 403"), resp);
            assertFalse(resp.contains(server.csrfToken()), resp);
        }
    }

    @Test
    void pageEscapesTheTitleAndCarriesAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> r = get("/");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertFalse(r.body().contains(XSS), "untrusted title must not appear as markup");
        assertTrue(r.body().contains("title &lt;img src=x onerror=alert(1)&gt;"), r.body());
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
        assertFalse(r.body().matches("(?s).*<script>.*"), "no inline script");
        assertFalse(r.body().contains("http://") || r.body().contains("https://"), "no external URL in the page");
    }

    @Test
    void snapshotWithMarkupIsServedAsJsonThatBrowsersWillNotSniffAsHtml() throws Exception {
        HttpResponse<String> r = get("/api/snapshot");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
    }

    @Test
    void assetsAreServedFromTheEngineJar() throws Exception {
        HttpResponse<String> js = get("/assets/progress.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertEquals(200, get("/assets/progress.css").statusCode());
        assertEquals(404, get("/assets/../pom.xml").statusCode());
    }

    @Test
    void progressScriptNeverParsesStringsAsHtmlNorFetchesAnythingButItsConfiguredUrls() throws Exception {
        String js = ProgressServer.resource("progress.js");
        String code = js.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")) {
            assertFalse(code.contains(sink), "progress.js must not use " + sink);
        }
        assertFalse(code.contains("http://") || code.contains("https://"), "no hard-coded URL in progress.js");
        // fetch only ever gets one of the configured URLs
        List<String> fetches = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("fetch\\(([^,]+),").matcher(code);
        while (m.find()) {
            fetches.add(m.group(1).trim());
        }
        assertEquals(List.of("this.cfg.abortUrl", "url", "this.cfg.snapshotUrl"), fetches);
        String css = ProgressServer.resource("progress.css");
        assertFalse(css.contains("@import") || css.contains("url("), "no external resources in progress.css");
    }

    @Test
    void templateFillDoesNotLetAValueIntroduceAnotherPlaceholder() {
        String out = ProgressServer.fill("<a title=\"{{a}}\">{{b}}</a>", java.util.Map.of("a", "{{b}}\"><script>", "b", "B"));
        assertEquals("<a title=\"{{b}}&quot;&gt;&lt;script&gt;\">B</a>", out);
    }
}
