package io.pel.client;

import io.pel.ledger.AccountId;
import io.pel.ledger.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a transaction stands, from {@code GET /api/v1/transactions/{hash}} and the waiting calls.
 *
 * @param hash        the transaction's hash
 * @param state       pending in the mempool, or committed in a block
 * @param height      the block's height; -1 while pending
 * @param index       the position in the block; -1 while pending
 * @param sender      the sender, when the server said
 * @param nonce       the nonce, when the server said; -1 otherwise
 * @param payloadType the payload's type ({@code transfer}, {@code mint}, {@code call}), when the server said
 * @param outcome     what it came to; empty while pending
 */
public record TxStatus(Hash hash, State state, long height, int index, Optional<AccountId> sender, long nonce,
                       Optional<String> payloadType, Optional<TxOutcome> outcome) {

    /** Pending or committed. */
    public enum State { PENDING, COMMITTED }

    public TxStatus {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(outcome, "outcome");
    }

    public boolean committed() {
        return state == State.COMMITTED;
    }

    /** Committed and ran successfully. */
    public boolean succeeded() {
        return committed() && outcome.map(TxOutcome::success).orElse(false);
    }
}
