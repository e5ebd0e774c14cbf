package io.pel.client;

import java.util.Locale;

/**
 * Why a request failed: the server's stable error codes, and the client's own for failures that never reached
 * an answer. A code this client does not know (a newer server) is {@link #UNKNOWN}, with the server's text
 * kept in {@link PelClientException#serverCode()}.
 */
public enum PelErrorCode {
    // --- admission (the ledger's rejection codes) ---
    TOO_LARGE, BAD_ENCODING, BAD_CALL, WRONG_CHAIN, BAD_SIGNATURE, STALE_NONCE, NONCE_TOO_FAR, DUPLICATE,
    MEMPOOL_FULL, NODE_CLOSED,
    // --- the API ---
    BAD_REQUEST, NOT_FOUND, UNAUTHORIZED, FORBIDDEN, RATE_LIMITED, INTERNAL,
    // --- the client's own ---
    /** No answer: connection refused, reset, DNS. */
    TRANSPORT,
    /** No answer in time. */
    TIMEOUT,
    /** An answer this client cannot read (not the API's JSON, or too large). */
    BAD_RESPONSE,
    /** The calling thread was interrupted; its interrupt flag is set again. */
    INTERRUPTED,
    /** A server code this client does not know. */
    UNKNOWN;

    /** The code for a server's code string; {@link #UNKNOWN} for one not listed here. */
    public static PelErrorCode of(String serverCode) {
        if (serverCode == null) {
            return UNKNOWN;
        }
        try {
            PelErrorCode code = valueOf(serverCode.strip().toUpperCase(Locale.ROOT));
            return code.isClientSide() ? UNKNOWN : code;
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }

    /** Whether the client made this code up (no server said it). */
    public boolean isClientSide() {
        return this == TRANSPORT || this == TIMEOUT || this == BAD_RESPONSE || this == INTERRUPTED;
    }
}
