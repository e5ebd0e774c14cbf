package io.pel.ledger.node;

import io.pel.ledger.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * What a ledger transaction that passed its nonce check came to, stored in its block's receipts. It used up its
 * nonce either way; {@link #error} says whether its payload failed (its writes then discarded).
 *
 * @param nonce  the sender's nonce it used; the sender's next nonce is {@code nonce + 1}
 * @param output what an application call returned (its own encoding, at most {@value #MAX_OUTPUT_BYTES} bytes);
 *               empty for transfers, mints and failures
 * @param error  why the payload failed ({@link TxFailure}'s code and message); empty when it succeeded
 */
public record TxResult(long nonce, Bytes output, Optional<Error> error) {

    public static final int MAX_OUTPUT_BYTES = 4096;

    /** A payload's deterministic failure, as its {@link TxFailure} said: a stable code and a message. */
    public record Error(String code, String message) {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    public TxResult {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(error, "error");
        if (output.length() > MAX_OUTPUT_BYTES) {
            throw new IllegalArgumentException("a transaction's output is at most " + MAX_OUTPUT_BYTES
                    + " bytes, not " + output.length());
        }
        if (error.isPresent() && output.length() > 0) {
            throw new IllegalArgumentException("a failed transaction has no output");
        }
    }

    /** A success with an output. */
    public TxResult(long nonce, Bytes output) {
        this(nonce, output, Optional.empty());
    }

    /** A success without output. */
    public TxResult(long nonce) {
        this(nonce, Bytes.of());
    }

    /** A payload that failed with {@code failure} after using up {@code nonce}. */
    public static TxResult failed(long nonce, TxFailure failure) {
        String message = failure.getMessage();
        String prefix = failure.code() + ": ";
        return new TxResult(nonce, Bytes.of(), Optional.of(new Error(failure.code(),
                message.startsWith(prefix) ? message.substring(prefix.length()) : message)));
    }

    public boolean succeeded() {
        return error.isEmpty();
    }
}
