package io.pel.server;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link PelServer} listens and what it bounds. {@link #defaults()} gives the documented defaults; the
 * {@code with…} methods change one setting. Every limit is checked here, so a server never starts with a
 * nonsensical one.
 *
 * @param host             the address to bind (default {@value #DEFAULT_HOST}: local only)
 * @param port             the port; 0 picks a free one, {@link PelServer#port()} says which (default 8080)
 * @param maxBodyBytes     larger request bodies are answered 413 {@code TOO_LARGE} (default 1 MiB)
 * @param maxBatch         most transactions in one batch submission (default 1000)
 * @param ratePerSecond    requests per second one client IP may sustain (token bucket refill; default 200)
 * @param rateBurst        requests one client IP may make at once (bucket size; default 400)
 * @param adminToken       the bearer token admin endpoints require; empty: admin endpoints are disabled (403)
 * @param maxWait          the longest a request may wait for a commit ({@code ?wait=}, {@code /wait}); longer
 *                         waits asked for are cut to this (default 30 s)
 */
public record ServerConfig(String host, int port, int maxBodyBytes, int maxBatch, int ratePerSecond, int rateBurst,
                           Optional<String> adminToken, Duration maxWait) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_BATCH = 1000;
    public static final int DEFAULT_RATE_PER_SECOND = 200;
    public static final int DEFAULT_RATE_BURST = 400;
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(maxWait, "maxWait");
        require(port >= 0 && port <= 65535, "port", port);
        require(maxBodyBytes >= 1024, "maxBodyBytes", maxBodyBytes);
        require(maxBatch >= 1 && maxBatch <= 100_000, "maxBatch", maxBatch);
        require(ratePerSecond >= 1, "ratePerSecond", ratePerSecond);
        require(rateBurst >= 1, "rateBurst", rateBurst);
        require(!maxWait.isNegative() && maxWait.compareTo(Duration.ofMinutes(10)) <= 0, "maxWait", maxWait);
        adminToken = adminToken.filter(t -> !t.isBlank());
    }

    private static void require(boolean ok, String name, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(name + " is out of range: " + value);
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BATCH,
                DEFAULT_RATE_PER_SECOND, DEFAULT_RATE_BURST, Optional.empty(), DEFAULT_MAX_WAIT);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, maxBodyBytes, maxBatch, ratePerSecond, rateBurst, adminToken,
                maxWait);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, maxBodyBytes, maxBatch, ratePerSecond, rateBurst, adminToken,
                maxWait);
    }

    public ServerConfig withMaxBodyBytes(int maxBodyBytes) {
        return new ServerConfig(host, port, maxBodyBytes, maxBatch, ratePerSecond, rateBurst, adminToken,
                maxWait);
    }

    public ServerConfig withMaxBatch(int maxBatch) {
        return new ServerConfig(host, port, maxBodyBytes, maxBatch, ratePerSecond, rateBurst, adminToken,
                maxWait);
    }

    public ServerConfig withRateLimit(int ratePerSecond, int rateBurst) {
        return new ServerConfig(host, port, maxBodyBytes, maxBatch, ratePerSecond, rateBurst, adminToken,
                maxWait);
    }

    public ServerConfig withAdminToken(String adminToken) {
        return new ServerConfig(host, port, maxBodyBytes, maxBatch, ratePerSecond, rateBurst,
                Optional.ofNullable(adminToken), maxWait);
    }

    public ServerConfig withMaxWait(Duration maxWait) {
        return new ServerConfig(host, port, maxBodyBytes, maxBatch, ratePerSecond, rateBurst, adminToken,
                maxWait);
    }
}
