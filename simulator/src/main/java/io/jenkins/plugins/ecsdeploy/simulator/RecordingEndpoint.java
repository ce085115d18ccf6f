package io.jenkins.plugins.ecsdeploy.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A test utility: a loopback HTTP endpoint that records every request it gets (the {@code X-Amz-Target} operation, or
 * the method and path) and answers each with a 500. Point an engine, the CLI or the plugin at it to prove that a
 * refused input made <b>no</b> request leave the process (docs/reliability.md "Bad input"): {@link #requests()} stays
 * empty.
 */
public final class RecordingEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private RecordingEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "recording-endpoint");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            requests.add(target != null ? target.substring(target.indexOf('.') + 1)
                    : ex.getRequestMethod() + " " + ex.getRequestURI());
            try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
            }
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.start();
    }

    /** Starts one on a free loopback port. */
    public static RecordingEndpoint start() {
        try {
            return new RecordingEndpoint();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the recording endpoint: " + e, e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Every request received so far, in order (operation names for AWS JSON calls). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
