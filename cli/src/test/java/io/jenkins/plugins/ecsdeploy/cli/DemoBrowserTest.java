package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drives Chromium (Debian packages chromium + chromium-driver) against the demo's progress page: the timeline
 * advances, the gate appears, Approve leads to SUCCEEDED, Roll back to ROLLED_BACK (by whom), and markup in an image
 * name or user id stays inert text. The demo runs in accelerated virtual time (--speed), so a run takes seconds.
 *
 * <p>Without Chromium/ChromeDriver the test is skipped with the reason, except in CI (CI=true), where it fails.
 * With -Decsdeploy.screenshot=true it saves a mid-canary screenshot to docs/images/progress.png.
 */
class DemoBrowserTest {
    static final String XSS = "<img src=x onerror=alert(1)>";
    static final String SPEED = "120";

    private static WebDriver driver;
    private static Path profileDir;

    @BeforeAll
    static void startBrowser() throws Exception {
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
        profileDir = Files.createTempDirectory("ecsd-chromium-");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium);
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--disable-dev-shm-usage", "--window-size=1280,1000", "--user-data-dir=" + profileDir);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (profileDir != null) {
            try (var files = Files.walk(profileDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static WebDriverWait waitUpTo(int seconds) {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
        return w;
    }

    private static String pillKind() {
        return driver.findElement(By.cssSelector(".ecsd-status-pill")).getAttribute("data-kind");
    }

    private static List<String> demoArgs(String... extra) {
        List<String> a = new ArrayList<>(List.of("demo", "--plain", "--port", "0", "--speed", SPEED, "--poll-ms", "200", "--hold", "120"));
        a.addAll(List.of(extra));
        return a;
    }

    /** Opens the page, watches the current stage until the gate shows, and returns the stages seen as current. */
    private static Set<String> openAndWaitForGate(DemoRun demo) throws Exception {
        driver.get(demo.url());
        Set<String> seenCurrent = new LinkedHashSet<>();
        waitUpTo(60).until(d -> {
            for (WebElement li : d.findElements(By.cssSelector(".ecsd-stage[data-state=current]"))) {
                seenCurrent.add(li.getAttribute("data-stage"));
            }
            WebElement gate = d.findElement(By.cssSelector(".ecsd-gate"));
            return gate.isDisplayed();
        });
        return seenCurrent;
    }

    @Test
    void approvingTheGateOnThePageContinuesTheCanaryToSucceeded() throws Exception {
        try (DemoRun demo = new DemoRun(demoArgs("--user", "demo-user"))) {
            Set<String> seen = openAndWaitForGate(demo);
            // the timeline advanced: several stages were current while we watched, ending at the gate's stage
            assertTrue(seen.size() >= 2, "stages seen as current: " + seen + "\n" + demo.output());
            assertTrue(seen.contains("POST_TEST_TRAFFIC_SHIFT"), seen.toString());
            assertEquals("done", driver.findElement(By.cssSelector(".ecsd-stage[data-stage=SCALE_UP]")).getAttribute("data-state"));
            assertEquals("WAITING", pillKind());
            assertTrue(driver.findElement(By.cssSelector(".ecsd-gate h2")).getText().contains("POST_TEST_TRAFFIC_SHIFT"));

            WebElement approve = driver.findElement(By.cssSelector(".ecsd-gate button[data-action=approve]"));
            assertEquals("button", approve.getTagName());
            approve.click();

            // mid-canary: green carries the canary share of production traffic
            waitUpTo(60).until(d -> d.findElement(By.cssSelector(".ecsd-traffic-values")).getText().contains("green 10%"));
            saveScreenshotIfAsked();

            waitUpTo(90).until(d -> "SUCCEEDED".equals(pillKind()));
            String decisions = driver.findElement(By.cssSelector(".ecsd-panel[aria-label=Gates] table")).getText();
            assertTrue(decisions.contains("approved") && decisions.contains("demo-user"), decisions);
            assertEquals("SUCCEEDED", driver.findElement(By.cssSelector(".ecsd-outcome-kind")).getText());
            demo.endHold();
            assertEquals(0, demo.exitCode(30), demo.output());
            assertTrue(demo.output().contains("outcome: SUCCEEDED"), demo.output());
        }
    }

    @Test
    void rollingBackAtTheGateEndsRolledBackAndNamesWhoDecided() throws Exception {
        try (DemoRun demo = new DemoRun(demoArgs("--user", "demo-user"))) {
            openAndWaitForGate(demo);
            driver.findElement(By.cssSelector(".ecsd-gate input[name=comment]")).sendKeys("error rate too high");
            driver.findElement(By.cssSelector(".ecsd-gate button[data-action=rollback]")).click();
            waitUpTo(90).until(d -> "ROLLED_BACK".equals(pillKind()));
            String outcome = driver.findElement(By.cssSelector(".ecsd-outcome")).getText();
            assertTrue(outcome.contains("GATE_REJECTED"), outcome);
            assertTrue(outcome.contains("demo-user"), outcome);
            String decisions = driver.findElement(By.cssSelector(".ecsd-panel[aria-label=Gates] table")).getText();
            assertTrue(decisions.contains("rolled back") && decisions.contains("demo-user") && decisions.contains("error rate too high"), decisions);
            demo.endHold();
            assertEquals(ExitCodes.ROLLED_BACK, demo.exitCode(30), demo.output());
        }
    }

    @Test
    void markupInTheImageNameAndUserIdIsShownAsInertText() throws Exception {
        try (DemoRun demo = new DemoRun(demoArgs("--image", XSS, "--user", XSS, "--auto-approve"))) {
            driver.get(demo.url());
            waitUpTo(60).until(d -> d.findElements(By.cssSelector(".ecsd-rev[data-side=green] .ecsd-image")).size() == 1);
            String shown = driver.findElement(By.cssSelector(".ecsd-rev[data-side=green] .ecsd-image")).getText();
            assertEquals("web=" + XSS, shown);
            waitUpTo(90).until(d -> d.findElement(By.cssSelector(".ecsd-panel[aria-label=Gates]")).getText().contains(XSS));
            assertTrue(driver.findElements(By.tagName("img")).isEmpty(), "an <img> element was created from untrusted text");
            assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
            assertFalse(driver.getPageSource().contains(XSS), "the raw markup must only exist as escaped text");
            demo.endHold();
            assertEquals(0, demo.exitCode(60), demo.output());
        }
    }

    /** -Decsdeploy.screenshot=true: docs/images/progress.png (the committed README picture); never on an ordinary run. */
    private static void saveScreenshotIfAsked() throws Exception {
        if (!Boolean.getBoolean("ecsdeploy.screenshot")) {
            return;
        }
        String target = System.getProperty("ecsdeploy.screenshot.path", "../docs/images/progress.png");
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Path p = Path.of(target);
        Files.createDirectories(p.getParent());
        Files.copy(shot.toPath(), p, StandardCopyOption.REPLACE_EXISTING);
    }
}
