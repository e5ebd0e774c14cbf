package io.pel.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link PelClient} talks to a node. Every bound is here, with a default ({@link #defaults()}).
 *
 * @param adminToken       sent as {@code Authorization: Bearer <token>} when present (admin endpoints need it)
 * @param connectTimeout   to open a connection; default 5 s
 * @param requestTimeout   for one request, answer included (a waiting call adds its wait); default 30 s
 * @param maxRetries       retries of a request answered 429 or 503, 0…10; default 3
 * @param retryBase        the wait before the first retry when the server sends no {@code Retry-After}, doubled
 *                         for each further one; default 200 ms
 * @param retryCap         the longest wait between retries, {@code Retry-After} included; default 10 s
 * @param maxResponseBytes the largest answer read; a larger one fails with {@code BAD_RESPONSE}; default 16 MiB
 */
public record PelClientConfig(Optional<String> adminToken, Duration connectTimeout, Duration requestTimeout,
                              int maxRetries, Duration retryBase, Duration retryCap, int maxResponseBytes) {

    public PelClientConfig {
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(retryBase, "retryBase");
        Objects.requireNonNull(retryCap, "retryCap");
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries is 0…10, not " + maxRetries);
        }
        if (connectTimeout.isZero() || connectTimeout.isNegative() || requestTimeout.isZero()
                || requestTimeout.isNegative() || retryBase.isNegative() || retryCap.compareTo(retryBase) < 0) {
            throw new IllegalArgumentException("timeouts are positive and 0 ≤ retryBase ≤ retryCap");
        }
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("maxResponseBytes is at least 1024");
        }
        adminToken.ifPresent(t -> {
            if (t.isBlank() || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("an admin token is printable ASCII without spaces");
            }
        });
    }

    public static PelClientConfig defaults() {
        return new PelClientConfig(Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(30), 3,
                Duration.ofMillis(200), Duration.ofSeconds(10), 16 << 20);
    }

    public PelClientConfig withAdminToken(String token) {
        return new PelClientConfig(Optional.of(token), connectTimeout, requestTimeout, maxRetries, retryBase, retryCap,
                maxResponseBytes);
    }

    public PelClientConfig withTimeouts(Duration connect, Duration request) {
        return new PelClientConfig(adminToken, connect, request, maxRetries, retryBase, retryCap, maxResponseBytes);
    }

    public PelClientConfig withRetries(int maxRetries, Duration base, Duration cap) {
        return new PelClientConfig(adminToken, connectTimeout, requestTimeout, maxRetries, base, cap,
                maxResponseBytes);
    }
}
