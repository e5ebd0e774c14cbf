package io.pel.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pel.ledger.Hash;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhooksTest {

    /** Fast back-off so retries happen within a test; a long request timeout so a slow machine never times out. */
    private static final WebhookConfig FAST = WebhookConfig.defaults()
            .withWorkers(2)
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private static WebhookEvent event(long height, int tx, int index, String type, String campaign) {
        Hash txHash = Hash.sha256(("tx-" + height + "-" + tx).getBytes(StandardCharsets.UTF_8));
        return WebhookEvent.of(txHash, index, type, campaign, height, 1_700_000_000_000L + height,
                Map.of("referrer", "ab12", "amount", 5 + index));
    }

    @Test
    void everyEventArrivesSignedThroughAReceiverThatFailsAtFirst() throws Exception {
        try (TestReceiver receiver = TestReceiver.start(3);
             Webhooks webhooks = Webhooks.open(dir, FAST)) {
            Subscription sub = webhooks.subscribe("c1", Set.of(), receiver.url());
            List<WebhookEvent> block1 = List.of(event(1, 0, 0, WebhookEvent.PARTICIPANT_JOINED, "c1"),
                    event(1, 0, 1, WebhookEvent.REFERRAL_CONVERTED, "c1"),
                    event(1, 1, 0, WebhookEvent.REWARD_FLAGGED, "c1"));
            List<WebhookEvent> block2 = List.of(event(2, 0, 0, WebhookEvent.MILESTONE_REACHED, "c1"),
                    event(2, 0, 1, WebhookEvent.BUDGET_EXHAUSTED, "c1"));
            assertThat(webhooks.publish(1, block1)).isEqualTo(3);
            assertThat(webhooks.publish(2, block2)).isEqualTo(2);

            Set<String> ids = new java.util.HashSet<>();
            block1.forEach(e -> ids.add(e.id()));
            block2.forEach(e -> ids.add(e.id()));
            Await.until("every event accepted", () -> receiver.accepted.containsAll(ids)
                    && webhooks.stats().pending() == 0, () -> webhooks.stats().toString());

            assertThat(receiver.accepted).isEqualTo(ids);
            // The first three answers were 500s after the receiver had read the request: those events came again.
            assertThat(receiver.requests).hasSize(5 + 3);
            ObjectMapper json = new ObjectMapper();
            Map<String, byte[]> bodyById = new HashMap<>();
            for (TestReceiver.Request r : receiver.requests) {
                String header = r.header(WebhookSignature.HEADER);
                assertThat(WebhookSignature.verify(sub.secret(), header, r.body(), Duration.ofMinutes(5)))
                        .as("signature of %s", r.header(Webhooks.EVENT_ID_HEADER)).isTrue();
                byte[] tampered = r.body().clone();
                tampered[tampered.length / 2] ^= 1;
                assertThat(WebhookSignature.verify(sub.secret(), header, tampered, Duration.ofMinutes(5))).isFalse();
                assertThat(WebhookSignature.verify("0".repeat(64), header, r.body(), Duration.ofMinutes(5)))
                        .isFalse();

                JsonNode body = json.readTree(r.body());
                String id = r.header(Webhooks.EVENT_ID_HEADER);
                assertThat(body.get("id").asText()).isEqualTo(id);
                assertThat(body.get("type").asText()).isEqualTo(r.header(Webhooks.EVENT_TYPE_HEADER));
                assertThat(body.get("campaign").asText()).isEqualTo("c1");
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
                byte[] earlier = bodyById.putIfAbsent(id, r.body());
                if (earlier != null) {
                    // A duplicate: same id, same body, a later attempt number.
                    assertThat(r.body()).isEqualTo(earlier);
                }
            }
            Map<String, List<Integer>> attemptsById = receiver.requests.stream().collect(Collectors.groupingBy(
                    r -> r.header(Webhooks.EVENT_ID_HEADER),
                    Collectors.mapping(r -> Integer.parseInt(r.header(Webhooks.ATTEMPT_HEADER)), Collectors.toList())));
            long duplicated = attemptsById.values().stream().filter(a -> a.size() > 1).count();
            assertThat(duplicated).isPositive();
            attemptsById.values().forEach(a -> assertThat(a).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, a.size()).boxed().toList()));

            WebhookStats stats = webhooks.stats();
            assertThat(stats.delivered()).isEqualTo(5);
            assertThat(stats.failedAttempts()).isEqualTo(3);
            assertThat(stats.lastPublishedHeight()).isEqualTo(2);
            List<DeliveryAttempt> log = webhooks.deliveries(sub.id(), 100);
            assertThat(log).hasSize(8);
            assertThat(log.stream().filter(a -> a.outcome() == DeliveryOutcome.DELIVERED).map(DeliveryAttempt::eventId)
                    .collect(Collectors.toSet())).isEqualTo(ids);
            assertThat(log.stream().filter(a -> a.outcome() == DeliveryOutcome.RETRYING))
                    .hasSize(3).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(500));
        }
    }

    @Test
    void aReceiverThatIsDownGetsEverythingWhenItComesUp() throws Exception {
        int port = TestReceiver.freePort();
        try (Webhooks webhooks = Webhooks.open(dir, FAST)) {
            Subscription sub = webhooks.subscribe("c1", Set.of(), TestReceiver.url(port));
            List<WebhookEvent> events = List.of(event(7, 0, 0, WebhookEvent.REWARD_APPROVED, "c1"),
                    event(7, 1, 0, WebhookEvent.REWARD_CLAWED_BACK, "c1"));
            webhooks.publish(7, events);
            Await.until("two refused attempts", () -> webhooks.stats().failedAttempts() >= 2);
            assertThat(webhooks.deliveries(sub.id(), 10)).allSatisfy(a -> {
                assertThat(a.statusCode()).isZero();
                assertThat(a.error()).isNotEmpty();
                assertThat(a.outcome()).isEqualTo(DeliveryOutcome.RETRYING);
            });
            assertThat(webhooks.stats().pending()).isEqualTo(2);

            try (TestReceiver receiver = TestReceiver.startOn(port, 0)) {
                Await.until("delivery after the receiver came up", () -> webhooks.stats().pending() == 0);
                assertThat(receiver.accepted).containsExactlyInAnyOrder(events.get(0).id(), events.get(1).id());
                assertThat(receiver.requests).allSatisfy(r -> assertThat(WebhookSignature.verify(sub.secret(),
                        r.header(WebhookSignature.HEADER), r.body(), Duration.ofMinutes(5))).isTrue());
            }
        }
    }

    @Test
    void pendingDeliveriesSurviveAClose() throws Exception {
        int port = TestReceiver.freePort();
        String subId;
        List<WebhookEvent> events = List.of(event(3, 0, 0, WebhookEvent.PARTICIPANT_JOINED, "c1"),
                event(3, 0, 1, WebhookEvent.REFERRAL_CONVERTED, "c1"),
                event(4, 0, 0, WebhookEvent.MILESTONE_REACHED, "c1"));
        try (Webhooks webhooks = Webhooks.open(dir, FAST)) {
            subId = webhooks.subscribe("c1", Set.of(), TestReceiver.url(port)).id();
            webhooks.publish(3, events.subList(0, 2));
            webhooks.publish(4, events.subList(2, 3));
        }
        try (Webhooks webhooks = Webhooks.open(dir, FAST)) {
            assertThat(webhooks.lastPublishedHeight()).isEqualTo(4);
            assertThat(webhooks.stats().pending()).isEqualTo(3);
            assertThat(webhooks.pending(subId, 10)).extracting(p -> p.event().id())
                    .containsExactlyInAnyOrderElementsOf(events.stream().map(WebhookEvent::id).toList());
            assertThat(webhooks.pending(subId, 10).getFirst().event().data()).isEqualTo(events.getFirst().data());
            Subscription sub = webhooks.subscription(subId).orElseThrow();
            try (TestReceiver receiver = TestReceiver.startOn(port, 0)) {
                Await.until("delivery after reopening", () -> webhooks.stats().pending() == 0);
                assertThat(receiver.accepted).containsExactlyInAnyOrderElementsOf(
                        events.stream().map(WebhookEvent::id).toList());
                assertThat(receiver.requests).allSatisfy(r -> assertThat(WebhookSignature.verify(sub.secret(),
                        r.header(WebhookSignature.HEADER), r.body(), Duration.ofMinutes(5))).isTrue());
            }
        }
    }

    @Test
    void republishingAnOldHeightEnqueuesNothing() throws Exception {
        int port = TestReceiver.freePort();
        try (Webhooks webhooks = Webhooks.open(dir, FAST.withBackoff(Duration.ofHours(1), Duration.ofHours(1)))) {
            assertThat(webhooks.lastPublishedHeight()).isEqualTo(-1);
            Subscription sub = webhooks.subscribe("*", Set.of(), TestReceiver.url(port));
            List<WebhookEvent> block5 = List.of(event(5, 0, 0, WebhookEvent.REWARD_APPROVED, "c1"));
            assertThat(webhooks.publish(5, block5)).isEqualTo(1);
            assertThat(webhooks.publish(5, block5)).isZero();
            assertThat(webhooks.publish(4, List.of(event(4, 0, 0, WebhookEvent.REWARD_APPROVED, "c1")))).isZero();
            assertThat(webhooks.publish(6, List.of())).isZero();
            assertThat(webhooks.lastPublishedHeight()).isEqualTo(6);
            assertThat(webhooks.stats().pending()).isEqualTo(1);
            assertThat(webhooks.pending(sub.id(), 10)).singleElement()
                    .satisfies(p -> assertThat(p.event().id()).isEqualTo(block5.getFirst().id()));
        }
        try (Webhooks webhooks = Webhooks.open(dir, FAST)) {
            assertThat(webhooks.publish(6, List.of(event(6, 0, 0, WebhookEvent.REWARD_APPROVED, "c1")))).isZero();
            assertThat(webhooks.stats().pending()).isEqualTo(1);
        }
    }

    @Test
    void subscriptionsFilterByCampaignAndType() throws Exception {
        int port = TestReceiver.freePort();
        try (Webhooks webhooks = Webhooks.open(dir, FAST.withBackoff(Duration.ofHours(1), Duration.ofHours(1)))) {
            URI url = TestReceiver.url(port);
            Subscription allOfC1 = webhooks.subscribe("c1", Set.of(), url);
            Subscription approvedAnywhere = webhooks.subscribe("*", Set.of(WebhookEvent.REWARD_APPROVED), url);
            Subscription joinedInC2 = webhooks.subscribe("c2", Set.of(WebhookEvent.PARTICIPANT_JOINED), url);
            WebhookEvent c1Joined = event(1, 0, 0, WebhookEvent.PARTICIPANT_JOINED, "c1");
            WebhookEvent c1Approved = event(1, 0, 1, WebhookEvent.REWARD_APPROVED, "c1");
            WebhookEvent c2Approved = event(1, 1, 0, WebhookEvent.REWARD_APPROVED, "c2");
            WebhookEvent c2Joined = event(1, 1, 1, WebhookEvent.PARTICIPANT_JOINED, "c2");
            WebhookEvent c3Flagged = event(1, 2, 0, WebhookEvent.REWARD_FLAGGED, "c3");
            assertThat(webhooks.publish(1, List.of(c1Joined, c1Approved, c2Approved, c2Joined, c3Flagged)))
                    .isEqualTo(5);
            assertThat(pendingIds(webhooks, allOfC1)).containsExactlyInAnyOrder(c1Joined.id(), c1Approved.id());
            assertThat(pendingIds(webhooks, approvedAnywhere))
                    .containsExactlyInAnyOrder(c1Approved.id(), c2Approved.id());
            assertThat(pendingIds(webhooks, joinedInC2)).containsExactly(c2Joined.id());
        }
    }

    private static List<String> pendingIds(Webhooks webhooks, Subscription s) throws WebhookException {
        return webhooks.pending(s.id(), 100).stream().map(p -> p.event().id()).toList();
    }

    @Test
    void aDeadDeliveryIsKeptAndCanBeRetried() throws Exception {
        int port = TestReceiver.freePort();
        WebhookConfig dieAtOnce = FAST.withDeadAfter(Duration.ZERO)
                .withBackoff(Duration.ofMillis(20), Duration.ofHours(1));
        try (Webhooks webhooks = Webhooks.open(dir, dieAtOnce)) {
            Subscription sub = webhooks.subscribe("c1", Set.of(), TestReceiver.url(port));
            WebhookEvent e = event(1, 0, 0, WebhookEvent.REWARD_FLAGGED, "c1");
            webhooks.publish(1, List.of(e));
            Await.until("a failed attempt", () -> webhooks.stats().failedAttempts() >= 1);
            assertThat(webhooks.deliveries(sub.id(), 10)).first()
                    .satisfies(a -> assertThat(a.outcome()).isEqualTo(DeliveryOutcome.DEAD));
            assertThat(webhooks.pending(sub.id(), 10)).singleElement().satisfies(p -> {
                assertThat(p.dead()).isTrue();
                assertThat(p.attempts()).isEqualTo(1);
                assertThat(p.lastError()).isNotEmpty();
            });
            try (TestReceiver receiver = TestReceiver.startOn(port, 0)) {
                assertThat(webhooks.retryNow(sub.id())).isEqualTo(1);
                Await.until("the retried delivery", () -> webhooks.stats().pending() == 0);
                assertThat(receiver.accepted).containsExactly(e.id());
                assertThat(receiver.requests.getLast().header(Webhooks.ATTEMPT_HEADER)).isEqualTo("2");
            }
        }
    }

    @Test
    void theLogKeepsTheNewestAttempts() throws Exception {
        try (TestReceiver receiver = TestReceiver.start(5);
             Webhooks webhooks = Webhooks.open(dir, FAST.withLogPerSubscription(3))) {
            Subscription sub = webhooks.subscribe("c1", Set.of(), receiver.url());
            webhooks.publish(1, List.of(event(1, 0, 0, WebhookEvent.REWARD_APPROVED, "c1")));
            Await.until("delivery", () -> webhooks.stats().pending() == 0);
            List<DeliveryAttempt> log = webhooks.deliveries(sub.id(), 100);
            assertThat(log).extracting(DeliveryAttempt::attempt).containsExactly(6, 5, 4);
            assertThat(log.getFirst().outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
            assertThat(webhooks.deliveries(sub.id(), 1)).hasSize(1);
        }
        try (Webhooks webhooks = Webhooks.open(dir, FAST.withLogPerSubscription(3))) {
            Subscription sub = webhooks.subscriptions().getFirst();
            assertThat(webhooks.deliveries(sub.id(), 100)).extracting(DeliveryAttempt::attempt)
                    .containsExactly(6, 5, 4);
            assertThat(webhooks.stats().delivered()).isEqualTo(1);
            assertThat(webhooks.stats().failedAttempts()).isEqualTo(5);
        }
    }

    @Test
    void unsubscribingDropsItsPendingDeliveries() throws Exception {
        int port = TestReceiver.freePort();
        try (Webhooks webhooks = Webhooks.open(dir, FAST.withBackoff(Duration.ofHours(1), Duration.ofHours(1)))) {
            Subscription gone = webhooks.subscribe("c1", Set.of(), TestReceiver.url(port));
            Subscription kept = webhooks.subscribe("c1", Set.of(), TestReceiver.url(port));
            webhooks.publish(1, List.of(event(1, 0, 0, WebhookEvent.REWARD_APPROVED, "c1")));
            assertThat(webhooks.stats().pending()).isEqualTo(2);
            assertThat(webhooks.unsubscribe(gone.id())).isTrue();
            assertThat(webhooks.unsubscribe(gone.id())).isFalse();
            assertThat(webhooks.stats().pending()).isEqualTo(1);
            assertThat(webhooks.subscriptions()).containsExactly(kept);
            assertThatThrownBy(() -> webhooks.deliveries(gone.id(), 10)).isInstanceOfSatisfying(
                    WebhookException.class, e -> assertThat(e.error()).isEqualTo(WebhookError.UNKNOWN_SUBSCRIPTION));
        }
        try (Webhooks webhooks = Webhooks.open(dir, FAST.withBackoff(Duration.ofHours(1), Duration.ofHours(1)))) {
            assertThat(webhooks.subscriptions()).hasSize(1);
            assertThat(webhooks.stats().pending()).isEqualTo(1);
        }
    }

    @Test
    void badSubscriptionsAreRefusedWithStableCodes() throws Exception {
        try (Webhooks webhooks = Webhooks.open(dir, FAST.withMaxSubscriptions(1))) {
            URI ok = URI.create("https://example.com/hook");
            assertRefused(() -> webhooks.subscribe("c1", Set.of(), URI.create("ftp://example.com/x")),
                    WebhookError.INVALID_URL);
            assertRefused(() -> webhooks.subscribe("c1", Set.of(), URI.create("/relative")), WebhookError.INVALID_URL);
            assertRefused(() -> webhooks.subscribe("c1", Set.of(), URI.create("http://user:pw@example.com/")),
                    WebhookError.INVALID_URL);
            assertRefused(() -> webhooks.subscribe("c1", Set.of("Reward.Approved"), ok),
                    WebhookError.INVALID_EVENT_TYPE);
            assertRefused(() -> webhooks.subscribe("c 1", Set.of(), ok), WebhookError.INVALID_CAMPAIGN);
            Subscription s = webhooks.subscribe("c1", Set.of(WebhookEvent.REWARD_APPROVED), ok);
            assertThat(s.secret()).matches("[0-9a-f]{64}");
            assertThat(s.toString()).doesNotContain(s.secret());
            assertRefused(() -> webhooks.subscribe("c1", Set.of(), ok), WebhookError.TOO_MANY_SUBSCRIPTIONS);
            assertThatThrownBy(() -> webhooks.publish(2, List.of(event(1, 0, 0, "x", "c1"))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void secretsDiffer() throws Exception {
        try (Webhooks webhooks = Webhooks.open(dir, FAST)) {
            URI ok = URI.create("https://example.com/hook");
            Subscription a = webhooks.subscribe("c1", Set.of(), ok);
            Subscription b = webhooks.subscribe("c1", Set.of(), ok);
            assertThat(a.secret()).isNotEqualTo(b.secret());
            assertThat(a.id()).isNotEqualTo(b.id());
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertRefused(Call call, WebhookError expected) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(WebhookException.class,
                e -> assertThat(e.error()).isEqualTo(expected));
    }
}
