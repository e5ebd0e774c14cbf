package io.pel.server.webhook;

/**
 * Counters for the dashboard. {@code delivered} and {@code failedAttempts} are kept in the outbox, so they count
 * since the outbox was created, across restarts.
 *
 * @param subscriptions       subscriptions that exist
 * @param pending             deliveries not yet made (one per subscription and event)
 * @param delivered           deliveries the receivers accepted
 * @param failedAttempts      attempts that failed (each retry counts)
 * @param lastPublishedHeight the watermark: the last block height published; -1 before the first
 */
public record WebhookStats(int subscriptions, long pending, long delivered, long failedAttempts,
                           long lastPublishedHeight) {
}
