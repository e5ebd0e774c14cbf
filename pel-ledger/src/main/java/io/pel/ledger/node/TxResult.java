package io.pel.ledger.node;

import io.pel.ledger.Bytes;
import java.util.Objects;

/**
 * What a successful ledger transaction returns, stored in its block's receipts.
 *
 * @param nonce  the sender's nonce it used; the sender's next nonce is {@code nonce + 1}
 * @param output what an application call returned (its own encoding, at most {@value #MAX_OUTPUT_BYTES} bytes);
 *               empty for transfers and mints
 */
public record TxResult(long nonce, Bytes output) {

    public static final int MAX_OUTPUT_BYTES = 4096;

    public TxResult {
        Objects.requireNonNull(output, "output");
        if (output.length() > MAX_OUTPUT_BYTES) {
            throw new IllegalArgumentException("a transaction's output is at most " + MAX_OUTPUT_BYTES
                    + " bytes, not " + output.length());
        }
    }

    public TxResult(long nonce) {
        this(nonce, Bytes.of());
    }
}
