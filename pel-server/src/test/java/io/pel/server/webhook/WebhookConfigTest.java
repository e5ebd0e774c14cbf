package io.pel.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {

    @Test
    void backoffDoublesFromTheBaseUpToTheCapWithJitterInTheUpperHalf() {
        WebhookConfig c = WebhookConfig.defaults();
        assertThat(c.backoffMillis(1, 0.0)).isEqualTo(250);
        assertThat(c.backoffMillis(1, 0.9999)).isEqualTo(499);
        assertThat(c.backoffMillis(2, 0.0)).isEqualTo(500);
        assertThat(c.backoffMillis(3, 0.0)).isEqualTo(1000);
        assertThat(c.backoffMillis(8, 0.9999)).isLessThanOrEqualTo(60_000).isGreaterThan(30_000);
        assertThat(c.backoffMillis(1_000_000, 0.0)).isEqualTo(30_000);
        assertThat(c.backoffMillis(1_000_000, 0.9999)).isBetween(59_990L, 60_000L);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> WebhookConfig.defaults().withWorkers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookConfig.defaults().withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookConfig.defaults().withBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
