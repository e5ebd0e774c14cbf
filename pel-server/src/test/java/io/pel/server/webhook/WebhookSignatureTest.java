package io.pel.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final String SECRET = "a".repeat(64);
    private static final byte[] BODY = "{\"id\":\"x:0\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void aSignatureVerifiesWithItsSecretOnly() {
        String header = WebhookSignature.sign(SECRET, NOW.getEpochSecond(), BODY);
        assertThat(header).matches("t=1800000000,v1=[0-9a-f]{64}");
        assertThat(WebhookSignature.verify(SECRET, header, BODY, FIVE_MINUTES, NOW)).isTrue();
        assertThat(WebhookSignature.verify("b".repeat(64), header, BODY, FIVE_MINUTES, NOW)).isFalse();
    }

    @Test
    void aChangedBodyOrTimestampFails() {
        String header = WebhookSignature.sign(SECRET, NOW.getEpochSecond(), BODY);
        byte[] changed = BODY.clone();
        changed[2] ^= 1;
        assertThat(WebhookSignature.verify(SECRET, header, changed, FIVE_MINUTES, NOW)).isFalse();
        String moved = header.replace("t=1800000000", "t=1800000001");
        assertThat(WebhookSignature.verify(SECRET, moved, BODY, FIVE_MINUTES, NOW)).isFalse();
    }

    @Test
    void anOldSignatureIsRefusedOutsideTheTolerance() {
        String header = WebhookSignature.sign(SECRET, NOW.getEpochSecond() - 301, BODY);
        assertThat(WebhookSignature.verify(SECRET, header, BODY, FIVE_MINUTES, NOW)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, header, BODY, Duration.ofMinutes(6), NOW)).isTrue();
    }

    @Test
    void anyOfSeveralSignaturesMaySign() {
        String good = WebhookSignature.sign(SECRET, NOW.getEpochSecond(), BODY);
        String other = WebhookSignature.sign("c".repeat(64), NOW.getEpochSecond(), BODY);
        String both = other + "," + good.substring(good.indexOf("v1="));
        assertThat(WebhookSignature.verify(SECRET, both, BODY, FIVE_MINUTES, NOW)).isTrue();
    }

    @Test
    void malformedHeadersAreFalseNotExceptions() {
        for (String header : new String[] {null, "", "t=", "v1=00", "t=abc,v1=00", "t=1800000000",
                "t=1800000000,v1=zz", "t=1800000000,t=1800000000,v1=00", "garbage", "x".repeat(5000)}) {
            assertThat(WebhookSignature.verify(SECRET, header, BODY, FIVE_MINUTES, NOW)).as(header).isFalse();
        }
        assertThat(WebhookSignature.verify("", "t=1800000000,v1=00", BODY, FIVE_MINUTES, NOW)).isFalse();
    }
}
