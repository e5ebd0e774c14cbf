package io.pel.ledger.merkle;

import io.pel.ledger.Hash;

/**
 * Where a {@link SparseMerkleTree} reads its nodes: a content-addressed map from a node's hash to its encoding.
 * Writes are the caller's business: it persists the {@link TreeUpdate}s the tree returns. Implementations must
 * allow concurrent reads, since a parallel update reads from several threads.
 */
@FunctionalInterface
public interface NodeStore {

    /** The encoded node whose hash is {@code hash}, or {@code null} when the store does not hold it. */
    byte[] get(Hash hash);
}
