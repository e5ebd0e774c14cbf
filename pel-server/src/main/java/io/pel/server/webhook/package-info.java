/**
 * Webhooks: committed referral events delivered to integrators' HTTP endpoints, HMAC-signed, at least once,
 * from a durable RocksDB outbox. {@link io.pel.server.webhook.Webhooks} is the whole API; it knows nothing of
 * HTTP servers, so the API layer exposes it with thin handlers.
 */
package io.pel.server.webhook;
