package io.pel.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pel.core.WriteSet;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.merkle.MerkleProof;
import io.pel.ledger.merkle.SparseMerkleTree;
import io.pel.ledger.merkle.TreeUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerStoreTest {

    @TempDir
    Path directory;

    private static Bytes key(int i) {
        return Bytes.utf8("account-" + i);
    }

    private static Bytes value(int i) {
        return Bytes.utf8("balance-" + i);
    }

    private static Hash txHash(long height, int index) {
        return Hash.sha256(Bytes.utf8("tx-" + height + "-" + index));
    }

    /** A block at {@code height} that sets keys [height·10, height·10 + 20) and deletes key height·10 − 5. */
    private static BlockCommit block(LedgerStore store, long height) {
        WriteSet.Builder<Bytes, Bytes> changes = WriteSet.builder(21);
        int base = (int) height * 10;
        for (int i = base; i < base + 20; i++) {
            changes.put(key(i), value(i + (int) height));
        }
        if (height > 0) {
            changes.delete(key(base - 5));
        }
        WriteSet<Bytes, Bytes> state = changes.build();
        TreeUpdate tree = SparseMerkleTree.sequential(store.treeNodes()).update(store.stateRoot(), state);
        List<Hash> txs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            txs.add(txHash(height, i));
        }
        return new BlockCommit(height, Bytes.utf8("block-" + height), Bytes.utf8("receipts-" + height), txs, state, tree);
    }

    @Test
    void aNewStoreIsEmpty() {
        try (LedgerStore store = LedgerStore.open(directory)) {
            assertThat(store.lastHeight()).isEmpty();
            assertThat(store.stateRoot()).isEqualTo(SparseMerkleTree.EMPTY_ROOT);
            assertThat(store.block(0)).isEmpty();
            assertThat(store.block(-1)).isEmpty();
            assertThat(store.transaction(txHash(0, 0))).isEmpty();
            assertThat(store.state(key(0))).isEmpty();
        }
    }

    @Test
    void chainRulesAreRecordedOnceAndReadBackAfterReopening() {
        ChainRules withAdmin = new ChainRules(ChainId.of("rules-test"),
                Optional.of(AccountId.of(new byte[AccountId.LENGTH])));
        ChainRules withoutAdmin = new ChainRules(ChainId.of("rules-test"), Optional.empty());
        try (LedgerStore store = LedgerStore.open(directory)) {
            assertThat(store.rules()).isEmpty();
            store.recordRules(withAdmin);
            store.recordRules(withAdmin);
            assertThatThrownBy(() -> store.recordRules(withoutAdmin)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no admin");
        }
        try (LedgerStore store = LedgerStore.open(directory)) {
            assertThat(store.rules()).contains(withAdmin);
        }
        try (LedgerStore store = LedgerStore.open(directory.resolve("other"))) {
            store.recordRules(withoutAdmin);
        }
        try (LedgerStore store = LedgerStore.open(directory.resolve("other"))) {
            assertThat(store.rules()).contains(withoutAdmin);
        }
    }

    @Test
    void whatWasCommittedIsReadBackAfterReopening() {
        Hash root;
        List<Hash> staleAtTheEnd;
        try (LedgerStore store = LedgerStore.open(directory)) {
            for (long height = 0; height < 3; height++) {
                store.commit(block(store, height));
            }
            BlockCommit last = block(store, 3);
            store.commit(last);
            root = last.tree().root();
            staleAtTheEnd = List.copyOf(last.tree().staleNodes());
            assertThat(staleAtTheEnd).isNotEmpty();
        }
        try (LedgerStore store = LedgerStore.open(directory)) {
            assertThat(store.lastHeight()).isEqualTo(OptionalLong.of(3));
            assertThat(store.stateRoot()).isEqualTo(root);
            for (long height = 0; height <= 3; height++) {
                assertThat(store.block(height)).contains(Bytes.utf8("block-" + height));
                for (int i = 0; i < 3; i++) {
                    assertThat(store.transaction(txHash(height, i))).contains(new TxLocation(height, i));
                }
            }
            assertThat(store.block(4)).isEmpty();
            // Keys 0..49 were set; blocks 1..3 deleted 5, 15, 25; later blocks overwrote 10..39.
            for (int i = 0; i < 50; i++) {
                int writer = Math.min(i / 10, 3);
                boolean deleted = i == 5 || i == 15 || i == 25;
                assertThat(store.state(key(i))).as("key %d", i)
                        .isEqualTo(deleted ? java.util.Optional.empty() : java.util.Optional.of(value(i + writer)));
            }
            // The stored tree is the latest one: it proves the latest state, and stale nodes are gone.
            SparseMerkleTree tree = SparseMerkleTree.sequential(store.treeNodes());
            for (int i = 0; i < 60; i++) {
                MerkleProof proof = tree.prove(root, key(i));
                assertThat(SparseMerkleTree.verify(root, key(i), store.state(key(i)).orElse(null), proof)).isTrue();
            }
            for (Hash stale : staleAtTheEnd) {
                assertThat(store.treeNodes().get(stale)).isNull();
            }
        }
    }

    @Test
    void aCommitThatFailsBeforeItsWriteLeavesNothingBehind() {
        try (LedgerStore store = LedgerStore.open(directory)) {
            store.commit(block(store, 0));
            Hash rootBefore = store.stateRoot();
            BlockCommit next = block(store, 1);
            store.beforeWrite(() -> {
                throw new IllegalStateException("simulated failure");
            });
            assertThatThrownBy(() -> store.commit(next)).hasMessage("simulated failure");
            assertNothingOf(store, next, rootBefore);
        }
        try (LedgerStore store = LedgerStore.open(directory)) {
            Hash rootBefore = store.stateRoot();
            BlockCommit next = block(store, 1);
            assertNothingOf(store, next, rootBefore);
            // The failed commit left the store able to take the very same block.
            store.commit(next);
            assertThat(store.lastHeight()).isEqualTo(OptionalLong.of(1));
            assertThat(store.stateRoot()).isEqualTo(next.tree().root());
        }
    }

    private static void assertNothingOf(LedgerStore store, BlockCommit block, Hash rootBefore) {
        assertThat(store.lastHeight()).isEqualTo(OptionalLong.of(0));
        assertThat(store.stateRoot()).isEqualTo(rootBefore);
        assertThat(store.block(1)).isEmpty();
        for (Hash tx : block.transactions()) {
            assertThat(store.transaction(tx)).isEmpty();
        }
        assertThat(store.state(key(25))).isEmpty();
        assertThat(store.state(key(5))).contains(value(5));
        block.tree().addedNodes().keySet().forEach(h -> assertThat(store.treeNodes().get(h)).isNull());
        block.tree().staleNodes().forEach(h -> assertThat(store.treeNodes().get(h)).isNotNull());
    }

    @Test
    void blocksAreCommittedInHeightOrderFromTheCurrentRoot() {
        try (LedgerStore store = LedgerStore.open(directory)) {
            BlockCommit first = block(store, 0);
            BlockCommit skipping = new BlockCommit(1, first.block(), first.receipts(), first.transactions(), first.state(), first.tree());
            assertThatThrownBy(() -> store.commit(skipping)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("next height is 0");
            store.commit(first);
            assertThatThrownBy(() -> store.commit(first)).isInstanceOf(IllegalStateException.class);
            // A tree update computed from the empty root, not from block 0's.
            BlockCommit stale = new BlockCommit(1, first.block(), first.receipts(), List.of(), first.state(), first.tree());
            assertThatThrownBy(() -> store.commit(stale)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("state root");
            assertThat(store.lastHeight()).isEqualTo(OptionalLong.of(0));
        }
    }

    @Test
    void aClosedStoreRefusesEveryCall() {
        LedgerStore store = LedgerStore.open(directory);
        BlockCommit first = block(store, 0);
        store.close();
        store.close();
        assertThatThrownBy(store::lastHeight).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> store.state(key(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.treeNodes().get(Hash.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.commit(first)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDirectoryOpenElsewhereCannotBeOpenedTwice() {
        try (LedgerStore store = LedgerStore.open(directory)) {
            assertThatThrownBy(() -> LedgerStore.open(directory)).isInstanceOf(StorageException.class)
                    .hasMessageContaining(directory.toString());
            assertThat(store.lastHeight()).isEmpty();
        }
    }
}
