package io.jenkins.plugins.ecsdeploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves the progress page on 127.0.0.1 (docs/cli.md "The progress page"): the shared web assets from the engine
 * jar, the snapshot JSON, the two gate decision endpoints and "Roll back now" ({@code POST /api/rollback-now}).
 *
 * <p>Security: the server listens on loopback only; a POST must carry the per-run random CSRF token (embedded in
 * the page) in the {@value #CSRF_HEADER} header, else 403; every request must name 127.0.0.1/localhost in its Host
 * header (else 403), so a DNS-rebinding page cannot read the token; the page is sent with a Content-Security-Policy
 * that allows only this origin's script and styles (no inline script), so even a bug that put untrusted text into
 * HTML could not run it.
 */
public final class ProgressServer implements AutoCloseable {
    public static final String CSRF_HEADER = "X-ECS-Deploy-CSRF";
    static final String ASSETS = "/io/jenkins/plugins/ecsdeploy/web/";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final int MAX_BODY = 16 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final Backend backend;
    private final String title;
    private final int pollMs;

    public ProgressServer(int port, Backend backend, String title) throws IOException {
        this(port, backend, title, 2000);
    }

    public ProgressServer(int port, Backend backend, String title, int pollMs) throws IOException {
        this.backend = backend;
        this.pollMs = pollMs;
        this.title = title;
        byte[] t = new byte[24];
        new SecureRandom().nextBytes(t);
        this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread th = new Thread(r, "ecs-deploy-page");
            th.setDaemon(true);
            return th;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    /** The per-run CSRF token (tests use it to prove a POST with it is accepted). */
    public String csrfToken() {
        return token;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
            if (!hostAllowed(ex.getRequestHeaders().getFirst("Host"))) {
                sendJson(ex, 403, error("Host header not allowed; use http://127.0.0.1:" + port() + "/"));
                return;
            }
            switch (path) {
                case "/", "/index.html" -> {
                    if (!method.equals("GET") && !method.equals("HEAD")) {
                        methodNotAllowed(ex, "GET");
                    } else {
                        send(ex, 200, "text/html; charset=utf-8", page().getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "/assets/progress.js" -> asset(ex, method, "progress.js", "text/javascript; charset=utf-8");
                case "/assets/progress.css" -> asset(ex, method, "progress.css", "text/css; charset=utf-8");
                case "/api/snapshot" -> {
                    if (!method.equals("GET")) {
                        methodNotAllowed(ex, "GET");
                    } else {
                        send(ex, 200, "application/json; charset=utf-8", backend.snapshotJson().getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "/api/approve", "/api/rollback" -> decide(ex, method, path.endsWith("approve") ? Act.APPROVE : Act.ROLLBACK);
                case "/api/rollback-now" -> decide(ex, method, Act.ROLLBACK_NOW);
                default -> sendJson(ex, 404, error("not found"));
            }
        } catch (RuntimeException e) {
            try {
                sendJson(ex, 500, error("internal error: " + e.getClass().getSimpleName()));
            } catch (IOException | RuntimeException ignored) {
                // the response may already be committed; nothing more to tell the client
            }
        }
    }

    /** What a POST asks for: continue a gate, roll back at a gate (or the deployment), roll back the deployment now. */
    private enum Act { APPROVE, ROLLBACK, ROLLBACK_NOW }

    private void decide(HttpExchange ex, String method, Act act) throws IOException {
        boolean approve = act == Act.APPROVE;
        if (!method.equals("POST")) {
            methodNotAllowed(ex, "POST");
            return;
        }
        String given = ex.getRequestHeaders().getFirst(CSRF_HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            sendJson(ex, 403, error("missing or wrong CSRF token (header " + CSRF_HEADER + ")"));
            return;
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            sendJson(ex, 413, error("request body larger than " + MAX_BODY + " bytes"));
            return;
        }
        String hookId = null;
        String comment = null;
        if (body.length > 0) {
            try {
                JsonNode n = JSON.readTree(body);
                hookId = n.hasNonNull("hookId") && !n.get("hookId").asText().isBlank() ? n.get("hookId").asText() : null;
                comment = n.hasNonNull("comment") ? n.get("comment").asText() : null;
            } catch (IOException e) {
                sendJson(ex, 400, error("body must be JSON: {\"hookId\": \"...\", \"comment\": \"...\"}"));
                return;
            }
        }
        if (approve && hookId == null) {
            sendJson(ex, 400, error("hookId is required to approve"));
            return;
        }
        Decision d;
        try {
            d = (switch (act) {
                case APPROVE -> backend.approve(hookId, comment);
                case ROLLBACK -> backend.rollback(hookId, comment);
                case ROLLBACK_NOW -> backend.rollbackNow(comment);
            }).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendJson(ex, 503, error("interrupted"));
            return;
        } catch (Exception e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            sendJson(ex, 502, error("the decision could not be sent: " + c.getMessage()));
            return;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("result", d.result());
        n.put("message", d.message());
        sendJson(ex, d.applied() ? 200 : 409, n);
    }

    private boolean hostAllowed(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        int p = port();
        return h.equals("127.0.0.1:" + p) || h.equals("localhost:" + p) || h.equals("[::1]:" + p);
    }

    private String page() throws IOException {
        // The template's leading comment documents the placeholders; it is not sent.
        return fill(resource("progress.html").replaceFirst("(?s)<!--.*?-->\\s*", ""), java.util.Map.of("title", title == null ? "Deployment" : title,
                "assetBase", "/assets/", "snapshotUrl", "/api/snapshot", "approveUrl", "/api/approve",
                "rollbackUrl", "/api/rollback", "abortUrl", "/api/rollback-now", "csrfHeader", CSRF_HEADER,
                "csrfToken", token, "pollMs", String.valueOf(pollMs)));
    }

    /** Replaces every {{name}} in one pass (so a value can never introduce another placeholder), HTML-escaped. */
    static String fill(String template, java.util.Map<String, String> values) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\{(\\w+)}}").matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(v == null ? "" : Html.escape(v)));
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

    private void asset(HttpExchange ex, String method, String name, String type) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            methodNotAllowed(ex, "GET");
            return;
        }
        send(ex, 200, type, resource(name).getBytes(StandardCharsets.UTF_8));
    }

    private void methodNotAllowed(HttpExchange ex, String allow) throws IOException {
        ex.getResponseHeaders().set("Allow", allow);
        sendJson(ex, 405, error("method not allowed; use " + allow));
    }

    private static ObjectNode error(String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("error", message);
        n.put("message", message);
        return n;
    }

    private static void sendJson(HttpExchange ex, int status, JsonNode n) throws IOException {
        send(ex, status, "application/json; charset=utf-8", n.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", type);
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Cache-Control", "no-store");
        h.set("X-Frame-Options", "DENY");
        boolean head = ex.getRequestMethod().equalsIgnoreCase("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        }
    }

    /** Minimal HTML escaping for the few values put into the page template (attribute and text safe). */
    static final class Html {
        private Html() {}

        static String escape(String s) {
            if (s == null) {
                return "";
            }
            StringBuilder b = new StringBuilder(s.length() + 16);
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '&' -> b.append("&amp;");
                    case '<' -> b.append("&lt;");
                    case '>' -> b.append("&gt;");
                    case '"' -> b.append("&quot;");
                    case '\'' -> b.append("&#39;");
                    default -> b.append(c);
                }
            }
            return b.toString();
        }
    }
}
