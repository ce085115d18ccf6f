package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Serves the progress page on 127.0.0.1 (docs/cli.md "The progress page"): the shared web assets from the engine
 * jar, the snapshot JSON, the two gate decision endpoints and "Roll back now" ({@code POST /api/rollback-now}).
 *
 * <p>Security (docs/security.md "The page server"):
 * <ul>
 *   <li><b>Per-browser sessions.</b> Opening the page gives the browser a random session id in an HttpOnly,
 *       SameSite=Strict cookie; the CSRF token embedded in the page is an HMAC of that session id under a key that
 *       never leaves the process. A POST needs both, so the token read from one page (a screenshot, a saved page,
 *       another process's {@code GET /}) decides nothing without that browser's cookie; the API refuses requests
 *       without a session (401).</li>
 *   <li><b>Access token</b> (opt-in, {@code deploy --page-token}, for shared machines): without it a bare
 *       {@code GET /} by any local user gets 401 and no session; the URL printed to the deployer carries the token,
 *       which the server exchanges once per browser for a session cookie and a redirect that drops it from the address
 *       bar.</li>
 *   <li>Loopback only; a Host header other than 127.0.0.1/localhost/[::1] with our port is refused (DNS rebinding),
 *       and so is a POST whose Origin is another origin; a Content-Security-Policy allowing only this origin's
 *       script and styles; bounded request reading with time limits ({@link PageHttpServer}).</li>
 * </ul>
 */
public final class ProgressServer implements AutoCloseable {
    public static final String CSRF_HEADER = "X-ECS-Deploy-CSRF";
    /** {@code /assets/<name>.<js|css|svg>}: a file of the engine jar's web assets (lower-case letters, digits, '-'). */
    private static final java.util.regex.Pattern ASSET = java.util.regex.Pattern.compile("/assets/([a-z0-9-]{1,64})\\.(js|css|svg)");
    static final String SESSION_COOKIE = "ecsd_session";
    static final String ASSETS = "/io/jenkins/plugins/ecsdeploy/web/";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Browser sessions kept at once; the least recently used one goes first. */
    static final int MAX_SESSIONS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the page shows and what its buttons do. */
    public interface Backend {
        /** The snapshot JSON (docs/snapshot-schema.md), plus the host member "now". */
        String snapshotJson();

        /** Continue the gate {@code hookId}; completes with a {@link Decision}. */
        CompletableFuture<Decision> approve(String hookId, String comment);

        /** Roll back at the gate {@code hookId} (or the whole deployment when null). */
        CompletableFuture<Decision> rollback(String hookId, String comment);

        /**
         * "Roll back now": the running deployment, no gate (POST /api/rollback-now). Not applied (HTTP 409) when it
         * has finished. By default the same as {@code rollback(null, comment)}.
         */
        default CompletableFuture<Decision> rollbackNow(String comment) {
            return rollback(null, comment);
        }
    }

    /** The answer to a decision: applied or not (then HTTP 409), the engine's result name, a message for the page. */
    public record Decision(boolean applied, String result, String message) {}

    private final PageHttpServer http;
    private final byte[] key = random(32);
    private final String accessToken;
    /** session id → last use (System.nanoTime), access-ordered for LRU eviction. */
    private final Map<String, Long> sessions = new LinkedHashMap<>(16, 0.75f, true);
    private volatile Backend backend;
    private volatile String title;
    private volatile int pollMs = 2000;
    /** The page template of the engine's web assets this server fills (release.html for a release, docs/releases.md). */
    private volatile String template = "progress.html";

    private ProgressServer(PageHttpServer http, boolean withAccessToken) {
        this.http = http;
        this.accessToken = withAccessToken ? Base64.getUrlEncoder().withoutPadding().encodeToString(random(24)) : null;
    }

    /**
     * Binds 127.0.0.1:port (0 = any free port) and starts answering — with 503 until {@link #serve} gives it a
     * deployment. A busy port fails here, before the caller has written anything to AWS.
     *
     * @throws BindException the port is in use
     */
    public static ProgressServer bind(int port, boolean withAccessToken) throws IOException {
        return bind(port, withAccessToken, PageHttpServer.Limits.defaults());
    }

    static ProgressServer bind(int port, boolean withAccessToken, PageHttpServer.Limits limits) throws IOException {
        PageHttpServer http = PageHttpServer.bind(port, limits);
        ProgressServer s = new ProgressServer(http, withAccessToken);
        try {
            http.start(s::handle);
        } catch (IOException | RuntimeException e) {
            http.close();
            throw e;
        }
        return s;
    }

    /** Binds and serves at once (no access token). */
    public ProgressServer(int port, Backend backend, String title) throws IOException {
        this(port, backend, title, 2000);
    }

    public ProgressServer(int port, Backend backend, String title, int pollMs) throws IOException {
        this(PageHttpServer.bind(port, PageHttpServer.Limits.defaults()), false);
        http.start(this::handle);
        serve(backend, title, pollMs);
    }

    /** From now on the page shows this deployment. */
    public ProgressServer serve(Backend backend, String title, int pollMs) {
        this.title = title;
        this.pollMs = pollMs;
        this.backend = backend;
        return this;
    }

    public int port() {
        return http.port();
    }

    /** Serves another page template of the engine's web assets, e.g. "release.html" (the release page, docs/releases.md). */
    public ProgressServer template(String name) {
        this.template = name;
        return this;
    }

    /** The URL to open: with the access token when there is one (then it is a secret: show it only to the deployer). */
    public String url() {
        return "http://127.0.0.1:" + port() + "/" + (accessToken == null ? "" : "?token=" + accessToken);
    }

    /** Null unless the server was bound with an access token. */
    String accessToken() {
        return accessToken;
    }

    /** Connections closed for not completing a request in time (tests, docs/reliability.md). */
    int connectionsClosedForTime() {
        return http.closedForTime();
    }

    @Override
    public void close() {
        http.close();
    }

    // ------------------------------------------------------------------ routing

    private CompletableFuture<PageHttpServer.Response> handle(PageHttpServer.Request ex) {
        try {
            return route(ex);
        } catch (RuntimeException e) {
            return done(json(500, error("internal error: " + e.getClass().getSimpleName())));
        }
    }

    private CompletableFuture<PageHttpServer.Response> route(PageHttpServer.Request ex) {
        String path = ex.path();
        String method = ex.method();
        if (!hostAllowed(ex.header("host"))) {
            return done(json(403, error("Host header not allowed; use http://127.0.0.1:" + port() + "/")));
        }
        // the web assets of the engine jar: progress.{js,css}, the favicons, and other features' files that progress.js
        // loads (its EXTENSION_FILES); only plain names, so no path can leave the assets directory
        java.util.regex.Matcher am = ASSET.matcher(path);
        if (am.matches()) {
            String type = switch (am.group(2)) {
                case "js" -> "text/javascript; charset=utf-8";
                case "css" -> "text/css; charset=utf-8";
                default -> "image/svg+xml; charset=utf-8";
            };
            return done(asset(method, am.group(1) + "." + am.group(2), type));
        }
        String session = session(ex);
        if (path.equals("/") || path.equals("/index.html")) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return done(methodNotAllowed("GET"));
            }
            String givenToken = queryParameter(ex.query(), "token");
            if (accessToken != null && givenToken != null) {
                if (!constantTimeEquals(givenToken, accessToken)) {
                    return done(text(401, "The access token in this URL is wrong. Open the URL ecs-deploy printed.\n"));
                }
                // the token is exchanged for a session; the redirect drops it from the address bar
                String sid = newSession();
                List<String[]> h = new ArrayList<>();
                h.add(new String[] {"Location", "/"});
                h.add(cookie(sid));
                return done(withSecurityHeaders(new PageHttpServer.Response(303, h, new byte[0])));
            }
            if (session == null && accessToken != null) {
                return done(text(401, "This page needs the access token: open the URL ecs-deploy printed "
                        + "(http://127.0.0.1:" + port() + "/?token=...).\n"));
            }
            Backend b = backend;
            if (b == null) {
                return done(text(503, "The deployment is starting; reload in a moment.\n"));
            }
            String sid = session != null ? session : newSession();
            PageHttpServer.Response page = html(page(csrfFor(sid)));
            if (session == null) {
                page.headers().add(cookie(sid));
            }
            return done(page);
        }
        if (!path.startsWith("/api/")) {
            return done(json(404, error("not found")));
        }
        if (session == null) {
            return done(json(401, error("no session: open the page first"
                    + (accessToken == null ? "" : " with the URL ecs-deploy printed (it carries the access token)"))));
        }
        Backend b = backend;
        if (b == null) {
            return done(json(503, error("the deployment is starting")));
        }
        switch (path) {
            case "/api/snapshot":
                if (!method.equals("GET")) {
                    return done(methodNotAllowed("GET"));
                }
                return done(withSecurityHeaders(new PageHttpServer.Response(200, headers("application/json; charset=utf-8"),
                        b.snapshotJson().getBytes(StandardCharsets.UTF_8))));
            case "/api/approve":
                return decide(ex, session, b, Act.APPROVE);
            case "/api/rollback":
                return decide(ex, session, b, Act.ROLLBACK);
            case "/api/rollback-now":
                return decide(ex, session, b, Act.ROLLBACK_NOW);
            default:
                return done(json(404, error("not found")));
        }
    }

    /** What a POST asks for: continue a gate, roll back at a gate (or the deployment), roll back the deployment now. */
    private enum Act { APPROVE, ROLLBACK, ROLLBACK_NOW }

    private CompletableFuture<PageHttpServer.Response> decide(PageHttpServer.Request ex, String session, Backend b, Act act) {
        if (!ex.method().equals("POST")) {
            return done(methodNotAllowed("POST"));
        }
        String origin = ex.header("origin");
        if (origin != null && !originAllowed(origin)) {
            return done(json(403, error("cross-origin request refused")));
        }
        String given = ex.header(CSRF_HEADER);
        if (given == null || !constantTimeEquals(given, csrfFor(session))) {
            return done(json(403, error("missing or wrong CSRF token (header " + CSRF_HEADER + ") for this session")));
        }
        String hookId = null;
        String comment = null;
        if (ex.body().length > 0) {
            try {
                JsonNode n = JSON.readTree(ex.body());
                if (n == null || !n.isObject()) {
                    throw new IOException("not an object");
                }
                hookId = n.hasNonNull("hookId") && !n.get("hookId").asText().isBlank() ? n.get("hookId").asText() : null;
                comment = n.hasNonNull("comment") ? n.get("comment").asText() : null;
            } catch (IOException e) {
                return done(json(400, error("body must be a JSON object: {\"hookId\": \"...\", \"comment\": \"...\"}")));
            }
        }
        if (act == Act.APPROVE && hookId == null) {
            return done(json(400, error("hookId is required to approve")));
        }
        if (comment != null && comment.length() > 2000) {
            return done(json(400, error("comment: at most 2000 characters")));
        }
        CompletableFuture<Decision> d;
        try {
            d = switch (act) {
                case APPROVE -> b.approve(hookId, comment);
                case ROLLBACK -> b.rollback(hookId, comment);
                case ROLLBACK_NOW -> b.rollbackNow(comment);
            };
        } catch (RuntimeException e) {
            d = CompletableFuture.failedFuture(e);
        }
        return d.handle((decision, e) -> {
            if (e != null) {
                Throwable c = e.getCause() == null ? e : e.getCause();
                // Not "refused": the call may or may not have reached ECS. Say what is known.
                return json(502, error("the decision could not be confirmed: " + SafeText.line(c.getMessage(), 300)
                        + "; check the deployment's state before deciding again"));
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("result", decision.result());
            n.put("message", decision.message());
            return json(decision.applied() ? 200 : 409, n);
        });
    }

    // ------------------------------------------------------------------ sessions

    private String newSession() {
        String sid = Base64.getUrlEncoder().withoutPadding().encodeToString(random(24));
        synchronized (sessions) {
            sessions.put(sid, System.nanoTime());
            while (sessions.size() > MAX_SESSIONS) {
                sessions.remove(sessions.keySet().iterator().next());
            }
        }
        return sid;
    }

    /** The request's known session id, or null. */
    private String session(PageHttpServer.Request ex) {
        String cookies = ex.header("cookie");
        if (cookies == null) {
            return null;
        }
        for (String c : cookies.split(";")) {
            String[] kv = c.trim().split("=", 2);
            if (kv.length == 2 && kv[0].equals(SESSION_COOKIE)) {
                synchronized (sessions) {
                    if (sessions.containsKey(kv[1])) {
                        sessions.put(kv[1], System.nanoTime());
                        return kv[1];
                    }
                }
            }
        }
        return null;
    }

    private static String[] cookie(String sid) {
        return new String[] {"Set-Cookie", SESSION_COOKIE + "=" + sid + "; Path=/; HttpOnly; SameSite=Strict"};
    }

    /** The CSRF token of a session: HMAC-SHA256(key, session id); never stored, never valid for another session. */
    String csrfFor(String sid) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(sid.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String queryParameter(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String p : query.split("&")) {
            String[] kv = p.split("=", 2);
            if (kv[0].equals(name)) {
                return kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            }
        }
        return null;
    }

    private boolean hostAllowed(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        int p = port();
        return h.equals("127.0.0.1:" + p) || h.equals("localhost:" + p) || h.equals("[::1]:" + p);
    }

    private boolean originAllowed(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        int p = port();
        return o.equals("http://127.0.0.1:" + p) || o.equals("http://localhost:" + p) || o.equals("http://[::1]:" + p);
    }

    // ------------------------------------------------------------------ page and answers

    private String page(String csrfToken) {
        try {
            // The template's leading comment documents the placeholders; it is not sent.
            return fill(resource(template).replaceFirst("(?s)<!--.*?-->\\s*", ""), Map.of("title",
                    title == null ? "Deployment" : title, "assetBase", "/assets/", "snapshotUrl", "/api/snapshot",
                    "approveUrl", "/api/approve", "rollbackUrl", "/api/rollback", "abortUrl", "/api/rollback-now",
                    "csrfHeader", CSRF_HEADER, "csrfToken", csrfToken, "pollMs", String.valueOf(pollMs)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces every {{name}} in one pass (so a value can never introduce another placeholder), HTML-escaped. */
    static String fill(String template, Map<String, String> values) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\{(\\w+)}}").matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(v == null ? "" : SafeText.html(v, false, 1000)));
        }
        m.appendTail(b);
        return b.toString();
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ProgressServer.class.getResourceAsStream(ASSETS + name)) {
            if (in == null) {
                throw new IOException("web asset " + ASSETS + name + " is missing from the classpath (engine jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private PageHttpServer.Response asset(String method, String name, String type) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return methodNotAllowed("GET");
        }
        try {
            byte[] body = resource(name).getBytes(StandardCharsets.UTF_8);
            return withSecurityHeaders(new PageHttpServer.Response(200, headers(type), method.equals("HEAD") ? new byte[0] : body));
        } catch (IOException e) {
            return json(404, error("no such asset: " + name));
        }
    }

    private PageHttpServer.Response methodNotAllowed(String allow) {
        PageHttpServer.Response r = json(405, error("method not allowed; use " + allow));
        r.headers().add(new String[] {"Allow", allow});
        return r;
    }

    private static ObjectNode error(String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", message);
        n.put("message", message);
        return n;
    }

    private static List<String[]> headers(String type) {
        List<String[]> h = new ArrayList<>();
        h.add(new String[] {"Content-Type", type});
        return h;
    }

    private static PageHttpServer.Response json(int status, JsonNode n) {
        return withSecurityHeaders(new PageHttpServer.Response(status, headers("application/json; charset=utf-8"),
                n.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static PageHttpServer.Response html(String page) {
        return withSecurityHeaders(new PageHttpServer.Response(200, headers("text/html; charset=utf-8"),
                page.getBytes(StandardCharsets.UTF_8)));
    }

    private static PageHttpServer.Response text(int status, String body) {
        return withSecurityHeaders(new PageHttpServer.Response(status, headers("text/plain; charset=utf-8"),
                body.getBytes(StandardCharsets.UTF_8)));
    }

    private static PageHttpServer.Response withSecurityHeaders(PageHttpServer.Response r) {
        List<String[]> h = r.headers();
        h.add(new String[] {"Content-Security-Policy", CSP});
        h.add(new String[] {"X-Content-Type-Options", "nosniff"});
        h.add(new String[] {"Referrer-Policy", "no-referrer"});
        h.add(new String[] {"Cache-Control", "no-store"});
        h.add(new String[] {"X-Frame-Options", "DENY"});
        return r;
    }

    private static CompletableFuture<PageHttpServer.Response> done(PageHttpServer.Response r) {
        return CompletableFuture.completedFuture(r);
    }
}
