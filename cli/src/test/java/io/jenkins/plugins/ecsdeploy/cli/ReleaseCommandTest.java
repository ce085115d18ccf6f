package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.ecsdeploy.simulator.EcsSimulator;
import io.jenkins.plugins.ecsdeploy.simulator.LoadBalancerType;
import io.jenkins.plugins.ecsdeploy.simulator.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ecs-deploy release --file release.json} (issue 14, docs/releases.md): three services in two waves against a
 * simulator — one gate per wave approved unattended; a circuit breaker in wave 2 rolls the release back and the
 * outcome names the service that caused it; a bad file is refused before any call; the same file runs with --sandbox.
 */
class ReleaseCommandTest {
    EcsSimulator sim;
    String endpoint;
    @TempDir
    Path dir;

    @BeforeEach
    void startSimulator() {
        sim = EcsSimulator.builder().clock(VirtualClock.scaled(Instant.now(), 600)).build().start();
        sim.scenario().minimumStageDuration(Duration.ofSeconds(30));
        for (String s : new String[] {"api", "worker", "web"}) {
            sim.seed().loadBalancedService("prod", s, 2, LoadBalancerType.ALB);
        }
        endpoint = sim.endpoint().toString();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    static String release(String webImage, String webStrategy, boolean gate) {
        return """
                {
                  "name": "shop 1.4",
                  "waves": [["api", "worker"], ["web"]],
                  %s
                  "services": {
                    "api":    {"cluster": "prod", "service": "api",    "image": {"web": "registry/api:1.4"}, "strategy": "blue-green", "bakeMinutes": 0},
                    "worker": {"cluster": "prod", "service": "worker", "image": ["web=registry/worker:1.4"], "strategy": "blue-green", "bakeMinutes": 0},
                    "web":    {"cluster": "prod", "service": "web",    "image": {"web": "%s"}, %s}
                  }
                }
                """.formatted(gate ? "\"gate\": {\"timeoutMinutes\": 30},\n" : "", webImage, webStrategy);
    }

    Path file(String text) throws Exception {
        Path f = dir.resolve("release.json");
        Files.writeString(f, text);
        return f;
    }

    CliRun run(Path f, String... more) throws Exception {
        String[] base = {"release", "--file", f.toString(), "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", "--plain"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.run(all);
    }

    @Test
    void aReleaseOfThreeServicesInTwoWavesSucceedsWithOneGatePerWave() throws Exception {
        CliRun r = run(file(release("registry/web:1.4", "\"strategy\": \"blue-green\", \"bakeMinutes\": 0", true)), "--auto-approve", "--user", "alice");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Wave 1 (api, worker) waits at its gate: approving as alice (--auto-approve)"), r.toString());
        assertTrue(r.out().contains("Wave 2 (web) waits at its gate: approving as alice (--auto-approve)"), r.toString());
        assertEquals(2, r.out().split("waits at its gate", -1).length - 1, "one gate per wave: " + r.out());
        assertTrue(r.out().contains("Release shop 1.4: SUCCEEDED: every wave succeeded: api + worker → web"), r.toString());
    }

    @Test
    void aCircuitBreakerInWaveTwoRollsBackEverythingAndNamesTheService() throws Exception {
        sim.scenario().tasksWithImage(":bad", Duration.ofSeconds(30), 1.0);
        CliRun r = run(file(release("registry/web:bad", "\"strategy\": \"rolling\", \"circuitBreaker\": true, \"circuitBreakerRollback\": true", false)));
        assertEquals(ExitCodes.ROLLED_BACK, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Release shop 1.4: ROLLED_BACK: web was rolled back (ROLLED_BACK: circuit breaker triggered"), r.toString());
        assertTrue(r.out().contains("; reverted: api, worker"), r.toString());
        assertTrue(r.out().contains("  api: REVERTED: reverted to "), r.toString());
    }

    @Test
    void aBadFileIsRefusedNamingEachProblemBeforeAnyCall() throws Exception {
        String bad = release("registry/web:1.4", "\"strategy\": \"blue-green\", \"bakeMinuts\": 0", false)
                .replace("[[\"api\", \"worker\"], [\"web\"]]", "[[\"api\"], [\"web\", \"nope\"]]");
        CliRun r = run(file(bad));
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.toString());
        assertTrue(r.err().contains("--file release.json: services.web.bakeMinuts: not a member; one of"), r.toString());
        assertEquals(0L, sim.stats().count("UpdateService"));
    }

    /** The release page: the snapshot of the release and Approve per wave, through the CLI's page server (session + CSRF). */
    @Test
    void theReleasePageShowsTheWavesAndItsApproveContinuesEachWave() throws Exception {
        Path f = file(release("registry/web:1.4", "\"strategy\": \"blue-green\", \"bakeMinutes\": 0", true));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        Cli cli = new Cli(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), false, java.util.Map.of(), 120, "tester",
                new java.io.ByteArrayInputStream(new byte[0]), url -> { });
        java.util.concurrent.CompletableFuture<Integer> done = java.util.concurrent.CompletableFuture.supplyAsync(() -> Main.run(new String[] {
                "release", "--file", f.toString(), "--endpoint", endpoint, "--poll-seconds", "0.2", "--poll-max-seconds", "1", "--plain",
                "--serve-page", "0", "--user", "alice"}, cli));
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
        String base = null;
        String csrf = null;
        int approved = 0;
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.isDone() && System.nanoTime() < end) {
            if (base == null) {
                java.util.regex.Matcher u = java.util.regex.Pattern.compile("Release page: (http://127\\.0\\.0\\.1:\\d+/)").matcher(out.toString());
                base = u.find() ? u.group(1) : null;
                if (base != null) {
                    String html = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                    assertTrue(html.contains("class=\"ecsr\"") && html.contains("release.js"), html);
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("data-csrf-token=\"([^\"]+)\"").matcher(html);
                    assertTrue(m.find(), html);
                    csrf = m.group(1);
                }
            } else {
                String snap;
                try {
                    snap = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "api/snapshot")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException closedAtTheEnd) {
                    // the release ended and its page server closed between the loop's check and this request
                    done.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    break;
                }
                assertTrue(snap.contains("\"kind\":\"release\""), snap);
                int wave = snap.indexOf("\"gate\":\"WAITING\"");
                if (wave >= 0) {
                    int n = snap.substring(0, wave).lastIndexOf("\"index\":") + "\"index\":".length();
                    int index = Integer.parseInt(snap.substring(n, snap.indexOf(',', n)));
                    java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "api/approve"))
                            .header("Content-Type", "application/json").header(ProgressServer.CSRF_HEADER, csrf)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"hookId\":\"wave-" + (index + 1) + "\",\"comment\":\"ok\"}")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        approved++;
                    }
                }
            }
            Thread.sleep(100);
        }
        int code = done.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(0, code, out + "\n" + err);
        assertEquals(2, approved, "one Approve per wave from the page: " + out);
        assertTrue(out.toString().contains("Release shop 1.4: SUCCEEDED"), out.toString());
    }


    @Test
    void theSameFileRunsAgainstTheEmbeddedSandbox() throws Exception {
        CliRun r = CliRun.run("release", "--file", file(release("registry/web:1.4", "\"strategy\": \"blue-green\", \"bakeMinutes\": 0", false)).toString(),
                "--sandbox", "--sandbox-speed", "2000", "--plain");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("Release shop 1.4: SUCCEEDED"), r.toString());
    }
}
