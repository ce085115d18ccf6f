package io.jenkins.plugins.ecsdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The scripted walkthrough that refreshes the README's pictures (docs/cli.md "Screenshots"): the demo's canary waiting
 * at its gate (docs/images/gate-waiting.png), approved and in its final bake (docs/images/progress.png), rolled back at
 * the gate (docs/images/rollback.png), and a rolling update (docs/images/rolling.png). Not part of the ordinary run —
 * it only writes files when asked:
 * <pre>
 * mvn -B -ntp -pl cli test -Dtest=ScreenshotWalkthroughTest -Decsdeploy.screenshot=true
 * </pre>
 * Like the other browser tests it waits for what the page shows (gates hold the deployment where a picture is taken), not
 * for time to pass.
 */
class ScreenshotWalkthroughTest {
    private static WebDriver driver;
    private static Path profileDir;
    private static Path images;

    @BeforeAll
    static void browser() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("ecsdeploy.screenshot"),
                "the screenshot walkthrough runs only with -Decsdeploy.screenshot=true (it rewrites docs/images/*.png)");
        String chromium = System.getProperty("ecsdeploy.chromium", "/usr/bin/chromium");
        String chromedriver = System.getProperty("ecsdeploy.chromedriver", "/usr/bin/chromedriver");
        Assumptions.assumeTrue(new File(chromium).canExecute() && new File(chromedriver).canExecute(),
                "needs Chromium and ChromeDriver (apt-get install -y chromium chromium-driver)");
        images = Path.of(System.getProperty("ecsdeploy.screenshot.dir", "../docs/images"));
        Files.createDirectories(images);
        profileDir = Files.createTempDirectory("ecsd-chromium-shots-");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium);
        o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--disable-dev-shm-usage", "--window-size=1280,1400", "--hide-scrollbars", "--user-data-dir=" + profileDir);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort().build(), o);
        driver.manage().window().setSize(new Dimension(1280, 1400));
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (profileDir != null) {
            try (var files = Files.walk(profileDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<String> demo(String... extra) {
        List<String> a = new ArrayList<>(List.of("demo", "--plain", "--port", "0", "--speed", "40", "--poll-ms", "250",
                "--hold", "600", "--user", "alice"));
        a.addAll(List.of(extra));
        return a;
    }

    private static WebDriverWait waitUpTo(int seconds, DemoRun demo) {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
        w.ignoring(StaleElementReferenceException.class);
        w.withMessage(() -> "\n--- demo\n" + demo.output());
        return w;
    }

    private static String attr(String css, String name) {
        Object r = ((JavascriptExecutor) driver).executeScript(
                "var e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
        return r == null ? null : r.toString();
    }

    private static void shot(String name) throws Exception {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), images.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void gate(DemoRun demo, String stage) {
        waitUpTo(180, demo).until(d -> !d.findElements(By.cssSelector(".ecsd-gate:not([hidden])")).isEmpty()
                && stage.equals(attr(".ecsd-stage[data-state=current]", "data-stage")));
    }

    @Test
    void demoGateApproveThenBake() throws Exception {
        try (DemoRun demo = new DemoRun(demo("--bake-minutes", "1440"))) {
            driver.get(demo.url());
            gate(demo, "POST_TEST_TRAFFIC_SHIFT");
            shot("gate-waiting.png");
            driver.findElement(By.cssSelector(".ecsd-gate input[name=comment]")).sendKeys("smoke tests green");
            driver.findElement(By.cssSelector(".ecsd-gate button[data-action=approve]")).click();
            waitUpTo(180, demo).until(d -> "BAKE_TIME".equals(attr(".ecsd-stage[data-state=current]", "data-stage")));
            shot("progress.png");
        }
    }

    @Test
    void demoGateRollBack() throws Exception {
        try (DemoRun demo = new DemoRun(demo())) {
            driver.get(demo.url());
            gate(demo, "POST_TEST_TRAFFIC_SHIFT");
            driver.findElement(By.cssSelector(".ecsd-gate input[name=comment]")).sendKeys("p99 latency above 2 s");
            driver.findElement(By.cssSelector(".ecsd-gate button[data-action=rollback]")).click();
            waitUpTo(180, demo).until(d -> "ROLLED_BACK".equals(attr(".ecsd-status-pill", "data-kind")));
            shot("rollback.png");
            demo.endHold();
            assertEquals(ExitCodes.ROLLED_BACK, demo.exitCode(60), demo.output());
        }
    }

    @Test
    void rollingUpdate() throws Exception {
        try (DemoRun demo = new DemoRun(demo("--strategy", "rolling"))) {
            driver.get(demo.url());
            waitUpTo(180, demo).until(d -> "SUCCEEDED".equals(attr(".ecsd-status-pill", "data-kind")));
            shot("rolling.png");
            demo.endHold();
            assertEquals(0, demo.exitCode(60), demo.output());
            assertTrue(demo.output().contains("outcome: SUCCEEDED"), demo.output());
        }
    }
}
