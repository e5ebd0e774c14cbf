package io.pel.ledger.store;

import io.pel.core.WriteSet;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.merkle.TreeUpdate;
import java.util.List;
import java.util.Objects;

/**
 * Everything one block changes in the store, written by {@link LedgerStore#commit} all at once or not at all.
 *
 * @param height       the block's height: 0 for the first block, then one more than the last committed
 * @param block        the block's encoding, stored as given
 * @param receipts     what the block's transactions came to (the node's encoding), stored as given
 * @param transactions the hashes of the block's transactions in block order, indexed as (height, position)
 * @param state        the block's changes to the latest state (a value, or {@code null} for a deletion)
 * @param tree         the state tree's update for those changes, from the store's current state root
 */
public record BlockCommit(long height, Bytes block, Bytes receipts, List<Hash> transactions, WriteSet<Bytes, Bytes> state,
                          TreeUpdate tree) {

    public BlockCommit {
        if (height < 0) {
            throw new IllegalArgumentException("a height is ≥ 0, not " + height);
        }
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(receipts, "receipts");
        transactions = List.copyOf(transactions);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(tree, "tree");
    }
}
