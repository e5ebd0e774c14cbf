package io.pel.server;

import java.util.Objects;

/**
 * An error a client caused or must react to, as the API answers it: a stable {@code code}, a message a person
 * understands, and the HTTP status it travels with. Always sent as JSON {@code {"code","message"}}.
 *
 * @param status        HTTP status
 * @param code          stable code ({@code BAD_REQUEST}, {@code NOT_FOUND}, a ledger rejection code, …)
 * @param message       what went wrong, for a person
 * @param retryAfterSec when above 0, sent as {@code Retry-After}
 */
public record ApiError(int status, String code, String message, int retryAfterSec) {

    public ApiError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public ApiError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "BAD_REQUEST", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "NOT_FOUND", message);
    }

    public static ApiError tooLarge(String message) {
        return new ApiError(413, "TOO_LARGE", message);
    }

    /** This error as an exception, for a handler to stop with. */
    public ApiException exception() {
        return new ApiException(this);
    }

    /** Carries an {@link ApiError} out of a handler; the server answers it. No stack trace: not a bug. */
    public static final class ApiException extends RuntimeException {
        private final ApiError error;

        public ApiException(ApiError error) {
            super(error.code() + ": " + error.message(), null, false, false);
            this.error = error;
        }

        public ApiError error() {
            return error;
        }
    }
}
