package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentEvent;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentHandle;
import io.jenkins.plugins.ecsdeploy.engine.DeploymentSnapshot;
import io.jenkins.plugins.ecsdeploy.engine.HookAction;
import io.jenkins.plugins.ecsdeploy.engine.Outcome;
import io.jenkins.plugins.ecsdeploy.engine.OutcomeKind;
import io.jenkins.plugins.ecsdeploy.engine.RollbackCause;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The progress page's fixes of issue 11, each pinned in Chromium against a fixed snapshot served by the CLI's page
 * server — so nothing depends on the machine's speed or the wall clock (the snapshot carries the host member
 * {@code now}): the sum of a repeated stage's visits, the rollback drawn in its own colour with the stages it undid,
 * a rolling deployment's page, labels and words that never break mid-word at 390 px, the tab title and icon while a
 * gate waits, the timeout in words, the confirmation after a decision and no stale offers, the plan's step, the
 * virtual-time label and the extension point for other features' panels.
 *
 * <p>Without Chromium/ChromeDriver the tests are skipped with the reason, except in CI (CI=true), where they fail.
 */
class ProgressPageTest {
    static final String ARN = "arn:aws:ecs:us-east-1:123456789012:service-deployment/demo/web/x1";
    static final Instant T = Instant.parse("2026-12-02T14:00:00Z");

    private static WebDriver driver;
    private static Path profileDir;
    private ProgressServer server;
    private final AtomicReference<String> json = new AtomicReference<>();
    private final List<String> decisions = new ArrayList<>();

    @BeforeEach
    void browser() throws Exception {
        String chromium = System.getProperty("ecsdeploy.chromium", "/usr/bin/chromium");
        String chromedriver = System.getProperty("ecsdeploy.chromedriver", "/usr/bin/chromedriver");
        List<String> missing = new ArrayList<>();
        if (!new File(chromium).canExecute()) {
            missing.add(chromium);
        }
        if (!new File(chromedriver).canExecute()) {
            missing.add(chromedriver);
        }
        if (!missing.isEmpty()) {
            String reason = "browser test needs Chromium and ChromeDriver (apt-get install -y chromium chromium-driver); missing: "
                    + String.join(", ", missing);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(reason + " (CI=true: a missing browser is a failure, not a skip)");
            }
            Assumptions.assumeTrue(false, reason);
        }
        if (driver == null) {
            profileDir = Files.createTempDirectory("ecsd-chromium-page-");
            ChromeOptions o = new ChromeOptions();
            o.setBinary(chromium);
            o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                    "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profileDir);
            driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                    .usingAnyFreePort().build(), o);
        }
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profileDir != null) {
            try (var files = Files.walk(profileDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ------------------------------------------------------------------ fixtures

    static DeploymentHandle handle(String strategy) {
        return new DeploymentHandle(ARN, "us-east-1", "123456789012", "demo", "web", null, strategy,
                List.of("POST_TEST_TRAFFIC_SHIFT"));
    }

    /** A canary with images and its plan, through SCALE_UP and the test traffic, to the gate at POST_TEST_TRAFFIC_SHIFT. */
    static List<DeploymentEvent> canaryToGate() {
        List<DeploymentEvent> e = new ArrayList<>();
        e.add(new DeploymentEvent.Observed(T, ARN, "svc", "cl", "CANARY",
                List.of("arn:aws:ecs:us-east-1:123456789012:service-revision/demo/web/1111111111111111111"),
                "arn:aws:ecs:us-east-1:123456789012:service-revision/demo/web/2222222222222222222", T, List.of("web-5xx")));
        e.add(new DeploymentEvent.RevisionsDescribed(T, List.of(
                new DeploymentEvent.RevisionDetails("blue", "rev/1", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:1",
                        new java.util.LinkedHashMap<>(Map.of("web", "public.ecr.aws/nginx/nginx:1.27"))),
                new DeploymentEvent.RevisionDetails("green", "rev/2", "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2",
                        new java.util.LinkedHashMap<>(Map.of("web", "public.ecr.aws/nginx/nginx:1.28")))), List.of()));
        e.add(new DeploymentEvent.PlanObserved(T, "CANARY", 10.0, 5, 10));
        e.add(new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(5), "SCALE_UP"));
        e.add(new DeploymentEvent.TasksChanged(T.plusSeconds(5), "blue", null, 4, 4, 0));
        e.add(new DeploymentEvent.TasksChanged(T.plusSeconds(60), "green", null, 4, 4, 0));
        e.add(new DeploymentEvent.TrafficChanged(T.plusSeconds(5), 0.0, 0.0, 100.0, 100.0));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(65), "SCALE_UP"));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(65), "TEST_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.TrafficChanged(T.plusSeconds(70), 0.0, 100.0, 100.0, 0.0));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(95), "TEST_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(95), "POST_TEST_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.HookStatusChanged(T.plusSeconds(96), "POST_TEST_TRAFFIC_SHIFT", "h-1", "PAUSE", null,
                "AWAITING_ACTION", T.plusSeconds(96 + 3600), "ROLLBACK"));
        e.add(new DeploymentEvent.GateAwaiting(T.plusSeconds(96), "POST_TEST_TRAFFIC_SHIFT", "h-1", T.plusSeconds(96 + 3600)));
        return e;
    }

    /** The gate approved, then two production steps (PRODUCTION_TRAFFIC_SHIFT entered twice, 5 min apart), now baking. */
    static List<DeploymentEvent> canaryBaking() {
        List<DeploymentEvent> e = new ArrayList<>(canaryToGate());
        e.add(new DeploymentEvent.GateDecided(T.plusSeconds(120), "POST_TEST_TRAFFIC_SHIFT", "h-1", HookAction.CONTINUE, "alice", "looks fine"));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(125), "POST_TEST_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(125), "PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.TrafficChanged(T.plusSeconds(130), 10.0, 100.0, 90.0, 0.0));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(430), "PRODUCTION_TRAFFIC_SHIFT"));     // 5m 05s
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(430), "PRE_PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(440), "PRE_PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(440), "PRODUCTION_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.TrafficChanged(T.plusSeconds(445), 100.0, 100.0, 0.0, 0.0));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(465), "PRODUCTION_TRAFFIC_SHIFT"));     // 25s
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(465), "BAKE_TIME"));
        return e;
    }

    static List<DeploymentEvent> canarySucceeded() {
        List<DeploymentEvent> e = new ArrayList<>(canaryBaking());
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(1065), "BAKE_TIME"));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(1065), "CLEAN_UP"));
        e.add(new DeploymentEvent.TasksChanged(T.plusSeconds(1080), "blue", null, 0, 0, 0));
        e.add(new DeploymentEvent.StatusChanged(T.plusSeconds(1090), "SUCCESSFUL", null));
        e.add(new DeploymentEvent.Finished(T.plusSeconds(1090), Outcome.succeeded("deployment succeeded: web:2 (nginx:1.27 → nginx:1.28) is live")));
        return e;
    }

    /** Rejected at the gate by alice: ECS re-runs TEST_TRAFFIC_SHIFT and CLEAN_UP while rolling back. */
    static List<DeploymentEvent> canaryRolledBack() {
        List<DeploymentEvent> e = new ArrayList<>(canaryToGate());
        e.add(new DeploymentEvent.GateDecided(T.plusSeconds(150), "POST_TEST_TRAFFIC_SHIFT", "h-1", HookAction.ROLLBACK, "alice", "p99 > 2 s"));
        e.add(new DeploymentEvent.RollbackStarted(T.plusSeconds(151), RollbackCause.GATE_REJECTED,
                "gate at POST_TEST_TRAFFIC_SHIFT rejected by alice: p99 > 2 s"));
        e.add(new DeploymentEvent.StatusChanged(T.plusSeconds(155), "ROLLBACK_IN_PROGRESS", null));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(155), "POST_TEST_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(155), "TEST_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageLeft(T.plusSeconds(175), "TEST_TRAFFIC_SHIFT"));
        e.add(new DeploymentEvent.StageEntered(T.plusSeconds(175), "CLEAN_UP"));
        e.add(new DeploymentEvent.StatusChanged(T.plusSeconds(200), "ROLLBACK_SUCCESSFUL", null));
        e.add(new DeploymentEvent.Finished(T.plusSeconds(200), new Outcome(OutcomeKind.ROLLED_BACK, RollbackCause.GATE_REJECTED,
                "gate at POST_TEST_TRAFFIC_SHIFT rejected by alice: p99 > 2 s", "alice")));
        return e;
    }

    /** Serves {@code events} folded, with the host members now (the deployment clock) and, if asked, virtualTime. */
    private void serve(DeploymentHandle h, List<DeploymentEvent> events, Instant now, Double virtualSpeed) throws Exception {
        json.set(snapshotJson(h, events, now, virtualSpeed));
        if (server == null) {
            ProgressServer.Backend b = new ProgressServer.Backend() {
                public String snapshotJson() { return json.get(); }
                public CompletableFuture<ProgressServer.Decision> approve(String hookId, String c) {
                    decisions.add("approve " + hookId);
                    return CompletableFuture.completedFuture(new ProgressServer.Decision(true, "APPLIED", "Approved by tester."));
                }
                public CompletableFuture<ProgressServer.Decision> rollback(String hookId, String c) {
                    decisions.add("rollback " + hookId);
                    return CompletableFuture.completedFuture(new ProgressServer.Decision(true, "APPLIED", "Rollback requested by tester."));
                }
            };
            server = new ProgressServer(0, b, "web deployment", 150);
            driver.get(server.url());
        }
    }

    static String snapshotJson(DeploymentHandle h, List<DeploymentEvent> events, Instant now, Double virtualSpeed) {
        ObjectNode n = DeploymentSnapshot.fold(h, events).toJsonNode();
        n.put("now", now.toString());
        if (virtualSpeed != null) {
            n.putObject("virtualTime").put("speed", virtualSpeed);
        }
        return n.toString();
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private static String text(String css) {
        Object r = js("var e = document.querySelector(arguments[0]); return e ? e.innerText : null;", css);
        return r == null ? "" : r.toString();
    }

    private static String attr(String css, String name) {
        Object r = js("var e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
        return r == null ? null : r.toString();
    }

    private static void until(Function<WebDriver, Boolean> condition) {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(50));
        w.ignoring(StaleElementReferenceException.class);
        w.withMessage(() -> "\n--- page\n" + text(".ecsd"));
        w.until(condition::apply);
    }

    /** Waits until the page has rendered {@code n} more snapshots (its own counter: no dependence on the clock). */
    private static void waitForPolls(int n) {
        int start = Integer.parseInt(attr(".ecsd", "data-renders"));
        until(d -> Integer.parseInt(attr(".ecsd", "data-renders")) >= start + n);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aStageEnteredMoreThanOnceShowsTheSumOfItsVisitsAndEachVisitOnDemand() throws Exception {
        serve(handle("CANARY"), canaryBaking(), T.plusSeconds(600), null);
        until(d -> "current".equals(attr(".ecsd-stage[data-stage=BAKE_TIME]", "data-state")));
        // 5m 05s + 25s = 5m 30s; first entry to last exit would be 5m 40s
        assertEquals("5m 30s", text(".ecsd-stages .ecsd-stage[data-stage=PRODUCTION_TRAFFIC_SHIFT] .ecsd-stage-time"));
        String summary = text(".ecsd-stage[data-stage=PRODUCTION_TRAFFIC_SHIFT] details summary");
        assertEquals("2 visits, 5m 30s in all", summary);
        js("document.querySelector('.ecsd-stage[data-stage=PRODUCTION_TRAFFIC_SHIFT] details summary').click();");
        until(d -> text(".ecsd-stage[data-stage=PRODUCTION_TRAFFIC_SHIFT] details ol").contains("14:07:20Z · 25s"));
        assertTrue(text(".ecsd-stage[data-stage=PRODUCTION_TRAFFIC_SHIFT] details ol").contains("14:02:05Z · 5m 05s"));
        // it stays open across polls (the page rebuilds the list on every poll)
        waitForPolls(3); // the state must survive the page's rebuilds, however fast or slow they come
        assertEquals(Boolean.TRUE, js("return document.querySelector('.ecsd-stage[data-stage=PRODUCTION_TRAFFIC_SHIFT] details').open;"));
        // the current stage: this visit's time; people's name with ECS's beside it
        assertEquals("2m 15s in stage", text(".ecsd-stage[data-stage=BAKE_TIME] .ecsd-stage-time"));
        assertEquals("Bake, old kept ready", text(".ecsd-stage[data-stage=BAKE_TIME] .ecsd-stage-label"));
        assertEquals("BAKE_TIME", text(".ecsd-stage[data-stage=BAKE_TIME] .ecsd-stage-name").replace("\n", ""));
        // the plan's step, read on the deployment's clock: 10 min final bake from 14:07:45, now 14:10:00
        assertEquals("Canary 2/2 · 100 % · final bake 7m 45s left · about 8 min to go", text(".ecsd-step"));
    }

    @Test
    void aRolledBackDeploymentDrawsTheRollbackInItsOwnColourAndMarksTheStagesItUndid() throws Exception {
        serve(handle("CANARY"), canaryRolledBack(), T.plusSeconds(200), null);
        until(d -> "ROLLED_BACK".equals(attr(".ecsd-status-pill", "data-kind")));
        // forward stages the rollback took back: marked, not green "done"
        for (String st : List.of("SCALE_UP", "TEST_TRAFFIC_SHIFT", "POST_TEST_TRAFFIC_SHIFT")) {
            String css = ".ecsd-stages > .ecsd-stage[data-stage=" + st + "][data-path=forward]";
            assertEquals("true", attr(css, "data-undone"), st);
            assertEquals("undone by the rollback", text(css + " .ecsd-stage-note"), st);
            assertEquals("rgb(126, 34, 206)", js("return getComputedStyle(document.querySelector(arguments[0]), '::before').borderTopColor;", css), st);
        }
        // stages never reached are not done
        for (String st : List.of("PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME")) {
            assertEquals("skipped", attr(".ecsd-stages > .ecsd-stage[data-stage=" + st + "][data-path=forward]", "data-state"), st);
            assertEquals("not reached", text(".ecsd-stages > .ecsd-stage[data-stage=" + st + "][data-path=forward] .ecsd-stage-time"));
        }
        assertEquals("skipped", attr(".ecsd-stages > .ecsd-stage[data-stage=CLEAN_UP][data-path=forward]", "data-state"),
                "the rollback's CLEAN_UP is not the forward one");
        // the rollback path, in order, in the rollback's colour, with its own durations
        assertTrue(text(".ecsd-rollback-title").startsWith("Rollback · GATE_REJECTED"), text(".ecsd-rollback-title"));
        Object order = js("return Array.from(document.querySelectorAll('.ecsd-stages-rollback .ecsd-stage')).map(e => e.getAttribute('data-stage')).join(',');");
        assertEquals("TEST_TRAFFIC_SHIFT,CLEAN_UP", order);
        assertEquals("20s", text(".ecsd-stages-rollback .ecsd-stage[data-stage=TEST_TRAFFIC_SHIFT] .ecsd-stage-time"));
        assertEquals("rgb(126, 34, 206)", js("return getComputedStyle(document.querySelector('.ecsd-stages-rollback .ecsd-stage'), '::before').backgroundColor;"));
        // who serves production now, in words
        assertTrue(text(".ecsd-rev[data-side=blue] h3").startsWith("Blue (live again)"), text(".ecsd-rev[data-side=blue] h3"));
        assertTrue(text(".ecsd-rev[data-side=green] h3").startsWith("Green (rolled back)"), text(".ecsd-rev[data-side=green] h3"));
    }

    @Test
    void aRollingDeploymentShowsItsTasksAndNeitherMissingStagesNorEmptyTrafficBars() throws Exception {
        DeploymentHandle h = new DeploymentHandle(ARN, "us-east-1", "123456789012", "demo", "web", null, "ROLLING", List.of());
        List<DeploymentEvent> e = new ArrayList<>();
        e.add(new DeploymentEvent.Observed(T, ARN, "svc", "cl", "ROLLING", List.of("rev/1"), "rev/2", T, List.of()));
        e.add(new DeploymentEvent.StatusChanged(T, "IN_PROGRESS", null));
        e.add(new DeploymentEvent.TasksChanged(T, "blue", "rev/1", 4, 4, 0));
        e.add(new DeploymentEvent.TasksChanged(T.plusSeconds(30), "green", "rev/2", 4, 2, 2));
        serve(h, e, T.plusSeconds(40), null);
        until(d -> text(".ecsd-rolling-text").startsWith("2 of 4 new tasks running"));
        assertEquals("Rolling update · 2 of 4 new tasks running", text(".ecsd-step"));
        assertEquals(0L, js("return document.querySelectorAll('.ecsd-stages .ecsd-stage').length;"), "no stages a rolling update never reports");
        assertEquals(0L, js("return document.querySelectorAll('[data-section=traffic] .ecsd-traffic-row').length;"), "no empty traffic bars");
        assertEquals(Boolean.TRUE, js("return document.querySelector('[data-section=traffic] h2').hidden;"));
        // ends SUCCEEDED: still no "not reached" stages, all new tasks running
        e.add(new DeploymentEvent.TasksChanged(T.plusSeconds(90), "green", "rev/2", 4, 4, 0));
        e.add(new DeploymentEvent.TasksChanged(T.plusSeconds(100), "blue", "rev/1", 0, 0, 0));
        e.add(new DeploymentEvent.StatusChanged(T.plusSeconds(110), "SUCCESSFUL", null));
        e.add(new DeploymentEvent.Finished(T.plusSeconds(110), Outcome.succeeded("deployment succeeded")));
        json.set(snapshotJson(h, e, T.plusSeconds(110), null));
        until(d -> "SUCCEEDED".equals(attr(".ecsd-status-pill", "data-kind")));
        assertEquals("4 of 4 new tasks running", text(".ecsd-rolling-text"));
        assertFalse(text(".ecsd").contains("not reached"), text(".ecsd"));
    }

    @Test
    void at390PixelsNoWordBreaksInsideAndTheLabelsSayWhichRevisionIsLive() throws Exception {
        serve(handle("CANARY"), canarySucceeded(), T.plusSeconds(1100), null);
        until(d -> "SUCCEEDED".equals(attr(".ecsd-status-pill", "data-kind")));
        assertTrue(text(".ecsd-rev[data-side=blue] h3").startsWith("Blue (previous)"), text(".ecsd-rev[data-side=blue] h3"));
        assertTrue(text(".ecsd-rev[data-side=green] h3").startsWith("Green (live)"), text(".ecsd-rev[data-side=green] h3"));
        assertTrue(text(".ecsd-revision").contains("web:2"), text(".ecsd-revision"));
        driver.manage().window().setSize(new Dimension(390, 900));
        until(d -> ((Number) js("return window.innerWidth;")).intValue() <= 400);
        Object overflow = js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertTrue(((Number) overflow).intValue() <= 0, "horizontal overflow of " + overflow + " px at 390 px");
        // every word of every text on the page sits on one line: a word whose range spans two lines broke inside
        Object broken = js(
                "var out = [];"
                + "var w = document.createTreeWalker(document.querySelector('.ecsd'), NodeFilter.SHOW_TEXT);"
                + "var n; while ((n = w.nextNode())) {"
                + "  if (!n.parentElement || n.parentElement.closest('[hidden], details:not([open]) > :not(summary)')) continue;"
                + "  var re = /\\S+/g, m; while ((m = re.exec(n.data))) {"
                + "    var r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);"
                + "    var tops = {}; Array.from(r.getClientRects()).forEach(function (c) { if (c.width > 0) tops[Math.round(c.top)] = 1; });"
                + "    if (Object.keys(tops).length > 1) out.push(m[0]);"
                + "  } }"
                + "return out.join(' | ');");
        assertEquals("", broken, "words broken across lines at 390 px");
        // the image and the header words are whole (the reported "1.2/7", "B y", "Com ment")
        assertTrue(text(".ecsd-rev[data-side=green] .ecsd-images").contains("nginx:1.28"), text(".ecsd-rev[data-side=green] .ecsd-images"));
    }

    @Test
    void whileAGateWaitsTheTabTitleAndIconChangeAndTheTimeoutIsSaidInWords() throws Exception {
        serve(handle("CANARY"), canaryToGate(), T.plusSeconds(180), 40.0);
        until(d -> !driver.findElements(By.cssSelector(".ecsd-gate:not([hidden])")).isEmpty());
        assertTrue(driver.getTitle().startsWith("⏸ Approval needed · "), driver.getTitle());
        assertTrue(attr("link[data-ecsd-icon]", "href").endsWith("/assets/favicon-wait.svg"), attr("link[data-ecsd-icon]", "href"));
        // the hook's timeout action and deadline, in words, on the deployment's (virtual) clock
        assertEquals("Rolls back at 15:01 UTC (virtual time) if nobody decides (in 58m 36s).", text(".ecsd-gate-timeout"));
        assertTrue(text(".ecsd-gate h2").contains("Test traffic on new") && text(".ecsd-gate h2").contains("POST_TEST_TRAFFIC_SHIFT"));
        assertEquals("virtual time ×40", text(".ecsd-clock"));
        assertTrue(text(".ecsd-footer").contains("(virtual time)"), text(".ecsd-footer"));
        assertEquals("Canary 0/2 · no production traffic yet · waiting for a decision, then about 15 min", text(".ecsd-step"));
        // decided elsewhere: the title and the icon are the page's own again
        List<DeploymentEvent> decided = new ArrayList<>(canaryToGate());
        decided.add(new DeploymentEvent.GateDecided(T.plusSeconds(190), "POST_TEST_TRAFFIC_SHIFT", "h-1", HookAction.CONTINUE, "bob", null));
        json.set(snapshotJson(handle("CANARY"), decided, T.plusSeconds(195), 40.0));
        until(d -> !driver.getTitle().startsWith("⏸"));
        assertEquals("web deployment", driver.getTitle());
        assertTrue(attr("link[data-ecsd-icon]", "href").endsWith("/assets/favicon.svg"));
        // the icons the page asks for are served (a missing one would leave the tab's old icon)
        assertEquals(200L, js("var x = new XMLHttpRequest(); x.open('GET', '/assets/favicon-wait.svg', false); x.send(); return x.status;"));
        assertEquals(Boolean.TRUE, js("return !!document.querySelector('.ecsd-notify input[name=notify]') || !window.Notification;"),
                "the optional browser notification is offered where the browser has them");
    }

    @Test
    void afterApproveAConfirmationStaysAndTheGateIsNotOfferedAgainWhileEcsCatchesUp() throws Exception {
        serve(handle("CANARY"), canaryToGate(), T.plusSeconds(180), null);
        until(d -> !driver.findElements(By.cssSelector(".ecsd-gate:not([hidden]) button[data-action=approve]")).isEmpty());
        driver.findElement(By.cssSelector(".ecsd-gate button[data-action=approve]")).click();
        until(d -> !text(".ecsd-notice").isEmpty());
        assertEquals("✓ Approved by tester. The deployment goes on past Test traffic on new.", text(".ecsd-notice"));
        assertEquals(List.of("approve h-1"), decisions);
        // the snapshot still shows the gate awaiting (ECS has not moved yet): no Approve / Roll back offered again
        waitForPolls(3); // the page must keep the gate closed across its polls
        assertEquals(Boolean.TRUE, js("return document.querySelector('.ecsd-gate').hidden;"));
        assertEquals("✓ Approved by tester. The deployment goes on past Test traffic on new.", text(".ecsd-notice"));
        assertFalse(driver.getTitle().startsWith("⏸"), "no longer waiting for this page's user");
    }

    @Test
    void afterTheGatesRollBackNoRollBackNowIsOffered() throws Exception {
        // a host with "Roll back now": a page served by the CLI has it
        serve(handle("CANARY"), canaryToGate(), T.plusSeconds(180), null);
        until(d -> !driver.findElements(By.cssSelector(".ecsd-gate:not([hidden]) button[data-action=rollback]")).isEmpty());
        driver.findElement(By.cssSelector(".ecsd-gate button[data-action=rollback]")).click();
        until(d -> text(".ecsd-notice").startsWith("✓ Rollback requested by tester."));
        // ECS shows the gate decided but not yet rolling back: the status is still IN_PROGRESS
        List<DeploymentEvent> decided = new ArrayList<>(canaryToGate());
        decided.add(new DeploymentEvent.GateDecided(T.plusSeconds(190), "POST_TEST_TRAFFIC_SHIFT", "h-1", HookAction.ROLLBACK, "tester", null));
        json.set(snapshotJson(handle("CANARY"), decided, T.plusSeconds(195), null));
        until(d -> text(".ecsd-panel[aria-label=Gates]").contains("rolled back"));
        waitForPolls(3); // "Roll back now" must not come back with any later poll
        assertNotNull(attr(".ecsd-abort", "hidden"), "no stale Roll back now after the gate's Roll back");
        assertEquals(0L, js("return document.querySelectorAll('.ecsd-abort:not([hidden]) button[data-action=rollback-now]').length;"));
    }

    @Test
    void afterASuccessRedeployThisRevisionIsOfferedWhereTheHostHasItAndAsksBeforeSending() throws Exception {
        serve(handle("CANARY"), canarySucceeded(), T.plusSeconds(1100), null);
        until(d -> "SUCCEEDED".equals(attr(".ecsd-status-pill", "data-kind")));
        assertEquals(Boolean.TRUE, js("return document.querySelector('.ecsd-redeploy').hidden;"),
                "a host without a redeploy URL (the CLI's page) offers none");
        // a host that has one (Jenkins): a second root with data-redeploy-url; its POST is answered in the page
        js("window.__posts = []; var f = window.fetch;"
                + "window.fetch = function (u, o) { if (String(u).indexOf('/redeploy-test') >= 0) {"
                + "  window.__posts.push({ url: String(u), method: o.method });"
                + "  return Promise.resolve(new Response(JSON.stringify({ ok: true, message: 'Redeploying web:2 to demo/web: a new build of this job is queued.' }),"
                + "    { status: 200, headers: { 'Content-Type': 'application/json' } })); }"
                + "  return f.apply(this, arguments); };"
                + "var first = document.querySelector('.ecsd'); var r = document.createElement('div'); r.className = 'ecsd'; r.id = 'second';"
                + "['data-snapshot-url', 'data-csrf-header', 'data-csrf-token', 'data-poll-ms'].forEach(function (a) {"
                + "  if (first.getAttribute(a) !== null) r.setAttribute(a, first.getAttribute(a)); });"
                + "r.setAttribute('data-redeploy-url', '/redeploy-test?id=d1'); document.body.appendChild(r); window.EcsDeployProgress.start();");
        until(d -> !d.findElements(By.cssSelector("#second .ecsd-redeploy:not([hidden]) button[data-action=redeploy]")).isEmpty());
        driver.findElement(By.cssSelector("#second button[data-action=redeploy]")).click();
        until(d -> !d.findElements(By.cssSelector("#second button[data-action=redeploy-confirm]")).isEmpty());
        assertEquals("Redeploy web:2 to web?", text("#second .ecsd-redeploy h2"));
        assertEquals(0L, js("return window.__posts.length;"), "nothing is sent before the confirmation");
        driver.findElement(By.cssSelector("#second button[data-action=redeploy-confirm]")).click();
        until(d -> text("#second .ecsd-redeploy .ecsd-message").startsWith("✓ Redeploying web:2 to demo/web"));
        assertEquals(1L, js("return window.__posts.length;"));
        assertEquals("POST", js("return window.__posts[0].method;"));
    }

    @Test
    void anotherFeatureCanAddItsOwnPanelThroughTheExtensionPoint() throws Exception {
        serve(handle("CANARY"), canaryBaking(), T.plusSeconds(600), null);
        until(d -> "current".equals(attr(".ecsd-stage[data-stage=BAKE_TIME]", "data-state")));
        js("window.EcsDeployProgress.registerSection('probe', {title: 'Probe panel', order: 25,"
                + " render: function (body, raw, ctx) { body.appendChild(ctx.el('p', {className: 'probe', text: raw.service + ' at ' + ctx.fmtDuration(ctx.now - Date.parse(raw.createdAt))})); }});");
        until(d -> text("[data-section=probe] .probe").equals("web at 10m 00s"));
        assertEquals("Probe panel", text("[data-section=probe] h2"));
        Object order = js("return Array.from(document.querySelectorAll('.ecsd-grid > section')).map(e => e.getAttribute('data-section')).join(',');");
        // other features' panels (DNS cut-over, switchover, analysis) may sit anywhere; among the core ones, the
        // registered panel takes the place its order asks for
        String core = java.util.Arrays.stream(order.toString().split(","))
                .filter(s -> java.util.Set.of("stages", "traffic", "probe", "gates", "alarms").contains(s))
                .collect(java.util.stream.Collectors.joining(","));
        assertEquals("stages,traffic,probe,gates,alarms", core, order.toString());
    }
}
