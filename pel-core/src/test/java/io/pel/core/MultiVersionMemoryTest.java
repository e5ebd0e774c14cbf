package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiVersionMemoryTest {

    private final MultiVersionMemory<String, Long> memory =
            new MultiVersionMemory<>(10, BaseState.of(Map.of("a", 1L, "c", 40L)), CounterCodec.longs());
    private final Resolution r = new Resolution();

    private static WriteBuffer<String, Long> writes(Object... keyValues) {
        WriteBuffer<String, Long> w = new WriteBuffer<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            if (v == null) {
                w.put((String) keyValues[i], WriteBuffer.DELETE, null, 0);
            } else if (v instanceof Integer delta) {
                w.put((String) keyValues[i], WriteBuffer.DELTA, null, delta);
            } else {
                w.put((String) keyValues[i], WriteBuffer.VALUE, (Long) v, 0);
            }
        }
        return w;
    }

    /** Records that {@code tx} read {@code key} as a transaction would, through a view. */
    private ReadSet readsOf(int tx, String... keys) {
        TxView<String, Long> view = new TxView<>(memory);
        ReadSet reads = new ReadSet();
        view.start(tx, reads);
        for (String key : keys) {
            view.read(key);
        }
        return reads;
    }

    @Test
    void recordReportsWhetherAKeyIsNewComparedToThePreviousIncarnation() {
        assertThat(memory.record(1, 0, writes("a", 5L), true, new ReadSet())).isTrue();
        assertThat(memory.record(1, 1, writes("a", 6L), true, new ReadSet())).isFalse();
        assertThat(memory.record(1, 2, writes("a", 6L, "b", 1L), true, new ReadSet())).isTrue();
        // Dropping a key is not a new path, and its entry disappears.
        assertThat(memory.record(1, 3, writes("b", 2L), true, new ReadSet())).isFalse();
        assertThat(memory.chain("a").resolve(5, r)).isEqualTo(Resolution.BASE);
    }

    @Test
    void aWriteThatTurnsBetweenValueAndDeltaCountsAsANewKey() {
        MultiVersionMemory<String, Long> lanes =
                new MultiVersionMemory<>(10, 16, 2, BaseState.of(Map.of("c", 40L)), CounterCodec.longs());
        assertThat(lanes.record(1, 0, 1, writes("c", 5L), true, new ReadSet())).isTrue();
        lanes.convertWritesToEstimates(1);
        // Now a delta, recorded by the other worker: it goes to the lane of the first, and the value is gone.
        // Readers may have seen the key in neither place meanwhile, so later transactions must be validated.
        assertThat(lanes.record(1, 1, 0, writes("c", 3), true, new ReadSet())).isTrue();
        assertThat(lanes.chain("c").resolve(5, r)).isEqualTo(Resolution.DELTAS_ON_BASE);
        assertThat(r.counter).isEqualTo(3);
        lanes.convertWritesToEstimates(1);
        assertThat(lanes.chain("c").resolve(5, r)).isEqualTo(Resolution.BLOCKED);
        assertThat(lanes.record(1, 2, 0, writes("c", 4), true, new ReadSet())).as("a delta again").isFalse();
        lanes.convertWritesToEstimates(1);
        assertThat(lanes.record(1, 3, 1, writes("c", 9L), true, new ReadSet())).as("a value again").isTrue();
        assertThat(lanes.chain("c").resolve(5, r)).isEqualTo(Resolution.EXACT);
        assertThat(r.top.value).isEqualTo(9L);
    }

    @Test
    void aFailedTransactionRecordsReadsButNoWrites() {
        memory.record(0, 0, writes(), true, new ReadSet());
        memory.record(1, 0, writes(), true, new ReadSet());
        memory.record(2, 0, writes("a", 5L), true, new ReadSet());
        assertThat(memory.record(2, 1, writes("a", 6L), false, new ReadSet())).isFalse();
        assertThat(memory.chain("a").resolve(5, r)).isEqualTo(Resolution.BASE);
        assertThat(memory.finalWriteSet(3).size()).isZero();
    }

    @Test
    void anExactReadIsInvalidatedByAnyNewWriteEvenOfTheSameValue() {
        memory.record(0, 0, writes(), true, new ReadSet());
        memory.record(1, 0, writes("a", 5L), true, new ReadSet());
        memory.record(2, 0, writes(), true, readsOf(2, "a", "b"));
        assertThat(memory.validate(2, r)).isTrue();

        memory.record(1, 1, writes("a", 5L), true, new ReadSet());
        assertThat(memory.validate(2, r)).isFalse();
    }

    @Test
    void aBaseReadIsInvalidatedByAWriteBelowButNotAbove() {
        memory.record(5, 0, writes(), true, readsOf(5, "b"));
        memory.record(7, 0, writes("b", 1L), true, new ReadSet());
        assertThat(memory.validate(5, r)).isTrue();
        memory.record(3, 0, writes("b", 1L), true, new ReadSet());
        assertThat(memory.validate(5, r)).isFalse();
    }

    @Test
    void aCounterReadStaysValidWhenTheDeltasBelowItAddUpToTheSame() {
        memory.record(1, 0, writes("c", 5), true, new ReadSet());
        memory.record(2, 0, writes("c", 5), true, new ReadSet());
        TxView<String, Long> view = new TxView<>(memory);
        ReadSet reads = new ReadSet();
        view.start(3, reads);
        assertThat(view.readCounter("c")).isEqualTo(50);
        memory.record(3, 0, writes(), true, reads);

        // Re-executions that move the amounts around but keep the sum.
        memory.record(1, 1, writes("c", 7), true, new ReadSet());
        memory.record(2, 1, writes("c", 3), true, new ReadSet());
        assertThat(memory.validate(3, r)).isTrue();

        memory.record(2, 2, writes("c", 4), true, new ReadSet());
        assertThat(memory.validate(3, r)).isFalse();
    }

    @Test
    void estimatesBlockReadersAndFailValidation() {
        memory.record(1, 0, writes("a", 9L), true, new ReadSet());
        memory.record(2, 0, writes(), true, readsOf(2, "a"));
        memory.convertWritesToEstimates(1);
        assertThat(memory.validate(2, r)).isFalse();

        TxView<String, Long> view = new TxView<>(memory);
        view.start(2, new ReadSet());
        assertThatThrownBy(() -> view.read("a")).isSameAs(TxView.ReadBlocked.INSTANCE);
        assertThat(view.blockedOn()).isEqualTo(1);
        // A transaction that swallows the signal keeps being stopped.
        assertThatThrownBy(() -> view.read("zzz")).isSameAs(TxView.ReadBlocked.INSTANCE);
    }

    @Test
    void theFinalWriteSetMaterialisesCountersOverTheBase() {
        memory.record(0, 0, writes("c", 2), true, new ReadSet());
        memory.record(1, 0, writes("d", 3), true, new ReadSet());
        memory.record(2, 0, writes("a", null), true, new ReadSet());
        memory.record(3, 0, writes("c", 1), true, new ReadSet());
        for (int tx = 4; tx < 10; tx++) {
            memory.record(tx, 0, writes(), true, new ReadSet());
        }
        WriteSet<String, Long> ws = memory.finalWriteSet(10);
        assertThat(ws.value("c")).isEqualTo(43L);
        assertThat(ws.value("d")).isEqualTo(3L);
        assertThat(ws.isDeleted("a")).isTrue();
        assertThat(ws.size()).isEqualTo(3);
    }

    @Test
    void brokenInvariantsAreReportedNotIgnored() {
        assertThatThrownBy(() -> memory.convertWritesToEstimates(4)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> memory.validate(4, r)).isInstanceOf(IllegalStateException.class);
    }
}
