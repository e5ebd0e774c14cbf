package io.pel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.node.Applications;
import io.pel.ledger.node.Node;
import io.pel.ledger.node.NodeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/** A real node on a temporary directory with a server in front of it, and an HTTP client to talk to it. */
final class TestChain implements AutoCloseable {

    static final ChainId CHAIN = ChainId.of("pel-server-test");
    static final KeyPair ADMIN = Keys.fromSeed(seed(9));
    static final KeyPair ALICE = Keys.fromSeed(seed(1));
    static final KeyPair BOB = Keys.fromSeed(seed(2));
    static final String TOKEN = "s3cret-admin-token";

    final Node node;
    final ChainObserver observer = new ChainObserver();
    final PelServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestChain(Path dir, ServerConfig config, List<ApiModule> modules) {
        node = Node.open(dir, NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(ADMIN)).withThreads(2)
                .withBlockMaxTxs(200).withBlockInterval(Duration.ofMillis(20)).withTrace(true),
                Applications.none(), observer);
        server = PelServer.start(node, observer, config.withPort(0), modules);
    }

    TestChain(Path dir) {
        this(dir, ServerConfig.defaults().withAdminToken(TOKEN), List.of());
    }

    static byte[] seed(int b) {
        byte[] seed = new byte[Keys.SEED_LENGTH];
        java.util.Arrays.fill(seed, (byte) b);
        return seed;
    }

    static AccountId id(KeyPair keys) {
        return Keys.accountId(keys);
    }

    static SignedTransaction mint(long nonce, KeyPair to, long amount) {
        return SignedTransaction.sign(ADMIN, CHAIN, nonce, new Payload.Mint(id(to), amount));
    }

    static SignedTransaction transfer(KeyPair from, long nonce, KeyPair to, long amount) {
        return SignedTransaction.sign(from, CHAIN, nonce, new Payload.Transfer(id(to), amount));
    }

    static String hex(SignedTransaction tx) {
        return HexFormat.of().formatHex(tx.encode());
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return ApiRoutes.JSON.readTree(body);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Answer post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer send(HttpRequest.Builder request) {
        return send(http, request);
    }

    /** Sends {@code request} (20 s at most) and answers what came back; I/O failures are test failures. */
    static Answer send(HttpClient http, HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    URI uri(String path) {
        return URI.create(server.url() + path);
    }

    /** Submits and waits for the commit; fails unless it committed successfully. */
    JsonNode commit(SignedTransaction tx) {
        Answer a = post("/api/v1/transactions?wait=10000", "{\"tx\":\"" + hex(tx) + "\"}");
        if (a.status() != 200 || !a.json().path("outcome").path("success").asBoolean()) {
            throw new AssertionError("not committed: " + a.status() + " " + a.body());
        }
        return a.json();
    }

    @Override
    public void close() {
        server.close();
        node.close();
    }
}
