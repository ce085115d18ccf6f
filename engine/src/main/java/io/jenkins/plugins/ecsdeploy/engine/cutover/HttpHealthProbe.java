package io.jenkins.plugins.ecsdeploy.engine.cutover;

import io.jenkins.plugins.ecsdeploy.engine.EngineConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The health check's HTTP client: the JDK's {@link HttpClient}, asynchronous, redirects not followed, through the
 * host's proxy when one is configured ({@link EngineConfig#proxy()}; its {@code nonProxyHosts} honoured) and never
 * through the JVM's proxy settings — the same rule as the engine's AWS calls (docs/engine.md "6. AWS plumbing"). The body is discarded
 * unread: only the status counts, and nothing of the answer is logged.
 */
final class HttpHealthProbe implements HealthProbe {
    private final HttpClient http;

    HttpHealthProbe(EngineConfig.Proxy proxy) {
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).proxy(selector(proxy)).build();
    }

    @Override
    public CompletableFuture<Result> get(String url, Duration timeout) {
        HttpRequest req;
        try {
            req = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
                    .header("User-Agent", "ecs-deploy-cutover-health-check").build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Result(null, "not a URL"));
        }
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding())
                .handle((resp, err) -> {
                    if (err == null) {
                        return new Result(resp.statusCode(), null);
                    }
                    Throwable c = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
                    if (c instanceof HttpTimeoutException) {
                        return new Result(null, "no answer within " + timeout.toSeconds() + " s");
                    }
                    if (c instanceof java.net.ConnectException) {
                        return new Result(null, "connection refused or unreachable");
                    }
                    return new Result(null, c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()));
                });
    }

    static ProxySelector selector(EngineConfig.Proxy p) {
        if (p == null) {
            return HttpClient.Builder.NO_PROXY;
        }
        Proxy proxy = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(p.host(), p.port()));
        List<Pattern> bypass = p.nonProxyHosts().stream()
                .map(h -> Pattern.compile(Pattern.quote(h).replace("*", "\\E.*\\Q"), Pattern.CASE_INSENSITIVE)).toList();
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                String host = uri.getHost() == null ? "" : uri.getHost();
                for (Pattern b : bypass) {
                    if (b.matcher(host).matches()) {
                        return List.of(Proxy.NO_PROXY);
                    }
                }
                return List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // nothing to remember: the check reports the failure
            }
        };
    }
}
