package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** ECS JSON 1.1 over HTTP on loopback (AWS JSON 1.1 as the SDK speaks it; docs/simulator.md), with fault injection. */
final class HttpFrontEnd {
    static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    // SigV4 header shape; the signature itself is not verified (any static credentials are accepted).
    private static final Pattern SIGV4 = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=[^/,\\s]+/\\d{8}/[^/,\\s]+/[^/,\\s]+/aws4_request,\\s*SignedHeaders=[^,\\s]+,\\s*Signature=[0-9a-f]+\\s*");

    static {
        // The JDK server leaves Nagle's algorithm on by default; with the client's delayed ACKs every small
        // answer then waits ~40 ms. Read once when the JDK's server classes initialise.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Api api;
    private final Faults faults;
    private final CallStats stats;
    private HttpServer server;
    private ExecutorService executor;
    private ScheduledExecutorService delayer;
    /** CloudWatch GetMetricData (Smithy RPC v2 CBOR, path /service/...) on the same port; docs/simulator.md "CloudWatch metrics". */
    volatile CloudWatchServer cloudWatch;

    HttpFrontEnd(Api api, Faults faults, CallStats stats) {
        this.api = api;
        this.faults = faults;
        this.stats = stats;
    }

    int start(String host, int port, int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 50);
        executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ecs-simulator-http");
            t.setDaemon(true);
            return t;
        });
        delayer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ecs-simulator-latency");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress().getPort();
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            delayer.shutdownNow();
        }
    }

    private void handle(HttpExchange ex) {
        try {
            CloudWatchServer cw = cloudWatch;
            if (cw != null && CloudWatchServer.handles(ex)) {
                cw.handle(ex);
                return;
            }
            if ("GET".equals(ex.getRequestMethod())) {
                respond(ex, 200, "text/plain", "ecs-simulator\n".getBytes(StandardCharsets.UTF_8), Duration.ZERO);
                return;
            }
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"POST".equals(ex.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                error(ex, new AwsError("UnknownOperationException", 400,
                        "Expected POST / with X-Amz-Target: " + TARGET_PREFIX + "<Operation>."), Duration.ZERO);
                return;
            }
            String op = target.substring(TARGET_PREFIX.length());
            stats.record(op);
            Duration latency = faults.latency();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null) {
                error(ex, new AwsError("MissingAuthenticationTokenException", 403, "Missing Authentication Token"), latency);
                return;
            }
            if (!SIGV4.matcher(auth).matches()) {
                error(ex, new AwsError("IncompleteSignatureException", 400,
                        "Authorization header is not a SigV4 header (AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...)."), latency);
                return;
            }
            switch (faults.decide(op)) {
                case DROP -> {
                    // Closing before any response header closes the connection: the client sees no answer.
                    drain(ex);
                    ex.close();
                    return;
                }
                case THROTTLE -> {
                    drain(ex);
                    error(ex, new AwsError("ThrottlingException", 400, "Rate exceeded"), latency);
                    return;
                }
                case SERVER_ERROR -> {
                    drain(ex);
                    error(ex, new AwsError("ServerException", 500, "Internal service error (injected by the simulator)."), latency);
                    return;
                }
                default -> {
                }
            }
            if (!Api.OPERATIONS.contains(op)) {
                drain(ex);
                error(ex, new AwsError("UnknownOperationException", 400, "Operation " + op + " is not supported by the simulator."), latency);
                return;
            }
            ObjectNode body;
            try (InputStream in = ex.getRequestBody()) {
                byte[] bytes = in.readAllBytes();
                JsonNode n = bytes.length == 0 ? Json.obj() : Json.MAPPER.readTree(bytes);
                if (n == null || !n.isObject()) {
                    throw new AwsError("SerializationException", 400, "The request body must be a JSON object.");
                }
                body = (ObjectNode) n;
            } catch (JsonProcessingException e) {
                error(ex, new AwsError("SerializationException", 400, "The request body is not valid JSON."), latency);
                return;
            }
            ObjectNode result;
            try {
                result = api.handle(op, body);
            } catch (AwsError e) {
                error(ex, e, latency);
                return;
            } catch (RuntimeException e) {
                System.err.println("ecs-simulator: " + op + " failed: " + e);
                e.printStackTrace();
                error(ex, new AwsError("ServerException", 500, "Internal error in the simulator: " + e), latency);
                return;
            }
            respond(ex, 200, CONTENT_TYPE, Json.MAPPER.writeValueAsBytes(result), latency);
        } catch (IOException | RuntimeException e) {
            ex.close();
        }
    }

    private static void drain(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        } catch (IOException ignored) {
            // the connection is going away anyway
        }
    }

    private void error(HttpExchange ex, AwsError e, Duration latency) throws IOException {
        ObjectNode n = Json.obj();
        n.put("__type", e.type);
        n.put("message", e.getMessage());
        respond(ex, e.status, CONTENT_TYPE, Json.MAPPER.writeValueAsBytes(n), latency);
    }

    private void respond(HttpExchange ex, int status, String type, byte[] body, Duration latency) {
        Runnable send = () -> {
            try {
                ex.getResponseHeaders().set("Content-Type", type);
                ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
                ex.sendResponseHeaders(status, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException e) {
                ex.close();
            }
        };
        if (latency.isZero()) {
            send.run();
        } else {
            // Added latency without blocking a server thread: the answer is sent later by a scheduler.
            delayer.schedule(send, latency.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
