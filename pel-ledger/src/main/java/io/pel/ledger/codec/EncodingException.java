package io.pel.ledger.codec;

import java.util.Objects;

/**
 * Input that is not the canonical encoding of a value. A caller (the admission layer, an API) reports it to
 * whoever sent the bytes: {@link #code()} is the stable code {@value #CODE}, {@link #reason()} says which rule
 * the input broke, and the message says where, in words a person understands.
 *
 * <p>Checked, because every decoder is handed bytes from outside and must say what it does with bad ones.
 */
public final class EncodingException extends Exception {

    /** The stable code of every decoding error. */
    public static final String CODE = "BAD_ENCODING";

    private final EncodingError reason;

    public EncodingException(EncodingError reason, String message) {
        // No stack trace: this reports bad input, not a bug, and an admission layer may build many per second.
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Always {@value #CODE}. */
    public String code() {
        return CODE;
    }

    public EncodingError reason() {
        return reason;
    }

    @Override
    public String toString() {
        return CODE + " (" + reason + "): " + getMessage();
    }
}
