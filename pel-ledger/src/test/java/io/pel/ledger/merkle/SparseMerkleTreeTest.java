package io.pel.ledger.merkle;

import static io.pel.ledger.merkle.Trees.key;
import static io.pel.ledger.merkle.Trees.reachable;
import static io.pel.ledger.merkle.Trees.sets;
import static io.pel.ledger.merkle.Trees.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pel.core.WriteSet;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class SparseMerkleTreeTest {

    private final MemoryNodeStore store = new MemoryNodeStore();
    private final SparseMerkleTree tree = SparseMerkleTree.sequential(store);

    private Hash commit(Hash root, WriteSet<Bytes, Bytes> changes) {
        TreeUpdate update = tree.update(root, changes);
        store.apply(update);
        return update.root();
    }

    private Hash build(Map<Bytes, Bytes> entries) {
        return commit(SparseMerkleTree.EMPTY_ROOT, sets(entries));
    }

    private static Map<Bytes, Bytes> entries(int from, int to) {
        Map<Bytes, Bytes> map = new HashMap<>();
        for (int i = from; i < to; i++) {
            map.put(key(i), value(i));
        }
        return map;
    }

    @Test
    void theEmptyTreeHasTheZeroRootAndProvesEveryKeyAbsent() {
        assertThat(SparseMerkleTree.EMPTY_ROOT).isEqualTo(Hash.ZERO);
        TreeUpdate update = tree.update(Hash.ZERO, WriteSet.<Bytes, Bytes>builder(1).delete(key(1)).build());
        assertThat(update.root()).isEqualTo(Hash.ZERO);
        assertThat(update.addedNodes()).isEmpty();
        MerkleProof proof = tree.prove(Hash.ZERO, key(1));
        assertThat(proof.depth()).isZero();
        assertThat(SparseMerkleTree.verify(Hash.ZERO, key(1), null, proof)).isTrue();
        assertThat(SparseMerkleTree.verify(Hash.ZERO, key(1), value(1), proof)).isFalse();
    }

    @Test
    void aOneKeyTreeIsItsLeaf() {
        Hash root = build(Map.of(key(1), value(1)));
        Hash leaf = Hash.sha256(new byte[]{0}, Hash.sha256(key(1)).toByteArray(),
                Hash.sha256(value(1)).toByteArray());
        assertThat(root).isEqualTo(leaf);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void rootsFollowTheDocumentedDefinition() {
        for (int n = 0; n < 60; n++) {
            Map<Bytes, Bytes> map = entries(0, n);
            MemoryNodeStore fresh = new MemoryNodeStore();
            assertThat(SparseMerkleTree.sequential(fresh).update(Hash.ZERO, sets(map)).root()).as("%d keys", n)
                    .isEqualTo(ReferenceTree.root(map));
        }
    }

    @Test
    void theRootDependsOnTheMapNotOnHowItWasBuilt() {
        Hash atOnce = build(entries(0, 200));
        MemoryNodeStore otherStore = new MemoryNodeStore();
        SparseMerkleTree other = SparseMerkleTree.sequential(otherStore);
        Hash root = Hash.ZERO;
        // In reverse, one key at a time, with a detour: a key set, changed and deleted again.
        for (int i = 199; i >= 0; i--) {
            WriteSet.Builder<Bytes, Bytes> changes = WriteSet.<Bytes, Bytes>builder(2).put(key(i), value(i));
            if (i % 50 == 0) {
                changes.put(key(1000 + i), value(i));
            }
            TreeUpdate update = other.update(root, changes.build());
            otherStore.apply(update);
            root = update.root();
            if (i % 50 == 0) {
                update = other.update(root, WriteSet.<Bytes, Bytes>builder(1).delete(key(1000 + i)).build());
                otherStore.apply(update);
                root = update.root();
            }
        }
        assertThat(root).isEqualTo(atOnce);
        assertThat(otherStore.size()).isEqualTo(store.size());
    }

    @Test
    void deletingEverythingGivesTheEmptyRootAndAnEmptyStore() {
        Hash root = build(entries(0, 300));
        WriteSet.Builder<Bytes, Bytes> deletes = WriteSet.builder(300);
        for (int i = 0; i < 300; i++) {
            deletes.delete(key(i));
        }
        TreeUpdate update = tree.update(root, deletes.build());
        assertThat(update.root()).isEqualTo(Hash.ZERO);
        assertThat(update.addedNodes()).isEmpty();
        store.apply(update);
        assertThat(store.size()).isZero();
    }

    @Test
    void aBatchThatChangesNothingAddsAndRemovesNothing() {
        Hash root = build(entries(0, 100));
        WriteSet<Bytes, Bytes> noop = WriteSet.<Bytes, Bytes>builder(3)
                .put(key(5), value(5)).put(key(50), value(50)).delete(key(-1)).build();
        TreeUpdate update = tree.update(root, noop);
        assertThat(update.root()).isEqualTo(root);
        assertThat(update.addedNodes()).isEmpty();
        assertThat(update.staleNodes()).isEmpty();
    }

    @Test
    void removingAKeyMovesItsLoneNeighbourUpAndPrunesWhatIsLeft() {
        Hash single = build(entries(0, 1));
        assertThat(store.size()).isEqualTo(1);
        Hash root = commit(single, sets(entries(1, 2)));
        assertThat(root).isEqualTo(ReferenceTree.root(entries(0, 2)));
        assertThat(store.size()).isGreaterThanOrEqualTo(3);
        Hash back = commit(root, WriteSet.<Bytes, Bytes>builder(1).delete(key(1)).build());
        assertThat(back).isEqualTo(single);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void aKeyCostsALeafAndAboutOneAndAHalfInternalNodesNot256() {
        int n = 50_000;
        Hash root = build(entries(0, n));
        // One leaf per key, and about 1/ln 2 ≈ 1.44 internal nodes per key for random paths.
        assertThat(store.size()).isBetween(2 * n, 3 * n);
        assertThat(reachable(store, root)).isEqualTo(store.size());
        int deepest = 0;
        for (int i = 0; i < 1000; i++) {
            deepest = Math.max(deepest, tree.prove(root, key(i)).depth());
        }
        assertThat(deepest).isLessThan(64);
    }

    @Test
    void parallelAndSequentialUpdatesAreTheSame() {
        Map<Bytes, Bytes> initial = entries(0, 20_000);
        MemoryNodeStore parallelStore = new MemoryNodeStore();
        try (ForkJoinPool pool = new ForkJoinPool(4)) {
            SparseMerkleTree parallel = SparseMerkleTree.parallel(parallelStore, pool);
            TreeUpdate sequentialBuild = tree.update(Hash.ZERO, sets(initial));
            TreeUpdate parallelBuild = parallel.update(Hash.ZERO, sets(initial));
            Trees.assertSameUpdate(parallelBuild, sequentialBuild);
            store.apply(sequentialBuild);
            parallelStore.apply(parallelBuild);

            WriteSet.Builder<Bytes, Bytes> changes = WriteSet.builder(15_000);
            for (int i = 0; i < 30_000; i += 2) {
                if (i % 6 == 0) {
                    changes.delete(key(i));
                } else {
                    changes.put(key(i), value(i + 1));
                }
            }
            WriteSet<Bytes, Bytes> batch = changes.build();
            TreeUpdate sequentialUpdate = tree.update(sequentialBuild.root(), batch);
            Trees.assertSameUpdate(parallel.update(parallelBuild.root(), batch), sequentialUpdate);
        }
    }

    @Test
    void proofsShowPresentAndAbsentKeys() {
        Hash root = build(entries(0, 500));
        boolean endedAtEmpty = false;
        boolean endedAtLeaf = false;
        for (int i = 0; i < 1000; i++) {
            MerkleProof proof = tree.prove(root, key(i));
            if (i < 500) {
                assertThat(proof.leaf()).isEmpty();
                assertThat(SparseMerkleTree.verify(root, key(i), value(i), proof)).isTrue();
                assertThat(SparseMerkleTree.verify(root, key(i), null, proof)).isFalse();
                assertThat(SparseMerkleTree.verify(root, key(i), value(i + 1), proof)).isFalse();
            } else {
                endedAtLeaf |= proof.leaf().isPresent();
                endedAtEmpty |= proof.leaf().isEmpty();
                assertThat(SparseMerkleTree.verify(root, key(i), null, proof)).isTrue();
                assertThat(SparseMerkleTree.verify(root, key(i), value(i), proof)).isFalse();
            }
        }
        assertThat(endedAtEmpty).isTrue();
        assertThat(endedAtLeaf).isTrue();
    }

    @Test
    void aTamperedProofKeyValueOrRootFailsToVerify() {
        Hash root = build(entries(0, 300));
        for (int i = 0; i < 600; i += 7) {
            Bytes key = key(i);
            Bytes value = i < 300 ? value(i) : null;
            MerkleProof proof = tree.prove(root, key);
            assertThat(SparseMerkleTree.verify(root, key, value, proof)).isTrue();
            for (MerkleProof tampered : tamperings(proof)) {
                assertThat(SparseMerkleTree.verify(root, key, value, tampered)).as("%s", tampered).isFalse();
            }
            assertThat(SparseMerkleTree.verify(flip(root, i % 256), key, value, proof)).isFalse();
            assertThat(SparseMerkleTree.verify(root, key(i + 1), value, proof)).isFalse();
            assertThat(SparseMerkleTree.verify(root, key, value == null ? value(i) : Bytes.utf8("x"), proof))
                    .isFalse();
        }
    }

    /** Every single change to a proof: each sibling altered or emptied, one too many or too few, the leaf altered. */
    private static List<MerkleProof> tamperings(MerkleProof proof) {
        List<MerkleProof> out = new ArrayList<>();
        List<Hash> siblings = proof.siblings();
        for (int i = 0; i < siblings.size(); i++) {
            List<Hash> changed = new ArrayList<>(siblings);
            changed.set(i, flip(siblings.get(i), i));
            out.add(new MerkleProof(changed, proof.leaf()));
            if (!siblings.get(i).isZero()) {
                changed.set(i, Hash.ZERO);
                out.add(new MerkleProof(changed, proof.leaf()));
            }
        }
        if (!siblings.isEmpty()) {
            out.add(new MerkleProof(siblings.subList(0, siblings.size() - 1), proof.leaf()));
        }
        List<Hash> longer = new ArrayList<>(siblings);
        longer.add(Hash.ZERO);
        out.add(new MerkleProof(longer, proof.leaf()));
        proof.leaf().ifPresent(leaf -> {
            out.add(new MerkleProof(siblings, Optional.of(new MerkleProof.Leaf(flip(leaf.keyHash(), 255),
                    leaf.valueHash()))));
            out.add(new MerkleProof(siblings, Optional.of(new MerkleProof.Leaf(leaf.keyHash(),
                    flip(leaf.valueHash(), 3)))));
            out.add(new MerkleProof(siblings, Optional.empty()));
        });
        if (proof.leaf().isEmpty()) {
            out.add(new MerkleProof(siblings, Optional.of(new MerkleProof.Leaf(Hash.ZERO, Hash.ZERO))));
        }
        return out;
    }

    private static Hash flip(Hash hash, int bit) {
        byte[] bytes = hash.toByteArray();
        bytes[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
        return Hash.of(bytes);
    }

    @Test
    void anExclusionProofCannotUseTheKeysOwnLeafOrALeafOffItsPath() {
        Hash root = build(entries(0, 2));
        MerkleProof ofKey0 = tree.prove(root, key(0));
        Hash keyHash = Hash.sha256(key(0));
        // Claims key 0 absent by presenting its own leaf as "another key's".
        MerkleProof ownLeaf = new MerkleProof(ofKey0.siblings(),
                Optional.of(new MerkleProof.Leaf(keyHash, Hash.sha256(value(0)))));
        assertThat(SparseMerkleTree.verify(root, key(0), null, ownLeaf)).isFalse();
        // Key 1's leaf, which is on another path, as the end of key 0's path.
        MerkleProof ofKey1 = tree.prove(root, key(1));
        MerkleProof offPath = new MerkleProof(ofKey1.siblings(),
                Optional.of(new MerkleProof.Leaf(Hash.sha256(key(1)), Hash.sha256(value(1)))));
        assertThat(SparseMerkleTree.verify(root, key(0), null, offPath)).isFalse();
    }

    @Test
    void aMissingNodeIsAnError() {
        Hash root = build(entries(0, 10));
        SparseMerkleTree empty = SparseMerkleTree.sequential(hash -> null);
        assertThatThrownBy(() -> empty.prove(root, key(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> empty.update(root, sets(entries(20, 21)))).isInstanceOf(IllegalStateException.class);
        SparseMerkleTree corrupt = SparseMerkleTree.sequential(hash -> new byte[]{7});
        assertThatThrownBy(() -> corrupt.prove(root, key(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt");
    }
}
