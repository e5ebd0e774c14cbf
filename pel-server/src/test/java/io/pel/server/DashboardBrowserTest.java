package io.pel.server;

import static io.pel.server.TestChain.ALICE;
import static io.pel.server.TestChain.BOB;
import static io.pel.server.TestChain.id;
import static io.pel.server.TestChain.mint;
import static io.pel.server.TestChain.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import io.pel.ledger.SignedTransaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The dashboard in headless Chromium (Debian {@code chromium} + {@code chromium-driver}): charts fill with data
 * and follow the live stream, the explorer opens a block, the timeline draws bars, the proof checker verifies
 * a real account's proof with the browser's SHA-256. Screenshots go to {@code target/screenshots/}. Skipped,
 * saying why, when Chromium is not installed.
 */
class DashboardBrowserTest {

    @TempDir
    static Path dir;
    @TempDir
    static Path profile;
    static TestChain chain;
    static HeadlessChrome browser;
    static WebDriver driver;

    @BeforeAll
    static void open() {
        HeadlessChrome.assumeInstalled();
        chain = new TestChain(dir);
        chain.commit(mint(0, ALICE, 1_000_000));
        chain.commit(mint(1, BOB, 1_000_000));
        // A block with conflicts: transfers back and forth between the same two accounts.
        List<String> hex = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SignedTransaction tx = i % 2 == 0 ? transfer(ALICE, i / 2, BOB, 1) : transfer(BOB, i / 2, ALICE, 1);
            hex.add("\"" + TestChain.hex(tx) + "\"");
        }
        chain.post("/api/v1/transactions/batch", "{\"txs\":[" + String.join(",", hex) + "]}");
        chain.get("/api/v1/transactions/" + transfer(BOB, 19, ALICE, 1).hash().toHex() + "/wait?timeoutMs=10000");

        browser = HeadlessChrome.start(profile);
        driver = browser.driver();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    private static Object js(String script) {
        return browser.js(script);
    }

    private static void await(String what, String condition) {
        browser.await(what, condition);
    }

    private static void screenshot(String name) throws Exception {
        browser.screenshot(name);
    }

    @Test
    void chartsRenderWithDataAndFollowTheLiveStream() throws Exception {
        driver.get(chain.server.url() + "/#overview");
        await("charts with data", "PEL.ready && PEL.charts.tps && PEL.charts.tps.data.datasets[0].data.length > 0");
        assertThat(driver.findElements(By.cssSelector("canvas#chart-tps, canvas#chart-speedup, canvas#chart-reexec")))
                .hasSize(3);
        long points = ((Number) js("return PEL.charts.speedup.data.datasets[0].data.length")).longValue();
        assertThat(points).isPositive();
        await("height card", "document.getElementById('ov-height').textContent !== '–'");
        chain.commit(transfer(ALICE, chain.node.nonce(id(ALICE)), BOB, 1));
        await("a live block event extends the chart",
                "PEL.charts.tps.data.datasets[0].data.length > " + points + " || PEL.charts.tps.data.labels.includes('"
                        + chain.node.height() + "')");
        screenshot("overview");
    }

    @Test
    void theExplorerOpensABlockWithItsTransactions() throws Exception {
        driver.get(chain.server.url() + "/#explorer");
        await("block list", "document.querySelectorAll('.block-row').length > 0");
        driver.findElements(By.cssSelector(".block-row")).getFirst().click();
        await("block detail", "document.getElementById('block-detail') && document.querySelectorAll('.tx-row').length > 0");
        assertThat(driver.findElement(By.id("block-transactions")).getText()).containsAnyOf("ok", "BAD_NONCE",
                "INSUFFICIENT_FUNDS");
        screenshot("explorer-block");
    }

    @Test
    void theTimelineShowsOneBarPerTask() throws Exception {
        // The block of the batch of back-and-forth transfers: the one with conflicts.
        long height = chain.node.committed(transfer(BOB, 19, ALICE, 1).hash()).orElseThrow().height();
        driver.get(chain.server.url() + "/#timeline/" + height);
        await("timeline bars", "document.querySelectorAll('#timeline .bar').length > 0");
        assertThat(driver.findElements(By.cssSelector("#timeline .lane"))).isNotEmpty();
        assertThat(driver.findElement(By.id("hot-spots")).isDisplayed()).isTrue();
        screenshot("timeline");
    }

    @Test
    void theProofCheckerVerifiesARealAccountInTheBrowser() throws Exception {
        driver.get(chain.server.url() + "/#proof/" + id(ALICE).toHex());
        await("proof verified", "document.getElementById('proof-result').dataset.verified === 'true'");
        assertThat(driver.findElement(By.id("proof-result")).getText()).isEqualTo("verified");
        // A state key with no value: an exclusion proof verifies too.
        driver.get(chain.server.url() + "/#proof/6e6f2d737563682d6b6579");
        await("exclusion proof checked", "document.getElementById('proof-result').dataset.verified !== undefined"
                + " && document.getElementById('proof-details').textContent.includes('(absent)')");
        assertThat(driver.findElement(By.id("proof-result")).getText()).isEqualTo("verified");
        screenshot("proof");
    }
}
