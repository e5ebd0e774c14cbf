package io.pel.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.core.Outcome;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.node.Block;
import io.pel.ledger.node.BlockListener;
import io.pel.ledger.node.CommittedBlock;
import io.pel.ledger.node.TxResult;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node-facing side: a {@link BlockListener} fed committed blocks, then the same blocks again on restart. */
class WebhooksListenerTest {

    private static final WebhookConfig NEVER_DUE = WebhookConfig.defaults()
            .withBackoff(Duration.ofHours(1), Duration.ofHours(1));

    @TempDir
    Path dir;

    /** What the referral program would do: one event per successful transaction. */
    private static List<WebhookEvent> events(CommittedBlock b) {
        List<WebhookEvent> events = new ArrayList<>();
        for (int i = 0; i < b.block().transactions().size(); i++) {
            if (b.outcomes().get(i).succeeded()) {
                SignedTransaction tx = b.block().transactions().get(i);
                events.add(WebhookEvent.of(tx.hash(), 0, WebhookEvent.PARTICIPANT_JOINED, "c1", b.height(),
                        b.block().header().timestampMillis(), Map.of("participant", tx.sender().toHex())));
            }
        }
        return events;
    }

    private static List<CommittedBlock> chain(int blocks) {
        KeyPair keys = Keys.fromSeed(new byte[32]);
        List<CommittedBlock> chain = new ArrayList<>();
        Hash parent = Hash.ZERO;
        for (int h = 0; h < blocks; h++) {
            SignedTransaction ok = SignedTransaction.sign(keys, ChainId.of("t"), 2L * h,
                    new Payload.Transfer(Keys.accountId(keys), 1));
            SignedTransaction failed = SignedTransaction.sign(keys, ChainId.of("t"), 2L * h + 1,
                    new Payload.Transfer(Keys.accountId(keys), 2));
            Block block = Block.of(h, parent, 1_000L * h, List.of(ok, failed), Hash.ZERO);
            chain.add(new CommittedBlock(block, List.of(new Outcome.Success<>(new TxResult(2L * h)),
                    new Outcome.Failure<>("x", "INSUFFICIENT_FUNDS: no")), Optional.empty(), List.of()));
            parent = block.hash();
        }
        return chain;
    }

    @Test
    void replayingCommittedBlocksAfterARestartEnqueuesEachEventOnce() throws Exception {
        List<CommittedBlock> chain = chain(4);
        String subId;
        try (Webhooks webhooks = Webhooks.open(dir, NEVER_DUE)) {
            subId = webhooks.subscribe("c1", Set.of(), TestReceiver.url(TestReceiver.freePort())).id();
            BlockListener listener = webhooks.listener(WebhooksListenerTest::events);
            chain.subList(0, 3).forEach(listener::committed);
            assertThat(webhooks.lastPublishedHeight()).isEqualTo(2);
        }
        try (Webhooks webhooks = Webhooks.open(dir, NEVER_DUE)) {
            BlockListener listener = webhooks.listener(WebhooksListenerTest::events);
            // A node replays from some height at or below the watermark: only block 3 is new.
            chain.subList(1, 4).forEach(listener::committed);
            assertThat(webhooks.lastPublishedHeight()).isEqualTo(3);
            assertThat(webhooks.stats().pending()).isEqualTo(4);
            assertThat(webhooks.pending(subId, 10)).extracting(p -> p.event().height())
                    .containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
        }
    }
}
