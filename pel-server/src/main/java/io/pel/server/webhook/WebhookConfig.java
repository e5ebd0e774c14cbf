package io.pel.server.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * How webhooks are delivered. Every bound is here, with a default ({@link #defaults()}).
 *
 * @param workers            delivery threads (daemon), 1…64; default 4
 * @param connectTimeout     to open a connection to a receiver; default 5 s
 * @param requestTimeout     for a whole request, answer included; default 10 s
 * @param backoffBase        the wait after the first failure; doubled after each further one; default 500 ms
 * @param backoffCap         the longest wait between attempts; default 60 s
 * @param deadAfter          a delivery that has failed for this long since it was published is marked
 *                           {@link DeliveryOutcome#DEAD} (and still retried); default 24 h
 * @param logPerSubscription delivery-log entries kept per subscription, the newest; default 200
 * @param maxSubscriptions   subscriptions that may exist at once; default 1 000
 * @param maxEventBytes      the largest delivery body accepted by {@link Webhooks#publish}; default 64 KiB
 */
public record WebhookConfig(int workers, Duration connectTimeout, Duration requestTimeout, Duration backoffBase,
                            Duration backoffCap, Duration deadAfter, int logPerSubscription, int maxSubscriptions,
                            int maxEventBytes) {

    public WebhookConfig {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backoffBase, "backoffBase");
        Objects.requireNonNull(backoffCap, "backoffCap");
        Objects.requireNonNull(deadAfter, "deadAfter");
        if (workers < 1 || workers > 64) {
            throw new IllegalArgumentException("workers is 1…64, not " + workers);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
                || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts are positive");
        }
        if (backoffBase.isNegative() || backoffBase.isZero() || backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("0 < backoffBase ≤ backoffCap, not " + backoffBase + ", " + backoffCap);
        }
        if (deadAfter.isNegative()) {
            throw new IllegalArgumentException("deadAfter is ≥ 0");
        }
        if (logPerSubscription < 1 || maxSubscriptions < 1 || maxEventBytes < 256) {
            throw new IllegalArgumentException("logPerSubscription and maxSubscriptions ≥ 1, maxEventBytes ≥ 256");
        }
    }

    public static WebhookConfig defaults() {
        return new WebhookConfig(4, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(500),
                Duration.ofSeconds(60), Duration.ofHours(24), 200, 1_000, 64 * 1024);
    }

    public WebhookConfig withWorkers(int workers) {
        return new WebhookConfig(workers, connectTimeout, requestTimeout, backoffBase, backoffCap, deadAfter,
                logPerSubscription, maxSubscriptions, maxEventBytes);
    }

    public WebhookConfig withTimeouts(Duration connect, Duration request) {
        return new WebhookConfig(workers, connect, request, backoffBase, backoffCap, deadAfter,
                logPerSubscription, maxSubscriptions, maxEventBytes);
    }

    public WebhookConfig withBackoff(Duration base, Duration cap) {
        return new WebhookConfig(workers, connectTimeout, requestTimeout, base, cap, deadAfter,
                logPerSubscription, maxSubscriptions, maxEventBytes);
    }

    public WebhookConfig withDeadAfter(Duration deadAfter) {
        return new WebhookConfig(workers, connectTimeout, requestTimeout, backoffBase, backoffCap, deadAfter,
                logPerSubscription, maxSubscriptions, maxEventBytes);
    }

    public WebhookConfig withLogPerSubscription(int entries) {
        return new WebhookConfig(workers, connectTimeout, requestTimeout, backoffBase, backoffCap, deadAfter,
                entries, maxSubscriptions, maxEventBytes);
    }

    public WebhookConfig withMaxSubscriptions(int max) {
        return new WebhookConfig(workers, connectTimeout, requestTimeout, backoffBase, backoffCap, deadAfter,
                logPerSubscription, max, maxEventBytes);
    }

    /**
     * The wait before attempt {@code failures + 1}, after {@code failures ≥ 1} failures: base·2^(failures−1),
     * capped, then drawn uniformly from its upper half ("equal jitter"), so receivers that come back are not
     * hit by every sender at the same instant, and no wait is shorter than half the schedule.
     *
     * @param unit a number in [0, 1) — the jitter draw
     */
    long backoffMillis(int failures, double unit) {
        long base = backoffBase.toMillis();
        long cap = backoffCap.toMillis();
        int shift = Math.min(Math.max(failures - 1, 0), 40);
        long delay = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
        long half = delay / 2;
        return half + (long) ((delay - half) * unit);
    }
}
