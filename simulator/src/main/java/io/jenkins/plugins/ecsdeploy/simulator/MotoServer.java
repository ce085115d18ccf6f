package io.jenkins.plugins.ecsdeploy.simulator;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Starts moto_server (5.2.1, pip package moto[server]; docs/engine.md "10. Tests") on a free loopback port for one test
 * class — the independent check beside our simulator, shared by the engine, plugin and CLI tests (like
 * {@link RecordingEndpoint}, a test utility; JUnit is an optional dependency of this module, needed only here).
 * Missing on PATH: a clear skip, except in CI (CI=true) where it is a failure.
 */
public final class MotoServer implements AutoCloseable {
    public final URI endpoint;
    private final Process process;

    private MotoServer(URI endpoint, Process process) {
        this.endpoint = endpoint;
        this.process = process;
    }

    public static MotoServer start() throws Exception {
        String exe = findOnPath("moto_server");
        if (exe == null) {
            String msg = "moto_server is not on PATH: the moto conformance tests need it (pip install 'moto[server]==5.2.1'; docs/engine.md, 10. Tests)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("moto", ".log");
        Process p = new ProcessBuilder(exe, "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI uri = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                Assertions.fail("moto_server exited at start: " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) uri.resolve("/moto-api/").toURL().openConnection();
                c.setConnectTimeout(500);
                if (c.getResponseCode() == 200) {
                    return new MotoServer(uri, p);
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100); // test-only: waiting for an external process to listen
        }
        p.destroyForcibly();
        throw new IllegalStateException("moto_server did not answer within 30 s: " + Files.readString(log));
    }

    /** Forgets every resource moto holds (its /moto-api/reset). */
    public void reset() throws IOException {
        HttpURLConnection c = (HttpURLConnection) endpoint.resolve("/moto-api/reset").toURL().openConnection();
        c.setRequestMethod("POST");
        c.getResponseCode();
    }

    private static String findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
