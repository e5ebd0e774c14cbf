package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class ChainTableTest {

    /** A key whose hash collides with every other, to force probing and the overflow map. */
    private record Colliding(int id) {
        @Override
        public int hashCode() {
            return 7;
        }
    }

    @Test
    void findsWhatWasInsertedAndNothingElse() {
        ChainTable table = new ChainTable(100);
        for (int k = 0; k < 1_000; k++) { // ten times what it was sized for: overflow takes the rest
            VersionChain c = table.getOrCreate(k);
            assertThat(c.key).isEqualTo(k);
            assertThat(table.getOrCreate(k)).isSameAs(c);
        }
        for (int k = 0; k < 1_000; k++) {
            assertThat(table.get(k)).as("key %d", k).isNotNull();
            assertThat(table.get(k).key).isEqualTo(k);
        }
        assertThat(table.get(1_000)).isNull();
        assertThat(table.get(-1)).isNull();
        assertThat(table.size()).isEqualTo(1_000);
    }

    @Test
    void collidingKeysProbeThenOverflow() {
        ChainTable table = new ChainTable(64);
        for (int k = 0; k < 100; k++) {
            table.getOrCreate(new Colliding(k));
        }
        for (int k = 0; k < 100; k++) {
            assertThat(table.get(new Colliding(k)).key).isEqualTo(new Colliding(k));
        }
        assertThat(table.get(new Colliding(100))).isNull();
        assertThat(table.size()).isEqualTo(100);
    }

    @Test
    void racingInsertsOfTheSameKeysYieldOneChainPerKey() throws Exception {
        for (int round = 0; round < 200; round++) {
            ChainTable table = new ChainTable(32);
            CyclicBarrier start = new CyclicBarrier(2);
            List<List<VersionChain>> seen = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                List<VersionChain> mine = new ArrayList<>();
                seen.add(mine);
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int k = 0; k < 200; k++) { // overflows a 64-slot table too
                        mine.add(table.getOrCreate(k % 3 == 0 ? new Colliding(k) : (Object) k));
                    }
                });
                threads.add(thread);
                thread.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            for (int k = 0; k < 200; k++) {
                assertThat(seen.get(0).get(k)).as("round %d key %d", round, k).isSameAs(seen.get(1).get(k));
            }
            IdentityHashMap<VersionChain, Boolean> distinct = new IdentityHashMap<>();
            table.forEach(c -> distinct.put(c, true));
            assertThat(distinct).hasSize(200);
        }
    }
}
