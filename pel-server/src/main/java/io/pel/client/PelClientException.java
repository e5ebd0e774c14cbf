package io.pel.client;

import java.util.Objects;

/**
 * A request the node refused, or that got no usable answer. {@link #code()} is stable and typed; {@link
 * #serverCode()} is the server's code as sent (equal to {@code code().name()} unless the code is
 * {@link PelErrorCode#UNKNOWN} or client-side); {@link #status()} is the HTTP status, 0 when there was none.
 * Checked, because every call crosses a network and the caller must decide what a failure means.
 */
public final class PelClientException extends Exception {

    private final PelErrorCode code;
    private final String serverCode;
    private final int status;

    public PelClientException(PelErrorCode code, String serverCode, int status, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.serverCode = serverCode == null ? code.name() : serverCode;
        this.status = status;
    }

    public PelClientException(PelErrorCode code, int status, String message) {
        this(code, null, status, message, null);
    }

    public PelErrorCode code() {
        return code;
    }

    public String serverCode() {
        return serverCode;
    }

    /** The HTTP status; 0 when no answer came. */
    public int status() {
        return status;
    }

    /** Whether trying the same request again later may succeed (rate limited, full, unreachable). */
    public boolean retryable() {
        return status == 429 || status == 503 || code == PelErrorCode.MEMPOOL_FULL || code == PelErrorCode.RATE_LIMITED
                || code == PelErrorCode.TRANSPORT || code == PelErrorCode.TIMEOUT;
    }

    @Override
    public String toString() {
        return "PelClientException{" + serverCode + (status > 0 ? ", HTTP " + status : "") + ": " + getMessage() + "}";
    }
}
