package io.jenkins.plugins.ecsdeploy.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test utility: a loopback HTTP proxy in front of an ECS endpoint (the simulator) that forwards every request and,
 * for the operations it is told to, <b>drops the reply once</b>: the request reaches ECS and is applied, the answer is
 * read and thrown away, and the client's connection is closed without a response — what a client sees when a
 * connection breaks after the server acted (the SDK reports it as an {@code SdkClientException}, e.g. "The target
 * server failed to respond"). Unlike {@link Faults#dropNext} (no answer and <i>not</i> applied), this tests whether a
 * writer repeats a write blindly.
 *
 * <pre>{@code
 * try (LostReplyProxy proxy = LostReplyProxy.start(sim.endpoint())) {
 *     proxy.dropReplyOnce("UpdateService");        // or dropEveryWriteReplyOnce()
 *     ... EngineConfig.endpointOverride(proxy.endpoint()) ...
 *     proxy.forwarded("UpdateService");            // how many reached ECS
 *     proxy.dropped();                             // replies dropped so far, in order
 * }
 * }</pre>
 */
public final class LostReplyProxy implements AutoCloseable {
    /** The writes of the ECS API the engine makes (docs/reliability.md "Writes"). */
    public static final Set<String> WRITES = Set.of("RegisterTaskDefinition", "UpdateService", "ContinueServiceDeployment",
            "StopServiceDeployment", "TagResource", "UntagResource");
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "date", "expect", "from",
            "host", "upgrade", "via", "warning", "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final Map<String, AtomicInteger> dropsLeft = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> forwarded = new ConcurrentHashMap<>();
    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final Set<String> droppedOnce = ConcurrentHashMap.newKeySet();
    private volatile boolean everyWriteOnce;

    private LostReplyProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        this.executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "lost-reply-proxy");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1)
                .build();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a proxy on a free loopback port in front of {@code target} (e.g. {@code sim.endpoint()}). */
    public static LostReplyProxy start(URI target) {
        try {
            return new LostReplyProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the lost-reply proxy: " + e, e);
        }
    }

    /** {@code http://127.0.0.1:<port>}: point the client here instead of at the target. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code times} calls of {@code operation} are applied but their replies are dropped. */
    public LostReplyProxy dropReply(String operation, int times) {
        dropsLeft.computeIfAbsent(operation, k -> new AtomicInteger()).addAndGet(times);
        return this;
    }

    private final Map<String, java.util.concurrent.CompletableFuture<Void>> holds = new ConcurrentHashMap<>();

    /**
     * The next call of {@code operation} is applied at once but its reply is delivered only when {@code release}
     * completes: a slow reply, as seen by a client whose request ECS applied long before answering. The proxy's other
     * threads keep serving meanwhile.
     */
    public LostReplyProxy holdReplyOnce(String operation, java.util.concurrent.CompletableFuture<Void> release) {
        holds.put(operation, release);
        return this;
    }

    /** The next call of {@code operation} is applied but its reply is dropped. */
    public LostReplyProxy dropReplyOnce(String operation) {
        return dropReply(operation, 1);
    }

    /** The first call of every write in {@link #WRITES} (each operation once) loses its reply. */
    public LostReplyProxy dropEveryWriteReplyOnce() {
        everyWriteOnce = true;
        return this;
    }

    /** Calls of {@code operation} that reached the target (dropped replies included). */
    public int forwarded(String operation) {
        AtomicInteger n = forwarded.get(operation);
        return n == null ? 0 : n.get();
    }

    /** The operations whose replies were dropped, in order. */
    public List<String> dropped() {
        return List.copyOf(dropped);
    }

    private boolean takeDrop(String op) {
        if (everyWriteOnce && WRITES.contains(op) && droppedOnce.add(op)) {
            return true;
        }
        AtomicInteger left = dropsLeft.get(op);
        return left != null && left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    private void handle(HttpExchange ex) {
        try {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String targetHeader = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String op = targetHeader == null ? "" : targetHeader.substring(targetHeader.indexOf('.') + 1);
            HttpRequest.Builder rb = HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(30))
                    .method(ex.getRequestMethod(), body.length == 0 && ex.getRequestMethod().equals("GET")
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    for (String v : h.getValue()) {
                        rb.header(h.getKey(), v);
                    }
                }
            }
            boolean drop = !op.isEmpty() && takeDrop(op);
            forwarded.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            HttpResponse<byte[]> resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
            java.util.concurrent.CompletableFuture<Void> hold = op.isEmpty() ? null : holds.remove(op);
            if (hold != null) {
                try {
                    hold.get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // released by failure or never: answer anyway
                }
            }
            if (drop) {
                // Applied by the target; the answer is thrown away and the connection closed without a response.
                dropped.add(op);
                ex.close();
                return;
            }
            resp.headers().map().forEach((k, vs) -> {
                if (!NOT_FORWARDED.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                    vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                }
            });
            byte[] out = resp.body();
            ex.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(out);
                }
            }
            ex.close();
        } catch (IOException | RuntimeException e) {
            ex.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ex.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
