package io.pel.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pel.ledger.Hash;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookEventTest {

    private static final Hash TX = Hash.sha256(new byte[] {1, 2, 3});

    @Test
    void theIdIsTheTransactionHashAndIndex() {
        WebhookEvent e = WebhookEvent.of(TX, 2, WebhookEvent.REWARD_APPROVED, "c1", 9, 1000, Map.of());
        assertThat(e.id()).isEqualTo(TX.toHex() + ":2");
        assertThat(WebhookEvent.of(TX, 2, WebhookEvent.REWARD_APPROVED, "c1", 9, 1000, Map.of()).id())
                .isEqualTo(e.id());
    }

    @Test
    void typesAndCampaignsAreValidated() {
        assertThat(WebhookEvent.validType("reward.clawed_back")).isTrue();
        assertThat(WebhookEvent.validType("Reward")).isFalse();
        assertThat(WebhookEvent.validType("")).isFalse();
        assertThat(WebhookEvent.validType("a-b")).isFalse();
        assertThatThrownBy(() -> WebhookEvent.of(TX, 0, "bad type", "c1", 0, 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookEvent.of(TX, 0, "x", "c\n1", 0, 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookEvent.of(TX, -1, "x", "c1", 0, 0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dataIsCopiedFrozenAndNormalized() {
        Map<String, Object> data = new HashMap<>();
        data.put("amount", 5);
        data.put("tiers", List.of(1, 2L));
        data.put("nested", Map.of("ok", true));
        WebhookEvent e = WebhookEvent.of(TX, 0, "x", "c1", 0, 0, data);
        data.put("amount", 6);
        assertThat(e.data()).containsEntry("amount", 5L).containsEntry("tiers", List.of(1L, 2L));
        assertThatThrownBy(() -> e.data().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(e.data().keySet()).containsExactly("amount", "nested", "tiers");
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("x", null);
        assertThatThrownBy(() -> WebhookEvent.of(TX, 0, "x", "c1", 0, 0, withNull))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookEvent.of(TX, 0, "x", "c1", 0, 0, Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookEvent.of(TX, 0, "x", "c1", 0, 0, Map.of("x", BigDecimal.ONE)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBodyHasTheDocumentedFieldsAndRoundTrips() throws Exception {
        WebhookEvent e = WebhookEvent.of(TX, 1, WebhookEvent.MILESTONE_REACHED, "c1", 12, 1_700_000_000_123L,
                Map.of("tier", "gold", "count", 10, "ratio", 0.5));
        byte[] body = WebhookJson.body(e);
        JsonNode n = new ObjectMapper().readTree(body);
        assertThat(n.properties()).extracting(Map.Entry::getKey)
                .containsExactly("id", "type", "campaign", "height", "txHash", "timestamp", "data");
        assertThat(n.get("txHash").asText()).isEqualTo(TX.toHex());
        assertThat(n.get("timestamp").asLong()).isEqualTo(1_700_000_000_123L);
        assertThat(WebhookJson.event(n)).isEqualTo(e);
        assertThat(WebhookJson.body(WebhookJson.event(n))).isEqualTo(body);
    }
}
