package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

/**
 * The page server: per-browser sessions and CSRF tokens, the opt-in access token, bounded request reading, the Host
 * check, and that untrusted strings never become markup in its responses (docs/security.md "The page server").
 */
class ProgressServerTest {
    static final String XSS = "<img src=x onerror=alert(1)>";

    private final List<String> decisions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ProgressServer server;
    private ProgressServer.Backend backend;
    /** A browser: keeps the session cookie like one. */
    private final HttpClient http = browser();

    static HttpClient browser() {
        return HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Opens the page in {@code client} and returns the CSRF token it carries (for that client's session). */
    private String openPage(HttpClient client) throws Exception {
        String page = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-csrf-token=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

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
        this.backend = backend;
        server = new ProgressServer(0, backend, "title " + XSS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return post(http, path, token, body);
    }

    private HttpResponse<String> post(HttpClient client, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header(ProgressServer.CSRF_HEADER, token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void approveWithoutTheCsrfTokenIsRefusedWith403AndNotApplied() throws Exception {
        openPage(http);
        HttpResponse<String> r = post("/api/approve", null, "{\"hookId\":\"h-1\"}");
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("CSRF"), r.body());
        assertTrue(decisions.isEmpty(), "the backend must not be called");
    }

    @Test
    void rollbackWithAWrongCsrfTokenIsRefusedWith403() throws Exception {
        HttpResponse<String> r = post("/api/rollback", openPage(http) + "x", "{\"hookId\":\"h-1\"}");
        assertEquals(403, r.statusCode());
        assertTrue(decisions.isEmpty());
    }

    @Test
    void approveWithTheTokenFromThePageReachesTheBackend() throws Exception {
        String token = openPage(http);
        HttpResponse<String> r = post("/api/approve", token, "{\"hookId\":\"h-1\",\"comment\":\"looks good\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(List.of("approve h-1 looks good"), decisions);
    }

    @Test
    void aDecisionTheEngineDidNotApplyAnswers409() throws Exception {
        HttpResponse<String> r = post("/api/rollback", openPage(http), "{\"hookId\":\"h-1\"}");
        assertEquals(409, r.statusCode());
        assertTrue(r.body().contains("ALREADY_DECIDED"), r.body());
    }

    @Test
    void rollBackNowNeedsTheCsrfTokenAndReachesTheBackendWithTheComment() throws Exception {
        String page = get("/").body();
        assertTrue(page.contains("data-abort-url=\"/api/rollback-now\""), page);
        String token = openPage(http);
        HttpResponse<String> refused = post("/api/rollback-now", null, "{\"comment\":\"now\"}");
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(decisions.isEmpty(), "the backend must not be called without the token");
        HttpResponse<String> r = post("/api/rollback-now", token, "{\"comment\":\"5xx rising\"}");
        // the test backend's rollback answers "not applied": the page is told 409 with the result
        assertEquals(409, r.statusCode(), r.body());
        assertEquals(List.of("rollback null 5xx rising"), decisions);
        assertEquals(405, get("/api/rollback-now").statusCode());
    }

    @Test
    void decisionsMustBePosts() throws Exception {
        openPage(http);
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
            assertFalse(resp.contains("data-csrf-token"), resp);
            assertFalse(resp.contains("Set-Cookie"), resp);
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
        openPage(http);
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
        // fetch only ever gets one of the configured URLs: the snapshot's, or through post(url, ...) whose every
        // caller passes a configured URL (Roll back now's, Redeploy's, or decide(..., url, ...) with the gate's approve or rollback URL)
        List<String> fetches = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("fetch\\(([^,]+),").matcher(code);
        while (m.find()) {
            fetches.add(m.group(1).trim());
        }
        assertEquals(List.of("url", "this.cfg.snapshotUrl"), fetches);
        assertTrue(code.contains("function post(url, cfg, body) {\n    var headers"), "the one fetch(url, ...) is post's");
        List<String> posts = new ArrayList<>();
        var p = java.util.regex.Pattern.compile("(?<!function )(?<![.\\w])post\\(([^,]+),").matcher(code);
        while (p.find()) {
            posts.add(p.group(1).trim());
        }
        assertEquals(List.of("this.cfg.redeployUrl", "this.cfg.abortUrl", "url"), posts);
        List<String> decides = new ArrayList<>();
        var d = java.util.regex.Pattern.compile("\\.decide\\('\\w+', ([^,]+),").matcher(code);
        while (d.find()) {
            decides.add(d.group(1).trim());
        }
        assertEquals(List.of("self.cfg.approveUrl", "self.cfg.rollbackUrl"), decides,
                "a gate decision posts to the configured approve or rollback URL");
        String css = ProgressServer.resource("progress.css");
        assertFalse(css.contains("@import") || css.contains("url("), "no external resources in progress.css");
    }

    @Test
    void theTokenOfOneBrowsersPageDecidesNothingForAnotherBrowserOrWithoutTheCookie() throws Exception {
        String tokenOfA = openPage(http);
        HttpClient b = browser();
        openPage(b); // B has its own session, and its own token
        assertEquals(403, post(b, "/api/approve", tokenOfA, "{\"hookId\":\"h-1\"}").statusCode());
        HttpClient noCookies = HttpClient.newHttpClient();
        HttpResponse<String> r = post(noCookies, "/api/approve", tokenOfA, "{\"hookId\":\"h-1\"}");
        assertEquals(401, r.statusCode(), r.body());
        assertEquals(401, noCookies.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/snapshot"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "the API needs a session");
        assertTrue(decisions.isEmpty(), "the backend was not called");
        assertEquals(200, post("/api/approve", tokenOfA, "{\"hookId\":\"h-1\"}").statusCode(), "A's own token works for A");
    }

    @Test
    void aSessionCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = r.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.startsWith(ProgressServer.SESSION_COOKIE + "=") && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict"), cookie);
    }

    @Test
    void withAnAccessTokenABareGetRevealsNoSecretAndTheTokenUrlOpensASession() throws Exception {
        server.close();
        server = ProgressServer.bind(0, true).serve(backend, "t", 2000);
        HttpClient stranger = browser();
        URI root = URI.create("http://127.0.0.1:" + server.port() + "/");
        HttpResponse<String> bare = stranger.send(HttpRequest.newBuilder(root).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, bare.statusCode(), bare.body());
        assertFalse(bare.body().contains("data-csrf-token") || bare.headers().firstValue("Set-Cookie").isPresent(), bare.body());
        assertFalse(bare.body().contains(server.accessToken()));
        assertEquals(401, stranger.send(HttpRequest.newBuilder(root.resolve("/?token=wrong")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(401, post(stranger, "/api/approve", "x", "{\"hookId\":\"h-1\"}").statusCode());
        assertTrue(server.url().contains("?token=" + server.accessToken()), server.url());
        HttpResponse<String> viaToken = http.send(HttpRequest.newBuilder(URI.create(server.url())).build(),
                HttpResponse.BodyHandlers.ofString()); // follows the 303 to "/" with the new session cookie
        assertEquals(200, viaToken.statusCode(), viaToken.body());
        assertEquals("/", viaToken.uri().getPath());
        assertFalse(viaToken.uri().toString().contains("token="), "the redirect drops the token from the address bar");
        String csrf = openPage(http);
        assertEquals(200, post("/api/approve", csrf, "{\"hookId\":\"h-1\"}").statusCode());
        assertEquals(List.of("approve h-1 null"), decisions);
    }

    @Test
    void halfOpenAndSlowClientsDoNotStallThePage() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            // more silent and half-sent requests than the old server had threads (4), and more than its connection limit
            for (int i = 0; i < 80; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                if (i % 2 == 1) {
                    s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
                idle.add(s);
            }
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(30)).build()
                    .sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/assets/progress.css"))
                            .timeout(java.time.Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
                    .get(30, java.util.concurrent.TimeUnit.SECONDS); // a bound for a failure, not a speed expectation
            assertEquals(200, r.statusCode());
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aClientThatNeverFinishesItsRequestIsCutOffAtTheDeadline() throws Exception {
        server.close();
        server = ProgressServer.bind(0, false, new PageHttpServer.Limits(8192, 16384, java.time.Duration.ofMillis(300),
                java.time.Duration.ofSeconds(10), 64, java.time.Duration.ofSeconds(40))).serve(backend, "t", 2000);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1:".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(30_000);
            String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(resp.startsWith("HTTP/1.1 408"), resp);
        }
        assertTrue(server.connectionsClosedForTime() >= 1);
    }

    @Test
    void oversizedHeadersAndBodiesAndChunkedBodiesAreRefusedWithoutReadingThem() throws Exception {
        assertTrue(raw("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nX-Big: " + "x".repeat(9000) + "\r\n\r\n")
                .startsWith("HTTP/1.1 431"));
        assertTrue(raw("POST /api/approve HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nContent-Length: 10000000\r\n\r\n")
                .startsWith("HTTP/1.1 413"));
        assertTrue(raw("POST /api/approve HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .startsWith("HTTP/1.1 411"));
        assertTrue(raw("NONSENSE\r\n\r\n").startsWith("HTTP/1.1 400"));
        assertTrue(decisions.isEmpty());
    }

    @Test
    void aPostFromAnotherOriginIsRefusedEvenWithTheRightSessionAndToken() throws Exception {
        String token = openPage(http);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/approve"))
                .header(ProgressServer.CSRF_HEADER, token).header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"hookId\":\"h-1\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertTrue(decisions.isEmpty());
    }

    @Test
    void aBusyPortIsRefusedWhenBinding() throws Exception {
        assertThrows(java.net.BindException.class, () -> ProgressServer.bind(server.port(), false));
    }

    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void templateFillDoesNotLetAValueIntroduceAnotherPlaceholder() {
        String out = ProgressServer.fill("<a title=\"{{a}}\">{{b}}</a>", java.util.Map.of("a", "{{b}}\"><script>", "b", "B"));
        assertEquals("<a title=\"{{b}}&quot;&gt;&lt;script&gt;\">B</a>", out);
    }
}
