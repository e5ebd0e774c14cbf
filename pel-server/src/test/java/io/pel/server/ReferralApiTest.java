package io.pel.server;

import static io.pel.server.ReferralFixture.ALICE;
import static io.pel.server.ReferralFixture.CAMPAIGN;
import static io.pel.server.ReferralFixture.DAVE;
import static io.pel.server.ReferralFixture.LANDING;
import static io.pel.server.ReferralFixture.await;
import static io.pel.server.ReferralFixture.expectSuccess;
import static io.pel.server.ReferralFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.pel.ledger.Keys;
import io.pel.server.TestChain.Answer;
import io.pel.server.webhook.WebhookSignature;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every referral route over real sockets, on a real {@link PelStack}: reads, links, writes, proofs, webhooks. */
class ReferralApiTest {

    @TempDir
    static Path dir;
    static ReferralFixture f;
    static String aliceCode;

    @BeforeAll
    static void open() {
        f = new ReferralFixture(dir);
        f.createCampaign(CAMPAIGN);
        aliceCode = f.join(ALICE, "twitter");
        f.join(DAVE, "email");
        expectSuccess(f.signUp(aliceCode, "bob", "bob", "bob-signup"));
        expectSuccess(f.purchase("bob", "bob-buy"));
    }

    @AfterAll
    static void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void readsDescribeTheCampaignItsParticipantsAndRewards() {
        JsonNode list = f.get("/api/v1/campaigns").json();
        assertThat(list.path("campaigns").findValuesAsText("id")).contains(CAMPAIGN);

        JsonNode c = f.get("/api/v1/campaigns/" + CAMPAIGN).json();
        assertThat(c.path("version").asInt()).isEqualTo(1);
        assertThat(c.path("paused").asBoolean()).isFalse();
        assertThat(c.path("budget").asLong()).isEqualTo(1_000_000);
        assertThat(c.path("spent").asLong()).isPositive();
        assertThat(c.path("participants").asLong()).isEqualTo(2);
        assertThat(c.path("landingUrl").asText()).isEqualTo(LANDING);
        assertThat(c.path("rules").path("trigger").path("event").asText()).isEqualTo("purchase");

        JsonNode top = f.get("/api/v1/campaigns/" + CAMPAIGN + "/leaderboard?limit=5").json().path("leaderboard");
        assertThat(top.get(0).path("rank").asInt()).isEqualTo(1);
        assertThat(top.get(0).path("account").asText()).isEqualTo(id(ALICE).toHex());
        assertThat(top.get(0).path("score").asLong()).isPositive();
        assertThat(top.get(0).path("badges").toString()).contains("first-referral");

        JsonNode p = f.get("/api/v1/campaigns/" + CAMPAIGN + "/participants/" + id(ALICE).toHex()).json();
        assertThat(p.path("code").asText()).isEqualTo(aliceCode);
        assertThat(p.path("channel").asText()).isEqualTo("twitter");
        assertThat(p.path("rank").asInt()).isEqualTo(1);
        assertThat(p.path("points").asLong()).isPositive();
        assertThat(p.path("funnel").path("signUps").asLong()).isPositive();
        assertThat(p.path("funnel").path("conversions").asLong()).isPositive();

        JsonNode funnel = f.get("/api/v1/campaigns/" + CAMPAIGN + "/funnel").json();
        assertThat(funnel.path("total").path("signUps").asLong()).isPositive();
        assertThat(funnel.path("byChannel").has("twitter")).isTrue();

        JsonNode stats = f.get("/api/v1/campaigns/" + CAMPAIGN + "/stats").json();
        assertThat(stats.path("viralCoefficient").asDouble()).isPositive();
        assertThat(stats.path("timeToReward").has("medianMillis")).isTrue();
        assertThat(stats.path("fraudCaught").isObject()).isTrue();
        assertThat(stats.path("nonParticipants").asLong()).isGreaterThanOrEqualTo(0);

        JsonNode code = f.get("/api/v1/codes/" + aliceCode).json();
        assertThat(code.path("owner").asText()).isEqualTo(id(ALICE).toHex());
        assertThat(code.path("campaign").asText()).isEqualTo(CAMPAIGN);

        JsonNode rewards = f.get("/api/v1/accounts/" + id(ALICE).toHex() + "/rewards").json().path("rewards");
        assertThat(rewards.size()).isPositive();
        String rewardId = rewards.get(0).path("id").asText();
        JsonNode reward = f.get("/api/v1/rewards/" + rewardId).json();
        assertThat(reward.path("to").asText()).isEqualTo(id(ALICE).toHex());
        assertThat(reward.path("status").asText()).isEqualTo("PAID");
        assertThat(f.get("/api/v1/campaigns/" + CAMPAIGN + "/reviews").json().path("reviews").isArray()).isTrue();
    }

    @Test
    void aReferralLinkRedirectsToTheLandingPageAndItsClickReachesTheFunnel() {
        Answer a = f.get("/r/" + aliceCode + "?channel=newsletter");
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.response().headers().firstValue("Location")).hasValue(LANDING);
        await("the click in the funnel", () -> f.get("/api/v1/campaigns/" + CAMPAIGN + "/funnel").json()
                .path("byChannel").path("newsletter").path("clicks").asLong() == 1);

        int pending = f.stack.node().pending();
        Answer unknown = f.get("/r/NOSUCHCODE1");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(f.stack.node().pending()).isLessThanOrEqualTo(pending);
    }

    @Test
    void errorsAreJsonWithStableCodes() {
        assertCode(f.get("/api/v1/campaigns/nope"), 404, "NOT_FOUND");
        assertCode(f.get("/api/v1/campaigns/nope/leaderboard"), 404, "NOT_FOUND");
        assertCode(f.get("/api/v1/campaigns/nope/funnel"), 404, "NOT_FOUND");
        assertCode(f.get("/api/v1/campaigns/nope/stats"), 404, "NOT_FOUND");
        assertCode(f.get("/api/v1/campaigns/nope/reviews"), 404, "NOT_FOUND");
        assertCode(f.get("/api/v1/codes/NOSUCHCODE1"), 404, "NOT_FOUND");
        assertCode(f.get("/api/v1/codes/NOSUCHCODE1/proof"), 404, "NOT_FOUND");
        assertCode(f.get("/api/v1/rewards/" + "00".repeat(16)), 404, "NOT_FOUND");
        assertCode(f.get("/api/v1/rewards/xyz"), 400, "BAD_REQUEST");
        assertCode(f.get("/api/v1/accounts/xyz/rewards"), 400, "BAD_REQUEST");
        assertCode(f.get("/api/v1/campaigns/" + CAMPAIGN + "/participants/" + ReferralFixture.account("x").toHex()),
                404, "NOT_FOUND");
        assertCode(f.get("/api/v1/campaigns/" + CAMPAIGN + "/leaderboard?limit=0"), 400, "BAD_REQUEST");
        assertCode(f.adminPost("/api/v1/admin/campaigns", "{not json"), 400, "BAD_REQUEST");
        assertCode(f.adminPost("/api/v1/admin/campaigns", "{\"id\":\"x\"}"), 400, "BAD_REQUEST");
        assertCode(f.adminPost("/api/v1/admin/campaigns", "{\"id\":\"x\",\"rules\":{\"referrerReward\":"
                + "{\"kind\":\"POINTS\",\"amount\":1},\"budget\":0}}"), 400, "BAD_REQUEST");
        assertCode(f.adminPost("/api/v1/admin/campaigns", ReferralFixture.campaignBody(CAMPAIGN)), 409,
                "CAMPAIGN_EXISTS");
        assertCode(f.adminPost("/api/v1/events/qualify", "{\"campaign\":\"spring\",\"referee\":\"zz\"}"), 400,
                "BAD_REQUEST");
        assertCode(f.adminPost("/api/v1/admin/rewards/xyz/approve", ""), 400, "BAD_REQUEST");
        assertCode(f.post("/api/v1/events/signup", "{}", null), 401, "UNAUTHORIZED");
        assertCode(f.post("/api/v1/admin/campaigns/" + CAMPAIGN + "/pause", "", "Bearer wrong"), 403, "FORBIDDEN");
        assertCode(f.send(java.net.http.HttpRequest.newBuilder(f.uri("/api/v1/admin/webhooks")).GET()), 401,
                "UNAUTHORIZED");
    }

    @Test
    void aDuplicateEventIdIsCommittedAsAFailureWithItsCode() {
        JsonNode again = f.purchase("bob", "bob-buy").json();
        assertThat(again.path("status").asText()).isEqualTo("COMMITTED");
        assertThat(again.path("outcome").path("success").asBoolean()).isFalse();
        assertThat(again.path("outcome").path("code").asText()).isEqualTo("DUPLICATE_EVENT");
        JsonNode signUp = f.signUp(aliceCode, "bob", "bob", "bob-signup").json();
        assertThat(signUp.path("outcome").path("code").asText()).isEqualTo("DUPLICATE_EVENT");
        // Without ?wait the answer is the hash at once.
        Answer quick = f.adminPost("/api/v1/events/refund", "{\"campaign\":\"spring\",\"eventId\":\"no-such\"}");
        assertThat(quick.status()).isEqualTo(202);
        assertThat(quick.json().path("hash").asText()).hasSize(64);
    }

    @Test
    void anAdminApprovesAFlaggedRewardOverHttp() {
        // Carol signs up from Bob's device: the fingerprint rule flags her link, so her conversion's rewards wait.
        JsonNode signUp = expectSuccess(f.signUp(aliceCode, "carol", "bob", "carol-signup"));
        assertThat(signUp.path("events").toString()).contains("DUPLICATE_FINGERPRINT");
        expectSuccess(f.purchase("carol", "carol-buy"));
        String reviews = "/api/v1/campaigns/" + CAMPAIGN + "/reviews";
        await("flagged rewards in the queue", () -> f.get(reviews).json().path("reviews").size() > 0);
        JsonNode queue = f.get(reviews).json().path("reviews");
        int before = queue.size();
        assertThat(queue.get(0).path("reason").asText()).isEqualTo("DUPLICATE_FINGERPRINT");
        String reward = queue.get(0).path("reward").asText();

        JsonNode approved = expectSuccess(f.adminPost("/api/v1/admin/rewards/" + reward + "/approve?wait=10000",
                "{\"reason\":\"same household, checked\"}"));
        assertThat(approved.path("events").toString()).contains("reward.approved");
        assertThat(f.get("/api/v1/rewards/" + reward).json().path("status").asText()).isEqualTo("PAID");
        await("the queue shrinks", () -> f.get(reviews).json().path("reviews").size() == before - 1);
        JsonNode again = f.adminPost("/api/v1/admin/rewards/" + reward + "/approve?wait=10000", "").json();
        assertThat(again.path("outcome").path("code").asText()).isEqualTo("INVALID_STATUS");
        if (before > 1) {
            String other = f.get(reviews).json().path("reviews").get(0).path("reward").asText();
            expectSuccess(f.adminPost("/api/v1/admin/rewards/" + other + "/reject?wait=10000", "{\"reason\":\"no\"}"));
            assertThat(f.get("/api/v1/rewards/" + other).json().path("status").asText()).isEqualTo("REJECTED");
        }
    }

    @Test
    void refundsClawbacksPausesAndTheBlocklistGoThroughTheServersKeys() {
        expectSuccess(f.signUp(aliceCode, "gina", "gina", "gina-signup"));
        JsonNode buy = expectSuccess(f.purchase("gina", "gina-buy"));
        List<String> rewards = new ArrayList<>();
        buy.path("events").forEach(e -> {
            if (e.path("type").asText().equals("reward.granted")) {
                rewards.add(e.path("reward").asText());
            }
        });
        assertThat(rewards).isNotEmpty();
        expectSuccess(f.adminPost("/api/v1/events/refund?wait=10000",
                "{\"campaign\":\"spring\",\"eventId\":\"gina-buy\"}"));
        assertThat(f.get("/api/v1/rewards/" + rewards.getFirst()).json().path("status").asText())
                .isEqualTo("CLAWED_BACK");

        expectSuccess(f.signUp(aliceCode, "hank", "hank", "hank-signup"));
        String hankReward = expectSuccess(f.purchase("hank", "hank-buy")).path("events").findValuesAsText("reward")
                .getFirst();
        expectSuccess(f.adminPost("/api/v1/admin/rewards/" + hankReward + "/clawback?wait=10000",
                "{\"reason\":\"chargeback\"}"));
        JsonNode clawed = f.get("/api/v1/rewards/" + hankReward).json();
        assertThat(clawed.path("status").asText()).isEqualTo("CLAWED_BACK");
        assertThat(clawed.path("note").asText()).isEqualTo("chargeback");

        expectSuccess(f.adminPost("/api/v1/admin/campaigns/" + CAMPAIGN + "/pause?wait=10000", ""));
        assertThat(f.get("/api/v1/campaigns/" + CAMPAIGN).json().path("paused").asBoolean()).isTrue();
        assertThat(f.adminPost("/api/v1/admin/campaigns/" + CAMPAIGN + "/pause?wait=10000", "").json()
                .path("outcome").path("code").asText()).isEqualTo("ALREADY_PAUSED");
        expectSuccess(f.adminPost("/api/v1/admin/campaigns/" + CAMPAIGN + "/resume?wait=10000", ""));
        assertThat(f.get("/api/v1/campaigns/" + CAMPAIGN).json().path("paused").asBoolean()).isFalse();

        String pattern = "{\"kind\":\"EMAIL_DOMAIN\",\"pattern\":\"*.spam.example\"}";
        expectSuccess(f.adminPost("/api/v1/admin/blocklist?wait=10000", pattern));
        assertThat(f.adminPost("/api/v1/admin/blocklist?wait=10000", pattern).json().path("outcome").path("code")
                .asText()).isEqualTo("PATTERN_EXISTS");
        expectSuccess(f.adminPost("/api/v1/admin/blocklist?wait=10000",
                "{\"kind\":\"EMAIL_DOMAIN\",\"pattern\":\"*.spam.example\",\"remove\":true}"));
        assertCode(f.adminPost("/api/v1/admin/blocklist", "{\"kind\":\"NOPE\",\"pattern\":\"x\"}"), 400,
                "BAD_REQUEST");
    }

    @Test
    void withoutTheAdminsKeyAdminWritesAnswerNoAdminKey() {
        // Keys whose admin is not the chain's: the module drops the admin key; reporter writes still work.
        OperatorKeys other = OperatorKeys.of(Keys.fromSeed(TestChain.seed(77)), f.keys.reporters());
        try (PelServer second = PelServer.start(f.stack.node(), f.stack.observer(),
                ServerConfig.defaults().withPort(0).withAdminToken(ReferralFixture.TOKEN),
                List.of(new ReferralApi(f.stack, other)))) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(second.url()
                            + "/api/v1/admin/campaigns/" + CAMPAIGN + "/pause"))
                    .header("Authorization", "Bearer " + ReferralFixture.TOKEN)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody());
            assertCode(f.send(request), 403, "NO_ADMIN_KEY");
        }
    }

    @Test
    void aWebhookReceiverGetsSignedConversions() throws Exception {
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new String[] {ex.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    new String(body, StandardCharsets.UTF_8)});
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            assertCode(f.adminPost("/api/v1/admin/webhooks", "{\"campaign\":\"spring\",\"url\":\"ftp://x\"}"), 400,
                    "INVALID_URL");
            Answer sub = f.adminPost("/api/v1/admin/webhooks", "{\"campaign\":\"spring\",\"types\":"
                    + "[\"referral.converted\"],\"url\":\"" + url + "\"}");
            assertThat(sub.status()).isEqualTo(201);
            String subId = sub.json().path("id").asText();
            String secret = sub.json().path("secret").asText();
            assertThat(secret).isNotEmpty();
            JsonNode list = f.adminGet("/api/v1/admin/webhooks").json().path("subscriptions");
            assertThat(list.findValuesAsText("id")).contains(subId);
            assertThat(list.toString()).doesNotContain(secret);

            expectSuccess(f.signUp(aliceCode, "erin", "erin", "erin-signup"));
            expectSuccess(f.purchase("erin", "erin-buy"));
            await("a delivery", () -> !received.isEmpty());
            String[] delivery = received.getFirst();
            assertThat(WebhookSignature.verify(secret, delivery[0], delivery[1], Duration.ofMinutes(5))).isTrue();
            JsonNode event = ApiRoutes.JSON.readTree(delivery[1]);
            assertThat(event.path("type").asText()).isEqualTo("referral.converted");
            assertThat(event.path("data").path("referee").asText())
                    .isEqualTo(ReferralFixture.account("erin").toHex());

            String log = "/api/v1/admin/webhooks/" + subId + "/deliveries";
            await("the delivery log", () -> f.adminGet(log).json().path("deliveries").size() > 0);
            assertThat(f.adminGet(log).json().path("deliveries").get(0).path("outcome").asText())
                    .isEqualTo("DELIVERED");
            assertThat(f.adminPost("/api/v1/admin/webhooks/" + subId + "/retry", "").status()).isEqualTo(200);
            assertThat(f.get("/api/v1/webhooks/stats").json().path("subscriptions").asInt()).isPositive();
            assertThat(f.adminDelete("/api/v1/admin/webhooks/" + subId).status()).isEqualTo(200);
            assertCode(f.adminDelete("/api/v1/admin/webhooks/" + subId), 404, "NOT_FOUND");
            assertCode(f.adminGet(log), 404, "NOT_FOUND");
            assertCode(f.adminPost("/api/v1/admin/webhooks/" + subId + "/retry", ""), 404, "NOT_FOUND");
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void proofsFromTheProofEndpointsVerifyAsTheBrowserChecksThem() throws Exception {
        JsonNode proof = f.get("/api/v1/campaigns/" + CAMPAIGN + "/participants/" + id(ALICE).toHex() + "/proof")
                .json();
        assertThat(proof.path("verified").asBoolean()).isTrue();
        assertThat(verify(proof.path("points").path("state"))).isTrue();
        assertThat(verify(proof.path("credit").path("state"))).isTrue();
        assertThat(decodeLong(proof.path("points").path("state").path("value").asText()))
                .isEqualTo(proof.path("points").path("amount").asLong()).isPositive();
        assertThat(proof.path("rewards").size()).isPositive();
        for (JsonNode r : proof.path("rewards")) {
            assertThat(verify(r.path("state"))).isTrue();
            assertThat(r.path("state").path("value").asText()).isEqualTo(r.path("reward").path("encoded").asText());
        }
        // A tampered value no longer verifies.
        var tampered = (com.fasterxml.jackson.databind.node.ObjectNode) proof.path("points").path("state").deepCopy();
        tampered.put("value", "00000000000fffff");
        assertThat(verify(tampered)).isFalse();

        JsonNode byCode = f.get("/api/v1/codes/" + aliceCode + "/proof").json();
        assertThat(byCode.path("account").asText()).isEqualTo(id(ALICE).toHex());
        assertThat(verify(byCode.path("codeOwner").path("state"))).isTrue();
        assertThat(verify(byCode.path("points").path("state"))).isTrue();
        assertCode(f.get("/api/v1/campaigns/" + CAMPAIGN + "/participants/" + ReferralFixture.account("x").toHex()
                + "/proof"), 404, "NOT_FOUND");
    }

    @Test
    void theApiDocumentListsTheReferralRoutes() {
        JsonNode paths = f.get("/openapi.json").json().path("paths");
        assertThat(paths.has("/r/{code}")).isTrue();
        assertThat(paths.path("/api/v1/admin/webhooks/{id}").has("delete")).isTrue();
        assertThat(paths.has("/api/v1/campaigns/{id}/participants/{account}/proof")).isTrue();
        assertThat(f.get("/api/v1/dashboard/modules").json().path("pages").findValuesAsText("id"))
                .contains("campaigns", "webhooks", "referral-proof");
        assertThat(f.get("/referral/campaigns.js").status()).isEqualTo(200);
    }

    // ---- the browser's proof check, in Java: SHA-256 alone, from the JSON ----

    static boolean verify(JsonNode s) throws Exception {
        HexFormat hex = HexFormat.of();
        byte[] keyHash = sha(hex.parseHex(s.path("key").asText()));
        JsonNode proof = s.path("proof");
        JsonNode leaf = proof.path("leaf");
        List<byte[]> siblings = new ArrayList<>();
        proof.path("siblings").forEach(x -> siblings.add(hex.parseHex(x.asText())));
        byte[] h;
        if (!s.path("value").isNull() && !s.path("value").isMissingNode()) {
            if (!leaf.isNull() && !leaf.isMissingNode()) {
                return false;
            }
            h = sha(new byte[] {0}, keyHash, sha(hex.parseHex(s.path("value").asText())));
        } else if (!leaf.isNull() && !leaf.isMissingNode()) {
            byte[] other = hex.parseHex(leaf.path("keyHash").asText());
            if (MessageDigest.isEqual(other, keyHash)) {
                return false;
            }
            for (int i = 0; i < siblings.size(); i++) {
                if (bit(other, i) != bit(keyHash, i)) {
                    return false;
                }
            }
            h = sha(new byte[] {0}, other, hex.parseHex(leaf.path("valueHash").asText()));
        } else {
            h = new byte[32];
        }
        for (int i = siblings.size() - 1; i >= 0; i--) {
            h = bit(keyHash, i) == 0 ? sha(new byte[] {1}, h, siblings.get(i)) : sha(new byte[] {1}, siblings.get(i), h);
        }
        return hex.formatHex(h).equals(s.path("stateRoot").asText());
    }

    private static int bit(byte[] b, int i) {
        return (b[i >> 3] >> (7 - (i & 7))) & 1;
    }

    private static byte[] sha(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    private static long decodeLong(String hex) {
        long v = 0;
        for (byte b : HexFormat.of().parseHex(hex)) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    static void assertCode(Answer a, int status, String code) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.json().path("code").asText()).as(a.body()).isEqualTo(code);
        assertThat(a.json().path("message").asText()).isNotEmpty();
    }
}
