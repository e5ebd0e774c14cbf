package io.pel.server.webhook;

import java.util.Objects;

/**
 * A webhook request a caller got wrong (a bad URL, an unknown subscription): {@link #error()} is a stable code,
 * the message says what was wrong in words a person understands. Checked, because every caller passes input
 * from outside and must say what it does with bad input.
 */
public final class WebhookException extends Exception {

    private final WebhookError error;

    public WebhookException(WebhookError error, String message) {
        // No stack trace: this reports bad input, not a bug.
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    public WebhookError error() {
        return error;
    }

    /** The stable code, e.g. {@code INVALID_URL}. */
    public String code() {
        return error.name();
    }

    @Override
    public String toString() {
        return error + ": " + getMessage();
    }
}
