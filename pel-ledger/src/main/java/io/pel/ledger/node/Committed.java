package io.pel.ledger.node;

import io.pel.core.Outcome;
import io.pel.ledger.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * A transaction's place in the chain and what it came to. Only handed out after its block was durably
 * committed. A failed transaction is committed too: it occupies its slot, its writes were discarded.
 *
 * @param height  the block's height
 * @param index   the transaction's position in the block
 * @param txHash  the transaction's hash
 * @param outcome its {@link TxResult} (which says whether the payload failed, after using up the nonce), or an
 *                engine failure — a bad nonce ({@link TxFailure#BAD_NONCE} leads the message) or a bug — that
 *                changed nothing
 */
public record Committed(long height, int index, Hash txHash, Outcome<TxResult> outcome) {

    public Committed {
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Whether the transaction's payload took effect. */
    public boolean succeeded() {
        return outcome instanceof Outcome.Success<TxResult> s && s.output().succeeded();
    }

    /**
     * The stable failure code ({@link TxFailure#INSUFFICIENT_FUNDS}, an application's code, {@link
     * TxFailure#BAD_NONCE}, …); empty for a success.
     */
    public Optional<String> failureCode() {
        if (outcome instanceof Outcome.Success<TxResult> s) {
            return s.output().error().map(TxResult.Error::code);
        }
        Outcome.Failure<TxResult> failure = (Outcome.Failure<TxResult>) outcome;
        String message = failure.message() == null ? "" : failure.message();
        int colon = message.indexOf(':');
        return Optional.of(failure.errorType().equals(TxFailure.class.getName()) && colon > 0
                ? message.substring(0, colon) : failure.errorType());
    }
}
