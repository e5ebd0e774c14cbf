package io.pel.server.webhook;

import java.util.Objects;

/**
 * An event not yet delivered to a subscription: it stays in the outbox until the receiver answers 2xx or the
 * subscription is deleted.
 *
 * @param subscriptionId    the subscription
 * @param event             the event
 * @param attempts          failed attempts so far
 * @param enqueuedMillis    when it was published, Unix epoch milliseconds
 * @param nextAttemptMillis when it will be tried next
 * @param dead              whether it has failed for longer than {@link WebhookConfig#deadAfter()}
 * @param lastError         why the last attempt failed; empty before the first
 */
public record PendingDelivery(String subscriptionId, WebhookEvent event, int attempts, long enqueuedMillis,
                              long nextAttemptMillis, boolean dead, String lastError) {

    public PendingDelivery {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(lastError, "lastError");
    }
}
