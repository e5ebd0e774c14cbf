package io.pel.ledger.node;

import io.pel.ledger.Bytes;
import io.pel.ledger.codec.EncodingException;

/**
 * Code the ledger runs for {@link io.pel.ledger.Payload.Call} transactions addressed to its {@link #id()}: the
 * referral program is one. A node is opened with its applications ({@link Applications}); a call to an id the
 * node does not run is rejected at admission.
 *
 * <p>The contract mirrors the engine's: {@link #decode} is a pure function of the body (it runs at admission,
 * so a body the application cannot read never enters a block), and {@link Call#execute} is a deterministic
 * function of what it reads through its {@link CallContext} — it may run several times in one block when the
 * engine re-executes it, and a replay on another machine must reach the same result.
 */
public interface Application {

    /** The id calls address, 1…{@value io.pel.ledger.Payload.Call#MAX_APP}; fixed for the life of a chain. */
    int id();

    /** A short name for logs and operators, e.g. {@code "referral"}. */
    String name();

    /**
     * Reads a call's body. Rejects, with a reason, every body that is not the canonical encoding of a call of
     * this application.
     */
    Call decode(Bytes body) throws EncodingException;

    /** A decoded call, ready to run in a block. */
    @FunctionalInterface
    interface Call {

        /**
         * Runs the call. Its state lives under the application's own keys ({@link CallContext#state()}); what
         * it returns is the transaction's receipt output, stored with the block (at most
         * {@link TxResult#MAX_OUTPUT_BYTES} bytes; empty for nothing). Throwing {@link TxFailure} fails the
         * call with that code: its writes are discarded, but the sender's nonce is used up (the receipt carries
         * the code), so the sender's later transactions still run.
         */
        Bytes execute(CallContext context) throws TxFailure;
    }
}
