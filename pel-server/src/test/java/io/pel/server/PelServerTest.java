package io.pel.server;

import static io.pel.server.TestChain.ALICE;
import static io.pel.server.TestChain.BOB;
import static io.pel.server.TestChain.CHAIN;
import static io.pel.server.TestChain.hex;
import static io.pel.server.TestChain.id;
import static io.pel.server.TestChain.mint;
import static io.pel.server.TestChain.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.node.StateLayout;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint and every error code, over real sockets against a real node. One chain for the class (opening
 * RocksDB costs); tests that depend on earlier commits run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PelServerTest {

    @TempDir
    static Path dir;
    static TestChain chain;

    @BeforeAll
    static void open() {
        chain = new TestChain(dir);
        chain.commit(mint(0, ALICE, 1_000));
        chain.commit(mint(1, BOB, 500));
    }

    @AfterAll
    static void close() {
        chain.close();
    }

    private record Snapshot(long height, String root, long alice, long bob) {
    }

    private static Snapshot snapshot() {
        return new Snapshot(chain.node.height(), chain.node.stateRoot().toHex(), chain.node.balance(id(ALICE)),
                chain.node.balance(id(BOB)));
    }

    private static void assertError(TestChain.Answer a, int status, String code) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.json().get("code").asText()).isEqualTo(code);
        assertThat(a.json().get("message").asText()).isNotBlank();
        assertThat(a.response().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    }

    @Test
    @Order(1)
    void healthSaysUpWithTheHeight() {
        JsonNode health = chain.get("/health").json();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("height").asLong()).isEqualTo(chain.node.height()).isGreaterThanOrEqualTo(0);
    }

    @Test
    @Order(2)
    void submitAnswersPendingThenTheTransactionCommits() throws Exception {
        SignedTransaction tx = transfer(ALICE, 0, BOB, 100);
        TestChain.Answer a = chain.post("/api/v1/transactions", "{\"tx\":\"" + hex(tx) + "\"}");
        assertThat(a.status()).isEqualTo(202);
        assertThat(a.json().get("hash").asText()).isEqualTo(tx.hash().toHex());
        assertThat(a.json().get("status").asText()).isEqualTo("PENDING");

        TestChain.Answer waited = chain.get("/api/v1/transactions/" + tx.hash().toHex() + "/wait?timeoutMs=10000");
        assertThat(waited.status()).isEqualTo(200);
        assertThat(waited.json().get("status").asText()).isEqualTo("COMMITTED");

        JsonNode got = chain.get("/api/v1/transactions/" + tx.hash().toHex()).json();
        assertThat(got.get("status").asText()).isEqualTo("COMMITTED");
        assertThat(got.get("sender").asText()).isEqualTo(id(ALICE).toHex());
        assertThat(got.get("nonce").asLong()).isZero();
        assertThat(got.get("payload").get("type").asText()).isEqualTo("transfer");
        assertThat(got.get("payload").get("amount").asLong()).isEqualTo(100);
        assertThat(got.get("outcome").get("success").asBoolean()).isTrue();
        assertThat(got.get("outcome").get("nonce").asLong()).isZero();
        long height = got.get("height").asLong();
        assertThat(chain.node.block(height).orElseThrow().transactions().get(got.get("index").asInt()).hash())
                .isEqualTo(tx.hash());
        assertThat(chain.node.balance(id(BOB))).isEqualTo(600);
    }

    @Test
    @Order(3)
    void submitWithWaitAnswersTheCommitAndAFailedTransactionSaysWhy() {
        JsonNode ok = chain.commit(transfer(ALICE, 1, BOB, 1));
        assertThat(ok.get("status").asText()).isEqualTo("COMMITTED");
        assertThat(ok.get("height").asLong()).isGreaterThanOrEqualTo(0);
        // More than Alice has: admitted, committed, failed.
        SignedTransaction tooMuch = transfer(ALICE, 2, BOB, 1_000_000);
        TestChain.Answer a = chain.post("/api/v1/transactions?wait=10000", "{\"tx\":\"" + hex(tooMuch) + "\"}");
        assertThat(a.status()).isEqualTo(200);
        JsonNode outcome = a.json().get("outcome");
        assertThat(outcome.get("success").asBoolean()).isFalse();
        assertThat(outcome.get("code").asText()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(outcome.get("message").asText()).isNotBlank();
    }

    @Test
    @Order(4)
    void batchAnswersOneResultPerInputInOrder() throws Exception {
        long next = chain.node.nonce(id(BOB));
        SignedTransaction first = transfer(BOB, next, ALICE, 1);
        SignedTransaction second = transfer(BOB, next + 1, ALICE, 2);
        String body = "{\"txs\":[\"" + hex(first) + "\",\"zz\",\"" + hex(second) + "\",\"" + hex(first) + "\"]}";
        TestChain.Answer a = chain.post("/api/v1/transactions/batch", body);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode results = a.json().get("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).get("hash").asText()).isEqualTo(first.hash().toHex());
        assertThat(results.get(0).get("status").asText()).isEqualTo("PENDING");
        assertThat(results.get(1).get("code").asText()).isEqualTo("BAD_ENCODING");
        assertThat(results.get(2).get("hash").asText()).isEqualTo(second.hash().toHex());
        assertThat(results.get(3).get("code").asText()).isEqualTo("DUPLICATE");
        assertThat(chain.get("/api/v1/transactions/" + second.hash().toHex() + "/wait?timeoutMs=10000").json()
                .get("status").asText()).isEqualTo("COMMITTED");
    }

    @Test
    @Order(5)
    void chainBlocksAndTraceDescribeWhatCommitted() {
        JsonNode c = chain.get("/api/v1/chain").json();
        assertThat(c.get("chainId").asText()).isEqualTo(CHAIN.value());
        assertThat(c.get("height").asLong()).isEqualTo(chain.node.height());
        assertThat(c.get("stateRoot").asText()).isEqualTo(chain.node.stateRoot().toHex());
        assertThat(c.get("pending").asInt()).isGreaterThanOrEqualTo(0);
        assertThat(c.get("tps").asDouble()).isPositive();
        assertThat(c.get("speedup").isNumber()).isTrue();
        assertThat(c.has("reexecPerTx")).isTrue();

        JsonNode recent = chain.get("/api/v1/chain/recent").json().get("blocks");
        assertThat(recent.size()).isGreaterThan(0);
        assertThat(recent.get(recent.size() - 1).get("height").asLong()).isEqualTo(chain.node.height());

        long h = chain.node.height();
        JsonNode page = chain.get("/api/v1/blocks?limit=2").json();
        JsonNode blocks = page.get("blocks");
        assertThat(blocks).hasSize((int) Math.min(2, h + 1));
        assertThat(blocks.get(0).get("height").asLong()).isEqualTo(h);
        assertThat(blocks.get(1).get("height").asLong()).isEqualTo(h - 1);
        JsonNode older = chain.get("/api/v1/blocks?before=" + (h - 1) + "&limit=100&summary=true").json();
        assertThat(older.get("blocks").get(0).get("height").asLong()).isEqualTo(h - 2);
        assertThat(older.get("blocks").get(0).has("transactions")).isFalse();

        JsonNode block = chain.get("/api/v1/blocks/" + h).json();
        var header = chain.node.block(h).orElseThrow().header();
        assertThat(block.get("hash").asText()).isEqualTo(header.hash().toHex());
        assertThat(block.get("parentHash").asText()).isEqualTo(header.parentHash().toHex());
        assertThat(block.get("stateRoot").asText()).isEqualTo(header.stateRoot().toHex());
        assertThat(block.get("transactionRoot").asText()).isEqualTo(header.transactionRoot().toHex());
        assertThat(block.get("timestampMillis").asLong()).isEqualTo(header.timestampMillis());
        JsonNode tx0 = block.get("transactions").get(0);
        assertThat(tx0.get("hash").asText()).isNotBlank();
        assertThat(tx0.get("payloadType").asText()).isIn("transfer", "mint");
        assertThat(tx0.get("outcome").has("success")).isTrue();
        assertThat(block.get("timings").get("totalNanos").asLong()).isPositive();
        assertThat(block.get("stats").get("executions").asLong()).isPositive();

        JsonNode trace = chain.get("/api/v1/blocks/" + h + "/trace").json();
        assertThat(trace.get("events").size()).isGreaterThan(0);
        JsonNode e = trace.get("events").get(0);
        assertThat(e.get("kind").asText()).isIn("EXECUTE", "VALIDATE");
        assertThat(e.get("endNanos").asLong()).isGreaterThanOrEqualTo(e.get("startNanos").asLong());
        assertThat(e.has("key")).isTrue();
        assertThat(trace.get("hotKeys").isArray()).isTrue();
        assertThat(trace.get("reexecuted").isArray()).isTrue();

        assertError(chain.get("/api/v1/blocks/" + (h + 1000)), 404, "NOT_FOUND");
        assertError(chain.get("/api/v1/blocks/" + (h + 1000) + "/trace"), 404, "NOT_FOUND");
        assertError(chain.get("/api/v1/blocks/minus-one"), 400, "BAD_REQUEST");
        assertError(chain.get("/api/v1/blocks?limit=101"), 400, "BAD_REQUEST");
    }

    @Test
    @Order(6)
    void accountsAndStateProofsVerifyWithShaAlone() throws Exception {
        JsonNode acct = chain.get("/api/v1/accounts/" + id(ALICE).toHex()).json();
        assertThat(acct.get("account").asText()).isEqualTo(id(ALICE).toHex());
        assertThat(acct.get("balance").asLong()).isEqualTo(chain.node.balance(id(ALICE)));
        assertThat(acct.get("nonce").asLong()).isEqualTo(chain.node.nonce(id(ALICE)));
        assertError(chain.get("/api/v1/accounts/abc"), 400, "BAD_REQUEST");

        String key = StateLayout.balanceKey(id(ALICE)).toHex();
        JsonNode present = chain.get("/api/v1/state/" + key).json();
        assertThat(present.get("value").asText()).isEqualTo(StateLayout.encodeLong(chain.node.balance(id(ALICE)))
                .toHex());
        assertThat(verify(present)).isTrue();
        JsonNode absent = chain.get("/api/v1/state/" + HexFormat.of().formatHex("no-such-key".getBytes())).json();
        assertThat(absent.get("value").isNull()).isTrue();
        assertThat(verify(absent)).isTrue();
        // A changed value must not verify.
        ((com.fasterxml.jackson.databind.node.ObjectNode) present).put("value", "00");
        assertThat(verify(present)).isFalse();
        assertError(chain.get("/api/v1/state/xyz"), 400, "BAD_REQUEST");
    }

    /** The documented algorithm, from the JSON only — what the dashboard does in the browser. */
    static boolean verify(JsonNode state) throws Exception {
        HexFormat hex = HexFormat.of();
        byte[] keyHash = sha(hex.parseHex(state.get("key").asText()));
        JsonNode proof = state.get("proof");
        JsonNode leaf = proof.get("leaf");
        byte[] h;
        if (!state.get("value").isNull()) {
            if (!leaf.isNull()) {
                return false;
            }
            h = sha(new byte[] {0}, keyHash, sha(hex.parseHex(state.get("value").asText())));
        } else if (!leaf.isNull()) {
            h = sha(new byte[] {0}, hex.parseHex(leaf.get("keyHash").asText()),
                    hex.parseHex(leaf.get("valueHash").asText()));
        } else {
            h = new byte[32];
        }
        JsonNode siblings = proof.get("siblings");
        for (int i = siblings.size() - 1; i >= 0; i--) {
            byte[] s = hex.parseHex(siblings.get(i).asText());
            int bit = (keyHash[i >>> 3] >>> (7 - (i & 7))) & 1;
            h = bit == 0 ? sha(new byte[] {1}, h, s) : sha(new byte[] {1}, s, h);
        }
        return hex.formatHex(h).equals(state.get("stateRoot").asText());
    }

    private static byte[] sha(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    @Test
    @Order(7)
    void everyRejectionIsAJsonErrorAndChangesNothing() throws Exception {
        long aliceNonce = chain.node.nonce(id(ALICE));
        SignedTransaction good = transfer(ALICE, aliceNonce, BOB, 1);
        SignedTransaction other = transfer(BOB, chain.node.nonce(id(BOB)), ALICE, 1);
        SignedTransaction forged = SignedTransaction.of(good.body(), other.signature());
        SignedTransaction wrongChain = SignedTransaction.sign(ALICE, ChainId.of("another-chain"), aliceNonce,
                new Payload.Transfer(id(BOB), 1));
        SignedTransaction stale = transfer(ALICE, 0, BOB, 7);
        String bigBody = "{\"tx\":\"" + "00".repeat(600_000) + "\"}";
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"tx\":", new Object[] {400, "BAD_REQUEST"});
        cases.put("[1,2]", new Object[] {400, "BAD_REQUEST"});
        cases.put("{\"transaction\":\"00\"}", new Object[] {400, "BAD_REQUEST"});
        cases.put("{\"tx\":42}", new Object[] {400, "BAD_REQUEST"});
        cases.put("{\"tx\":\"not hex\"}", new Object[] {400, "BAD_ENCODING"});
        cases.put("{\"tx\":\"0102\"}", new Object[] {400, "BAD_ENCODING"});
        cases.put("{\"tx\":\"" + "00".repeat(5000) + "\"}", new Object[] {413, "TOO_LARGE"});
        cases.put("{\"tx\":\"" + hex(forged) + "\"}", new Object[] {400, "BAD_SIGNATURE"});
        cases.put("{\"tx\":\"" + hex(wrongChain) + "\"}", new Object[] {400, "WRONG_CHAIN"});
        cases.put("{\"tx\":\"" + hex(stale) + "\"}", new Object[] {400, "STALE_NONCE"});
        cases.put("{\"tx\":\"" + hex(transfer(ALICE, aliceNonce + 1000, BOB, 1)) + "\"}",
                new Object[] {400, "NONCE_TOO_FAR"});
        Snapshot before = snapshot();
        for (var c : cases.entrySet()) {
            TestChain.Answer a = chain.post("/api/v1/transactions", c.getKey());
            assertError(a, (int) c.getValue()[0], (String) c.getValue()[1]);
            assertThat(snapshot()).as("after " + c.getValue()[1]).isEqualTo(before);
        }
        // A body past the limit is refused from its declared length. A client that asks first (as large
        // uploads should) is told no before it sends the body; one that sends it whole: see the next test.
        TestChain.Answer big = chain.send(HttpRequest.newBuilder(chain.uri("/api/v1/transactions"))
                .header("Content-Type", "application/json").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString(bigBody)));
        assertError(big, 413, "TOO_LARGE");
        assertThat(snapshot()).as("after a body past the limit").isEqualTo(before);
        // A duplicate of a pending transaction: one behind a nonce gap stays pending.
        SignedTransaction gapped = transfer(ALICE, aliceNonce + 5, BOB, 1);
        assertThat(chain.post("/api/v1/transactions", "{\"tx\":\"" + hex(gapped) + "\"}").status()).isEqualTo(202);
        assertError(chain.post("/api/v1/transactions", "{\"tx\":\"" + hex(gapped) + "\"}"), 409, "DUPLICATE");
        JsonNode pending = chain.get("/api/v1/transactions/" + gapped.hash().toHex()).json();
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("nonce").asLong()).isEqualTo(aliceNonce + 5);
        TestChain.Answer timedOut = chain.get("/api/v1/transactions/" + gapped.hash().toHex() + "/wait?timeoutMs=50");
        assertThat(timedOut.status()).isEqualTo(202);
        assertThat(timedOut.json().get("status").asText()).isEqualTo("PENDING");
        assertThat(snapshot()).isEqualTo(before);
        assertError(chain.post("/api/v1/transactions/batch", "{\"txs\":\"nope\"}"), 400, "BAD_REQUEST");
        assertError(chain.get("/api/v1/transactions/" + "ab".repeat(32)), 404, "NOT_FOUND");
        assertError(chain.get("/api/v1/transactions/" + "ab".repeat(32) + "/wait?timeoutMs=10"), 404,
                "NOT_FOUND");
        assertError(chain.get("/api/v1/transactions/xyz"), 400, "BAD_REQUEST");
        assertError(chain.get("/api/v1/no/such/route"), 404, "NOT_FOUND");
        assertError(chain.post("/api/v1/transactions?wait=soon", "{\"tx\":\"00\"}"), 400, "BAD_REQUEST");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(chain.get("/metrics").body()).contains("pel_rejections_total{code=\"BAD_SIGNATURE\"}");
    }

    /**
     * A client that sends a body past the limit whole, without asking first, still gets its 413: the server
     * reads and drops the rest of a body of up to 16 MiB before it answers and closes the connection, so the
     * answer does not race the upload (a reset instead of the answer, once in a few runs, when it did not).
     */
    @Test
    @Order(7)
    void aBodyPastTheLimitSentWholeStillGetsItsAnswer() throws Exception {
        Snapshot before = snapshot();
        byte[] big = new byte[4 << 20];
        java.util.Arrays.fill(big, (byte) '0');
        for (int i = 0; i < 10; i++) {
            TestChain.Answer a = chain.send(HttpRequest.newBuilder(chain.uri("/api/v1/transactions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
            assertError(a, 413, "TOO_LARGE");
            assertThat(a.response().headers().firstValue("Connection")).as("attempt %d", i).hasValue("close");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @Order(8)
    void adminEndpointsNeedTheToken() {
        String path = "/api/v1/admin/config";
        assertError(chain.get(path), 401, "UNAUTHORIZED");
        assertError(chain.send(HttpRequest.newBuilder(chain.uri(path)).header("Authorization", "Bearer wrong")
                .GET()), 403, "FORBIDDEN");
        TestChain.Answer ok = chain.send(HttpRequest.newBuilder(chain.uri(path))
                .header("Authorization", "Bearer " + TestChain.TOKEN).GET());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("node").get("chainId").asText()).isEqualTo(CHAIN.value());
        assertThat(ok.body()).doesNotContain(TestChain.TOKEN);
    }

    @Test
    @Order(9)
    void theEventStreamDeliversBlockEvents() throws Exception {
        HttpResponse<InputStream> stream = chain.http.send(HttpRequest.newBuilder(chain.uri("/api/v1/stream"))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        CompletableFuture<List<String>> event = CompletableFuture.supplyAsync(() -> {
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                boolean inBlock = false;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("event: block")) {
                        inBlock = true;
                    }
                    if (inBlock) {
                        lines.add(line);
                        if (line.startsWith("data:")) {
                            return lines;
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return lines;
        });
        Thread.sleep(100); // let the server register the client before the block
        chain.commit(transfer(BOB, chain.node.nonce(id(BOB)), ALICE, 1));
        List<String> lines = event.get(15, TimeUnit.SECONDS);
        JsonNode data = ApiRoutes.JSON.readTree(lines.getLast().substring("data:".length()).strip());
        assertThat(data.get("height").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(data.get("transactions").asInt()).isPositive();
        assertThat(data.has("tps")).isTrue();
        assertThat(data.has("speedup")).isTrue();
        assertThat(data.has("reexecPerTx")).isTrue();
        stream.body().close();
    }

    @Test
    @Order(10)
    void metricsAreInPrometheusTextForm() {
        TestChain.Answer m = chain.get("/metrics");
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(m.body()).contains("pel_blocks_total", "pel_transactions_total", "pel_reexecutions_total",
                "pel_block_execution_seconds", "pel_block_merkle_seconds", "pel_block_write_seconds",
                "pel_mempool_size", "pel_http_requests_seconds_count");
    }

    @Test
    @Order(11)
    void theOpenApiDocumentListsEveryRegisteredRoute() {
        JsonNode doc = chain.get("/openapi.json").json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        JsonNode paths = doc.get("paths");
        List<String> routes = chain.server.javalinRoutes();
        assertThat(routes).contains("GET /api/v1/chain", "POST /api/v1/transactions", "GET /api/v1/stream");
        for (String route : routes) {
            String[] parts = route.split(" ", 2);
            assertThat(paths.has(parts[1])).as(route).isTrue();
            assertThat(paths.get(parts[1]).has(parts[0].toLowerCase(java.util.Locale.ROOT))).as(route).isTrue();
        }
        assertThat(paths.get("/api/v1/admin/config").get("get").has("security")).isTrue();
    }

    @Test
    @Order(12)
    void theDashboardAndChartJsAreServed() {
        TestChain.Answer index = chain.get("/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("<title>PEL");
        assertThat(chain.get("/webjars/chart.js/4.5.1/dist/chart.umd.js").status()).isEqualTo(200);
    }
}
