package io.pel.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A client of a PEL node's HTTP API ({@code /api/v1}): read the chain and accounts, submit signed transactions,
 * wait for them to commit.
 *
 * <p><b>Guarantees.</b> Every call either returns what the node answered or throws a {@link PelClientException}
 * with a stable {@link PelErrorCode}, the server's message and the HTTP status. A request answered 429 or 503
 * is retried up to {@link PelClientConfig#maxRetries()} times, after the server's {@code Retry-After} (seconds)
 * or an exponential back-off, never longer than {@link PelClientConfig#retryCap()} — safe for submissions,
 * since such an answer means the node changed nothing, and a signed transaction submitted twice is the same
 * transaction. Other failures are not retried. Answers larger than {@link PelClientConfig#maxResponseBytes()}
 * are refused. Thread-safe; {@link #close()} releases the HTTP client.
 *
 * <pre>{@code
 * try (PelClient client = PelClient.connect(URI.create("http://localhost:8080"))) {
 *     Signer signer = client.signer(keys);
 *     TxStatus s = client.submitAndWait(signer.sign(new Payload.Transfer(to, 5)), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class PelClient implements AutoCloseable {

    /** The most transactions one {@link #submitBatch} sends. */
    public static final int MAX_BATCH = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final PelClientConfig config;
    private final HttpClient http;

    private PelClient(URI base, PelClientConfig config) {
        String scheme = base.getScheme();
        if (!base.isAbsolute() || scheme == null
                || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("a node's address is an absolute http or https URI, not " + base);
        }
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.config = config;
        // HTTP/1.1: the JDK's default HTTP/2 would send an h2c upgrade with every plain-http request.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A client of the node at {@code base} (e.g. {@code http://localhost:8080}), with the default settings. */
    public static PelClient connect(URI base) {
        return connect(base, PelClientConfig.defaults());
    }

    public static PelClient connect(URI base, PelClientConfig config) {
        return new PelClient(Objects.requireNonNull(base, "base"), Objects.requireNonNull(config, "config"));
    }

    public URI base() {
        return base;
    }

    // ---- reading ----

    /** Whether the node answers {@code GET /health} with 2xx. Never throws. */
    public boolean healthy() {
        try {
            return send(get("/health"), Duration.ZERO, true).status() / 100 == 2;
        } catch (PelClientException e) {
            return false;
        }
    }

    public ChainInfo chain() throws PelClientException {
        JsonNode n = json(send(get("/api/v1/chain"), Duration.ZERO, false));
        try {
            return new ChainInfo(ChainId.of(text(n, "chainId")), n.path("height").asLong(-1),
                    Hash.fromHex(text(n, "stateRoot")), n.path("pending").asLong(0));
        } catch (IllegalArgumentException e) {
            throw badResponse("GET /api/v1/chain", e);
        }
    }

    public AccountInfo account(AccountId account) throws PelClientException {
        JsonNode n = json(send(get("/api/v1/accounts/" + account.toHex()), Duration.ZERO, false));
        if (!n.path("balance").canConvertToLong() || !n.path("nonce").canConvertToLong()) {
            throw badResponse("GET /api/v1/accounts", new IllegalArgumentException("no balance or nonce"));
        }
        return new AccountInfo(account, n.get("balance").asLong(), n.get("nonce").asLong());
    }

    /** A transaction's status; empty when the node knows no transaction with that hash. */
    public Optional<TxStatus> transaction(Hash hash) throws PelClientException {
        Response r = send(get("/api/v1/transactions/" + hash.toHex()), Duration.ZERO, true);
        if (r.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(status(json(check(r)), hash));
    }

    /**
     * Waits up to {@code timeout} for a transaction to commit: its status, committed or (at the timeout) still
     * pending.
     *
     * @throws PelClientException {@code NOT_FOUND} when the node knows no such transaction
     */
    public TxStatus awaitCommit(Hash hash, Duration timeout) throws PelClientException {
        Response r = send(get("/api/v1/transactions/" + hash.toHex() + "/wait?timeoutMs=" + timeout.toMillis()),
                timeout, false);
        return status(json(r), hash);
    }

    /** A block as the node's JSON describes it; empty when there is none at that height. */
    public Optional<JsonNode> block(long height) throws PelClientException {
        Response r = send(get("/api/v1/blocks/" + height), Duration.ZERO, true);
        if (r.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(json(check(r)));
    }

    // ---- submitting ----

    /** Submits a signed transaction: admitted into the node's mempool, or a {@link PelClientException}. */
    public Submitted submit(SignedTransaction tx) throws PelClientException {
        JsonNode n = json(send(post("/api/v1/transactions", txBody(tx)), Duration.ZERO, false));
        return new Submitted(hash(n, "POST /api/v1/transactions"));
    }

    /**
     * Submits and waits up to {@code wait} for the commit: the status, committed with its outcome, or pending
     * when the wait ran out (the transaction was admitted either way).
     */
    public TxStatus submitAndWait(SignedTransaction tx, Duration wait) throws PelClientException {
        Response r = send(post("/api/v1/transactions?wait=" + wait.toMillis(), txBody(tx)), wait, false);
        return status(json(r), tx.hash());
    }

    /**
     * Submits up to {@value #MAX_BATCH} transactions in one request; one result per transaction, in order. A
     * rejected transaction does not stop the others.
     */
    public List<BatchItem> submitBatch(List<SignedTransaction> txs) throws PelClientException {
        if (txs.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_BATCH + " transactions");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode array = body.putArray("txs");
        for (SignedTransaction tx : txs) {
            array.add(HexFormat.of().formatHex(tx.encode()));
        }
        JsonNode n = json(send(post("/api/v1/transactions/batch", write(body)), Duration.ZERO, false));
        JsonNode results = n.path("results");
        if (!results.isArray() || results.size() != txs.size()) {
            throw badResponse("POST /api/v1/transactions/batch", new IllegalArgumentException(
                    "expected " + txs.size() + " results"));
        }
        List<BatchItem> items = new ArrayList<>(txs.size());
        for (JsonNode item : results) {
            if (item.hasNonNull("code")) {
                String code = item.get("code").asText();
                items.add(new BatchItem.Rejected(PelErrorCode.of(code), code, item.path("message").asText("")));
            } else {
                items.add(new BatchItem.Accepted(hash(item, "POST /api/v1/transactions/batch")));
            }
        }
        return items;
    }

    /**
     * A signer for {@code keys} on this node's chain (its chain id is read from {@code GET /api/v1/chain}); it
     * fetches the account's next nonce on first use.
     */
    public Signer signer(KeyPair keys) throws PelClientException {
        return new Signer(this, keys, chain().chainId());
    }

    @Override
    public void close() {
        http.close();
    }

    // ---- plumbing ----

    /** An answer: status, body, and the request it answered (for messages). */
    private record Response(int status, byte[] body, String what) {
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private HttpRequest.Builder post(String path, byte[] body) {
        return request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
        config.adminToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private static byte[] txBody(SignedTransaction tx) {
        ObjectNode body = JSON.createObjectNode();
        body.put("tx", HexFormat.of().formatHex(tx.encode()));
        return write(body);
    }

    /**
     * Sends, retrying 429 and 503 as the class documents. Returns a 2xx answer (or, when {@code any}, whatever
     * came); throws for the rest.
     */
    private Response send(HttpRequest.Builder builder, Duration wait, boolean any) throws PelClientException {
        HttpRequest request = builder.timeout(config.requestTimeout().plus(wait)).build();
        String what = request.method() + " " + request.uri().getRawPath();
        for (int attempt = 0; ; attempt++) {
            HttpResponse<InputStream> response;
            byte[] body;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = response.body()) {
                    body = in.readNBytes(config.maxResponseBytes() + 1);
                }
            } catch (HttpTimeoutException e) {
                throw new PelClientException(PelErrorCode.TIMEOUT, null, 0, what + ": no answer in time", e);
            } catch (IOException e) {
                throw new PelClientException(PelErrorCode.TRANSPORT, null, 0, what + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PelClientException(PelErrorCode.INTERRUPTED, null, 0, what + ": interrupted", e);
            }
            if (body.length > config.maxResponseBytes()) {
                throw new PelClientException(PelErrorCode.BAD_RESPONSE, null, response.statusCode(),
                        what + ": the answer is larger than " + config.maxResponseBytes() + " bytes", null);
            }
            Response r = new Response(response.statusCode(), body, what);
            boolean overloaded = r.status() == 429 || r.status() == 503;
            if (overloaded && attempt < config.maxRetries()) {
                pause(retryDelay(attempt, response.headers().firstValue("Retry-After")), what);
                continue;
            }
            return any ? r : check(r);
        }
    }

    /** The wait before retry {@code attempt + 1}: the server's Retry-After when it gave one, else back-off. */
    Duration retryDelay(int attempt, Optional<String> retryAfter) {
        Duration cap = config.retryCap();
        if (retryAfter.isPresent()) {
            try {
                long seconds = Long.parseLong(retryAfter.get().strip());
                if (seconds >= 0) {
                    return seconds >= cap.toSeconds() ? cap : Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // An HTTP date or garbage: fall back to our own back-off.
            }
        }
        long base = config.retryBase().toMillis();
        long millis = base << Math.min(attempt, 20);
        return millis >= cap.toMillis() ? cap : Duration.ofMillis(millis);
    }

    private static void pause(Duration d, String what) throws PelClientException {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PelClientException(PelErrorCode.INTERRUPTED, null, 0, what + ": interrupted", e);
        }
    }

    private static Response check(Response r) throws PelClientException {
        if (r.status() / 100 == 2) {
            return r;
        }
        String serverCode = null;
        String message = "HTTP " + r.status();
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n != null && n.hasNonNull("code")) {
                serverCode = n.get("code").asText();
                message = n.path("message").asText(message);
            }
        } catch (IOException e) {
            // Not the API's error JSON (a proxy's page): the status alone says what happened.
        }
        PelErrorCode code = serverCode != null ? PelErrorCode.of(serverCode) : switch (r.status()) {
            case 400 -> PelErrorCode.BAD_REQUEST;
            case 401 -> PelErrorCode.UNAUTHORIZED;
            case 403 -> PelErrorCode.FORBIDDEN;
            case 404 -> PelErrorCode.NOT_FOUND;
            case 413 -> PelErrorCode.TOO_LARGE;
            case 429 -> PelErrorCode.RATE_LIMITED;
            case 500 -> PelErrorCode.INTERNAL;
            default -> PelErrorCode.UNKNOWN;
        };
        throw new PelClientException(code, serverCode != null ? serverCode : code.name(), r.status(),
                r.what() + ": " + message, null);
    }

    private static JsonNode json(Response r) throws PelClientException {
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n == null || !n.isObject()) {
                throw new IOException("not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw badResponse(r.what(), e);
        }
    }

    private static TxStatus status(JsonNode n, Hash expected) throws PelClientException {
        Hash hash = hash(n, "transaction status");
        if (!hash.equals(expected)) {
            throw badResponse("transaction status", new IllegalArgumentException("the answer is about " + hash
                    + ", not " + expected));
        }
        TxStatus.State state;
        try {
            state = TxStatus.State.valueOf(text(n, "status"));
        } catch (IllegalArgumentException e) {
            throw badResponse("transaction status", e);
        }
        Optional<AccountId> sender = Optional.empty();
        if (n.hasNonNull("sender")) {
            try {
                sender = Optional.of(AccountId.fromHex(n.get("sender").asText()));
            } catch (EncodingException e) {
                throw badResponse("transaction status", e);
            }
        }
        Optional<String> payloadType = n.path("payload").hasNonNull("type")
                ? Optional.of(n.path("payload").get("type").asText()) : Optional.empty();
        Optional<TxOutcome> outcome = Optional.empty();
        JsonNode o = n.get("outcome");
        if (o != null && o.isObject()) {
            try {
                outcome = Optional.of(o.path("success").asBoolean(false)
                        ? new TxOutcome.Success(o.path("nonce").asLong(-1), Bytes.fromHex(o.path("output").asText("")))
                        : new TxOutcome.Failure(o.path("code").asText("UNKNOWN"), o.path("message").asText("")));
            } catch (IllegalArgumentException e) {
                throw badResponse("transaction outcome", e);
            }
        }
        boolean committed = state == TxStatus.State.COMMITTED;
        return new TxStatus(hash, state, committed ? n.path("height").asLong(-1) : -1,
                committed ? n.path("index").asInt(-1) : -1, sender, n.path("nonce").asLong(-1), payloadType, outcome);
    }

    private static Hash hash(JsonNode n, String what) throws PelClientException {
        try {
            return Hash.fromHex(text(n, "hash"));
        } catch (IllegalArgumentException e) {
            throw badResponse(what, e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("the answer lacks text field '" + field + "'");
        }
        return v.asText();
    }

    private static PelClientException badResponse(String what, Exception cause) {
        return new PelClientException(PelErrorCode.BAD_RESPONSE, null, 0, what + ": unreadable answer: "
                + cause.getMessage(), cause);
    }

    private static byte[] write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", e);
        }
    }
}
