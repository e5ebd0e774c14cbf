package io.pel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.pel.core.Outcome;
import io.pel.core.TraceEvent;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.Admission;
import io.pel.ledger.node.Block;
import io.pel.ledger.node.BlockTimings;
import io.pel.ledger.node.Committed;
import io.pel.ledger.node.Node;
import io.pel.ledger.node.Rejection;
import io.pel.ledger.node.StateLayout;
import io.pel.ledger.node.TxResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ledger's endpoints: transactions (submit, batch, look up, wait), chain overview, blocks and their
 * traces, accounts, state with proofs, and the admin config view. Handlers decode, call the {@link Node},
 * encode with {@link LedgerJson}.
 */
final class LedgerApi implements ApiModule {

    static final int MAX_BLOCKS_PER_PAGE = 100;
    static final int DEFAULT_BLOCKS_PER_PAGE = 20;

    private final Node node;
    private final ChainObserver observer;
    private final ServerMetrics metrics;
    private final ServerConfig config;
    private final ExecutorService waiters;
    /** Transactions this server admitted and has not seen commit: to show a pending one's details. */
    private final Map<Hash, SignedTransaction> admitted = new ConcurrentHashMap<>();

    LedgerApi(Node node, ChainObserver observer, ServerMetrics metrics, ServerConfig config, ExecutorService waiters) {
        this.node = node;
        this.observer = observer;
        this.metrics = metrics;
        this.config = config;
        this.waiters = waiters;
    }

    @Override
    public String name() {
        return "ledger";
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post("/api/v1/transactions", "Submit one signed transaction {\"tx\": hex}; ?wait=ms waits for "
                + "its commit", List.of("wait"), this::submit);
        routes.post("/api/v1/transactions/batch", "Submit signed transactions {\"txs\": [hex…]}: one result each, "
                + "in order", List.of(), this::submitBatch);
        routes.get("/api/v1/transactions/{hash}", "A transaction: status, place, payload, outcome", List.of(),
                this::transaction);
        routes.get("/api/v1/transactions/{hash}/wait", "Wait up to timeoutMs for a transaction's commit",
                List.of("timeoutMs"), this::awaitTransaction);
        routes.get("/api/v1/chain", "Chain overview: height, state root, pending, tx/s, speed-up, re-executions",
                List.of(), this::chain);
        routes.get("/api/v1/chain/recent", "Summaries of the recent blocks this server saw committed (for charts)",
                List.of("limit"), this::recent);
        routes.get("/api/v1/blocks", "Blocks, newest first: before (exclusive height), limit ≤ 100, "
                + "summary=true leaves out transactions", List.of("before", "limit", "summary"), this::blocks);
        routes.get("/api/v1/blocks/{height}", "A block: header, transactions with outcomes, timings, stats",
                List.of(), this::block);
        routes.get("/api/v1/blocks/{height}/trace", "A recent block's execution trace: one event per task",
                List.of(), this::trace);
        routes.get("/api/v1/accounts/{id}", "An account's balance and next nonce", List.of(), this::account);
        routes.get("/api/v1/state/{key}", "A state key's value with its Merkle proof against the state root",
                List.of(), this::state);
        routes.adminGet("/api/v1/admin/config", "The server's and node's configuration (admin)", List.of(),
                this::adminConfig);
    }

    // ---- transactions ----

    private void submit(Context ctx) {
        JsonNode body = ApiRoutes.body(ctx);
        byte[] tx = ApiRoutes.hex(ApiRoutes.text(body, "tx"), "tx", "BAD_ENCODING");
        Optional<Long> wait = ApiRoutes.longQuery(ctx, "wait");
        Admission admission = node.submit(tx);
        if (admission instanceof Admission.Rejected rejected) {
            throw rejection(rejected.rejection()).exception();
        }
        Admission.Accepted accepted = (Admission.Accepted) admission;
        remember(tx, accepted);
        String hash = accepted.txHash().toHex();
        if (wait.isEmpty() || wait.get() == 0) {
            ApiRoutes.respond(ctx, 202, LedgerJson.pending(hash));
            return;
        }
        long millis = Math.min(wait.get(), config.maxWait().toMillis());
        ctx.future(() -> accepted.committed()
                .thenApply(Optional::of)
                .completeOnTimeout(Optional.empty(), millis, TimeUnit.MILLISECONDS)
                .exceptionally(e -> node.committed(accepted.txHash()))
                .thenAccept(c -> answerCommit(ctx, hash, c)));
    }

    private void answerCommit(Context ctx, String hash, Optional<Committed> committed) {
        if (committed.isPresent()) {
            ApiRoutes.respond(ctx, 200, LedgerJson.committed(committed.get()));
        } else {
            ApiRoutes.respond(ctx, 202, LedgerJson.pending(hash));
        }
    }

    private void submitBatch(Context ctx) {
        JsonNode body = ApiRoutes.body(ctx);
        JsonNode txs = body.get("txs");
        if (txs == null || !txs.isArray()) {
            throw ApiError.badRequest("field 'txs' is required and must be an array of hex strings").exception();
        }
        if (txs.size() > config.maxBatch()) {
            throw ApiError.tooLarge("a batch holds at most " + config.maxBatch() + " transactions, not "
                    + txs.size()).exception();
        }
        List<Object> results = new ArrayList<>(txs.size());
        List<byte[]> decoded = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            JsonNode item = txs.get(i);
            if (!item.isTextual()) {
                throw ApiError.badRequest("txs[" + i + "] must be a hex string").exception();
            }
            try {
                decoded.add(java.util.HexFormat.of().parseHex(item.asText().strip()));
                slots.add(i);
                results.add(null);
            } catch (IllegalArgumentException e) {
                metrics.rejection("BAD_ENCODING");
                results.add(LedgerJson.error("BAD_ENCODING", "txs[" + i + "] is not hexadecimal"));
            }
        }
        List<Admission> admissions = decoded.isEmpty() ? List.of() : node.submitAll(decoded);
        for (int j = 0; j < admissions.size(); j++) {
            Admission admission = admissions.get(j);
            Object result;
            if (admission instanceof Admission.Accepted accepted) {
                remember(decoded.get(j), accepted);
                result = LedgerJson.pending(accepted.txHash().toHex());
            } else {
                Rejection r = ((Admission.Rejected) admission).rejection();
                metrics.rejection(r.code().name());
                result = LedgerJson.error(r.code().name(), r.message());
            }
            results.set(slots.get(j), result);
        }
        ApiRoutes.respond(ctx, 200, Map.of("results", results));
    }

    private void remember(byte[] encoded, Admission.Accepted accepted) {
        try {
            admitted.put(accepted.txHash(), SignedTransaction.decode(encoded));
            accepted.committed().whenComplete((c, e) -> admitted.remove(accepted.txHash()));
        } catch (EncodingException e) {
            throw new IllegalStateException("the node admitted a transaction that does not decode", e);
        }
    }

    private ApiError rejection(Rejection r) {
        metrics.rejection(r.code().name());
        return switch (r.code()) {
            case TOO_LARGE -> new ApiError(413, r.code().name(), r.message());
            case DUPLICATE -> new ApiError(409, r.code().name(), r.message());
            case MEMPOOL_FULL, NODE_CLOSED -> new ApiError(503, r.code().name(), r.message(), 1);
            default -> new ApiError(400, r.code().name(), r.message());
        };
    }

    private void transaction(Context ctx) {
        Hash hash = hash(ctx);
        Optional<Committed> committed = node.committed(hash);
        if (committed.isPresent()) {
            Committed c = committed.get();
            SignedTransaction tx = node.block(c.height()).orElseThrow().transactions().get(c.index());
            ApiRoutes.respond(ctx, 200, LedgerJson.transaction(tx, c));
            return;
        }
        SignedTransaction pending = admitted.get(hash);
        if (pending != null) {
            ApiRoutes.respond(ctx, 200, LedgerJson.transaction(pending, null));
            return;
        }
        if (isPending(hash)) {
            ApiRoutes.respond(ctx, 200, LedgerJson.pending(hash.toHex()));
            return;
        }
        throw ApiError.notFound("no transaction " + hash.toHex() + " is pending or committed").exception();
    }

    /** Whether the node holds {@code hash} in its mempool (submitted, perhaps not through this server). */
    private boolean isPending(Hash hash) {
        try {
            node.awaitCommit(hash, Duration.ZERO);
            return false;
        } catch (TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitTransaction(Context ctx) {
        Hash hash = hash(ctx);
        long millis = Math.min(ApiRoutes.longQuery(ctx, "timeoutMs").orElse(config.maxWait().toMillis()),
                config.maxWait().toMillis());
        if (node.committed(hash).isEmpty() && !admitted.containsKey(hash) && !isPending(hash)) {
            throw ApiError.notFound("no transaction " + hash.toHex() + " is pending or committed").exception();
        }
        ctx.future(() -> CompletableFuture.supplyAsync(() -> {
            try {
                node.awaitCommit(hash, Duration.ofMillis(millis));
            } catch (TimeoutException e) {
                // still pending: answered below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return node.committed(hash);
        }, waiters).thenAccept(c -> answerCommit(ctx, hash.toHex(), c)));
    }

    private static Hash hash(Context ctx) {
        byte[] bytes = ApiRoutes.hexParam(ctx, "hash");
        if (bytes.length != Hash.LENGTH) {
            throw ApiError.badRequest("a transaction hash is 64 hexadecimal digits").exception();
        }
        return Hash.of(bytes);
    }

    // ---- chain and blocks ----

    private void chain(Context ctx) {
        List<BlockSummary> recent = observer.recent();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chainId", node.config().chainId().value());
        m.put("height", node.height());
        m.put("stateRoot", node.stateRoot().toHex());
        m.put("pending", node.pending());
        BlockSummary last = recent.isEmpty() ? null : recent.getLast();
        m.put("tps", last == null ? 0.0 : last.tps());
        List<BlockSummary> window = recent.subList(Math.max(0, recent.size() - 32), recent.size());
        m.put("speedup", window.stream().filter(s -> s.speedup() != null).mapToDouble(BlockSummary::speedup)
                .average().stream().boxed().findFirst().orElse(null));
        long txs = window.stream().mapToLong(BlockSummary::transactions).sum();
        long reexec = window.stream().mapToLong(BlockSummary::reexecutions).sum();
        m.put("reexecPerTx", txs == 0 ? 0.0 : (double) reexec / txs);
        m.put("threads", node.config().threads());
        m.put("traced", node.config().trace());
        m.put("blockMaxTxs", node.config().blockMaxTxs());
        m.put("blockIntervalMs", node.config().blockInterval().toMillis());
        m.put("windowBlocks", window.size());
        m.put("speedupMeaning", "mean over the window of each traced block's (time of the incarnations that "
                + "counted, summed over workers) / (engine wall time); null when blocks are not traced");
        ApiRoutes.respond(ctx, 200, m);
    }

    private void recent(Context ctx) {
        long limit = Math.min(ApiRoutes.longQuery(ctx, "limit").orElse(120L), ChainObserver.RECENT);
        List<BlockSummary> recent = observer.recent();
        ApiRoutes.respond(ctx, 200, Map.of("blocks",
                recent.subList((int) Math.max(0, recent.size() - limit), recent.size())));
    }

    private void blocks(Context ctx) {
        long height = node.height();
        long before = ApiRoutes.longQuery(ctx, "before").orElse(height + 1);
        long limit = ApiRoutes.longQuery(ctx, "limit").orElse((long) DEFAULT_BLOCKS_PER_PAGE);
        if (limit < 1 || limit > MAX_BLOCKS_PER_PAGE) {
            throw ApiError.badRequest("limit is 1…" + MAX_BLOCKS_PER_PAGE).exception();
        }
        boolean summaryOnly = "true".equals(ctx.queryParam("summary"));
        List<Map<String, Object>> blocks = new ArrayList<>();
        Map<Long, BlockTimings> timings = timingsByHeight();
        for (long h = Math.min(before - 1, height); h >= 0 && blocks.size() < limit; h--) {
            long at = h;
            node.block(h).ifPresent(b -> blocks.add(blockJson(b, timings.get(at), summaryOnly)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", height);
        m.put("blocks", blocks);
        long oldest = blocks.isEmpty() ? 0 : (long) blocks.getLast().get("height");
        m.put("nextBefore", oldest > 0 ? oldest : null);
        ApiRoutes.respond(ctx, 200, m);
    }

    private Map<String, Object> blockJson(Block b, BlockTimings timings, boolean summaryOnly) {
        List<Outcome<TxResult>> outcomes = summaryOnly ? null : node.outcomes(b.height()).orElse(null);
        return LedgerJson.block(b, outcomes, timings, observer.summary(b.height()).orElse(null),
                observer.trace(b.height()).isPresent(), summaryOnly);
    }

    private Map<Long, BlockTimings> timingsByHeight() {
        Map<Long, BlockTimings> m = new java.util.HashMap<>();
        for (BlockTimings t : node.recentBlocks()) {
            m.put(t.height(), t);
        }
        return m;
    }

    private long heightParam(Context ctx) {
        try {
            long h = Long.parseLong(ctx.pathParam("height"));
            if (h < 0) {
                throw new NumberFormatException();
            }
            return h;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("a block height is a non-negative integer").exception();
        }
    }

    private void block(Context ctx) {
        long h = heightParam(ctx);
        Block b = node.block(h).orElseThrow(() -> ApiError.notFound("no block at height " + h).exception());
        ApiRoutes.respond(ctx, 200, blockJson(b, timingsByHeight().get(h), false));
    }

    private void trace(Context ctx) {
        long h = heightParam(ctx);
        List<TraceEvent> events = observer.trace(h).orElseThrow(() -> ApiError.notFound("no trace kept for block "
                + h + " (only the last blocks are kept, and only when the node traces)").exception());
        ApiRoutes.respond(ctx, 200, LedgerJson.trace(h, events, timingsByHeight().get(h)));
    }

    // ---- accounts and state ----

    private void account(Context ctx) {
        AccountId id;
        try {
            id = AccountId.fromHex(ctx.pathParam("id"));
        } catch (EncodingException e) {
            throw ApiError.badRequest(e.getMessage()).exception();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("account", id.toHex());
        m.put("balance", node.balance(id));
        m.put("nonce", node.nonce(id));
        m.put("height", node.height());
        m.put("balanceKey", StateLayout.balanceKey(id).toHex());
        m.put("nonceKey", StateLayout.nonceKey(id).toHex());
        ApiRoutes.respond(ctx, 200, m);
    }

    private void state(Context ctx) {
        byte[] key = ApiRoutes.hexParam(ctx, "key");
        ApiRoutes.respond(ctx, 200, LedgerJson.state(node.proof(Bytes.of(key))));
    }

    private void adminConfig(Context ctx) {
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("host", config.host());
        server.put("port", config.port());
        server.put("maxBodyBytes", config.maxBodyBytes());
        server.put("maxBatch", config.maxBatch());
        server.put("ratePerSecond", config.ratePerSecond());
        server.put("rateBurst", config.rateBurst());
        server.put("maxWaitMs", config.maxWait().toMillis());
        var nc = node.config();
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("chainId", nc.chainId().value());
        n.put("admin", nc.admin().map(AccountId::toHex).orElse(null));
        n.put("threads", nc.threads());
        n.put("blockMaxTxs", nc.blockMaxTxs());
        n.put("blockIntervalMs", nc.blockInterval().toMillis());
        n.put("mempoolSize", nc.mempoolSize());
        n.put("nonceWindow", nc.nonceWindow());
        n.put("maxTxBytes", nc.maxTxBytes());
        n.put("trace", nc.trace());
        ApiRoutes.respond(ctx, 200, Map.of("server", server, "node", n));
    }
}
