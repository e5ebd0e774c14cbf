package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    /**
     * Readers take no lock; whatever they race with, each read must show a state the chain really had. The
     * writer moves between two states through every step in between: A = deltas of 1 at transactions 1, 3, 5,
     * 7; B = A plus deltas of 10 at 2, 4, 6 (inserted in the middle, so entries shift and the array grows,
     * then removed again), and it marks 3 as an estimate and restores it now and then. A torn read (an entry
     * seen twice during a shift, one missed, an array and size from different moments) sums to something else.
     */
    @Test
    // A lost unlock hangs the test: the timeout turns that into a failure.
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lockFreeReadersRacingAWriterOnlyEverSeeStatesTheChainHad() throws Exception {
        VersionChain chain = new VersionChain("k");
        for (int tx : new int[] {1, 3, 5, 7}) {
            chain.put(delta(tx, 1));
        }
        java.util.Set<Long> valid = java.util.Set.of(4L, 14L, 24L, 34L);
        int[] round = {0};
        raceReadersAgainstWriter(chain, 1_000, (kind, r) -> {
            if (kind == Resolution.BLOCKED) {
                return r.blockedOn == 3 ? null : "blocked on " + r.blockedOn;
            }
            return kind == Resolution.DELTAS_ON_BASE && valid.contains(r.counter) ? null
                    : "kind " + kind + " counter " + r.counter;
        }, () -> {
            for (int tx : new int[] {4, 2, 6}) {
                chain.put(delta(tx, 10));
            }
            if (round[0]++ % 4 == 0) {
                chain.markEstimate(3);
                chain.put(delta(3, 1)); // the same write again: the original comes back
            }
            for (int tx : new int[] {2, 6, 4}) {
                chain.remove(tx);
            }
        });
    }

    /**
     * Two lock-free readers resolve a reader at index 100 over and over, and {@code check} says what is wrong
     * with each read (null: a state the chain really had), while this thread repeats {@code writerRound} for
     * {@code millis}. No read may be wrong, and both sides must have done enough rounds to race.
     */
    private static void raceReadersAgainstWriter(VersionChain chain, long millis,
                                                 java.util.function.BiFunction<Integer, Resolution, String> check,
                                                 Runnable writerRound) throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        java.util.List<String> wrong = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Runnable reader = () -> {
            Resolution r = new Resolution();
            while (!stop.get() && wrong.isEmpty()) {
                int kind = chain.resolve(100, r);
                reads.incrementAndGet();
                String seen = check.apply(kind, r);
                if (seen != null) {
                    wrong.add(seen);
                }
            }
        };
        Thread[] readers = {new Thread(reader), new Thread(reader)};
        for (Thread t : readers) {
            t.setDaemon(true);
            t.start();
        }
        long deadline = System.nanoTime() + millis * 1_000_000L;
        int rounds = 0;
        while (System.nanoTime() < deadline && wrong.isEmpty()) {
            writerRound.run();
            rounds++;
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(wrong).isEmpty();
        assertThat(reads.get()).isGreaterThan(1_000);
        assertThat(rounds).isGreaterThan(100);
    }

    /**
     * Writers take turns through the sequence number alone (no monitor). Two threads put and remove entries of
     * one chain at once, each its own transactions, in shuffled order; a change made while the other held the
     * chain (an insert shifting entries under a removal, two appends to the same slot) loses or duplicates an
     * entry, which the final walk over every reader finds.
     */
    @Test
    // A lost unlock hangs the test: the timeout turns that into a failure.
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void writersRacingOnOneChainLoseNoChange() throws Exception {
        for (int round = 0; round < 50; round++) {
            VersionChain chain = new VersionChain("k");
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            Thread[] writers = new Thread[2];
            for (int w = 0; w < 2; w++) {
                int parity = w;
                long seed = round * 2L + w;
                writers[w] = new Thread(() -> {
                    java.util.List<Integer> mine = new java.util.ArrayList<>();
                    for (int tx = parity; tx < 400; tx += 2) {
                        mine.add(tx);
                    }
                    java.util.Collections.shuffle(mine, new java.util.Random(seed));
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int tx : mine) {
                        chain.put(value(tx, 0, tx));
                    }
                    for (int tx : mine) {
                        if (tx % 3 == 0) {
                            chain.remove(tx);
                        } else if (tx % 3 == 1) {
                            chain.markEstimate(tx);
                            chain.put(value(tx, 1, tx)); // the same value: the original comes back
                        }
                    }
                });
                writers[w].setDaemon(true);
                writers[w].start();
            }
            for (Thread t : writers) {
                t.join();
            }
            assertThat(chain.size()).as("round %d", round).isEqualTo(400 - 134);
            Resolution r = new Resolution();
            for (int reader = 1; reader <= 400; reader++) {
                int expected = reader - 1;
                while (expected >= 0 && expected % 3 == 0) {
                    expected--;
                }
                if (expected < 0) {
                    assertThat(chain.resolve(reader, r)).isEqualTo(Resolution.BASE);
                    continue;
                }
                assertThat(chain.resolve(reader, r)).as("round %d reader %d", round, reader)
                        .isEqualTo(Resolution.EXACT);
                assertThat(r.top.txIndex).as("round %d reader %d", round, reader).isEqualTo(expected);
                assertThat(r.top.incarnation).isZero();
                assertThat(r.topValue).isEqualTo((long) expected);
            }
        }
    }

    /**
     * A reader above the highest entry resolves from the chain's copy of that entry, field by field, without the
     * lock. Racing a writer that keeps replacing, estimating, deleting and removing the top, each read must still
     * be one state the chain had: the index, value and deletion flag of the same entry.
     */
    @Test
    // A lost unlock hangs the test: the timeout turns that into a failure.
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void readersAboveTheTopRacingChangesOfTheTopSeeOneEntryWhole() throws Exception {
        VersionChain chain = new VersionChain("k");
        chain.put(value(5, 0, 5));
        int[] round = {0};
        raceReadersAgainstWriter(chain, 500, (kind, r) -> switch (kind) {
            case Resolution.BLOCKED -> r.blockedOn == 5 || r.blockedOn == 9 ? null : "blocked on " + r.blockedOn;
            case Resolution.EXACT -> {
                if (r.topTx != r.top.txIndex) {
                    yield "index " + r.topTx + " of " + r.top;
                }
                if (r.topTx == 7) {
                    yield r.topDeleted && r.topValue == null ? null : "tx 7 deleted, read " + r.topValue;
                }
                yield !r.topDeleted && Long.valueOf(r.topTx).equals(r.topValue) ? null
                        : "tx " + r.topTx + " value " + r.topValue + " deleted " + r.topDeleted;
            }
            default -> "kind " + kind;
        }, () -> {
            chain.put(deleted(7));
            chain.put(value(9, round[0]++, 9));
            chain.markEstimate(9);
            chain.remove(9);
            chain.remove(7);
            chain.markEstimate(5);
            chain.put(value(5, 0, 5));
        });
    }

    @Test
    void deltasInLanesAddUpAcrossLanesAboveTheHighestValueBelowTheReader() {
        VersionChain chain = new VersionChain("k");
        Version v4 = value(4, 0, 100);
        chain.put(v4);
        chain.putDelta(0, 2, delta(1, 5));
        chain.putDelta(1, 2, delta(3, 7));
        chain.putDelta(0, 2, delta(6, 10));
        chain.putDelta(1, 2, delta(8, 20));
        Resolution r = new Resolution();

        assertThat(chain.resolve(1, r)).isEqualTo(Resolution.BASE);
        assertThat(chain.resolve(2, r)).isEqualTo(Resolution.DELTAS_ON_BASE);
        assertThat(r.counter).isEqualTo(5);
        assertThat(chain.resolve(4, r)).isEqualTo(Resolution.DELTAS_ON_BASE);
        assertThat(r.counter).isEqualTo(12);
        // The value of tx 4 hides every delta below it, in whichever lane.
        assertThat(chain.resolve(5, r)).isEqualTo(Resolution.EXACT);
        assertThat(r.top).isSameAs(v4);
        assertThat(chain.resolve(7, r)).isEqualTo(Resolution.DELTAS_ON_VALUE);
        assertThat(r.bottom).isSameAs(v4);
        assertThat(r.counter).isEqualTo(10);
        assertThat(chain.resolve(9, r)).isEqualTo(Resolution.DELTAS_ON_VALUE);
        assertThat(r.counter).isEqualTo(30);
        assertThat(chain.resolveQuiescent(9, r)).isEqualTo(Resolution.DELTAS_ON_VALUE);
        assertThat(r.counter).isEqualTo(30);
    }

    @Test
    void anEstimateInALaneBlocksOnlyReadersThatWouldAddIt() {
        VersionChain chain = new VersionChain("k");
        chain.put(value(4, 0, 100));
        chain.putDelta(1, 2, delta(3, 7));
        chain.putDelta(0, 2, delta(6, 10));
        Resolution r = new Resolution();

        assertThat(chain.markEstimate(3, 0)).as("not in lane 0").isFalse();
        assertThat(chain.markEstimate(3, 1)).isTrue();
        assertThat(chain.resolve(4, r)).isEqualTo(Resolution.BLOCKED);
        assertThat(r.blockedOn).isEqualTo(3);
        assertThat(chain.resolve(9, r)).as("below the value of tx 4").isEqualTo(Resolution.DELTAS_ON_VALUE);
        assertThat(r.counter).isEqualTo(10);

        assertThat(chain.remove(3, 1)).isTrue();
        assertThat(chain.remove(3, 1)).isFalse();
        assertThat(chain.resolve(4, r)).isEqualTo(Resolution.BASE);
        // The value itself, found in the chain whatever lane is named.
        assertThat(chain.markEstimate(4, 1)).isTrue();
        assertThat(chain.resolve(9, r)).isEqualTo(Resolution.BLOCKED);
        assertThat(r.blockedOn).isEqualTo(4);
    }

    @Test
    void removeOtherTakesAWriteOutOfThePlaceItsNewKindDoesNotBelong() {
        VersionChain chain = new VersionChain("k");
        chain.put(value(2, 0, 1));
        chain.putDelta(0, 2, delta(2, 5)); // the next incarnation of tx 2 adds instead
        assertThat(chain.removeOther(2, 0, true)).isTrue();
        Resolution r = new Resolution();
        assertThat(chain.resolve(3, r)).isEqualTo(Resolution.DELTAS_ON_BASE);
        assertThat(r.counter).isEqualTo(5);
        assertThat(chain.removeOther(2, 0, true)).isFalse();

        chain.put(value(2, 2, 9)); // and the one after writes a value again
        assertThat(chain.removeOther(2, 0, false)).isTrue();
        assertThat(chain.resolve(3, r)).isEqualTo(Resolution.EXACT);
        assertThat(chain.removeOther(2, 0, false)).isFalse();
    }

    /**
     * Lanes keep running sums of their deltas; whatever order writes, replacements, removals and estimates
     * come in, every read must still see what adding up the entries one by one gives.
     */
    @Test
    void runningSumsOfLanesMatchAddingUpTheEntriesAfterEveryChange() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            VersionChain chain = new VersionChain("k");
            // The model: per transaction its write (null: none) and the lane its deltas go to.
            TreeMap<Integer, Version> model = new TreeMap<>();
            int[] laneOf = new int[40];
            for (int tx = 0; tx < laneOf.length; tx++) {
                laneOf[tx] = random.nextInt(3);
            }
            Resolution r = new Resolution();
            for (int step = 0; step < 60; step++) {
                int tx = random.nextInt(laneOf.length);
                Version before = model.get(tx);
                int op = random.nextInt(10);
                if (op < 6) {
                    Version v = random.nextInt(5) == 0 ? value(tx, step, random.nextLong(1000))
                            : new Version(tx, step, Version.DELTA, null, random.nextLong() >> 2, false);
                    if (v.kind == Version.DELTA) {
                        chain.putDelta(laneOf[tx], 3, v);
                    } else {
                        chain.put(v);
                    }
                    if (before != null) {
                        chain.removeOther(tx, laneOf[tx], v.kind == Version.DELTA);
                    }
                    model.put(tx, v);
                } else if (op < 8 && before != null) {
                    assertThat(chain.remove(tx, laneOf[tx])).isTrue();
                    model.remove(tx);
                } else if (before != null) {
                    assertThat(chain.markEstimate(tx, laneOf[tx])).isTrue();
                    model.put(tx, before.asEstimate());
                }
                expectEveryRead(chain, model, laneOf.length, r);
            }
        }
    }

    /**
     * A chain copies its two highest entries into its own fields, and readers above the lower of them read
     * only those. Whatever order writes, replacements (a re-execution writing the same value brings the
     * original back), removals and estimates come in, every reader must still see what the model says: the
     * copies must follow every change that reaches the top two.
     */
    @Test
    void copiesOfTheTwoHighestEntriesFollowEveryChange() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 300; round++) {
            VersionChain chain = new VersionChain("k");
            TreeMap<Integer, Version> model = new TreeMap<>();
            Resolution r = new Resolution();
            for (int step = 0; step < 40; step++) {
                int tx = random.nextInt(12);
                Version before = model.get(tx);
                int op = random.nextInt(10);
                if (op < 6) {
                    Version v;
                    if (before != null && before.estimate && random.nextBoolean()) {
                        v = new Version(tx, step, before.kind, before.value, 0, false); // the same write again
                    } else {
                        v = random.nextInt(4) == 0 ? deleted(tx) : value(tx, step, random.nextLong(1000));
                    }
                    chain.put(v);
                    boolean restored = before != null && before.estimate && before.origin.sameWrite(v);
                    model.put(tx, restored ? before.origin : v);
                } else if (op < 8 && before != null) {
                    assertThat(chain.remove(tx)).isTrue();
                    model.remove(tx);
                } else if (before != null) {
                    assertThat(chain.markEstimate(tx)).isTrue();
                    model.put(tx, before.asEstimate());
                }
                expectEveryRead(chain, model, 13, r);
            }
        }
    }

    /** Checks the reads of every reader up to {@code lastReader}, racing and quiescent, against the model. */
    private static void expectEveryRead(VersionChain chain, TreeMap<Integer, Version> model, int lastReader,
                                        Resolution r) {
        for (int reader = 0; reader <= lastReader; reader++) {
            expectRead(model, reader, chain.resolve(reader, r), r);
            expectRead(model, reader, chain.resolveQuiescent(reader, r), r);
        }
    }

    /**
     * Checks a read by {@code reader} against the model: walks down from the highest write below it to the
     * first value or deletion. An estimate on the way blocks the read; which one it names may be any of them.
     */
    private static void expectRead(TreeMap<Integer, Version> model, int reader, int kind, Resolution r) {
        long sum = 0;
        int deltas = 0;
        java.util.Set<Integer> estimates = new java.util.HashSet<>();
        Version bottom = null;
        for (Version v : model.headMap(reader, false).descendingMap().values()) {
            if (v.estimate) {
                estimates.add(v.txIndex);
            }
            if (v.kind != Version.DELTA) {
                bottom = v;
                break;
            }
            sum += v.delta;
            deltas++;
        }
        if (!estimates.isEmpty()) {
            assertThat(kind).as("reader %d, estimates %s", reader, estimates).isEqualTo(Resolution.BLOCKED);
            assertThat(estimates).contains(r.blockedOn);
        } else if (bottom != null && deltas == 0) {
            assertThat(kind).as("reader %d", reader).isEqualTo(Resolution.EXACT);
            assertThat(r.top).isSameAs(bottom);
            assertThat(r.topTx).isEqualTo(bottom.txIndex);
            assertThat(r.topDeleted).isEqualTo(bottom.kind == Version.DELETED);
            assertThat(r.topValue).isSameAs(bottom.value);
        } else if (bottom != null) {
            assertThat(kind).as("reader %d", reader).isEqualTo(Resolution.DELTAS_ON_VALUE);
            assertThat(r.bottom).isSameAs(bottom);
            assertThat(r.counter).as("reader %d", reader).isEqualTo(sum);
        } else if (deltas == 0) {
            assertThat(kind).as("reader %d", reader).isEqualTo(Resolution.BASE);
        } else {
            assertThat(kind).as("reader %d", reader).isEqualTo(Resolution.DELTAS_ON_BASE);
            assertThat(r.counter).as("reader %d", reader).isEqualTo(sum);
        }
    }
}
