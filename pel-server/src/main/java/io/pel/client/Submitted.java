package io.pel.client;

import io.pel.ledger.Hash;
import java.util.Objects;

/** A transaction the node admitted into its mempool: not committed yet (see {@link PelClient#awaitCommit}). */
public record Submitted(Hash hash) {

    public Submitted {
        Objects.requireNonNull(hash, "hash");
    }
}
