package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The parallel executor's life cycle and its handling of misbehaving transactions. */
class ParallelExecutorTest {

    private static final CounterCodec<Long> LONGS = CounterCodec.longs();

    /** Block-STM for every block: these tests are about its machinery, not about choosing a path. */
    private static BlockExecutor blockStm(int threads) {
        return BlockExecutor.parallel(ParallelConfig.defaults(threads).withAdaptive(false));
    }

    /** A chain: every transaction reads the previous one's key and writes its own. */
    private static List<Transaction<String, Long, Long>> chain(int n) {
        List<Transaction<String, Long, Long>> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int me = i;
            txs.add(ctx -> {
                Long prev = ctx.read("k" + (me - 1));
                long v = (prev == null ? 0 : prev) + me;
                ctx.write("k" + me, v);
                return v;
            });
        }
        return txs;
    }

    @Test
    void workersLiveAcrossBlocksAndEndOnClose() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        BlockExecutor exec = blockStm(3);
        List<Transaction<String, Long, Long>> txs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            txs.add(ctx -> {
                seen.add(Thread.currentThread());
                ctx.add("count", 1);
                return 0L;
            });
        }
        for (int block = 0; block < 20; block++) {
            BlockResult<String, Long, Long> r = exec.execute(txs, BaseState.empty(), LONGS);
            assertThat(r.writeSet().value("count")).isEqualTo(200L);
        }
        List<Thread> helpers = seen.stream().filter(t -> t != Thread.currentThread()).toList();
        assertThat(helpers.size()).isLessThanOrEqualTo(2);
        exec.close();
        for (Thread t : helpers) {
            assertThat(t.isAlive()).as(t.getName()).isFalse();
        }
        assertThatThrownBy(() -> exec.execute(txs, BaseState.empty(), LONGS))
                .isInstanceOf(IllegalStateException.class);
        exec.close(); // twice is harmless
    }

    @Test
    void anEmptyBlockAndALinkedListBlockWork() {
        try (BlockExecutor exec = blockStm(2)) {
            BlockResult<String, Long, Long> empty = exec.execute(List.of(), BaseState.empty(), LONGS);
            assertThat(empty.outcomes()).isEmpty();
            assertThat(empty.writeSet().size()).isZero();

            BlockResult<String, Long, Long> r = exec.execute(new LinkedList<>(chain(50)), BaseState.empty(), LONGS);
            assertThat(r.outcome(49)).isEqualTo(new Outcome.Success<>(49L * 50 / 2));
        }
    }

    @Test
    void aTransactionThatThrowsAnErrorFailsTheBlockAndTheExecutorStaysUsable() {
        try (BlockExecutor exec = blockStm(2)) {
            List<Transaction<String, Long, Long>> txs = new ArrayList<>(chain(100));
            txs.set(60, ctx -> {
                throw new StackOverflowError("deep");
            });
            assertThatThrownBy(() -> exec.execute(txs, BaseState.empty(), LONGS))
                    .isInstanceOf(BlockExecutionException.class)
                    .hasMessageContaining("transaction 60")
                    .hasRootCauseInstanceOf(StackOverflowError.class);

            BlockResult<String, Long, Long> r = exec.execute(chain(100), BaseState.empty(), LONGS);
            assertThat(r.outcome(99)).isEqualTo(new Outcome.Success<>(99L * 100 / 2));
        }
    }

    @Test
    void aTransactionThatSwallowsTheSuspensionSignalIsStillSuspended() {
        // Transaction i catches every exception around its read and writes what it got; the engine must not
        // take a value read from an aborted writer as the outcome.
        List<Transaction<String, Long, String>> txs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int me = i;
            txs.add(ctx -> {
                Long prev;
                try {
                    prev = ctx.read("k" + (me % 7));
                } catch (RuntimeException swallowed) {
                    prev = -1L;
                }
                ctx.write("k" + ((me + 1) % 7), (prev == null ? 0 : prev) + 1);
                return "saw " + prev;
            });
        }
        try (BlockExecutor par = BlockExecutor.parallel(ParallelConfig.defaults(4).withSelfCheck(true).withAdaptive(false));
             BlockExecutor seq = BlockExecutor.sequential()) {
            for (int round = 0; round < 50; round++) {
                BlockResult<String, Long, String> expected = seq.execute(txs, BaseState.empty(), LONGS);
                BlockResult<String, Long, String> actual = par.execute(txs, BaseState.empty(), LONGS);
                assertThat(actual.outcomes()).isEqualTo(expected.outcomes());
                assertThat(actual.writeSet()).isEqualTo(expected.writeSet());
            }
        }
    }

    @Test
    void aTransactionThatThrowsTheEnginesOwnSignalUnprompted_isAnOrdinaryFailure() {
        List<Transaction<String, Long, Long>> txs = List.of(
                ctx -> {
                    ctx.write("a", 1L);
                    throw TxView.ReadBlocked.INSTANCE;
                },
                ctx -> ctx.read("a") == null ? 0L : 1L);
        try (BlockExecutor par = blockStm(2); BlockExecutor seq = BlockExecutor.sequential()) {
            BlockResult<String, Long, Long> expected = seq.execute(txs, BaseState.empty(), LONGS);
            BlockResult<String, Long, Long> actual = par.execute(txs, BaseState.empty(), LONGS);
            assertThat(actual.outcomes()).isEqualTo(expected.outcomes());
            assertThat(actual.outcome(0).succeeded()).isFalse();
            assertThat(actual.writeSet().size()).isZero();
        }
    }

    @Test
    void manyLargeBlocksAllComplete() {
        // Regression: a worker could park right after a transient task claim hid the block's end from the
        // other worker's completion check, leaving both parked forever. Rare per block, so many blocks.
        List<List<Transaction<Integer, Long, Long>>> blocks = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int b = 0; b < 4; b++) {
            List<Transaction<Integer, Long, Long>> txs = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                Integer from = random.nextInt(5_000);
                Integer to = random.nextInt(5_000);
                txs.add(ctx -> {
                    Long f = ctx.read(from);
                    Long t = ctx.read(to);
                    ctx.write(from, (f == null ? 0 : f) - 1);
                    ctx.write(to, (t == null ? 0 : t) + 1);
                    return 0L;
                });
            }
            blocks.add(txs);
        }
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofMinutes(5), () -> {
            try (BlockExecutor exec = blockStm(2)) {
                for (int round = 0; round < 400; round++) {
                    List<Transaction<Integer, Long, Long>> txs = blocks.get(round % blocks.size());
                    assertThat(exec.execute(txs, BaseState.empty(), LONGS).outcomes()).hasSize(5_000);
                }
            }
        }, "a block never finished: lost completion or lost wake-up");
    }

    @Test
    void moreThreadsThanTransactionsAndMoreThreadsThanCores() {
        try (BlockExecutor exec = blockStm(16)) {
            for (int n = 1; n < 40; n++) {
                BlockResult<String, Long, Long> r = exec.execute(chain(n), BaseState.empty(), LONGS);
                assertThat(r.outcome(n - 1)).isEqualTo(new Outcome.Success<>((long) (n - 1) * n / 2));
                assertThat(r.stats().threads()).isEqualTo(16);
            }
        }
    }

    @Test
    void theAdaptiveExecutorRunsTinyBlocksAndSingleThreadBlocksSequentiallyAndStaysCorrect() {
        try (BlockExecutor one = BlockExecutor.parallel(1); BlockExecutor two = BlockExecutor.parallel(2);
             BlockExecutor seq = BlockExecutor.sequential()) {
            assertThat(one.execute(chain(500), BaseState.empty(), LONGS).stats().path())
                    .isEqualTo(BlockStats.Path.SEQUENTIAL);
            assertThat(two.execute(chain(ParallelConfig.MIN_PARALLEL_BLOCK - 1), BaseState.empty(), LONGS)
                    .stats().path()).isEqualTo(BlockStats.Path.SEQUENTIAL);
            // Large blocks go to the two parallel algorithms in turn while nothing is measured yet (so both
            // get compiled), the ordered commit first; whatever path later blocks take, the results are the
            // sequential ones.
            assertThat(two.execute(chain(500), BaseState.empty(), LONGS).stats().path())
                    .isEqualTo(BlockStats.Path.ORDERED);
            assertThat(two.execute(chain(500), BaseState.empty(), LONGS).stats().path())
                    .isEqualTo(BlockStats.Path.PARALLEL);
            for (int i = 0; i < 30; i++) {
                BlockResult<String, Long, Long> expected = seq.execute(chain(300 + i), BaseState.empty(), LONGS);
                BlockResult<String, Long, Long> actual = two.execute(chain(300 + i), BaseState.empty(), LONGS);
                assertThat(actual.outcomes()).isEqualTo(expected.outcomes());
                assertThat(actual.writeSet()).isEqualTo(expected.writeSet());
                assertThat(actual.stats().threads()).isEqualTo(2);
            }
        }
    }

    @Test
    void anInterruptOfTheCallerDoesNotReachTheTransactionsAndIsKept() {
        List<Transaction<String, Long, Boolean>> txs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            txs.add(ctx -> {
                ctx.add("n", 1);
                return Thread.currentThread().isInterrupted();
            });
        }
        for (BlockExecutor exec : List.of(blockStm(2), BlockExecutor.parallel(1), BlockExecutor.sequential())) {
            try (exec) {
                Thread.currentThread().interrupt();
                BlockResult<String, Long, Boolean> r = exec.execute(txs, BaseState.empty(), LONGS);
                assertThat(Thread.interrupted()).as("interrupt restored").isTrue();
                assertThat(r.outcomes()).allMatch(o -> o.equals(new Outcome.Success<>(false)));
                assertThat(r.writeSet().value("n")).isEqualTo(200L);
            }
        }
    }

    @Test
    void aBlockRunSequentiallyIsTracedToo() {
        try (BlockExecutor one = BlockExecutor.parallel(ParallelConfig.defaults(1).withTrace(true))) {
            BlockResult<String, Long, Long> r = one.execute(chain(100), BaseState.empty(), LONGS);
            assertThat(r.stats().path()).isEqualTo(BlockStats.Path.SEQUENTIAL);
            assertThat(r.trace()).hasSize(100);
            for (int tx = 0; tx < 100; tx++) {
                TraceEvent e = r.trace().get(tx);
                assertThat(e.transaction()).isEqualTo(tx);
                assertThat(e.worker()).isZero();
                assertThat(e.startNanos()).isLessThanOrEqualTo(e.endNanos());
            }
        }
    }

    /** Each takes one from a shared budget with a bounded add, and counts itself with a plain add. */
    private static List<Transaction<String, Long, Boolean>> spenders(int n) {
        List<Transaction<String, Long, Boolean>> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean twice = i % 3 == 0; // some take two, the second on top of their own first add
            txs.add(ctx -> {
                boolean paid = ctx.tryAdd("budget", -1, 0, Long.MAX_VALUE);
                if (twice && paid) {
                    paid = ctx.tryAdd("budget", -1, 0, Long.MAX_VALUE);
                }
                ctx.add(paid ? "paid" : "refused", 1);
                return paid;
            });
        }
        return txs;
    }

    @Test
    void boundedAddsFarFromTheBoundDoNotConflict() {
        Map<String, Long> base = new HashMap<>(Map.of("budget", 1_000_000L));
        try (BlockExecutor exec = blockStm(2); BlockExecutor seq = BlockExecutor.sequential()) {
            for (int round = 0; round < 20; round++) {
                BlockResult<String, Long, Boolean> r = exec.execute(spenders(2_000), BaseState.of(base), LONGS);
                // Only whether each add fits was read, and that never changes: nothing to re-run.
                assertThat(r.stats().failedValidations()).isZero();
                assertThat(r.stats().reexecutions()).isZero();
                assertThat(r.writeSet()).isEqualTo(seq.execute(spenders(2_000), BaseState.of(base), LONGS).writeSet());
            }
        }
    }

    @Test
    void boundedAddsAcrossTheBoundStopExactlyWhereSequentialStops() {
        Map<String, Long> base = new HashMap<>(Map.of("budget", 700L));
        try (BlockExecutor exec = blockStm(2); BlockExecutor seq = BlockExecutor.sequential()) {
            for (int round = 0; round < 20; round++) {
                BlockResult<String, Long, Boolean> r = exec.execute(spenders(1_500), BaseState.of(base), LONGS);
                BlockResult<String, Long, Boolean> s = seq.execute(spenders(1_500), BaseState.of(base), LONGS);
                assertThat(r.outcomes()).isEqualTo(s.outcomes());
                assertThat(r.writeSet()).isEqualTo(s.writeSet());
                assertThat(r.outcomes()).contains(new Outcome.Success<>(true), new Outcome.Success<>(false));
            }
        }
    }

    @Test
    void tracesNameTheKeyBehindEveryAbortAndSuspension() {
        // Every transaction reads and rewrites "hot" and writes a key of its own: all conflicts are on "hot".
        List<Transaction<String, Long, Long>> txs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int me = i;
            txs.add(ctx -> {
                Long hot = ctx.read("hot");
                ctx.write("own" + me, 1L);
                ctx.write("hot", (hot == null ? 0 : hot) + 1);
                return hot;
            });
        }
        try (BlockExecutor exec = BlockExecutor.parallel(ParallelConfig.defaults(2).withTrace(true)
                .withAdaptive(false))) {
            for (int round = 0; round < 10; round++) {
                BlockResult<String, Long, Long> r = exec.execute(txs, BaseState.empty(), LONGS);
                long conflicts = 0;
                for (TraceEvent e : r.trace()) {
                    boolean conflict = e.result() == TraceEvent.Result.ABORTED
                            || e.result() == TraceEvent.Result.SUSPENDED;
                    assertThat(e.key()).as("%s", e).isEqualTo(conflict ? "hot" : null);
                    conflicts += conflict ? 1 : 0;
                }
                assertThat(conflicts).isEqualTo(r.stats().failedValidations() + r.stats().dependencySuspensions());
            }
        }
    }

    @Test
    void statsCountWhatHappened() {
        Map<String, Long> base = new HashMap<>();
        try (BlockExecutor exec = blockStm(1)) {
            // One thread executes in order: nothing is ever re-executed or suspended.
            BlockResult<String, Long, Long> r = exec.execute(chain(500), BaseState.of(base), LONGS);
            BlockStats s = r.stats();
            assertThat(s.transactions()).isEqualTo(500);
            assertThat(s.executions()).isEqualTo(500);
            assertThat(s.reexecutions()).isZero();
            assertThat(s.failedValidations()).isZero();
            assertThat(s.dependencySuspensions()).isZero();
            assertThat(s.validations()).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void traceCoversEveryTaskWithSaneTimes() {
        try (BlockExecutor exec = BlockExecutor.parallel(ParallelConfig.defaults(3).withTrace(true).withAdaptive(false))) {
            BlockResult<String, Long, Long> r = exec.execute(chain(300), BaseState.empty(), LONGS);
            List<TraceEvent> trace = r.trace();
            long executes = trace.stream().filter(e -> e.kind() == TraceEvent.Kind.EXECUTE).count();
            long validates = trace.stream().filter(e -> e.kind() == TraceEvent.Kind.VALIDATE).count();
            assertThat(executes).isEqualTo(r.stats().executions());
            assertThat(validates).isEqualTo(r.stats().validations());
            assertThat(trace).allSatisfy(e -> {
                assertThat(e.startNanos()).isLessThanOrEqualTo(e.endNanos());
                assertThat(e.worker()).isBetween(0, 2);
            });
            for (int tx = 0; tx < 300; tx++) {
                int t = tx;
                assertThat(trace).anyMatch(e -> e.transaction() == t && e.result() == TraceEvent.Result.EXECUTED);
            }
        }
    }
}
