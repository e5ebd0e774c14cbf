package io.pel.ledger.merkle;

import io.pel.core.WriteSet;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.stream.IntStream;

/**
 * A sparse Merkle tree committing to a map from byte-string keys to byte-string values, read from a
 * {@link NodeStore}. Stateless apart from the store: every operation names the root it works on, and
 * {@link #update} returns the nodes to store rather than writing them.
 *
 * <p><b>The commitment.</b> A key's path is the 256 bits of SHA-256(key), most significant first. The hash
 * of a subtree is
 * <ul>
 *   <li>{@link #EMPTY_ROOT} (32 zero bytes) when it holds no key — at every depth;</li>
 *   <li>SHA-256(0x00 ‖ SHA-256(key) ‖ SHA-256(value)) when it holds exactly one key — at every depth;</li>
 *   <li>SHA-256(0x01 ‖ left ‖ right) otherwise, left being the subtree whose next path bit is 0.</li>
 * </ul>
 * So the root is a function of the map alone — not of the order or batching of updates — and the empty
 * map's root is {@link #EMPTY_ROOT}. The leading byte separates leaves from internal nodes.
 *
 * <p><b>Guarantees.</b> For every map and every key, {@link #prove} gives a proof that {@link #verify} accepts
 * with the key's value (or {@code null} when absent) and rejects with any other value; a changed proof, key,
 * value or root fails to verify unless SHA-256 collides. A parallel tree gives the same roots and nodes as a
 * sequential one. The tree does not keep old roots readable: that is the store's choice.
 */
public final class SparseMerkleTree {

    /** The root of the empty map, and the hash of every empty subtree: 32 zero bytes. */
    public static final Hash EMPTY_ROOT = Hash.ZERO;

    /** Subtrees are forked to other threads only down to this depth: 2^8 tasks are plenty for any machine. */
    private static final int FORK_MAX_DEPTH = 8;
    /** A smaller batch costs more to fork than to hash on the spot. */
    private static final int FORK_MIN_CHANGES = 512;

    private final NodeStore store;
    private final ForkJoinPool pool;

    private SparseMerkleTree(NodeStore store, ForkJoinPool pool) {
        this.store = Objects.requireNonNull(store, "store");
        this.pool = pool;
    }

    /** A tree that updates on the calling thread. */
    public static SparseMerkleTree sequential(NodeStore store) {
        return new SparseMerkleTree(store, null);
    }

    /** A tree that splits an update by path prefix and computes the subtrees in {@code pool}. */
    public static SparseMerkleTree parallel(NodeStore store, ForkJoinPool pool) {
        return new SparseMerkleTree(store, Objects.requireNonNull(pool, "pool"));
    }

    /**
     * Applies {@code changes} (a value for each key set, {@code null} for each key deleted; deleting an absent
     * key changes nothing) to the map committed to by {@code root}, whose nodes the store must hold.
     */
    public TreeUpdate update(Hash root, WriteSet<Bytes, Bytes> changes) {
        Objects.requireNonNull(root, "root");
        Change[] sorted = hashAndSort(changes);
        Collector out = new Collector();
        Node top = node(root);
        Node result;
        if (sorted.length == 0) {
            result = top;
        } else if (pool == null || sorted.length < FORK_MIN_CHANGES) {
            // Too small to fork anywhere: a trip through the pool would be pure cost.
            result = apply(top, 0, sorted, 0, sorted.length, out);
        } else {
            Subtree task = new Subtree(top, 0, sorted, 0, sorted.length, false);
            result = pool.invoke(task);
            out.merge(task.out);
        }
        return out.toUpdate(root, hashOf(result));
    }

    /** A proof of the value of {@code key}, or of its absence, under {@code root}. */
    public MerkleProof prove(Hash root, Bytes key) {
        Hash keyHash = Hash.sha256(key);
        List<Hash> siblings = new ArrayList<>();
        Node node = node(root);
        while (node instanceof Node.Internal internal) {
            int bit = keyHash.bit(siblings.size());
            siblings.add(internal.child(1 - bit));
            node = node(internal.child(bit));
        }
        if (node instanceof Node.Leaf leaf && !leaf.keyHash().equals(keyHash)) {
            return new MerkleProof(siblings, Optional.of(new MerkleProof.Leaf(leaf.keyHash(), leaf.valueHash())));
        }
        return new MerkleProof(siblings, Optional.empty());
    }

    /**
     * Whether {@code proof} shows that under {@code root}, {@code key} has {@code value} — or, when
     * {@code value} is {@code null}, that {@code key} is absent. Needs no store.
     */
    public static boolean verify(Hash root, Bytes key, Bytes value, MerkleProof proof) {
        Hash keyHash = Hash.sha256(key);
        int depth = proof.depth();
        Hash hash;
        if (value != null) {
            if (proof.leaf().isPresent()) {
                return false;
            }
            hash = Node.leafHash(keyHash, Hash.sha256(value));
        } else if (proof.leaf().isPresent()) {
            MerkleProof.Leaf other = proof.leaf().get();
            // The other leaf must sit on this key's path, and be another key.
            if (other.keyHash().equals(keyHash) || !samePrefix(other.keyHash(), keyHash, depth)) {
                return false;
            }
            hash = Node.leafHash(other.keyHash(), other.valueHash());
        } else {
            hash = EMPTY_ROOT;
        }
        for (int i = depth - 1; i >= 0; i--) {
            Hash sibling = proof.siblings().get(i);
            hash = keyHash.bit(i) == 0 ? Node.internalHash(hash, sibling) : Node.internalHash(sibling, hash);
        }
        return hash.equals(root);
    }

    private static boolean samePrefix(Hash a, Hash b, int bits) {
        for (int i = 0; i < bits; i++) {
            if (a.bit(i) != b.bit(i)) {
                return false;
            }
        }
        return true;
    }

    /** A key's change: its path, and the new value's hash or {@code null} for a deletion. */
    private record Change(Hash keyHash, Hash valueHash) implements Comparable<Change> {
        @Override
        public int compareTo(Change other) {
            return keyHash.compareTo(other.keyHash);
        }
    }

    private Change[] hashAndSort(WriteSet<Bytes, Bytes> changes) {
        Bytes[] keys = new Bytes[changes.size()];
        Bytes[] values = new Bytes[changes.size()];
        int[] next = {0};
        changes.forEach((key, value) -> {
            keys[next[0]] = key;
            values[next[0]] = value;
            next[0]++;
        });
        Change[] sorted = new Change[keys.length];
        IntStream indexes = IntStream.range(0, keys.length);
        if (pool != null && keys.length >= FORK_MIN_CHANGES) {
            // A parallel stream started inside a pool runs in that pool.
            pool.submit(() -> indexes.parallel().forEach(i -> sorted[i] = change(keys[i], values[i]))).join();
        } else {
            indexes.forEach(i -> sorted[i] = change(keys[i], values[i]));
        }
        Arrays.sort(sorted);
        return sorted;
    }

    private static Change change(Bytes key, Bytes value) {
        return new Change(Hash.sha256(key), value == null ? null : Hash.sha256(value));
    }

    /**
     * The subtree at {@code depth} after applying {@code changes[lo, hi)} (non-empty, all under this subtree's
     * path prefix) to {@code node} ({@code null} for empty).
     */
    private Node apply(Node node, int depth, Change[] changes, int lo, int hi, Collector out) {
        return switch (node) {
            case null -> build(depth, setsOnly(changes, lo, hi), out);
            case Node.Leaf leaf -> {
                out.touched.add(leaf.hash());
                yield build(depth, mergeLeaf(leaf, changes, lo, hi), out);
            }
            case Node.Internal internal -> {
                int mid = split(changes, lo, hi, depth);
                Node left = null;
                Node right = null;
                Hash leftHash = internal.left();
                Hash rightHash = internal.right();
                if (lo < mid && mid < hi && forks(depth, hi - lo)) {
                    Subtree leftTask = new Subtree(node(leftHash), depth + 1, changes, lo, mid, false);
                    leftTask.fork();
                    right = apply(node(rightHash), depth + 1, changes, mid, hi, out);
                    left = leftTask.join();
                    out.merge(leftTask.out);
                    leftHash = hashOf(left);
                    rightHash = hashOf(right);
                } else {
                    if (lo < mid) {
                        left = apply(node(leftHash), depth + 1, changes, lo, mid, out);
                        leftHash = hashOf(left);
                    }
                    if (mid < hi) {
                        right = apply(node(rightHash), depth + 1, changes, mid, hi, out);
                        rightHash = hashOf(right);
                    }
                }
                if (leftHash.equals(internal.left()) && rightHash.equals(internal.right())) {
                    yield internal;
                }
                out.touched.add(internal.hash());
                // A child left unchanged is known by hash only; it is read only if it may have to move up.
                if (left == null && rightHash.isZero()) {
                    left = node(leftHash);
                }
                if (right == null && leftHash.isZero()) {
                    right = node(rightHash);
                }
                yield join(left, leftHash, right, rightHash, out);
            }
        };
    }

    /** The subtree at {@code depth} holding exactly {@code sets} (sorted, all under its path prefix). */
    private Node build(int depth, Change[] sets, Collector out) {
        return build(depth, sets, 0, sets.length, out);
    }

    private Node build(int depth, Change[] sets, int lo, int hi, Collector out) {
        if (lo == hi) {
            return null;
        }
        if (hi - lo == 1) {
            return out.created(Node.Leaf.of(sets[lo].keyHash(), sets[lo].valueHash()));
        }
        if (depth == MerkleProof.MAX_DEPTH) {
            throw new IllegalStateException("two keys with the same SHA-256: " + sets[lo].keyHash());
        }
        int mid = split(sets, lo, hi, depth);
        Node left;
        Node right;
        if (lo < mid && mid < hi && forks(depth, hi - lo)) {
            Subtree leftTask = new Subtree(null, depth + 1, sets, lo, mid, true);
            leftTask.fork();
            right = build(depth + 1, sets, mid, hi, out);
            left = leftTask.join();
            out.merge(leftTask.out);
        } else {
            left = build(depth + 1, sets, lo, mid, out);
            right = build(depth + 1, sets, mid, hi, out);
        }
        return join(left, hashOf(left), right, hashOf(right), out);
    }

    /**
     * The subtree over two children. A leaf beside an empty subtree is the whole subtree — it moves up — so
     * every subtree with one key is a leaf. A child may be {@code null} while its hash is not empty when it is
     * not needed (the other child is not empty).
     */
    private static Node join(Node left, Hash leftHash, Node right, Hash rightHash, Collector out) {
        if (leftHash.isZero() && rightHash.isZero()) {
            return null;
        }
        if (leftHash.isZero() && right instanceof Node.Leaf) {
            return right;
        }
        if (rightHash.isZero() && left instanceof Node.Leaf) {
            return left;
        }
        return out.created(Node.Internal.of(leftHash, rightHash));
    }

    private boolean forks(int depth, int changes) {
        return pool != null && depth < FORK_MAX_DEPTH && changes >= FORK_MIN_CHANGES;
    }

    /** The first index in [lo, hi) whose path has bit {@code depth} set; the range shares the bits above it. */
    private static int split(Change[] changes, int lo, int hi, int depth) {
        int low = lo;
        int high = hi;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (changes[mid].keyHash().bit(depth) == 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static Change[] setsOnly(Change[] changes, int lo, int hi) {
        return Arrays.stream(changes, lo, hi).filter(c -> c.valueHash() != null).toArray(Change[]::new);
    }

    /** The keys a subtree holding {@code leaf} holds after {@code changes[lo, hi)}, sorted. */
    private static Change[] mergeLeaf(Node.Leaf leaf, Change[] changes, int lo, int hi) {
        List<Change> sets = new ArrayList<>(hi - lo + 1);
        boolean leafPlaced = false;
        for (int i = lo; i < hi; i++) {
            Change c = changes[i];
            int order = c.keyHash().compareTo(leaf.keyHash());
            if (!leafPlaced && order >= 0) {
                leafPlaced = true;
                if (order > 0) {
                    sets.add(new Change(leaf.keyHash(), leaf.valueHash()));
                }
            }
            if (c.valueHash() != null) {
                sets.add(c);
            }
        }
        if (!leafPlaced) {
            sets.add(new Change(leaf.keyHash(), leaf.valueHash()));
        }
        return sets.toArray(Change[]::new);
    }

    private Node node(Hash hash) {
        if (hash.isZero()) {
            return null;
        }
        byte[] bytes = store.get(hash);
        if (bytes == null) {
            throw new IllegalStateException("tree node " + hash + " is missing from the node store");
        }
        return Node.decode(hash, bytes);
    }

    private static Hash hashOf(Node node) {
        return node == null ? EMPTY_ROOT : node.hash();
    }

    /** The nodes one task created and replaced; merged into its parent's after the join. */
    private static final class Collector {
        final HashMap<Hash, byte[]> created = new HashMap<>();
        final List<Hash> touched = new ArrayList<>();

        <N extends Node> N created(N node) {
            created.put(node.hash(), node.encode());
            return node;
        }

        void merge(Collector other) {
            created.putAll(other.created);
            touched.addAll(other.touched);
        }

        /**
         * A node replaced in one place may be created again in another (a leaf that moves up): it is then
         * neither stale nor new.
         */
        TreeUpdate toUpdate(Hash previousRoot, Hash root) {
            Set<Hash> stale = new HashSet<>(touched);
            stale.removeAll(created.keySet());
            touched.forEach(created::remove);
            return new TreeUpdate(previousRoot, root, created, stale);
        }
    }

    /** One subtree of an update (or of a build), computed in the pool. */
    private final class Subtree extends RecursiveTask<Node> {
        private final Node node;
        private final int depth;
        private final Change[] changes;
        private final int lo;
        private final int hi;
        private final boolean build;
        final Collector out = new Collector();

        Subtree(Node node, int depth, Change[] changes, int lo, int hi, boolean build) {
            this.node = node;
            this.depth = depth;
            this.changes = changes;
            this.lo = lo;
            this.hi = hi;
            this.build = build;
        }

        @Override
        protected Node compute() {
            return build ? build(depth, changes, lo, hi, out) : apply(node, depth, changes, lo, hi, out);
        }
    }
}
