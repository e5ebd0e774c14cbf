package io.pel.ledger.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.ledger.AccountId;
import io.pel.ledger.ChainId;
import io.pel.ledger.Keys;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MempoolTest {

    private static final ChainId CHAIN = ChainId.of("pel-test");
    private static final KeyPair ALICE = Keys.fromSeed(BlockTest.seed(1));
    private static final KeyPair BOB = Keys.fromSeed(BlockTest.seed(2));

    private static Mempool.Entry entry(KeyPair from, long nonce) {
        return new Mempool.Entry(SignedTransaction.sign(from, CHAIN, nonce,
                new Payload.Transfer(Keys.accountId(BOB), 1)), new CompletableFuture<>(), 0);
    }

    private static List<String> names(List<Mempool.Entry> entries) {
        return entries.stream().map(e -> (e.tx().sender().equals(Keys.accountId(ALICE)) ? "a" : "b")
                + e.tx().nonce()).toList();
    }

    @Test
    void takesSendersConsecutiveRunsInTurnsAndLeavesGaps() {
        Mempool pool = new Mempool(10);
        for (Mempool.Entry e : List.of(entry(ALICE, 2), entry(BOB, 0), entry(ALICE, 0), entry(ALICE, 1),
                entry(ALICE, 4), entry(BOB, 1))) {
            pool.add(e);
        }
        Map<AccountId, Long> next = Map.of(Keys.accountId(ALICE), 0L, Keys.accountId(BOB), 0L);
        assertThat(pool.readyCount(100, next::get)).isEqualTo(5);
        assertThat(pool.readyCount(3, next::get)).isEqualTo(3);
        List<Mempool.Entry> taken = pool.takeReady(4, next::get);
        // One from each sender in turn, each in nonce order: a sender's transactions stand apart in the block.
        assertThat(names(taken)).containsExactly("a0", "b0", "a1", "b1");
        // In flight still counts, and still holds its nonce.
        assertThat(pool.size()).isEqualTo(6);
        assertThat(pool.holdsNonce(Keys.accountId(ALICE), 0)).isTrue();
        pool.finished(taken);
        assertThat(pool.size()).isEqualTo(2);
        assertThat(pool.holdsNonce(Keys.accountId(ALICE), 0)).isFalse();
        Map<AccountId, Long> after = Map.of(Keys.accountId(ALICE), 2L, Keys.accountId(BOB), 2L);
        assertThat(names(pool.takeReady(10, after::get))).containsExactly("a2");
        assertThat(pool.readyCount(10, after::get)).isZero();
        assertThat(pool.drain()).hasSize(2);
        assertThat(pool.size()).isZero();
    }

    @Test
    void isFullAtCapacity() {
        Mempool pool = new Mempool(2);
        pool.add(entry(ALICE, 0));
        assertThat(pool.isFull()).isFalse();
        pool.add(entry(ALICE, 1));
        assertThat(pool.isFull()).isTrue();
    }
}
