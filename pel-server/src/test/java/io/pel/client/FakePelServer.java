package io.pel.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pel.ledger.AccountId;
import io.pel.ledger.Hash;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test fixture, not a node: an HTTP server on 127.0.0.1 that speaks just enough of the {@code /api/v1}
 * contract for {@link PelClientTest}. It decodes and records what it is sent, keeps accounts' nonces in a map,
 * "commits" a transaction the moment it is asked to wait for it, and can be told to answer 429 first.
 */
final class FakePelServer implements AutoCloseable {

    record Seen(String method, String path, Map<String, List<String>> headers, byte[] body) {
    }

    static final String CHAIN = "test-chain";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Transactions admitted, in order. */
    final List<SignedTransaction> admitted = new CopyOnWriteArrayList<>();
    final Map<AccountId, Long> nonces = new ConcurrentHashMap<>();
    private final Map<Hash, Integer> committedAt = new ConcurrentHashMap<>();
    /** Answers 429 (Retry-After: 0) to this many submissions before admitting. */
    final AtomicInteger rateLimitFirst = new AtomicInteger();
    /** When set, a submission is rejected with this code and HTTP status 409. */
    volatile String rejectWith;

    FakePelServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::handle);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getQuery();
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), Map.copyOf(ex.getRequestHeaders()),
                body));
        try {
            if (path.equals("/health")) {
                reply(ex, 200, JSON.createObjectNode().put("status", "UP"));
            } else if (path.equals("/api/v1/chain")) {
                reply(ex, 200, JSON.createObjectNode().put("chainId", CHAIN).put("height", committedAt.size())
                        .put("stateRoot", Hash.ZERO.toHex()).put("pending", admitted.size() - committedAt.size())
                        .put("extra", "ignored"));
            } else if (path.startsWith("/api/v1/accounts/")) {
                AccountId id = AccountId.fromHex(path.substring("/api/v1/accounts/".length()));
                reply(ex, 200, JSON.createObjectNode().put("account", id.toHex()).put("balance", 1000)
                        .put("nonce", nonces.getOrDefault(id, 0L)));
            } else if (path.equals("/api/v1/transactions/batch") && ex.getRequestMethod().equals("POST")) {
                ArrayNode results = JSON.createArrayNode();
                for (JsonNode hex : JSON.readTree(body).path("txs")) {
                    ObjectNode r = admit(hex.asText());
                    results.add(r.has("code") ? r : JSON.createObjectNode().put("hash", r.get("hash").asText())
                            .put("status", "PENDING"));
                }
                reply(ex, 200, JSON.createObjectNode().set("results", results));
            } else if (path.equals("/api/v1/transactions") && ex.getRequestMethod().equals("POST")) {
                if (rateLimitFirst.getAndDecrement() > 0) {
                    ex.getResponseHeaders().add("Retry-After", "0");
                    reply(ex, 429, error("RATE_LIMITED", "slow down"));
                    return;
                }
                ObjectNode r = admit(JSON.readTree(body).path("tx").asText());
                if (r.has("code")) {
                    reply(ex, r.get("code").asText().equals("BAD_ENCODING") ? 400 : 409, r);
                } else if (query != null && query.startsWith("wait=")) {
                    reply(ex, 200, committed(Hash.fromHex(r.get("hash").asText())));
                } else {
                    reply(ex, 202, r.put("status", "PENDING"));
                }
            } else if (path.startsWith("/api/v1/transactions/")) {
                String rest = path.substring("/api/v1/transactions/".length());
                boolean wait = rest.endsWith("/wait");
                Hash hash = Hash.fromHex(wait ? rest.substring(0, rest.length() - 5) : rest);
                SignedTransaction tx = find(hash);
                if (tx == null) {
                    reply(ex, 404, error("NOT_FOUND", "no transaction " + hash));
                } else if (wait || committedAt.containsKey(hash)) {
                    reply(ex, 200, committed(hash));
                } else {
                    reply(ex, 200, describe(tx).put("status", "PENDING"));
                }
            } else {
                reply(ex, 404, error("NOT_FOUND", "no route " + path));
            }
        } catch (EncodingException | IllegalArgumentException e) {
            reply(ex, 400, error("BAD_REQUEST", e.getMessage()));
        }
    }

    private ObjectNode admit(String hex) {
        if (rejectWith != null) {
            return error(rejectWith, "rejected by the fake");
        }
        try {
            SignedTransaction tx = SignedTransaction.decode(HexFormat.of().parseHex(hex));
            if (!tx.verify()) {
                return error("BAD_SIGNATURE", "not signed by its sender");
            }
            admitted.add(tx);
            return JSON.createObjectNode().put("hash", tx.hash().toHex());
        } catch (EncodingException | IllegalArgumentException e) {
            return error("BAD_ENCODING", String.valueOf(e.getMessage()));
        }
    }

    private SignedTransaction find(Hash hash) {
        return admitted.stream().filter(t -> t.hash().equals(hash)).findFirst().orElse(null);
    }

    private ObjectNode committed(Hash hash) {
        SignedTransaction tx = find(hash);
        int index = committedAt.computeIfAbsent(hash, h -> committedAt.size());
        nonces.merge(tx.sender(), tx.nonce() + 1, Math::max);
        ObjectNode n = describe(tx).put("status", "COMMITTED").put("height", 7).put("index", index);
        n.putObject("outcome").put("success", true).put("nonce", tx.nonce()).put("output", "");
        return n;
    }

    private static ObjectNode describe(SignedTransaction tx) {
        ObjectNode n = JSON.createObjectNode().put("hash", tx.hash().toHex()).put("sender", tx.sender().toHex())
                .put("nonce", tx.nonce());
        n.putObject("payload").put("type", switch (tx.payload()) {
            case Payload.Transfer t -> "transfer";
            case Payload.Mint m -> "mint";
            case Payload.Call c -> "call";
        });
        return n;
    }

    private static ObjectNode error(String code, String message) {
        return JSON.createObjectNode().put("code", code).put("message", message);
    }

    private static void reply(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
