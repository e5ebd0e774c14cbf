package io.pel.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InOrderListenerTest {

    private static final ChainId CHAIN = ChainId.of("pel-test");
    private static final KeyPair ADMIN = Keys.fromSeed(BlockTest.seed(9));

    @TempDir
    Path dir;

    @Test
    void aDownstreamGetsEveryBlockOnceInOrderWhateverItMissed() throws Exception {
        NodeConfig config = NodeConfig.defaults(CHAIN).withAdmin(Keys.accountId(ADMIN)).withThreads(2)
                .withBlockMaxTxs(1).withBlockInterval(Duration.ofMillis(10));
        List<CommittedBlock> live = new ArrayList<>();
        try (Node node = Node.open(dir, config, Applications.none(), live::add)) {
            for (int i = 0; i < 4; i++) {
                Admission a = node.submit(SignedTransaction.sign(ADMIN, CHAIN, i,
                        new Payload.Mint(Keys.accountId(ADMIN), 1)).encode());
                ((Admission.Accepted) a).committed().get(20, TimeUnit.SECONDS);
            }
            List<Long> seen = new ArrayList<>();
            InOrderListener inOrder = new InOrderListener(() -> seen.size(), b -> seen.add(b.height()));
            inOrder.attach(node);
            // It missed blocks 0 and 1: block 2 arriving first replays them from the store.
            inOrder.committed(live.get(2));
            assertThat(seen).containsExactly(0L, 1L, 2L);
            inOrder.committed(live.get(1)); // already seen: ignored
            inOrder.catchUp();              // block 3 is on disk: fed once
            inOrder.committed(live.get(3));
            assertThat(seen).containsExactly(0L, 1L, 2L, 3L);
        }
    }
}
