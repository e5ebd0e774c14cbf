package io.pel.server;

import io.pel.core.BlockStats;
import io.pel.core.Outcome;
import io.pel.core.TraceEvent;
import io.pel.ledger.Bytes;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.merkle.MerkleProof;
import io.pel.ledger.node.Block;
import io.pel.ledger.node.BlockHeader;
import io.pel.ledger.node.BlockTimings;
import io.pel.ledger.node.Committed;
import io.pel.ledger.node.StateProof;
import io.pel.ledger.node.TxResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms of ledger values, as the API documents them. Plain maps in a fixed field order, so the
 * answers read like the API contract.
 */
final class LedgerJson {

    /** How a browser checks a {@link #proof}: see also {@code dashboard/proof.js}. */
    static final String PROOF_ALGORITHM = "keyHash = SHA-256(key); a present key starts from "
            + "h = SHA-256(0x00 || keyHash || SHA-256(value)) and needs leaf = null; an absent key starts from the "
            + "other key's leaf, h = SHA-256(0x00 || leaf.keyHash || leaf.valueHash) (leaf.keyHash != keyHash and "
            + "sharing its first depth bits), or from 32 zero bytes when leaf is null. Then for i = depth-1 down to "
            + "0: if bit i of keyHash (most significant first) is 0, h = SHA-256(0x01 || h || siblings[i]), else "
            + "h = SHA-256(0x01 || siblings[i] || h). The proof holds when h equals stateRoot.";

    private LedgerJson() {
    }

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }

    static Map<String, Object> pending(String hash) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", hash);
        m.put("status", "PENDING");
        return m;
    }

    static Map<String, Object> committed(Committed c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", c.txHash().toHex());
        m.put("status", "COMMITTED");
        m.put("height", c.height());
        m.put("index", c.index());
        m.put("outcome", outcome(c.outcome(), failureCode(c)));
        return m;
    }

    static String failureCode(Committed c) {
        return c.failureCode().orElse(null);
    }

    /** A transaction with its place and outcome; {@code committed} null while pending. */
    static Map<String, Object> transaction(SignedTransaction tx, Committed committed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hash", tx.hash().toHex());
        m.put("status", committed == null ? "PENDING" : "COMMITTED");
        if (committed != null) {
            m.put("height", committed.height());
            m.put("index", committed.index());
        }
        m.put("sender", tx.sender().toHex());
        m.put("nonce", tx.nonce());
        m.put("payload", payload(tx.payload()));
        if (committed != null) {
            m.put("outcome", outcome(committed.outcome(), failureCode(committed)));
        }
        return m;
    }

    static Map<String, Object> payload(Payload payload) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (payload) {
            case Payload.Transfer t -> {
                m.put("type", "transfer");
                m.put("to", t.to().toHex());
                m.put("amount", t.amount());
            }
            case Payload.Mint t -> {
                m.put("type", "mint");
                m.put("to", t.to().toHex());
                m.put("amount", t.amount());
            }
            case Payload.Call c -> {
                m.put("type", "call");
                m.put("app", c.app());
                m.put("body", c.body().toHex());
            }
        }
        return m;
    }

    static String payloadType(Payload payload) {
        return switch (payload) {
            case Payload.Transfer t -> "transfer";
            case Payload.Mint t -> "mint";
            case Payload.Call c -> "call";
        };
    }

    static Map<String, Object> outcome(Outcome<TxResult> outcome, String failureCode) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (outcome) {
            case Outcome.Success<TxResult> s when s.output() != null && s.output().error().isPresent() -> {
                // The payload failed after its nonce check: the nonce is used up, the writes discarded.
                m.put("success", false);
                m.put("code", s.output().error().get().code());
                m.put("message", s.output().error().get().message());
                m.put("nonce", s.output().nonce());
            }
            case Outcome.Success<TxResult> s -> {
                m.put("success", true);
                m.put("nonce", s.output() == null ? null : s.output().nonce());
                m.put("output", s.output() == null ? "" : s.output().output().toHex());
            }
            case Outcome.Failure<TxResult> f -> {
                m.put("success", false);
                m.put("code", failureCode);
                String message = f.message() == null ? "" : f.message();
                // The stored message leads with the code ("BAD_NONCE: …"); say it once.
                if (failureCode != null && message.startsWith(failureCode + ": ")) {
                    message = message.substring(failureCode.length() + 2);
                }
                m.put("message", message);
            }
        }
        return m;
    }

    static Map<String, Object> header(BlockHeader h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", h.height());
        m.put("hash", h.hash().toHex());
        m.put("parentHash", h.parentHash().toHex());
        m.put("timestampMillis", h.timestampMillis());
        m.put("transactionRoot", h.transactionRoot().toHex());
        m.put("stateRoot", h.stateRoot().toHex());
        return m;
    }

    /**
     * A block: its header fields, its transaction count and — unless {@code summaryOnly} — its transactions with
     * their outcomes; {@code timings}, {@code stats} and {@code summary} when this server saw it committed.
     */
    static Map<String, Object> block(Block block, List<Outcome<TxResult>> outcomes, BlockTimings timings,
                                     BlockSummary summary, boolean traced, boolean summaryOnly) {
        Map<String, Object> m = header(block.header());
        m.put("transactionCount", block.transactions().size());
        if (!summaryOnly) {
            List<Map<String, Object>> txs = new ArrayList<>(block.transactions().size());
            for (int i = 0; i < block.transactions().size(); i++) {
                SignedTransaction tx = block.transactions().get(i);
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("index", i);
                t.put("hash", tx.hash().toHex());
                t.put("sender", tx.sender().toHex());
                t.put("nonce", tx.nonce());
                t.put("payloadType", payloadType(tx.payload()));
                Outcome<TxResult> outcome = outcomes == null ? null : outcomes.get(i);
                if (outcome != null) {
                    String code = new Committed(block.height(), i, tx.hash(), outcome).failureCode().orElse(null);
                    t.put("outcome", outcome(outcome, code));
                }
                txs.add(t);
            }
            m.put("transactions", txs);
        }
        if (timings != null) {
            m.put("timings", timings(timings));
            m.put("stats", stats(timings.engine()));
        }
        if (summary != null) {
            m.put("tps", summary.tps());
            m.put("speedup", summary.speedup());
            m.put("reexecPerTx", summary.reexecPerTx());
        }
        m.put("traced", traced);
        return m;
    }

    static Map<String, Object> timings(BlockTimings t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("signatureNanos", t.signatureNanos());
        m.put("executionNanos", t.executionNanos());
        m.put("merkleNanos", t.merkleNanos());
        m.put("writeNanos", t.writeNanos());
        m.put("otherNanos", t.otherNanos());
        m.put("totalNanos", t.totalNanos());
        return m;
    }

    static Map<String, Object> stats(BlockStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transactions", s.transactions());
        m.put("executions", s.executions());
        m.put("reexecutions", s.reexecutions());
        m.put("validations", s.validations());
        m.put("failedValidations", s.failedValidations());
        m.put("suspensions", s.dependencySuspensions());
        m.put("wallNanos", s.wallNanos());
        m.put("threads", s.threads());
        m.put("path", s.path().name());
        return m;
    }

    /**
     * A block's trace: every task as an event (with the key behind an abort or suspension), the transactions
     * run more than once (most first), and the hot keys: keys behind aborts and suspensions, most first.
     */
    static Map<String, Object> trace(long height, List<TraceEvent> events, BlockTimings timings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", height);
        int workers = events.stream().mapToInt(TraceEvent::worker).max().orElse(-1) + 1;
        m.put("workers", workers);
        m.put("wallNanos", timings == null ? events.stream().mapToLong(TraceEvent::endNanos).max().orElse(0)
                : timings.engine().wallNanos());
        List<Map<String, Object>> list = new ArrayList<>(events.size());
        Map<Integer, Integer> executions = new HashMap<>();
        Map<Integer, Integer> aborts = new HashMap<>();
        Map<String, Integer> conflicts = new HashMap<>();
        for (TraceEvent e : events) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("worker", e.worker());
            t.put("transaction", e.transaction());
            t.put("incarnation", e.incarnation());
            t.put("kind", e.kind().name());
            t.put("result", e.result().name());
            t.put("startNanos", e.startNanos());
            t.put("endNanos", e.endNanos());
            t.put("key", e.key() == null ? null : keyText(e.key()));
            list.add(t);
            if (e.key() != null) {
                conflicts.merge(keyText(e.key()), 1, Integer::sum);
            }
            if (e.kind() == TraceEvent.Kind.EXECUTE) {
                executions.merge(e.transaction(), 1, Integer::sum);
            }
            if (e.result() == TraceEvent.Result.ABORTED || e.result() == TraceEvent.Result.SUSPENDED) {
                aborts.merge(e.transaction(), 1, Integer::sum);
            }
        }
        m.put("events", list);
        List<Map<String, Object>> hot = new ArrayList<>();
        executions.entrySet().stream().filter(en -> en.getValue() > 1)
                .sorted((a, b) -> b.getValue() != a.getValue().intValue() ? b.getValue() - a.getValue()
                        : a.getKey() - b.getKey())
                .limit(50).forEach(en -> {
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("transaction", en.getKey());
                    t.put("executions", en.getValue());
                    t.put("abortsAndSuspensions", aborts.getOrDefault(en.getKey(), 0));
                    hot.add(t);
                });
        m.put("reexecuted", hot);
        List<Map<String, Object>> hotKeys = new ArrayList<>();
        conflicts.entrySet().stream().sorted((a, b) -> b.getValue() != a.getValue().intValue()
                        ? b.getValue() - a.getValue() : a.getKey().compareTo(b.getKey()))
                .limit(50).forEach(en -> {
                    Map<String, Object> k = new LinkedHashMap<>();
                    k.put("key", en.getKey());
                    k.put("conflicts", en.getValue());
                    hotKeys.add(k);
                });
        m.put("hotKeys", hotKeys);
        return m;
    }

    /** A state key as hex (ledger keys are {@link Bytes}); another engine key type by its string form. */
    static String keyText(Object key) {
        return key instanceof Bytes b ? b.toHex() : String.valueOf(key);
    }

    /** A state value with its proof in a form a browser verifies with SHA-256 alone. */
    static Map<String, Object> state(StateProof p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", p.key().toHex());
        m.put("value", p.value().map(Bytes::toHex).orElse(null));
        m.put("height", p.height());
        m.put("stateRoot", p.stateRoot().toHex());
        MerkleProof proof = p.proof();
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("depth", proof.depth());
        pm.put("siblings", proof.siblings().stream().map(h -> h.toHex()).toList());
        pm.put("leaf", proof.leaf().map(l -> {
            Map<String, Object> leaf = new LinkedHashMap<>();
            leaf.put("keyHash", l.keyHash().toHex());
            leaf.put("valueHash", l.valueHash().toHex());
            return leaf;
        }).orElse(null));
        pm.put("encoded", Bytes.of(proof.encode()).toHex());
        pm.put("algorithm", PROOF_ALGORITHM);
        m.put("proof", pm);
        m.put("verified", p.verify());
        return m;
    }
}
