package io.pel.server.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pel.ledger.Hash;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;

/**
 * The JSON forms of webhook values: the delivery body, and what the outbox stores. Written by hand, field by
 * field, so the wire format is visible here and does not change when a record gains a method.
 */
final class WebhookJson {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private WebhookJson() {
    }

    /** The delivery body: {@code {"id","type","campaign","height","txHash","timestamp","data"}}. */
    static byte[] body(WebhookEvent event) {
        return write(event(event));
    }

    static ObjectNode event(WebhookEvent e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", e.id());
        n.put("type", e.type());
        n.put("campaign", e.campaign());
        n.put("height", e.height());
        n.put("txHash", e.txHash().toHex());
        n.put("timestamp", e.timestampMillis());
        n.set("data", MAPPER.valueToTree(e.data()));
        return n;
    }

    @SuppressWarnings("unchecked")
    static WebhookEvent event(JsonNode n) throws IOException {
        Map<String, Object> data = MAPPER.treeToValue(n.path("data"), Map.class);
        return new WebhookEvent(text(n, "id"), text(n, "type"), text(n, "campaign"), n.path("height").asLong(),
                Hash.fromHex(text(n, "txHash")), n.path("timestamp").asLong(), data);
    }

    static byte[] subscription(Subscription s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", s.id());
        n.put("campaign", s.campaign());
        ArrayNode types = n.putArray("eventTypes");
        s.eventTypes().forEach(types::add);
        n.put("url", s.url().toString());
        n.put("secret", s.secret());
        n.put("created", s.createdMillis());
        return write(n);
    }

    static Subscription subscription(byte[] bytes) throws IOException {
        JsonNode n = MAPPER.readTree(bytes);
        TreeSet<String> types = new TreeSet<>();
        n.path("eventTypes").forEach(t -> types.add(t.asText()));
        return new Subscription(text(n, "id"), text(n, "campaign"), types, URI.create(text(n, "url")),
                text(n, "secret"), n.path("created").asLong());
    }

    static byte[] pending(PendingDelivery p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("subscription", p.subscriptionId());
        n.set("event", event(p.event()));
        n.put("attempts", p.attempts());
        n.put("enqueued", p.enqueuedMillis());
        n.put("next", p.nextAttemptMillis());
        n.put("dead", p.dead());
        n.put("lastError", p.lastError());
        return write(n);
    }

    static PendingDelivery pending(byte[] bytes) throws IOException {
        JsonNode n = MAPPER.readTree(bytes);
        return new PendingDelivery(text(n, "subscription"), event(n.path("event")), n.path("attempts").asInt(),
                n.path("enqueued").asLong(), n.path("next").asLong(), n.path("dead").asBoolean(),
                n.path("lastError").asText(""));
    }

    static byte[] attempt(DeliveryAttempt a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("subscription", a.subscriptionId());
        n.put("event", a.eventId());
        n.put("type", a.eventType());
        n.put("attempt", a.attempt());
        n.put("status", a.statusCode());
        n.put("error", a.error());
        n.put("at", a.timestampMillis());
        n.put("outcome", a.outcome().name());
        return write(n);
    }

    static DeliveryAttempt attempt(byte[] bytes) throws IOException {
        JsonNode n = MAPPER.readTree(bytes);
        return new DeliveryAttempt(text(n, "subscription"), text(n, "event"), text(n, "type"),
                n.path("attempt").asInt(), n.path("status").asInt(), n.path("error").asText(""),
                n.path("at").asLong(), DeliveryOutcome.valueOf(text(n, "outcome")));
    }

    private static String text(JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IOException("stored webhook record lacks text field '" + field + "'");
        }
        return v.asText();
    }

    private static byte[] write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", e);
        }
    }
}
