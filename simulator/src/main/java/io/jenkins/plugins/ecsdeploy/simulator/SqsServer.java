package io.jenkins.plugins.ecsdeploy.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local Amazon SQS endpoint speaking the AWS JSON 1.0 protocol the SDK v2 SQS client uses (X-Amz-Target
 * {@code AmazonSQS.<Operation>}), with the operations an event consumer needs: CreateQueue, GetQueueUrl, SendMessage,
 * ReceiveMessage (long polling), DeleteMessage, DeleteMessageBatch, GetQueueAttributes. Why our own and not
 * moto_server's SQS: docs/simulator.md "SQS". Queue URLs look like SQS's: {@code http://127.0.0.1:PORT/ACCOUNT/NAME}.
 */
public final class SqsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "AmazonSQS.";
    /** SQS caps WaitTimeSeconds at 20 (ReceiveMessage API reference). */
    static final int MAX_WAIT_SECONDS = 20;

    private final VirtualClock clock;
    private final String account;
    private final Map<String, SqsQueue> queues = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;
    private int port = -1;

    public SqsServer(VirtualClock clock, String account) {
        this.clock = clock;
        this.account = account;
    }

    /** Listens on 127.0.0.1 (port 0 = a free one); returns this. */
    public synchronized SqsServer start(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sqs-simulator-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.port = server.getAddress().getPort();
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The queue of this name, created when new (also what CreateQueue does). */
    public SqsQueue queue(String name) {
        return queues.computeIfAbsent(name, n -> new SqsQueue(n, clock));
    }

    public String queueUrl(String name) {
        queue(name);
        return endpoint() + "/" + account + "/" + name;
    }

    /** The next {@code n} calls are answered 500 InternalError (the SDK retries them). */
    public SqsServer failNext(int n) {
        failNext.set(n);
        return this;
    }

    /** Calls per operation (ReceiveMessage, DeleteMessageBatch, ...). */
    public long calls(String operation) {
        AtomicLong c = calls.get(operation);
        return c == null ? 0 : c.get();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            String op = target != null && target.startsWith(PREFIX) ? target.substring(PREFIX.length()) : null;
            JsonNode in;
            try (InputStream is = x.getRequestBody()) {
                byte[] b = is.readAllBytes();
                in = b.length == 0 ? JSON.createObjectNode() : JSON.readTree(b);
            }
            if (op == null) {
                error(x, 400, "InvalidAction", "AWS.SimpleQueueService.InvalidAction", "no X-Amz-Target " + PREFIX + "*");
                return;
            }
            calls.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(x, 500, "InternalError", "InternalError", "injected failure");
                return;
            }
            dispatch(x, op, in);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error(x, 400, "InvalidParameterValue", "InvalidParameterValue", String.valueOf(e.getMessage()));
        }
    }

    private void dispatch(HttpExchange x, String op, JsonNode in) throws IOException, InterruptedException {
        ObjectNode out = JSON.createObjectNode();
        switch (op) {
            case "CreateQueue" -> out.put("QueueUrl", queueUrl(in.path("QueueName").asText()));
            case "GetQueueUrl" -> {
                String name = in.path("QueueName").asText();
                if (!queues.containsKey(name)) {
                    notFound(x);
                    return;
                }
                out.put("QueueUrl", queueUrl(name));
            }
            case "SendMessage" -> {
                SqsQueue q = byUrl(in);
                if (q == null) {
                    notFound(x);
                    return;
                }
                String body = in.path("MessageBody").asText();
                out.put("MessageId", q.send(body));
                out.put("MD5OfMessageBody", SqsQueue.md5(body));
            }
            case "ReceiveMessage" -> {
                SqsQueue q = byUrl(in);
                if (q == null) {
                    notFound(x);
                    return;
                }
                receive(q, in, out);
            }
            case "DeleteMessage" -> {
                SqsQueue q = byUrl(in);
                if (q == null) {
                    notFound(x);
                    return;
                }
                q.delete(in.path("ReceiptHandle").asText(null));
            }
            case "DeleteMessageBatch" -> {
                SqsQueue q = byUrl(in);
                if (q == null) {
                    notFound(x);
                    return;
                }
                ArrayNode ok = out.putArray("Successful");
                out.putArray("Failed");
                for (JsonNode e : in.path("Entries")) {
                    q.delete(e.path("ReceiptHandle").asText(null)); // SQS accepts stale handles of deleted messages too
                    ok.addObject().put("Id", e.path("Id").asText());
                }
            }
            case "GetQueueAttributes" -> {
                SqsQueue q = byUrl(in);
                if (q == null) {
                    notFound(x);
                    return;
                }
                ObjectNode a = out.putObject("Attributes");
                a.put("ApproximateNumberOfMessages", String.valueOf(q.visible()));
                a.put("ApproximateNumberOfMessagesNotVisible", String.valueOf(q.size() - q.visible()));
            }
            default -> {
                error(x, 400, "InvalidAction", "AWS.SimpleQueueService.InvalidAction", "not supported here: " + op);
                return;
            }
        }
        reply(x, 200, out);
    }

    private void receive(SqsQueue q, JsonNode in, ObjectNode out) throws InterruptedException {
        int max = Math.max(1, Math.min(10, in.path("MaxNumberOfMessages").asInt(1)));
        int wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, in.path("WaitTimeSeconds").asInt(0)));
        Duration vis = in.has("VisibilityTimeout") ? Duration.ofSeconds(in.get("VisibilityTimeout").asInt()) : null;
        List<SqsQueue.Message> got = q.receiveWaiting(max, vis, Duration.ofSeconds(wait));
        if (got.isEmpty()) {
            return; // no Messages member, as SQS answers an empty receive
        }
        ArrayNode a = out.putArray("Messages");
        for (SqsQueue.Message m : got) {
            ObjectNode o = a.addObject();
            o.put("MessageId", m.messageId());
            o.put("ReceiptHandle", m.receiptHandle());
            o.put("MD5OfBody", m.md5OfBody());
            o.put("Body", m.body());
            o.putObject("Attributes").put("ApproximateReceiveCount", String.valueOf(m.receiveCount()));
        }
    }

    private SqsQueue byUrl(JsonNode in) {
        String url = in.path("QueueUrl").asText("");
        String name = url.substring(url.lastIndexOf('/') + 1);
        return queues.get(name);
    }

    private void notFound(HttpExchange x) throws IOException {
        error(x, 400, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
    }

    /** JSON 1.0 error: __type names the modelled shape; x-amzn-query-error carries the older query-protocol code. */
    private void error(HttpExchange x, int status, String type, String queryCode, String message) throws IOException {
        x.getResponseHeaders().add("x-amzn-query-error", queryCode + ";" + (status >= 500 ? "Receiver" : "Sender"));
        ObjectNode e = JSON.createObjectNode();
        e.put("__type", "com.amazonaws.sqs#" + type);
        e.put("message", message);
        reply(x, status, e);
    }

    private static void reply(HttpExchange x, int status, ObjectNode body) throws IOException {
        byte[] b = body.toString().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        x.getResponseHeaders().add("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        x.sendResponseHeaders(status, b.length);
        try (OutputStream os = x.getResponseBody()) {
            os.write(b);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }
}
