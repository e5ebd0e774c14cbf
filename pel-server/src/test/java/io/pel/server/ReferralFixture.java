package io.pel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.Committed;
import io.pel.ledger.node.NodeConfig;
import io.pel.referral.ReferralCall;
import io.pel.server.TestChain.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link PelStack} on a temporary directory served with the {@link ReferralApi}, an HTTP client, and the
 * steps of a small referral story: a campaign created over HTTP, participants who join (signing their own Join),
 * sign-ups and purchases reported over HTTP, one of them flagged for a reused device.
 */
final class ReferralFixture implements AutoCloseable {

    static final ChainId CHAIN = ChainId.of("pel-referral-api-test");
    static final KeyPair ADMIN = Keys.fromSeed(TestChain.seed(9));
    static final KeyPair ALICE = Keys.fromSeed(TestChain.seed(1));
    static final KeyPair DAVE = Keys.fromSeed(TestChain.seed(4));
    static final String TOKEN = TestChain.TOKEN;
    static final String CAMPAIGN = "spring";
    static final String LANDING = "https://shop.example/welcome";

    final PelStack stack;
    final OperatorKeys keys;
    final PelServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ReferralFixture(Path dir) {
        List<KeyPair> reporters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            reporters.add(Keys.fromSeed(TestChain.seed(40 + i)));
        }
        keys = OperatorKeys.of(ADMIN, reporters);
        stack = PelStack.open(dir, NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(ADMIN)).withThreads(2)
                .withBlockMaxTxs(200).withBlockInterval(Duration.ofMillis(20)).withTrace(true));
        server = stack.serve(ServerConfig.defaults().withPort(0).withAdminToken(TOKEN), keys, List.of());
    }

    static AccountId id(KeyPair k) {
        return Keys.accountId(k);
    }

    static AccountId account(String label) {
        return AccountId.of(Hash.sha256(label.getBytes(StandardCharsets.UTF_8)).toByteArray());
    }

    static String hash(String label) {
        return Hash.sha256(label.getBytes(StandardCharsets.UTF_8)).toHex();
    }

    // ---- the story ----

    /** Campaign: a purchase converts; the referrer earns 100 points (a badge at the first), the referee 10 credit. */
    static String campaignBody(String id) {
        return """
                {"id":"%s","landingUrl":"%s","rules":{
                  "trigger":{"type":"qualifying","event":"purchase","minAmount":1,"firstOnly":true},
                  "referrerReward":{"kind":"POINTS","amount":100},
                  "refereeReward":{"kind":"CREDIT","amount":10},
                  "tiers":[{"referrals":1,"bonus":{"kind":"POINTS","amount":5},"name":"Starter","badge":"first-referral"}],
                  "budget":1000000}}""".formatted(id, LANDING);
    }

    JsonNode createCampaign(String id) {
        return expectSuccess(adminPost("/api/v1/admin/campaigns?wait=10000", campaignBody(id)));
    }

    /** {@code who} joins {@link #CAMPAIGN} (signing its own Join) and the code it got. */
    String join(KeyPair who, String channel) {
        commitDirect(who, new ReferralCall.Join(CAMPAIGN, channel));
        return get("/api/v1/campaigns/" + CAMPAIGN + "/participants/" + id(who).toHex()).json().path("code").asText();
    }

    Committed commitDirect(KeyPair who, ReferralCall call) {
        Admission a = stack.referral().submit(who, call);
        if (!(a instanceof Admission.Accepted accepted)) {
            throw new AssertionError("not admitted: " + a);
        }
        try {
            Committed c = accepted.committed().get(10, TimeUnit.SECONDS);
            if (!c.succeeded()) {
                throw new AssertionError("failed: " + c);
            }
            return c;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    Answer signUp(String code, String referee, String device, String eventId) {
        return adminPost("/api/v1/events/signup?wait=10000", """
                {"campaign":"%s","code":"%s","channel":"twitter","referee":"%s","fingerprint":"%s",
                 "emailHash":"%s","emailDomain":"example.com","eventId":"%s"}"""
                .formatted(CAMPAIGN, code, account(referee).toHex(), hash("device-" + device),
                        hash("mail-" + referee), eventId));
    }

    Answer purchase(String referee, String eventId) {
        return adminPost("/api/v1/events/qualify?wait=10000", """
                {"campaign":"%s","referee":"%s","event":"purchase","amount":50,"eventId":"%s"}"""
                .formatted(CAMPAIGN, account(referee).toHex(), eventId));
    }

    static JsonNode expectSuccess(Answer a) {
        if (a.status() != 200 || !a.json().path("outcome").path("success").asBoolean()) {
            throw new AssertionError("not a committed success: " + a.status() + " " + a.body());
        }
        return a.json();
    }

    // ---- HTTP ----

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer adminGet(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).GET());
    }

    Answer adminPost(String path, String body) {
        return post(path, body, "Bearer " + TOKEN);
    }

    Answer adminDelete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN).DELETE());
    }

    Answer post(String path, String body, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    Answer send(HttpRequest.Builder request) {
        return TestChain.send(http, request);
    }

    URI uri(String path) {
        return URI.create(server.url() + path);
    }

    /** Polls {@code condition} until it holds (views and webhooks follow commits asynchronously); fails after 15 s. */
    static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        stack.close();
    }
}
