package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionChainTest {

    private static Version value(int tx, int inc, long v) {
        return new Version(tx, inc, Version.VALUE, v, 0, false);
    }

    private static Version delta(int tx, long d) {
        return new Version(tx, 0, Version.DELTA, null, d, false);
    }

    private static Version deleted(int tx) {
        return new Version(tx, 0, Version.DELETED, null, 0, false);
    }

    @Test
    void readerSeesTheHighestWriteBelowItselfNeverItsOwnOrLater() {
        VersionChain chain = new VersionChain("k");
        Version w2 = value(2, 0, 20);
        Version w5 = value(5, 0, 50);
        chain.put(w5);
        chain.put(w2);
        Resolution r = new Resolution();

        assertThat(chain.resolve(0, r)).isEqualTo(Resolution.BASE);
        assertThat(chain.resolve(2, r)).isEqualTo(Resolution.BASE);
        assertThat(chain.resolve(3, r)).isEqualTo(Resolution.EXACT);
        assertThat(r.top).isSameAs(w2);
        assertThat(chain.resolve(5, r)).isEqualTo(Resolution.EXACT);
        assertThat(r.top).isSameAs(w2);
        assertThat(chain.resolve(6, r)).isEqualTo(Resolution.EXACT);
        assertThat(r.top).isSameAs(w5);
    }

    @Test
    void aNewIncarnationReplacesTheEntryOfItsTransaction() {
        VersionChain chain = new VersionChain("k");
        chain.put(value(3, 0, 1));
        Version again = value(3, 1, 2);
        chain.put(again);
        Resolution r = new Resolution();
        assertThat(chain.size()).isEqualTo(1);
        assertThat(chain.resolve(4, r)).isEqualTo(Resolution.EXACT);
        assertThat(r.top).isSameAs(again);
    }

    @Test
    void removeAndEstimateReportWhetherAnEntryWasThere() {
        VersionChain chain = new VersionChain("k");
        chain.put(value(1, 0, 1));
        assertThat(chain.markEstimate(2)).isFalse();
        assertThat(chain.remove(2)).isFalse();
        assertThat(chain.markEstimate(1)).isTrue();
        Resolution r = new Resolution();
        assertThat(chain.resolve(9, r)).isEqualTo(Resolution.BLOCKED);
        assertThat(r.blockedOn).isEqualTo(1);
        assertThat(chain.remove(1)).isTrue();
        assertThat(chain.resolve(9, r)).isEqualTo(Resolution.BASE);
    }

    @Test
    void deltasAreSummedDownToTheFirstValueOrDeletionOrTheBase() {
        VersionChain chain = new VersionChain("k");
        chain.put(delta(1, 5));
        chain.put(value(2, 0, 100));
        chain.put(delta(3, 7));
        chain.put(delta(4, -2));
        chain.put(deleted(6));
        chain.put(delta(7, 3));
        Resolution r = new Resolution();

        assertThat(chain.resolve(2, r)).isEqualTo(Resolution.DELTAS_ON_BASE);
        assertThat(r.counter).isEqualTo(5);

        assertThat(chain.resolve(5, r)).isEqualTo(Resolution.DELTAS_ON_VALUE);
        assertThat(r.counter).isEqualTo(5);
        assertThat(r.bottom.txIndex).isEqualTo(2);
        assertThat(r.top.txIndex).isEqualTo(4);

        assertThat(chain.resolve(8, r)).isEqualTo(Resolution.DELTAS_ON_VALUE);
        assertThat(r.counter).isEqualTo(3);
        assertThat(r.bottom.kind).isEqualTo(Version.DELETED);
    }

    @Test
    void anEstimateAnywhereUnderTheDeltasBlocksTheReader() {
        VersionChain chain = new VersionChain("k");
        chain.put(value(1, 0, 100));
        chain.put(delta(2, 1));
        chain.put(delta(3, 1));
        chain.markEstimate(2);
        Resolution r = new Resolution();
        assertThat(chain.resolve(4, r)).isEqualTo(Resolution.BLOCKED);
        assertThat(r.blockedOn).isEqualTo(2);
        // A reader below the estimate is not affected.
        assertThat(chain.resolve(2, r)).isEqualTo(Resolution.EXACT);
    }

    @Test
    void deltaSumsWrapAroundLikeUnboundedAdds() {
        VersionChain chain = new VersionChain("k");
        chain.put(delta(0, Long.MAX_VALUE));
        chain.put(delta(1, 2));
        Resolution r = new Resolution();
        assertThat(chain.resolve(2, r)).isEqualTo(Resolution.DELTAS_ON_BASE);
        assertThat(r.counter).isEqualTo(Long.MIN_VALUE + 1);
    }

    @Test
    void aLongChainFindsEveryEntryWhereverItIs() {
        // Longer than the scan from the top, so both the scan and the binary search are exercised.
        VersionChain chain = new VersionChain("k");
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int tx = 0; tx < 300; tx += 3) {
            order.add(tx);
        }
        java.util.Collections.shuffle(order, new java.util.Random(5));
        for (int tx : order) {
            chain.put(value(tx, 0, tx));
        }
        Resolution r = new Resolution();
        for (int reader = 0; reader <= 300; reader++) {
            int expected = reader == 0 ? -1 : ((reader - 1) / 3) * 3;
            int kind = chain.resolve(reader, r);
            if (expected < 0) {
                assertThat(kind).isEqualTo(Resolution.BASE);
            } else {
                assertThat(r.top.txIndex).as("reader %d", reader).isEqualTo(expected);
            }
        }
        for (int tx = 0; tx < 300; tx += 3) {
            assertThat(chain.remove(tx)).as("remove %d", tx).isTrue();
            assertThat(chain.remove(tx)).isFalse();
        }
        assertThat(chain.size()).isZero();
    }

    @Test
    void manyWritersInAnyOrderStaySorted() {
        VersionChain chain = new VersionChain("k");
        int[] order = {50, 3, 77, 0, 12, 99, 41, 8, 63, 25};
        for (int tx : order) {
            chain.put(value(tx, 0, tx));
        }
        Resolution r = new Resolution();
        for (int reader = 0; reader <= 100; reader++) {
            int expected = -1;
            for (int tx : order) {
                if (tx < reader && tx > expected) {
                    expected = tx;
                }
            }
            int kind = chain.resolve(reader, r);
            if (expected < 0) {
                assertThat(kind).isEqualTo(Resolution.BASE);
            } else {
                assertThat(r.top.txIndex).as("reader %d", reader).isEqualTo(expected);
            }
        }
    }
}
