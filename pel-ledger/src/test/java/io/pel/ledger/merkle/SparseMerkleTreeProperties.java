package io.pel.ledger.merkle;

import static io.pel.ledger.merkle.Trees.reachable;
import static io.pel.ledger.merkle.Trees.sets;
import static org.assertj.core.api.Assertions.assertThat;

import io.pel.core.WriteSet;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.codec.EncodingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random seeded sequences of batches against a plain map: after every batch, a sequential and a parallel tree
 * produce the same update, its root is the reference root of the map, and the pruned store holds exactly the
 * nodes the root reaches; at the end, a tree built from scratch has the same root, and proofs of present and
 * absent keys verify. A failure names its seed; {@code -Dpel.test.treeSeed=S} re-runs that sequence alone.
 */
class SparseMerkleTreeProperties {

    private static final int SEQUENCES = Integer.getInteger("pel.test.treeSequences", 150);
    private static ForkJoinPool pool;

    @BeforeAll
    static void startPool() {
        // More threads than this machine's cores, so forks really interleave.
        pool = new ForkJoinPool(4);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    @Test
    void incrementalUpdatesAgreeWithTheMapAtEveryStep() throws EncodingException {
        Long only = Long.getLong("pel.test.treeSeed");
        long first = only != null ? only : 1;
        long last = only != null ? only : SEQUENCES;
        for (long seed = first; seed <= last; seed++) {
            try {
                runSequence(seed);
            } catch (AssertionError e) {
                throw new AssertionError("tree sequence failed; re-run with -Dpel.test.treeSeed=" + seed, e);
            }
        }
    }

    private static void runSequence(long seed) throws EncodingException {
        Random random = new Random(seed);
        // Small key spaces make batches hit existing keys, delete them and bring them back.
        int keySpace = switch (random.nextInt(4)) {
            case 0 -> 2 + random.nextInt(8);
            case 1 -> 10 + random.nextInt(100);
            default -> 100 + random.nextInt(3000);
        };
        MemoryNodeStore sequentialStore = new MemoryNodeStore();
        MemoryNodeStore parallelStore = new MemoryNodeStore();
        SparseMerkleTree sequential = SparseMerkleTree.sequential(sequentialStore);
        SparseMerkleTree parallel = SparseMerkleTree.parallel(parallelStore, pool);
        Map<Bytes, Bytes> model = new HashMap<>();
        Hash root = SparseMerkleTree.EMPTY_ROOT;

        int batches = 1 + random.nextInt(6);
        for (int b = 0; b < batches; b++) {
            // Some batches are large enough for the parallel tree to fork.
            int size = random.nextInt(5) == 0 ? 600 + random.nextInt(1500) : random.nextInt(40);
            WriteSet.Builder<Bytes, Bytes> changes = WriteSet.builder(size);
            Map<Bytes, Bytes> next = new HashMap<>(model);
            for (int i = 0; i < size; i++) {
                Bytes key = Bytes.utf8("k" + random.nextInt(keySpace));
                if (random.nextInt(3) == 0) {
                    changes.delete(key);
                    next.remove(key);
                } else {
                    Bytes value = Bytes.utf8("v" + random.nextInt(5));
                    changes.put(key, value);
                    next.put(key, value);
                }
            }
            WriteSet<Bytes, Bytes> batch = changes.build();
            TreeUpdate update = sequential.update(root, batch);
            Trees.assertSameUpdate(parallel.update(root, batch), update);
            assertThat(update.root()).as("seed %d batch %d", seed, b).isEqualTo(ReferenceTree.root(next));
            assertThat(update.addedNodes().keySet()).noneMatch(update.staleNodes()::contains);

            sequentialStore.apply(update);
            parallelStore.apply(update);
            model = next;
            root = update.root();
            assertThat(reachable(sequentialStore, root)).isEqualTo(sequentialStore.size());
        }

        MemoryNodeStore freshStore = new MemoryNodeStore();
        TreeUpdate fromScratch = SparseMerkleTree.sequential(freshStore).update(Hash.ZERO, sets(model));
        assertThat(fromScratch.root()).isEqualTo(root);
        freshStore.apply(fromScratch);
        assertThat(freshStore.size()).isEqualTo(sequentialStore.size());

        List<Bytes> present = new ArrayList<>(model.keySet());
        for (int i = 0; i < 20; i++) {
            Bytes key = present.isEmpty() || random.nextBoolean()
                    ? Bytes.utf8("absent" + random.nextInt(1_000_000))
                    : present.get(random.nextInt(present.size()));
            Bytes value = model.get(key);
            MerkleProof proof = MerkleProof.decode(sequential.prove(root, key).encode());
            assertThat(SparseMerkleTree.verify(root, key, value, proof)).as("proof of %s", key).isTrue();
            Bytes wrong = value == null ? Bytes.utf8("v0") : null;
            assertThat(SparseMerkleTree.verify(root, key, wrong, proof)).isFalse();
        }
    }
}
