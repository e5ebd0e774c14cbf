package io.pel.server.webhook;

import java.util.Objects;

/**
 * One entry of a subscription's delivery log: one HTTP attempt to deliver one event.
 *
 * @param subscriptionId  the subscription
 * @param eventId         the event's stable id
 * @param eventType       the event's type
 * @param attempt         1 for the first attempt of this event to this subscription, then 2, 3, …
 * @param statusCode      the receiver's HTTP status, or 0 when there was no response (refused, timed out)
 * @param error           why it failed, in words; empty when delivered
 * @param timestampMillis when the attempt ended, Unix epoch milliseconds
 * @param outcome         what it came to
 */
public record DeliveryAttempt(String subscriptionId, String eventId, String eventType, int attempt, int statusCode,
                              String error, long timestampMillis, DeliveryOutcome outcome) {

    public DeliveryAttempt {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(outcome, "outcome");
    }
}
