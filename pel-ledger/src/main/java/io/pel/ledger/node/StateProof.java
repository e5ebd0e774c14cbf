package io.pel.ledger.node;

import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.merkle.MerkleProof;
import io.pel.ledger.merkle.SparseMerkleTree;
import java.util.Objects;
import java.util.Optional;

/**
 * A key's value (or absence) at a committed block, with the proof that ties it to that block's state root.
 * {@link #verify()} needs nothing else; a client that trusts the block's header checks {@code stateRoot}
 * against it.
 */
public record StateProof(long height, Hash stateRoot, Bytes key, Optional<Bytes> value, MerkleProof proof) {

    public StateProof {
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(proof, "proof");
    }

    /** Whether {@link #proof} shows {@link #value} under {@link #stateRoot}. */
    public boolean verify() {
        return SparseMerkleTree.verify(stateRoot, key, value.orElse(null), proof);
    }
}
