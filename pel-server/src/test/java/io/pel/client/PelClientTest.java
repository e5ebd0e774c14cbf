package io.pel.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PelClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair KEYS = Keys.fromSeed(new byte[32]);
    private static final AccountId ME = Keys.accountId(KEYS);
    private static final AccountId YOU = Keys.accountId(Keys.fromSeed(filled(7)));

    private FakePelServer server;
    private PelClient client;

    @BeforeEach
    void start() throws Exception {
        server = new FakePelServer();
        client = PelClient.connect(server.base(), PelClientConfig.defaults()
                .withRetries(3, Duration.ZERO, Duration.ofMillis(50)));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static byte[] filled(int b) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    @Test
    void readsTheChainAndAnAccount() throws Exception {
        server.nonces.put(ME, 4L);
        ChainInfo chain = client.chain();
        assertThat(chain.chainId()).isEqualTo(ChainId.of(FakePelServer.CHAIN));
        assertThat(chain.stateRoot()).isEqualTo(Hash.ZERO);
        assertThat(client.account(ME)).isEqualTo(new AccountInfo(ME, 1000, 4));
        assertThat(client.healthy()).isTrue();
    }

    @Test
    void aSubmissionIsTheHexOfTheSignedTransactionAndNoncesCountUp() throws Exception {
        server.nonces.put(ME, 3L);
        Signer signer = client.signer(KEYS);
        assertThat(signer.nextNonce()).isEqualTo(-1);
        List<SignedTransaction> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            SignedTransaction tx = signer.sign(new Payload.Transfer(YOU, i));
            sent.add(tx);
            assertThat(client.submit(tx)).isEqualTo(new Submitted(tx.hash()));
        }
        assertThat(server.admitted).containsExactlyElementsOf(sent);
        assertThat(sent).extracting(SignedTransaction::nonce).containsExactly(3L, 4L, 5L);
        assertThat(sent).allSatisfy(tx -> {
            assertThat(tx.chainId()).isEqualTo(ChainId.of(FakePelServer.CHAIN));
            assertThat(tx.sender()).isEqualTo(ME);
            assertThat(tx.verify()).isTrue();
        });
        List<FakePelServer.Seen> posts = server.seen.stream().filter(s -> s.method().equals("POST")).toList();
        assertThat(posts).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String hex = JSON.readTree(posts.get(i).body()).get("tx").asText();
            assertThat(SignedTransaction.decode(HexFormat.of().parseHex(hex))).isEqualTo(sent.get(i));
            assertThat(posts.get(i).headers().get("Content-type")).containsExactly("application/json");
        }
        // The nonce was fetched once, then counted locally.
        assertThat(server.seen.stream().filter(s -> s.path().startsWith("/api/v1/accounts/"))).hasSize(1);
        assertThat(signer.nextNonce()).isEqualTo(6);

        server.nonces.put(ME, 10L);
        signer.resync();
        assertThat(signer.sign(new Payload.Transfer(YOU, 1)).nonce()).isEqualTo(10);
    }

    @Test
    void aRejectionCarriesTheServersCodeMessageAndStatus() throws Exception {
        SignedTransaction tx = Signer.offline(KEYS, ChainId.of(FakePelServer.CHAIN), 0)
                .sign(new Payload.Transfer(YOU, 1));
        server.rejectWith = "STALE_NONCE";
        assertThatThrownBy(() -> client.submit(tx)).isInstanceOfSatisfying(PelClientException.class, e -> {
            assertThat(e.code()).isEqualTo(PelErrorCode.STALE_NONCE);
            assertThat(e.serverCode()).isEqualTo("STALE_NONCE");
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.getMessage()).contains("rejected by the fake");
            assertThat(e.retryable()).isFalse();
        });
        server.rejectWith = "SOMETHING_NEWER";
        assertThatThrownBy(() -> client.submit(tx)).isInstanceOfSatisfying(PelClientException.class, e -> {
            assertThat(e.code()).isEqualTo(PelErrorCode.UNKNOWN);
            assertThat(e.serverCode()).isEqualTo("SOMETHING_NEWER");
        });
        assertThat(server.admitted).isEmpty();
    }

    @Test
    void aRateLimitedSubmissionIsRetriedThenAdmitted() throws Exception {
        SignedTransaction tx = Signer.offline(KEYS, ChainId.of(FakePelServer.CHAIN), 0)
                .sign(new Payload.Transfer(YOU, 1));
        server.rateLimitFirst.set(2);
        assertThat(client.submit(tx).hash()).isEqualTo(tx.hash());
        assertThat(server.seen.stream().filter(s -> s.method().equals("POST"))).hasSize(3);
        assertThat(server.admitted).containsExactly(tx);
    }

    @Test
    void retriesAreBounded() throws Exception {
        SignedTransaction tx = Signer.offline(KEYS, ChainId.of(FakePelServer.CHAIN), 0)
                .sign(new Payload.Transfer(YOU, 1));
        server.rateLimitFirst.set(100);
        assertThatThrownBy(() -> client.submit(tx)).isInstanceOfSatisfying(PelClientException.class, e -> {
            assertThat(e.code()).isEqualTo(PelErrorCode.RATE_LIMITED);
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryable()).isTrue();
        });
        assertThat(server.seen.stream().filter(s -> s.method().equals("POST"))).hasSize(1 + 3);
    }

    @Test
    void submitAndWaitAndAwaitCommitReportTheCommit() throws Exception {
        Signer signer = Signer.offline(KEYS, ChainId.of(FakePelServer.CHAIN), 0);
        SignedTransaction first = signer.sign(new Payload.Transfer(YOU, 1));
        TxStatus s = client.submitAndWait(first, Duration.ofSeconds(1));
        assertThat(s.committed()).isTrue();
        assertThat(s.succeeded()).isTrue();
        assertThat(s.height()).isEqualTo(7);
        assertThat(s.outcome()).contains(new TxOutcome.Success(0, io.pel.ledger.Bytes.EMPTY));
        assertThat(server.seen.getLast().path()).isEqualTo("/api/v1/transactions?wait=1000");

        SignedTransaction second = signer.sign(new Payload.Transfer(YOU, 2));
        client.submit(second);
        TxStatus pending = client.transaction(second.hash()).orElseThrow();
        assertThat(pending.state()).isEqualTo(TxStatus.State.PENDING);
        assertThat(pending.height()).isEqualTo(-1);
        assertThat(pending.sender()).contains(ME);
        assertThat(pending.nonce()).isEqualTo(1);
        assertThat(pending.payloadType()).contains("transfer");
        assertThat(pending.outcome()).isEmpty();
        TxStatus committed = client.awaitCommit(second.hash(), Duration.ofMillis(500));
        assertThat(committed.committed()).isTrue();
        assertThat(committed.index()).isEqualTo(1);
        assertThat(server.seen.getLast().path()).endsWith("/wait?timeoutMs=500");

        assertThat(client.transaction(Hash.sha256(new byte[] {9}))).isEmpty();
        assertThatThrownBy(() -> client.awaitCommit(Hash.sha256(new byte[] {9}), Duration.ofMillis(10)))
                .isInstanceOfSatisfying(PelClientException.class,
                        e -> assertThat(e.code()).isEqualTo(PelErrorCode.NOT_FOUND));
    }

    @Test
    void aBatchAnswersPerTransaction() throws Exception {
        Signer signer = Signer.offline(KEYS, ChainId.of(FakePelServer.CHAIN), 0);
        SignedTransaction a = signer.sign(new Payload.Transfer(YOU, 1));
        SignedTransaction b = signer.sign(new Payload.Transfer(YOU, 2));
        SignedTransaction forged = SignedTransaction.of(b.body(), a.signature());
        SignedTransaction c = signer.sign(new Payload.Mint(YOU, 3));
        List<BatchItem> items = client.submitBatch(List.of(a, forged, c));
        assertThat(items).hasSize(3);
        assertThat(items.get(0)).isEqualTo(new BatchItem.Accepted(a.hash()));
        assertThat(items.get(1)).isInstanceOfSatisfying(BatchItem.Rejected.class,
                r -> assertThat(r.code()).isEqualTo(PelErrorCode.BAD_SIGNATURE));
        assertThat(items.get(2)).isEqualTo(new BatchItem.Accepted(c.hash()));
        assertThat(server.admitted).containsExactly(a, c);
        List<String> hexes = new ArrayList<>();
        JSON.readTree(server.seen.getLast().body()).get("txs").forEach(n -> hexes.add(n.asText()));
        assertThat(hexes).containsExactly(HexFormat.of().formatHex(a.encode()),
                HexFormat.of().formatHex(forged.encode()), HexFormat.of().formatHex(c.encode()));
    }

    @Test
    void theAdminTokenIsSentAsABearerToken() throws Exception {
        try (PelClient admin = PelClient.connect(server.base(), PelClientConfig.defaults().withAdminToken("s3cret"))) {
            admin.chain();
        }
        client.chain();
        List<FakePelServer.Seen> chains = server.seen.stream().filter(s -> s.path().equals("/api/v1/chain")).toList();
        assertThat(chains.get(0).headers().get("Authorization")).containsExactly("Bearer s3cret");
        assertThat(chains.get(1).headers().get("Authorization")).isNull();
    }

    @Test
    void noAnswerIsATransportError() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (PelClient down = PelClient.connect(URI.create("http://127.0.0.1:" + port))) {
            assertThatThrownBy(down::chain).isInstanceOfSatisfying(PelClientException.class, e -> {
                assertThat(e.code()).isEqualTo(PelErrorCode.TRANSPORT);
                assertThat(e.status()).isZero();
            });
            assertThat(down.healthy()).isFalse();
        }
    }

    @Test
    void retryAfterIsHonouredAndCapped() {
        PelClientConfig config = PelClientConfig.defaults()
                .withRetries(3, Duration.ofMillis(100), Duration.ofSeconds(2));
        try (PelClient c = PelClient.connect(URI.create("http://127.0.0.1:1"), config)) {
            assertThat(c.retryDelay(0, Optional.of("1"))).isEqualTo(Duration.ofSeconds(1));
            assertThat(c.retryDelay(0, Optional.of("120"))).isEqualTo(Duration.ofSeconds(2));
            assertThat(c.retryDelay(0, Optional.empty())).isEqualTo(Duration.ofMillis(100));
            assertThat(c.retryDelay(2, Optional.empty())).isEqualTo(Duration.ofMillis(400));
            assertThat(c.retryDelay(2, Optional.of("Wed, 21 Oct 2015 07:28:00 GMT"))).isEqualTo(Duration.ofMillis(400));
            assertThat(c.retryDelay(10, Optional.empty())).isEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void errorCodesAreTyped() {
        assertThat(PelErrorCode.of("MEMPOOL_FULL")).isEqualTo(PelErrorCode.MEMPOOL_FULL);
        assertThat(PelErrorCode.of("TRANSPORT")).as("a server cannot claim a client-side code")
                .isEqualTo(PelErrorCode.UNKNOWN);
        assertThat(PelErrorCode.of(null)).isEqualTo(PelErrorCode.UNKNOWN);
        assertThatThrownBy(() -> PelClient.connect(URI.create("ftp://x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
