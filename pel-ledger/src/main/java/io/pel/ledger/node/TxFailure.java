package io.pel.ledger.node;

import java.util.Objects;

/**
 * A ledger transaction that failed for a reason its sender caused: the engine records it as
 * {@code Outcome.Failure(TxFailure, "CODE: message")}, so the stable code leads the message. Deterministic —
 * it depends only on the state the transaction read.
 */
public final class TxFailure extends Exception {

    /** The nonce is not the sender's next one (stale, or ahead of a transaction that did not succeed). */
    public static final String BAD_NONCE = "BAD_NONCE";
    /** A transfer of more than the sender's balance. */
    public static final String INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS";
    /** A mint from an account other than the configured administrator. */
    public static final String NOT_AUTHORIZED = "NOT_AUTHORIZED";
    /** A mint that would take the total supply past {@link Long#MAX_VALUE}. */
    public static final String SUPPLY_OVERFLOW = "SUPPLY_OVERFLOW";

    /** A call to an application the chain does not run, or whose body it cannot read. */
    public static final String BAD_CALL = "BAD_CALL";

    private final String code;

    public TxFailure(String code, String detail) {
        // No stack trace: a user's mistake, not a bug; the engine may build many per block.
        super(Objects.requireNonNull(code, "code") + ": " + detail, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
