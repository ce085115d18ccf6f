package io.jenkins.plugins.ecsdeploy.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The host's proxy reaches the one explicit HTTP client every engine client uses (docs/credentials.md "Proxy"):
 * a request to the ECS endpoint arrives at the proxy with an absolute URI; a host on the no-proxy list goes direct.
 * Loopback only; each server answers one request and stops.
 */
class AwsClientsProxyTest {

    /** Accepts one connection, records its request line and answers an empty ECS list. */
    private static CompletableFuture<String> oneRequest(ServerSocket server) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                String requestLine = in.readLine();
                int length = 0;
                for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                    if (h.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                for (int i = 0; i < length; i++) {
                    in.read();
                }
                byte[] body = "{\"clusterArns\":[]}".getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                return requestLine;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static EngineConfig config(URI endpoint, EngineConfig.Proxy proxy) {
        return EngineConfig.builder().region("eu-west-1").endpointOverride(endpoint).proxy(proxy).maxAttempts(1)
                .apiCallTimeout(Duration.ofSeconds(10)).apiCallAttemptTimeout(Duration.ofSeconds(10))
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"))).build();
    }

    @Test
    void ecsCallsGoThroughTheConfiguredProxyWithAnAbsoluteUri() throws Exception {
        try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = oneRequest(proxy);
            // the endpoint is never contacted directly: only the proxy listens
            URI endpoint = URI.create("http://ecs.example.invalid:4566");
            try (AwsClients c = AwsClients.create(config(endpoint, new EngineConfig.Proxy("127.0.0.1", proxy.getLocalPort(), null, null, List.of())))) {
                c.ecs().listClusters();
            }
            String line = seen.get(10, TimeUnit.SECONDS);
            assertTrue(line.startsWith("POST http://ecs.example.invalid:4566/"), line);
        }
    }

    @Test
    void aHostOnTheNoProxyListIsCalledDirectly() throws Exception {
        try (ServerSocket ecs = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> seen = oneRequest(ecs);
            URI endpoint = URI.create("http://127.0.0.1:" + ecs.getLocalPort());
            // a proxy port nobody listens on: a proxied call would fail
            EngineConfig.Proxy p = new EngineConfig.Proxy("127.0.0.1", 1, "u", "p", List.of("127.0.0.*"));
            try (AwsClients c = AwsClients.create(config(endpoint, p))) {
                c.ecs().listClusters();
            }
            String line = seen.get(10, TimeUnit.SECONDS);
            assertTrue(line.startsWith("POST / "), line);
        }
    }

    @Test
    void aProxyNeverPrintsItsPasswordAndNeedsAHostAndPort() {
        EngineConfig.Proxy p = new EngineConfig.Proxy("proxy.corp", 3128, "jenkins", "s3cret", List.of("*.internal"));
        assertFalse(p.toString().contains("s3cret"), p.toString());
        assertEquals(List.of("*.internal"), p.nonProxyHosts());
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.jenkins.plugins.ecsdeploy.engine.InvalidRequestException.class,
                () -> EngineConfig.builder().region("eu-west-1").proxy(new EngineConfig.Proxy("", 0, null, null, null)).build());
        assertTrue(e.getMessage().contains("proxy"), e.getMessage());
    }
}
