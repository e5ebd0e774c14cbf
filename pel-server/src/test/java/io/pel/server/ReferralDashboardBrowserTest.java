package io.pel.server;

import static io.pel.server.ReferralFixture.ALICE;
import static io.pel.server.ReferralFixture.CAMPAIGN;
import static io.pel.server.ReferralFixture.expectSuccess;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The referral tabs in headless Chromium: a campaign page with its leaderboard and funnel chart, an admin
 * approving a flagged reward with the button, the referral proof checker verifying a real participant's proofs
 * with the browser's SHA-256, the webhooks tab listing a subscription's deliveries. Screenshots go to
 * {@code target/screenshots/}. Skipped, saying why, when Chromium is not installed.
 */
class ReferralDashboardBrowserTest {

    @TempDir
    static Path dir;
    @TempDir
    static Path profile;
    static ReferralFixture f;
    static HeadlessChrome browser;
    static WebDriver driver;
    static String aliceCode;

    @BeforeAll
    static void open() {
        HeadlessChrome.assumeInstalled();
        f = new ReferralFixture(dir);
        f.createCampaign(CAMPAIGN);
        aliceCode = f.join(ALICE, "twitter");
        assertThat(f.get("/r/" + aliceCode + "?channel=newsletter").status()).isEqualTo(302);
        expectSuccess(f.signUp(aliceCode, "bob", "bob", "bob-signup"));
        expectSuccess(f.purchase("bob", "bob-buy"));
        // Carol signs up from Bob's device: her conversion's rewards wait for review.
        expectSuccess(f.signUp(aliceCode, "carol", "bob", "carol-signup"));
        expectSuccess(f.purchase("carol", "carol-buy"));
        ReferralFixture.await("flagged rewards", () -> f.get("/api/v1/campaigns/" + CAMPAIGN + "/reviews").json()
                .path("reviews").size() > 0);

        browser = HeadlessChrome.start(profile);
        driver = browser.driver();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (f != null) {
            f.close();
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

    private static void openPage(String hash) {
        driver.get(f.server.url() + "/#" + hash);
        await("the dashboard", "PEL.ready");
    }

    private static void enterAdminToken() {
        if (!driver.findElements(By.id("admin-token")).isEmpty()) {
            driver.findElement(By.id("admin-token")).sendKeys(ReferralFixture.TOKEN);
            driver.findElement(By.id("admin-token-save")).click();
        }
        await("the token kept", "sessionStorage.getItem('pel.adminToken') === '" + ReferralFixture.TOKEN + "'");
    }

    @Test
    void theCampaignPageShowsTheLeaderboardAndTheFunnelChart() throws Exception {
        openPage("campaigns");
        await("the campaign list", "document.querySelectorAll('.campaign-row').length > 0");
        driver.findElement(By.cssSelector(".campaign-row[data-id='" + CAMPAIGN + "']")).click();
        await("leaderboard rows", "document.querySelectorAll('#leaderboard .lb-row').length > 0");
        WebElement first = driver.findElements(By.cssSelector("#leaderboard .lb-row")).getFirst();
        assertThat(first.getAttribute("data-account")).isEqualTo(ReferralFixture.id(ALICE).toHex());
        assertThat(first.getText()).startsWith("1").contains("first-referral");
        await("a funnel chart with data", "PEL.charts.funnel && PEL.charts.funnel.data.labels.includes('twitter')"
                + " && PEL.charts.funnel.data.datasets[1].data.some(v => v > 0)");
        assertThat((Boolean) js("return PEL.charts.funnel.data.labels.includes('newsletter')")).isTrue();
        assertThat(driver.findElement(By.id("cp-viral")).getText()).isNotEqualTo("–");
        screenshot("referral-campaign");
    }

    @Test
    void anAdminApprovesAFlaggedRewardWithTheButton() throws Exception {
        openPage("campaigns/" + CAMPAIGN);
        await("the review queue", "document.querySelectorAll('#review-queue .review-row').length > 0");
        enterAdminToken();
        int before = driver.findElements(By.cssSelector("#review-queue .review-row")).size();
        WebElement row = driver.findElements(By.cssSelector("#review-queue .review-row")).getFirst();
        String reward = row.getAttribute("data-reward");
        assertThat(row.getText()).contains("DUPLICATE_FINGERPRINT");
        row.findElement(By.cssSelector("button.approve")).click();
        await("the reward paid", "document.getElementById('review-status').dataset.status === 'PAID'");
        await("gone from the queue", "!document.querySelector(\"#review-queue .review-row[data-reward='" + reward
                + "']\") && document.querySelectorAll('#review-queue .review-row').length === " + (before - 1));
        assertThat(driver.findElement(By.id("review-status")).getText()).contains("PAID");
        assertThat(f.get("/api/v1/rewards/" + reward).json().path("status").asText()).isEqualTo("PAID");
        screenshot("referral-approved");
    }

    @Test
    void theReferralProofCheckerVerifiesAParticipantsProofsInTheBrowser() throws Exception {
        openPage("referral-proof/" + aliceCode);
        await("a verdict", "document.getElementById('ref-proof-result').dataset.verified");
        assertThat(driver.findElement(By.id("ref-proof-result")).getAttribute("data-verified"))
                .as(driver.findElement(By.id("ref-proof-result")).getText()).isEqualTo("true");
        var items = driver.findElements(By.cssSelector("#ref-proof-items .proof-item"));
        assertThat(items.size()).isGreaterThan(3); // owner record, points, credit, rewards
        assertThat(items).allSatisfy(i -> assertThat(i.getAttribute("data-verified")).isEqualTo("true"));
        screenshot("referral-proof");
    }

    @Test
    void theWebhooksTabListsSubscriptions() throws Exception {
        String id = f.adminPost("/api/v1/admin/webhooks", "{\"campaign\":\"spring\",\"url\":"
                + "\"http://127.0.0.1:9/hook\"}").json().path("id").asText();
        openPage("webhooks");
        enterAdminToken();
        await("the subscription", "document.querySelector(\".webhook-row[data-id='" + id + "']\")");
        driver.findElement(By.cssSelector(".webhook-row[data-id='" + id + "']")).click();
        await("the delivery log", "document.getElementById('webhook-deliveries')");
        assertThat(driver.findElement(By.id("webhook-stats")).getText()).contains("subscriptions");
        screenshot("referral-webhooks");
    }
}
