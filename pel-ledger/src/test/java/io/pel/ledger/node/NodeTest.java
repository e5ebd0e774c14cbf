package io.pel.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pel.core.BaseState;
import io.pel.core.BlockExecutionException;
import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.BlockStats;
import io.pel.core.CounterCodec;
import io.pel.core.Outcome;
import io.pel.core.ParallelConfig;
import io.pel.core.Transaction;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.merkle.MemoryNodeStore;
import io.pel.ledger.merkle.SparseMerkleTree;
import io.pel.ledger.merkle.TreeUpdate;
import io.pel.ledger.store.BlockCommit;
import io.pel.ledger.store.ChainRules;
import io.pel.ledger.store.LedgerStore;
import io.pel.ledger.store.StorageException;
import io.pel.ledger.store.TxLocation;
import io.pel.core.WriteSet;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTest {

    private static final ChainId CHAIN = ChainId.of("pel-test");
    private static final KeyPair ADMIN = Keys.fromSeed(BlockTest.seed(9));
    private static final KeyPair ALICE = Keys.fromSeed(BlockTest.seed(1));
    private static final KeyPair BOB = Keys.fromSeed(BlockTest.seed(2));
    /** A hang detector only: every wait here normally ends within milliseconds. */
    private static final long TIMEOUT_S = 20;

    @TempDir
    Path dir;

    private static NodeConfig config() {
        return NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(ADMIN)).withThreads(2)
                .withBlockMaxTxs(100).withBlockInterval(Duration.ofMillis(10));
    }

    private static AccountId id(KeyPair keys) {
        return Keys.accountId(keys);
    }

    private static SignedTransaction mint(long nonce, KeyPair to, long amount) {
        return SignedTransaction.sign(ADMIN, CHAIN, nonce, new Payload.Mint(id(to), amount));
    }

    private static SignedTransaction transfer(KeyPair from, long nonce, KeyPair to, long amount) {
        return SignedTransaction.sign(from, CHAIN, nonce, new Payload.Transfer(id(to), amount));
    }

    private static Admission.Accepted accepted(Admission admission) {
        assertThat(admission).isInstanceOf(Admission.Accepted.class);
        return (Admission.Accepted) admission;
    }

    private static Committed commit(Node node, SignedTransaction tx) throws Exception {
        return accepted(node.submit(tx.encode())).committed().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static List<Committed> commitAll(Node node, List<SignedTransaction> txs) throws Exception {
        List<Admission> admissions = node.submitAll(txs.stream().map(SignedTransaction::encode).toList());
        List<Committed> committed = new ArrayList<>();
        for (Admission admission : admissions) {
            committed.add(accepted(admission).committed().get(TIMEOUT_S, TimeUnit.SECONDS));
        }
        return committed;
    }

    @Test
    void mintsAndTransfersCommitAndTheFuturesSayWhere() throws Exception {
        try (Node node = Node.open(dir, config())) {
            assertThat(node.height()).isEqualTo(-1);
            assertThat(node.stateRoot()).isEqualTo(SparseMerkleTree.EMPTY_ROOT);
            List<Committed> mints = commitAll(node, List.of(mint(0, ALICE, 1000), mint(1, BOB, 500)));
            assertThat(mints).allMatch(Committed::succeeded);
            Committed pay = commit(node, transfer(ALICE, 0, BOB, 300));
            assertThat(pay.outcome()).isEqualTo(new Outcome.Success<>(new TxResult(0)));

            assertThat(node.balance(id(ALICE))).isEqualTo(700);
            assertThat(node.balance(id(BOB))).isEqualTo(800);
            assertThat(node.nonce(id(ALICE))).isEqualTo(1);
            assertThat(node.nonce(id(ADMIN))).isEqualTo(2);
            assertThat(node.nonce(id(BOB))).isZero();

            for (Committed c : List.of(mints.get(0), mints.get(1), pay)) {
                Block block = node.block(c.height()).orElseThrow();
                assertThat(block.transactions().get(c.index()).hash()).isEqualTo(c.txHash());
                assertThat(node.transaction(c.txHash())).contains(new TxLocation(c.height(), c.index()));
                assertThat(node.awaitCommit(c.txHash(), Duration.ofSeconds(TIMEOUT_S)))
                        .contains(new TxLocation(c.height(), c.index()));
            }
            Block last = node.block(node.height()).orElseThrow();
            assertThat(last.header().stateRoot()).isEqualTo(node.stateRoot());
            for (long h = 1; h <= node.height(); h++) {
                assertThat(node.block(h).orElseThrow().header().parentHash())
                        .isEqualTo(node.block(h - 1).orElseThrow().hash());
            }
            StateProof proof = node.proof(StateLayout.balanceKey(id(ALICE)));
            assertThat(proof.value()).contains(StateLayout.encodeLong(700));
            assertThat(proof.verify()).isTrue();
            assertThat(proof.stateRoot()).isEqualTo(node.stateRoot());
            assertThat(node.pending()).isZero();
        }
    }

    @Test
    void failuresAreCommittedWithTheirCodeAndUseUpTheirNonce() throws Exception {
        // Two transactions make a block and the interval is long, so each pair below shares one block.
        NodeConfig config = config().withBlockMaxTxs(2).withBlockInterval(Duration.ofMinutes(10));
        try (Node node = Node.open(dir, config)) {
            commitAll(node, List.of(mint(0, ALICE, 50), mint(1, BOB, 50)));
            List<Committed> pair = commitAll(node, List.of(transfer(ALICE, 0, BOB, 51), transfer(ALICE, 1, BOB, 1)));
            assertThat(pair.get(0).height()).isEqualTo(pair.get(1).height());
            // The first fails but uses up nonce 0, so the second, in the same block, runs.
            assertThat(pair.get(0).failureCode()).contains(TxFailure.INSUFFICIENT_FUNDS);
            assertThat(pair.get(0).succeeded()).isFalse();
            assertThat(pair.get(1).succeeded()).isTrue();
            assertThat(node.nonce(id(ALICE))).isEqualTo(2);
            assertThat(node.balance(id(ALICE))).isEqualTo(49);

            List<Committed> next = commitAll(node, List.of(transfer(ALICE, 2, BOB, 49),
                    SignedTransaction.sign(BOB, CHAIN, 0, new Payload.Mint(id(BOB), 1))));
            assertThat(next.get(0).succeeded()).isTrue();
            assertThat(next.get(1).failureCode()).contains(TxFailure.NOT_AUTHORIZED);
            assertThat(node.balance(id(BOB))).isEqualTo(100);
            assertThat(node.nonce(id(BOB))).isEqualTo(1);

            // A nonce ahead of the sender's next one is not ready, so it never reaches a block with a gap; a
            // replay of a used nonce is refused at admission. Only a block can still meet a bad nonce (below).
            assertThat(node.committed(pair.get(0).txHash()).orElseThrow().failureCode())
                    .contains(TxFailure.INSUFFICIENT_FUNDS);
        }
    }

    /** Everything a rejection must leave alone. */
    private record Snapshot(long height, Hash root, int pending) {
        static Snapshot of(Node node) {
            return new Snapshot(node.height(), node.stateRoot(), node.pending());
        }
    }

    private static void assertRejected(Node node, Supplier<Admission> submit, Rejection.Code code) {
        Snapshot before = Snapshot.of(node);
        Admission admission = submit.get();
        assertThat(admission).isInstanceOf(Admission.Rejected.class);
        Rejection rejection = ((Admission.Rejected) admission).rejection();
        assertThat(rejection.code()).isEqualTo(code);
        assertThat(rejection.message()).isNotBlank();
        assertThat(Snapshot.of(node)).isEqualTo(before);
    }

    @Test
    void everyRejectionHasItsCodeAndChangesNothing() throws Exception {
        NodeConfig config = config().withNonceWindow(8);
        long height;
        try (Node node = Node.open(dir, config)) {
            commitAll(node, List.of(mint(0, ALICE, 10)));
            Committed used = commit(node, transfer(ALICE, 0, BOB, 1));
            Committed failed = commit(node, transfer(ALICE, 1, BOB, 1000));
            assertThat(failed.failureCode()).contains(TxFailure.INSUFFICIENT_FUNDS);
            // Nonce 3 waits for nonce 2, which never comes: it stays pending for the duplicate checks.
            SignedTransaction waiting = transfer(ALICE, 3, BOB, 1);
            accepted(node.submit(waiting.encode()));
            assertThat(node.pending()).isEqualTo(1);

            assertRejected(node, () -> node.submit(new byte[config.maxTxBytes() + 1]), Rejection.Code.TOO_LARGE);
            assertRejected(node, () -> node.submit(new byte[] {1, 2, 3}), Rejection.Code.BAD_ENCODING);
            byte[] trailing = java.util.Arrays.copyOf(transfer(ALICE, 1, BOB, 1).encode(),
                    transfer(ALICE, 1, BOB, 1).encodedLength() + 1);
            assertRejected(node, () -> node.submit(trailing), Rejection.Code.BAD_ENCODING);
            SignedTransaction otherChain = SignedTransaction.sign(ALICE, ChainId.of("elsewhere"), 1,
                    new Payload.Transfer(id(BOB), 1));
            assertRejected(node, () -> node.submit(otherChain.encode()), Rejection.Code.WRONG_CHAIN);
            SignedTransaction forged = SignedTransaction.of(transfer(ALICE, 1, BOB, 5).body(),
                    transfer(BOB, 1, BOB, 5).signature());
            assertRejected(node, () -> node.submit(forged.encode()), Rejection.Code.BAD_SIGNATURE);
            assertRejected(node, () -> node.submit(forged), Rejection.Code.BAD_SIGNATURE);
            assertRejected(node, () -> node.submit(transfer(ALICE, 0, BOB, 2).encode()), Rejection.Code.STALE_NONCE);
            assertRejected(node, () -> node.submit(transfer(ALICE, 2 + 8, BOB, 1).encode()),
                    Rejection.Code.NONCE_TOO_FAR);
            assertRejected(node, () -> node.submit(waiting.encode()), Rejection.Code.DUPLICATE);
            assertRejected(node, () -> node.submit(transfer(ALICE, 3, BOB, 2).encode()), Rejection.Code.DUPLICATE);
            // The failed transaction is committed and used up its nonce: the very same bytes are stale.
            SignedTransaction failedTx = node.block(failed.height()).orElseThrow().transactions().get(failed.index());
            assertRejected(node, () -> node.submit(failedTx.encode()), Rejection.Code.STALE_NONCE);
            assertThat(used.succeeded()).isTrue();
            height = node.height();
        }
        // Rejected and never-committed transactions left no trace in the chain.
        assertThat(node(dir, config).height()).isEqualTo(height);
    }

    /** Opens and closes at once: what a reopen sees. */
    private static Node node(Path dir, NodeConfig config) {
        Node node = Node.open(dir, config);
        node.close();
        return node;
    }

    @Test
    void aFullMempoolPushesBackAndAClosedNodeRejects() throws Exception {
        NodeConfig config = config().withMempoolSize(2);
        Node node = Node.open(dir, config);
        try {
            // Nonces 1 and 2 wait for nonce 0, so both stay in the mempool.
            accepted(node.submit(transfer(ALICE, 1, BOB, 1).encode()));
            accepted(node.submit(transfer(ALICE, 2, BOB, 1).encode()));
            assertRejected(node, () -> node.submit(transfer(ALICE, 3, BOB, 1).encode()),
                    Rejection.Code.MEMPOOL_FULL);
            assertRejected(node, () -> node.submit(mint(0, BOB, 1).encode()), Rejection.Code.MEMPOOL_FULL);
        } finally {
            node.close();
        }
        assertThat(node.submit(mint(0, BOB, 1).encode())).isInstanceOfSatisfying(Admission.Rejected.class,
                r -> assertThat(r.code()).isEqualTo(Rejection.Code.NODE_CLOSED));
    }

    @Test
    void pendingFuturesFailWhenTheNodeCloses() {
        Node node = Node.open(dir, config());
        Admission.Accepted gapped = accepted(node.submit(transfer(ALICE, 5, BOB, 1).encode()));
        node.close();
        assertThat(gapped.committed()).isCompletedExceptionally();
        assertThat(Node.open(dir, config())).satisfies(reopened -> {
            try {
                assertThat(reopened.transaction(gapped.txHash())).isEmpty();
                assertThat(reopened.pending()).isZero();
            } finally {
                reopened.close();
            }
        });
    }

    @Test
    void committedTransactionsSurviveCloseAndReopen() throws Exception {
        Committed mint;
        Committed pay;
        Block lastBlock;
        try (Node node = Node.open(dir, config())) {
            mint = commit(node, mint(0, ALICE, 100));
            pay = commit(node, transfer(ALICE, 0, BOB, 40));
            lastBlock = node.block(node.height()).orElseThrow();
        }
        try (Node node = Node.open(dir, config())) {
            assertThat(node.height()).isEqualTo(lastBlock.height());
            assertThat(node.stateRoot()).isEqualTo(lastBlock.header().stateRoot());
            assertThat(node.block(lastBlock.height())).contains(lastBlock);
            assertThat(node.transaction(mint.txHash())).contains(new TxLocation(mint.height(), mint.index()));
            assertThat(node.transaction(pay.txHash())).contains(new TxLocation(pay.height(), pay.index()));
            assertThat(node.balance(id(ALICE))).isEqualTo(60);
            assertThat(node.balance(id(BOB))).isEqualTo(40);
            assertThat(node.nonce(id(ALICE))).isEqualTo(1);
            for (Bytes key : List.of(StateLayout.balanceKey(id(BOB)), StateLayout.nonceKey(id(ALICE)),
                    StateLayout.balanceKey(id(ADMIN)))) {
                StateProof proof = node.proof(key);
                assertThat(proof.stateRoot()).isEqualTo(lastBlock.header().stateRoot());
                assertThat(proof.verify()).isTrue();
                assertThat(SparseMerkleTree.verify(lastBlock.header().stateRoot(), key, proof.value().orElse(null),
                        proof.proof())).isTrue();
            }
            assertThat(node.proof(StateLayout.balanceKey(id(ADMIN))).value()).isEmpty();
            // The chain goes on from where it was.
            Committed more = commit(node, transfer(BOB, 0, ALICE, 10));
            assertThat(more.height()).isEqualTo(lastBlock.height() + 1);
            assertThat(node.block(more.height()).orElseThrow().header().parentHash()).isEqualTo(lastBlock.hash());
            assertRejected(node, () -> node.submit(transfer(ALICE, 0, BOB, 40).encode()), Rejection.Code.STALE_NONCE);
        }
    }

    @Test
    void everyCommittedBlockReportsConsistentTimings() throws Exception {
        List<BlockTimings> heard = new CopyOnWriteArrayList<>();
        try (Node node = Node.open(dir, config().withBlockMaxTxs(3), heard::add)) {
            commitAll(node, List.of(mint(0, ALICE, 1000), mint(1, BOB, 1000), mint(2, ALICE, 1)));
            List<SignedTransaction> pays = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                pays.add(transfer(i % 2 == 0 ? ALICE : BOB, i / 2, i % 2 == 0 ? BOB : ALICE, 1));
            }
            commitAll(node, pays);
            commit(node, transfer(ALICE, 3, BOB, 1));

            assertThat(heard).hasSize((int) node.height() + 1);
            assertThat(node.recentBlocks()).isEqualTo(heard);
            assertThat(heard.stream().mapToInt(BlockTimings::transactions).sum()).isEqualTo(10);
            for (int h = 0; h < heard.size(); h++) {
                BlockTimings t = heard.get(h);
                assertThat(t.height()).isEqualTo(h);
                assertThat(t.transactions()).isEqualTo(node.block(h).orElseThrow().transactions().size());
                assertThat(t.engine().transactions()).isEqualTo(t.transactions());
                assertThat(t.signatureNanos()).isPositive();
                assertThat(t.executionNanos()).isNotNegative();
                assertThat(t.merkleNanos()).isNotNegative();
                assertThat(t.writeNanos()).isPositive();
                assertThat(t.otherNanos()).isNotNegative();
                assertThat(t.executionNanos() + t.merkleNanos() + t.writeNanos()).isLessThanOrEqualTo(t.totalNanos());
            }
        }
    }

    @Test
    void inconsistentTimingsAreRefused() {
        BlockStats stats = new BlockStats(1, 1, 0, 1, 0, 0, 10, 1, BlockStats.Path.SEQUENTIAL);
        assertThatThrownBy(() -> new BlockTimings(0, 1, 0, 5, 5, 5, 10, stats))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlockTimings(0, 1, -1, 1, 1, 1, 10, stats))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new BlockTimings(0, 1, 0, 3, 3, 3, 10, stats).otherNanos()).isEqualTo(1);
    }

    @Test
    void refusesAStoreRecordedForAnotherChainOrAdmin() throws Exception {
        try (Node node = Node.open(dir, config())) {
            commit(node, mint(0, ALICE, 100));
        }
        NodeConfig otherAdmin = config().withAdmin(id(ALICE));
        NodeConfig otherChain = new NodeConfig(ChainId.of("another-chain"), config().admin(), 2,
                config().blockMaxTxs(), config().blockInterval(), config().mempoolSize(), config().nonceWindow(),
                config().maxTxBytes(), config().verifyThreads(), false);
        NodeConfig noAdmin = new NodeConfig(CHAIN, Optional.empty(), 2, config().blockMaxTxs(),
                config().blockInterval(), config().mempoolSize(), config().nonceWindow(), config().maxTxBytes(),
                config().verifyThreads(), false);
        for (NodeConfig other : List.of(otherAdmin, otherChain, noAdmin)) {
            assertThatThrownBy(() -> Node.open(dir, other)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("holds chain " + CHAIN + ", admin " + id(ADMIN).toHex())
                    .hasMessageContaining("configured for chain " + other.chainId());
        }
        // The refusals released the store and changed nothing: the recorded rules still open it.
        try (LedgerStore store = LedgerStore.open(dir)) {
            assertThat(store.rules()).contains(new ChainRules(CHAIN, Optional.of(id(ADMIN))));
        }
        try (Node node = Node.open(dir, config().withBlockMaxTxs(7))) {
            assertThat(node.balance(id(ALICE))).isEqualTo(100);
        }
    }

    @Test
    void refusesAStoreWhoseStateRootIsNotTheLastBlocksRoot() {
        try (LedgerStore store = LedgerStore.open(dir)) {
            WriteSet<Bytes, Bytes> changes = WriteSet.<Bytes, Bytes>builder(1)
                    .put(Bytes.utf8("k"), Bytes.utf8("v")).build();
            TreeUpdate update = SparseMerkleTree.sequential(new MemoryNodeStore())
                    .update(SparseMerkleTree.EMPTY_ROOT, changes);
            Block lying = Block.of(0, Hash.ZERO, 0, List.of(), Hash.sha256(new byte[] {1}));
            store.commit(new BlockCommit(0, Bytes.of(lying.encode()), Bytes.of(), List.of(), changes, update));
        }
        assertThatThrownBy(() -> Node.open(dir, config())).isInstanceOf(StorageException.class)
                .hasMessageContaining("state root mismatch");
        // The failed open released the store.
        try (LedgerStore store = LedgerStore.open(dir)) {
            assertThat(store.lastHeight()).hasValue(0);
        }
    }

    @Test
    void theEnginesBlocksEqualASequentialReplay() throws Exception {
        List<KeyPair> users = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            users.add(Keys.fromSeed(BlockTest.seed(40 + i)));
        }
        BlockExecutor blockStm = BlockExecutor.parallel(ParallelConfig.defaults(2).withAdaptive(false));
        Map<Hash, Outcome<TxResult>> outcomes = new HashMap<>();
        long height;
        // Each round is exactly one block (it fills blockMaxTxs; the interval never runs out), so a failure
        // never strands a sender's later nonces in a later block.
        int perBlock = 50;
        NodeConfig config = config().withBlockMaxTxs(perBlock).withBlockInterval(Duration.ofMinutes(10));
        try (Node node = Node.open(dir, config, blockStm)) {
            Random random = new Random(7);
            long[] nonces = new long[users.size()];
            for (int round = 0; round < 5; round++) {
                List<SignedTransaction> txs = new ArrayList<>();
                if (round == 0) {
                    for (int i = 0; i < users.size(); i++) {
                        txs.add(mint(i, users.get(i), 500));
                    }
                }
                while (txs.size() < perBlock) {
                    int from = random.nextInt(users.size());
                    SignedTransaction tx = transfer(users.get(from), nonces[from],
                            users.get(random.nextInt(users.size())), 1 + random.nextInt(120));
                    // A copy of a committed failed transaction would be rejected as DUPLICATE: draw again.
                    if (!outcomes.containsKey(tx.hash())) {
                        txs.add(tx);
                        nonces[from]++;
                    }
                }
                List<Committed> committed = commitAll(node, txs);
                assertThat(committed).extracting(Committed::height).containsOnly(node.height());
                committed.forEach(c -> outcomes.put(c.txHash(), c.outcome()));
                // A failed payload uses up its nonce too: the local count stays right.
                for (int u = 0; u < users.size(); u++) {
                    assertThat(node.nonce(id(users.get(u)))).isEqualTo(nonces[u]);
                }
            }
            height = node.height();
        }
        Map<Bytes, Bytes> state = new HashMap<>();
        MemoryNodeStore nodes = new MemoryNodeStore();
        SparseMerkleTree tree = SparseMerkleTree.sequential(nodes);
        Hash root = SparseMerkleTree.EMPTY_ROOT;
        try (Node node = Node.open(dir, config()); BlockExecutor sequential = BlockExecutor.sequential()) {
            for (long h = 0; h <= height; h++) {
                Block block = node.block(h).orElseThrow();
                List<LedgerTransaction> txs = LedgerTransaction.forBlock(block.transactions(), config().admin(),
                        new BlockInfo(block.height(), block.header().timestampMillis()), Applications.none(),
                        BaseState.of(state));
                BlockResult<Bytes, Bytes, TxResult> r = sequential.execute(txs, BaseState.of(state),
                        StateLayout.COUNTERS);
                for (int i = 0; i < txs.size(); i++) {
                    assertThat(r.outcome(i)).isEqualTo(outcomes.get(block.transactions().get(i).hash()));
                }
                TreeUpdate update = tree.update(root, r.writeSet());
                nodes.apply(update);
                root = update.root();
                assertThat(root).as("state root of block %d", h).isEqualTo(block.header().stateRoot());
                r.writeSet().forEach((k, v) -> {
                    if (v == null) {
                        state.remove(k);
                    } else {
                        state.put(k, v);
                    }
                });
            }
            assertThat(root).isEqualTo(node.stateRoot());
        }
        assertThat(outcomes.values()).anyMatch(o -> o instanceof Outcome.Success<TxResult> s
                && !s.output().succeeded());
    }

    @Test
    void aBlockTheParallelEngineCannotRunIsRunSequentially() throws Exception {
        BlockExecutor broken = new BlockExecutor() {
            @Override
            public <K, V, O> BlockResult<K, V, O> execute(List<? extends Transaction<K, V, O>> transactions,
                                                          BaseState<K, V> base, CounterCodec<V> counters) {
                throw new BlockExecutionException("invariant violated (test)");
            }

            @Override
            public int threads() {
                return 2;
            }

            @Override
            public void close() {
            }
        };
        try (Node node = Node.open(dir, config(), broken)) {
            Committed c = commit(node, mint(0, ALICE, 5));
            assertThat(c.succeeded()).isTrue();
            assertThat(node.balance(id(ALICE))).isEqualTo(5);
        }
    }
}
