package io.pel.server.webhook;

/** Why a webhook request was refused: stable codes an API layer can hand to its caller unchanged. */
public enum WebhookError {
    /** The URL is not an absolute http or https URL with a host. */
    INVALID_URL,
    /** An event type is not 1…64 characters from {@code a-z . _}. */
    INVALID_EVENT_TYPE,
    /** A campaign id is empty, too long, or holds characters other than {@code A-Z a-z 0-9 . _ -}. */
    INVALID_CAMPAIGN,
    /** No subscription has this id. */
    UNKNOWN_SUBSCRIPTION,
    /** The configured maximum number of subscriptions exists already. */
    TOO_MANY_SUBSCRIPTIONS
}
