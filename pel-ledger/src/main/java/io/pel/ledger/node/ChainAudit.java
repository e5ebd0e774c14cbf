package io.pel.ledger.node;

import io.pel.core.BlockExecutionException;
import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.Outcome;
import io.pel.core.ParallelConfig;
import io.pel.core.WriteSet;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.merkle.MemoryNodeStore;
import io.pel.ledger.merkle.SparseMerkleTree;
import io.pel.ledger.merkle.TreeUpdate;
import io.pel.ledger.store.ChainRules;
import io.pel.ledger.store.LedgerStore;
import io.pel.ledger.store.TxLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks a node's data directory after the fact. It opens the store read-only, so the node may keep running; the
 * audit then sees the chain as it was when the store was opened.
 *
 * <p>{@link #verify} walks the stored chain and checks what the bytes alone can prove: every block from 0 to the
 * last decodes, stands at its height, links to its parent's hash, has a timestamp no lower than its parent's and
 * a transaction root matching its transactions; every transaction is in the transaction index at its (height,
 * position); the last header's state root is the stored one; the stored state's values hash to that root, and
 * the stored tree holds every node of it.
 *
 * <p>{@link #replay} re-executes the stored blocks from the empty state, each with the sequential executor and
 * with Block-STM (adaptive choice off, so the parallel path really runs), through the same code the node used
 * ({@code BlockExecution}); both must give identical outcomes and write sets, and the state root after each
 * block of the requested range must equal its header's, and each block's stored receipts must be what it
 * re-executes to. Each executor's time is summed over the blocks (a measured speed-up on the chain's own
 * blocks). The state and tree live in memory.
 *
 * <p>Both answer an {@link AuditReport} naming the first problem found, if any; neither writes to the chain.
 * They throw only when the store cannot be read at all ({@code StorageException}).
 */
public final class ChainAudit {

    private ChainAudit() {
    }

    /** Verifies the chain stored in {@code directory} (see the class comment). */
    public static AuditReport verify(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!isStore(directory)) {
            return noStore(directory);
        }
        try (LedgerStore store = LedgerStore.openReadOnly(directory)) {
            return new Verification(store).run();
        }
    }

    /**
     * Re-executes the blocks 0..{@code to} of the chain in {@code directory} under the rules the store records
     * ({@link ChainRules}: its admin) and compares the state roots of {@code from}..{@code to} with their
     * headers' (see the class comment). A store that records no rules (written before they were recorded)
     * answers {@code NO_RULES}: use {@link #replay(Path, Optional, long, OptionalLong, int)}.
     *
     * @param from    the first height whose root is compared (≥ 0)
     * @param to      the last height re-executed; empty: the last block
     * @param threads Block-STM's worker threads
     */
    public static AuditReport replay(Path directory, long from, OptionalLong to, int threads) {
        return replayUnder(directory, null, Applications.none(), from, to, threads);
    }

    /**
     * As {@link #replay(Path, long, OptionalLong, int)}, running application calls with {@code apps} — the
     * applications the node ran with; a call to one missing here fails, and the roots will not match.
     */
    public static AuditReport replay(Path directory, Applications apps, long from, OptionalLong to, int threads) {
        return replayUnder(directory, null, Objects.requireNonNull(apps, "apps"), from, to, threads);
    }

    /**
     * As {@link #replay(Path, long, OptionalLong, int)}, but judging mints by {@code admin} whatever the store
     * records: for stores that record no rules, and to see what other rules would make of a chain.
     *
     * @param admin the account allowed to mint
     */
    public static AuditReport replay(Path directory, Optional<AccountId> admin, long from, OptionalLong to,
                                     int threads) {
        return replayUnder(directory, Objects.requireNonNull(admin, "admin"), Applications.none(), from, to,
                threads);
    }

    /** The chain id and admin the store in {@code directory} records; empty if it records none or is no store. */
    public static Optional<ChainRules> rules(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!isStore(directory)) {
            return Optional.empty();
        }
        try (LedgerStore store = LedgerStore.openReadOnly(directory)) {
            return store.rules();
        }
    }

    /** {@code admin} null: the recorded rules. */
    private static AuditReport replayUnder(Path directory, Optional<AccountId> admin, Applications apps, long from,
                                           OptionalLong to, int threads) {
        Objects.requireNonNull(directory, "directory");
        if (threads < 1 || threads > ParallelConfig.MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in 1.." + ParallelConfig.MAX_THREADS + ": " + threads);
        }
        if (!isStore(directory)) {
            return noStore(directory);
        }
        try (LedgerStore store = LedgerStore.openReadOnly(directory)) {
            long last = store.lastHeight().orElse(-1);
            Optional<AccountId> rulesAdmin = admin;
            if (rulesAdmin == null) {
                Optional<ChainRules> recorded = store.rules();
                if (recorded.isEmpty()) {
                    return new AuditReport(0, 0, 0, last, SparseMerkleTree.EMPTY_ROOT, Optional.of(new AuditProblem(
                            AuditProblem.Code.NO_RULES, -1, directory + " records no chain id and admin (it was"
                            + " written before they were recorded): name the admin the node ran with")));
                }
                rulesAdmin = recorded.get().admin();
            }
            long end = to.orElse(last);
            if (from < 0 || from > end || end > last) {
                if (last < 0 && to.isEmpty() && from == 0) {
                    return new AuditReport(0, 0, 0, last, SparseMerkleTree.EMPTY_ROOT, Optional.empty());
                }
                return new AuditReport(0, 0, 0, last, SparseMerkleTree.EMPTY_ROOT, Optional.of(new AuditProblem(
                        AuditProblem.Code.BAD_RANGE, -1, "cannot replay heights " + from + ".." + end
                        + ": the chain holds blocks 0.." + last)));
            }
            return new Replay(store, rulesAdmin, apps, from, end, last, threads).run();
        }
    }

    /** RocksDB keeps a {@code CURRENT} file in every database directory; without it there is nothing to audit. */
    private static boolean isStore(Path directory) {
        return Files.isDirectory(directory) && Files.isRegularFile(directory.resolve("CURRENT"));
    }

    private static AuditReport noStore(Path directory) {
        return new AuditReport(0, 0, 0, -1, SparseMerkleTree.EMPTY_ROOT, Optional.of(new AuditProblem(
                AuditProblem.Code.NO_STORE, -1, directory + " is not a ledger data directory")));
    }

    /** A stored block decoded, or the problem that kept it from decoding. */
    private record Loaded(Block.Parts parts, AuditProblem problem) {
    }

    private static Loaded load(LedgerStore store, long height) {
        Optional<Bytes> bytes = store.block(height);
        if (bytes.isEmpty()) {
            return new Loaded(null, new AuditProblem(AuditProblem.Code.BLOCK_MISSING, height,
                    "the chain ends at " + store.lastHeight().orElse(-1) + " but this block is not stored"));
        }
        Block.Parts parts;
        try {
            parts = Block.decodeParts(bytes.get().toByteArray());
        } catch (EncodingException e) {
            return new Loaded(null, new AuditProblem(AuditProblem.Code.BLOCK_UNDECODABLE, height,
                    e.reason() + ": " + e.getMessage()));
        }
        Hash root = Block.transactionRoot(parts.transactions());
        if (!root.equals(parts.header().transactionRoot())) {
            return new Loaded(null, new AuditProblem(AuditProblem.Code.TRANSACTION_ROOT_MISMATCH, height,
                    "the header says " + parts.header().transactionRoot() + ", the transactions hash to " + root));
        }
        if (parts.header().height() != height) {
            return new Loaded(null, new AuditProblem(AuditProblem.Code.HEIGHT_MISMATCH, height,
                    "the block stored here says it is block " + parts.header().height()));
        }
        return new Loaded(parts, null);
    }

    private static final class Verification {
        private final LedgerStore store;
        private long blocks;
        private long transactions;
        private long last = -1;
        private Hash storedRoot = SparseMerkleTree.EMPTY_ROOT;

        Verification(LedgerStore store) {
            this.store = store;
        }

        AuditReport run() {
            last = store.lastHeight().orElse(-1);
            storedRoot = store.stateRoot();
            AuditProblem problem = walk();
            return new AuditReport(blocks, transactions, 0, last, storedRoot, Optional.ofNullable(problem));
        }

        private AuditProblem walk() {
            Hash parentHash = Hash.ZERO;
            long parentTimestamp = 0;
            Hash headerRoot = SparseMerkleTree.EMPTY_ROOT;
            for (long height = 0; height <= last; height++) {
                Loaded loaded = load(store, height);
                if (loaded.problem() != null) {
                    return loaded.problem();
                }
                BlockHeader header = loaded.parts().header();
                if (!header.parentHash().equals(parentHash)) {
                    return new AuditProblem(AuditProblem.Code.PARENT_MISMATCH, height, "the parent hash is "
                            + header.parentHash() + ", the " + (height == 0 ? "genesis parent is " + Hash.ZERO
                            : "hash of block " + (height - 1) + " is " + parentHash));
                }
                if (header.timestampMillis() < parentTimestamp) {
                    return new AuditProblem(AuditProblem.Code.TIMESTAMP_DECREASES, height, "timestamp "
                            + header.timestampMillis() + " is below the parent's " + parentTimestamp);
                }
                List<SignedTransaction> txs = loaded.parts().transactions();
                for (int i = 0; i < txs.size(); i++) {
                    Optional<TxLocation> at = store.transaction(txs.get(i).hash());
                    if (!at.equals(Optional.of(new TxLocation(height, i)))) {
                        return new AuditProblem(AuditProblem.Code.TRANSACTION_NOT_INDEXED, height, "transaction "
                                + i + " (" + txs.get(i).hash() + ") is "
                                + at.map(l -> "indexed at (" + l.height() + ", " + l.index() + ")")
                                .orElse("not in the transaction index"));
                    }
                }
                parentHash = header.hash();
                parentTimestamp = header.timestampMillis();
                headerRoot = header.stateRoot();
                blocks++;
                transactions += txs.size();
            }
            if (!headerRoot.equals(storedRoot)) {
                return new AuditProblem(AuditProblem.Code.STATE_ROOT_MISMATCH, last, "the last header's state root"
                        + " is " + headerRoot + ", the stored state root is " + storedRoot);
            }
            return checkStateTree();
        }

        /** Rebuilds the tree from the stored values; its root must be the stored one and its nodes stored. */
        private AuditProblem checkStateTree() {
            WriteSet.Builder<Bytes, Bytes> values = WriteSet.builder(1024);
            store.forEachState(values::put);
            TreeUpdate rebuilt = SparseMerkleTree.sequential(new MemoryNodeStore())
                    .update(SparseMerkleTree.EMPTY_ROOT, values.build());
            if (!rebuilt.root().equals(storedRoot)) {
                return new AuditProblem(AuditProblem.Code.STATE_TREE_MISMATCH, last, "the stored values hash to "
                        + rebuilt.root() + ", not to the stored state root " + storedRoot);
            }
            for (Hash node : rebuilt.addedNodes().keySet()) {
                if (store.treeNodes().get(node) == null) {
                    return new AuditProblem(AuditProblem.Code.STATE_TREE_MISMATCH, last, "the stored tree lacks"
                            + " node " + node + " of the state root " + storedRoot);
                }
            }
            return null;
        }
    }

    private static final class Replay {
        private final LedgerStore store;
        private final Optional<AccountId> admin;
        private final Applications apps;
        private final long from;
        private final long to;
        private final long last;
        private final int threads;
        private final Map<Bytes, Bytes> state = new HashMap<>();
        private final MemoryNodeStore nodes = new MemoryNodeStore();
        private final SparseMerkleTree tree = SparseMerkleTree.sequential(nodes);
        private Hash root = SparseMerkleTree.EMPTY_ROOT;
        private long blocks;
        private long transactions;
        private long compared;
        private long sequentialNanos;
        private long blockStmNanos;
        private long reexecutions;

        Replay(LedgerStore store, Optional<AccountId> admin, Applications apps, long from, long to, long last,
               int threads) {
            this.store = store;
            this.admin = admin;
            this.apps = apps;
            this.from = from;
            this.to = to;
            this.last = last;
            this.threads = threads;
        }

        AuditReport run() {
            AuditProblem problem;
            try (BlockExecutor sequential = BlockExecutor.sequential();
                 BlockExecutor blockStm = BlockExecutor.parallel(ParallelConfig.defaults(threads)
                         .withAdaptive(false))) {
                problem = replay(sequential, blockStm);
            }
            return new AuditReport(blocks, transactions, compared, last, root, Optional.ofNullable(problem),
                    sequentialNanos, blockStmNanos, reexecutions);
        }

        private AuditProblem replay(BlockExecutor sequential, BlockExecutor blockStm) {
            for (long height = 0; height <= to; height++) {
                Loaded loaded = load(store, height);
                if (loaded.problem() != null) {
                    return loaded.problem();
                }
                List<SignedTransaction> txs = loaded.parts().transactions();
                BlockInfo info = new BlockInfo(height, loaded.parts().header().timestampMillis());
                long start = System.nanoTime();
                BlockResult<Bytes, Bytes, TxResult> expected = BlockExecution.run(info, txs, admin, apps,
                        state::get, sequential, null);
                long middle = System.nanoTime();
                BlockResult<Bytes, Bytes, TxResult> actual;
                try {
                    actual = BlockExecution.run(info, txs, admin, apps, state::get, blockStm, null);
                } catch (BlockExecutionException e) {
                    return new AuditProblem(AuditProblem.Code.EXECUTION_FAILED, height,
                            "Block-STM gave no result: " + e.getMessage());
                }
                sequentialNanos += middle - start;
                blockStmNanos += System.nanoTime() - middle;
                reexecutions += actual.stats().reexecutions();
                AuditProblem disagreement = compare(height, expected, actual);
                if (disagreement != null) {
                    return disagreement;
                }
                TreeUpdate update = tree.update(root, expected.writeSet());
                nodes.apply(update);
                root = update.root();
                expected.writeSet().forEach((key, value) -> {
                    if (value == null) {
                        state.remove(key);
                    } else {
                        state.put(key, value);
                    }
                });
                blocks++;
                transactions += txs.size();
                if (height >= from) {
                    Hash header = loaded.parts().header().stateRoot();
                    if (!header.equals(root)) {
                        return new AuditProblem(AuditProblem.Code.STATE_ROOT_MISMATCH, height, "replayed, the "
                                + "state root is " + root + "; the header says " + header);
                    }
                    compared++;
                }
                AuditProblem receipts = compareReceipts(height, expected);
                if (receipts != null) {
                    return receipts;
                }
            }
            if (to == last && !root.equals(store.stateRoot())) {
                return new AuditProblem(AuditProblem.Code.STATE_ROOT_MISMATCH, to, "replayed, the state root is "
                        + root + "; the store holds " + store.stateRoot());
            }
            return null;
        }

        /** The receipts stored with the block must be what its re-execution gives. */
        private AuditProblem compareReceipts(long height, BlockResult<Bytes, Bytes, TxResult> replayed) {
            Optional<Bytes> stored = store.receipts(height);
            if (stored.isEmpty()) {
                return new AuditProblem(AuditProblem.Code.RECEIPT_MISMATCH, height, "the block has no receipts");
            }
            List<Outcome<TxResult>> outcomes;
            try {
                outcomes = Receipts.decode(stored.get());
            } catch (EncodingException e) {
                return new AuditProblem(AuditProblem.Code.RECEIPT_MISMATCH, height, "the receipts do not decode: "
                        + e.getMessage());
            }
            if (outcomes.size() != replayed.outcomes().size()) {
                return new AuditProblem(AuditProblem.Code.RECEIPT_MISMATCH, height, outcomes.size()
                        + " receipts for " + replayed.outcomes().size() + " transactions");
            }
            for (int i = 0; i < outcomes.size(); i++) {
                Outcome<TxResult> expected = Receipts.normalize(replayed.outcome(i));
                if (!outcomes.get(i).equals(expected)) {
                    return new AuditProblem(AuditProblem.Code.RECEIPT_MISMATCH, height, "transaction " + i
                            + ": the stored receipt says " + outcomes.get(i) + ", re-executed it is " + expected);
                }
            }
            return null;
        }

        private static AuditProblem compare(long height, BlockResult<Bytes, Bytes, TxResult> sequential,
                                            BlockResult<Bytes, Bytes, TxResult> parallel) {
            List<Outcome<TxResult>> a = sequential.outcomes();
            List<Outcome<TxResult>> b = parallel.outcomes();
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                if (!a.get(i).equals(b.get(i))) {
                    return new AuditProblem(AuditProblem.Code.EXECUTION_MISMATCH, height, "transaction " + i
                            + ": sequentially " + a.get(i) + ", with Block-STM " + b.get(i));
                }
            }
            if (a.size() != b.size()) {
                return new AuditProblem(AuditProblem.Code.EXECUTION_MISMATCH, height, a.size()
                        + " outcomes sequentially, " + b.size() + " with Block-STM");
            }
            if (!sequential.writeSet().equals(parallel.writeSet())) {
                return new AuditProblem(AuditProblem.Code.EXECUTION_MISMATCH, height, "the write sets differ:"
                        + " sequentially " + sequential.writeSet().size() + " keys, with Block-STM "
                        + parallel.writeSet().size());
            }
            return null;
        }
    }
}
