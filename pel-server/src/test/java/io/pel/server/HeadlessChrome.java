package io.pel.server;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by Selenium, for the dashboard's browser tests: the system's
 * {@code chromium} and {@code chromedriver} (never a downloaded one), a fresh profile, screenshots under
 * {@code target/screenshots/}. Tests skip, saying why, where Chromium is not installed.
 */
final class HeadlessChrome implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** A hang detector for waits on the page, not a timing assertion. */
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final WebDriver driver;

    private HeadlessChrome(WebDriver driver) {
        this.driver = driver;
    }

    /** Skips the calling test class unless Chromium and its driver are installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is not installed (apt-get install -y chromium chromium-driver; .ci/run does)");
    }

    static HeadlessChrome start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new HeadlessChrome(new ChromeDriver(service, options));
    }

    WebDriver driver() {
        return driver;
    }

    Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    /** Waits until the JavaScript {@code condition} holds on the page; fails naming {@code what}. */
    void await(String what, String condition) {
        new WebDriverWait(driver, WAIT).withMessage(what)
                .until(d -> Boolean.TRUE.equals(js("try { return !!(" + condition + "); } catch (e) { return false; }")));
    }

    void screenshot(String name) throws Exception {
        Path out = Path.of("target", "screenshots");
        Files.createDirectories(out);
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), out.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
