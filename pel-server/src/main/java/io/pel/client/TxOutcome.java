package io.pel.client;

import io.pel.ledger.Bytes;
import java.util.Objects;

/** What a committed transaction came to. A failed transaction is committed too; its writes were discarded. */
public sealed interface TxOutcome permits TxOutcome.Success, TxOutcome.Failure {

    boolean success();

    /**
     * It ran.
     *
     * @param nonce  the nonce it used
     * @param output what an application call returned (its own encoding); empty for transfers and mints
     */
    record Success(long nonce, Bytes output) implements TxOutcome {
        public Success {
            Objects.requireNonNull(output, "output");
        }

        @Override
        public boolean success() {
            return true;
        }
    }

    /**
     * It failed, deterministically.
     *
     * @param code    the stable failure code ({@code BAD_NONCE}, {@code INSUFFICIENT_FUNDS}, an application's own)
     * @param message in words
     */
    record Failure(String code, String message) implements TxOutcome {
        public Failure {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean success() {
            return false;
        }
    }
}
