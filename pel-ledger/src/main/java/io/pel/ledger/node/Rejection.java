package io.pel.ledger.node;

import java.util.Objects;

/**
 * Why a submission was not admitted: a stable {@link Code} and a message a person understands. A rejected
 * submission changed nothing — not the state, not the mempool.
 */
public record Rejection(Code code, String message) {

    /** Stable rejection codes, in the order admission checks them. */
    public enum Code {
        /** Over the configured size limit; not even decoded. */
        TOO_LARGE,
        /** Not the canonical encoding of a signed transaction. */
        BAD_ENCODING,
        /** A call to an application this node does not run, or a body that application cannot read. */
        BAD_CALL,
        /** Signed for another chain. */
        WRONG_CHAIN,
        /** The signature is not the sender's over this transaction. */
        BAD_SIGNATURE,
        /** The nonce is below the sender's committed next nonce: it can never succeed. */
        STALE_NONCE,
        /** The nonce is too far past the sender's committed next nonce. */
        NONCE_TOO_FAR,
        /** This transaction, or another with the same sender and nonce, is already pending or committed. */
        DUPLICATE,
        /** The mempool is full: try again later. */
        MEMPOOL_FULL,
        /** The node is closing or closed. */
        NODE_CLOSED
    }

    public Rejection {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
