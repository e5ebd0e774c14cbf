package io.pel.server.webhook;

/** What one delivery attempt came to. */
public enum DeliveryOutcome {
    /** The receiver answered 2xx: the delivery is done. */
    DELIVERED,
    /** It failed and will be tried again after a back-off. */
    RETRYING,
    /**
     * It failed, and the event has failed for longer than {@link WebhookConfig#deadAfter()}: an operator should
     * look. The delivery is not dropped — it stays pending, is retried at the longest back-off, and
     * {@link Webhooks#retryNow} tries it at once.
     */
    DEAD
}
