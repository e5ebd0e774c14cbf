package io.pel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's guarantee (DESIGN §2): for every block, the parallel executor's outcomes and write set equal
 * the sequential executor's — on thousands of random seeded blocks, for several thread counts, some with
 * random delays injected into transactions to shake interleavings.
 *
 * <p>System properties: {@code pel.test.blocks} (total random blocks, split across thread counts; default
 * 3000), {@code pel.test.baseSeed} (where the per-block seeds come from), {@code pel.test.seed} (run only
 * that block, {@code pel.test.repeat} times per thread count, to reproduce a failure).
 */
class BlockExecutorProperties {

    static final long DEFAULT_BASE_SEED = 0x0B10C_57A1L;

    /** A hang detector, not a timing assertion: far above what any thread count needs. */
    private static final Duration HANG_LIMIT = Duration.ofMinutes(3);

    /**
     * One parallel algorithm forced, with the final self-check. With Block-STM, odd thread counts claim one
     * transaction at a time (the paper's scheduler), even ones the default chunk, so both claiming modes meet
     * the random blocks.
     */
    private static ParallelConfig config(int threads, ParallelConfig.Algorithm algorithm) {
        ParallelConfig c = ParallelConfig.defaults(threads).withSelfCheck(true).withAdaptive(false)
                .withAlgorithm(algorithm);
        return threads % 2 == 1 ? c.withClaimChunk(1) : c;
    }

    /** Every thread count with each parallel algorithm. */
    static Stream<Arguments> engines() {
        return Stream.of(ParallelConfig.Algorithm.BLOCK_STM, ParallelConfig.Algorithm.ORDERED_COMMIT)
                .flatMap(a -> IntStream.of(1, 2, 3, 4, 8).mapToObj(t -> Arguments.of(t, a)));
    }

    @ParameterizedTest(name = "{0} threads, {1}")
    @MethodSource("engines")
    void randomBlocksMatchSequential(int threads, ParallelConfig.Algorithm algorithm) {
        Long single = Long.getLong("pel.test.seed");
        int totalBlocks = Integer.getInteger("pel.test.blocks", 3000);
        int blocks = Math.max(1, totalBlocks / 5);
        long baseSeed = Long.getLong("pel.test.baseSeed", DEFAULT_BASE_SEED);
        AtomicLong current = new AtomicLong(); // the block running when a hang is detected
        assertTimeoutPreemptively(HANG_LIMIT, () -> {
            try (BlockExecutor parallel = BlockExecutor.parallel(config(threads, algorithm));
                 BlockExecutor sequential = BlockExecutor.sequential()) {
                assertThat(parallel.threads()).isEqualTo(threads);
                if (single != null) {
                    RandomBlocks.Block block = RandomBlocks.generate(single, true);
                    current.set(single);
                    int repeat = Integer.getInteger("pel.test.repeat", 200);
                    for (int r = 0; r < repeat; r++) {
                        assertSameAsSequential(parallel, sequential, block, threads);
                    }
                    return;
                }
                // Distinct seeds per thread count, so each count sees different blocks.
                SplittableRandom seeds = new SplittableRandom(baseSeed * 31 + threads);
                for (int b = 0; b < blocks; b++) {
                    long seed = seeds.nextLong();
                    current.set(seed);
                    assertSameAsSequential(parallel, sequential, RandomBlocks.generate(seed, true), threads);
                }
            }
        }, () -> "parallel executor with " + threads + " threads hung on block seed " + current.get()
                + " (re-run: -Dtest=BlockExecutorProperties -Dpel.test.seed=" + current.get() + ")\n"
                + engineThreadDump());
    }

    @ParameterizedTest(name = "{0} threads, {1}")
    @MethodSource("engines")
    void handWrittenBlocksMatchSequential(int threads, ParallelConfig.Algorithm algorithm) {
        List<RandomBlocks.Block> blocks = List.of(
                hotKeyAdds(200),
                allThrowing(100),
                RandomBlocks.block("empty", Map.of("k0", 1L), List.of()),
                RandomBlocks.block("one tx", Map.of("k0", 1L), List.of(List.of(
                        new RandomBlocks.Read("k0"), new RandomBlocks.Write("k0", 1),
                        new RandomBlocks.Add("k1", 3), new RandomBlocks.Read("k1")))),
                readModifyWriteChain(200));
        AtomicReference<String> current = new AtomicReference<>("none");
        assertTimeoutPreemptively(HANG_LIMIT, () -> {
            try (BlockExecutor parallel = BlockExecutor.parallel(config(threads, algorithm));
                 BlockExecutor sequential = BlockExecutor.sequential()) {
                for (int r = 0; r < 20; r++) {
                    for (RandomBlocks.Block block : blocks) {
                        current.set(block.shape());
                        assertSameAsSequential(parallel, sequential, block, threads);
                    }
                }
                RandomBlocks.Block empty = blocks.get(2);
                var result = parallel.execute(empty.transactions(), empty.baseState(), CounterCodec.longs());
                assertThat(result.outcomes()).isEmpty();
                assertThat(result.writeSet().size()).isZero();
            }
        }, () -> "parallel executor with " + threads + " threads hung on hand-written block '" + current.get()
                + "'\n" + engineThreadDump());
    }

    @ParameterizedTest(name = "{0} threads, {1}")
    @MethodSource("engines")
    void traceCoversEveryTransaction(int threads, ParallelConfig.Algorithm algorithm) {
        long baseSeed = Long.getLong("pel.test.baseSeed", DEFAULT_BASE_SEED);
        SplittableRandom seeds = new SplittableRandom(baseSeed ^ 0x7ACE);
        AtomicLong current = new AtomicLong();
        assertTimeoutPreemptively(HANG_LIMIT, () -> {
            try (BlockExecutor parallel = BlockExecutor.parallel(config(threads, algorithm).withTrace(true));
                 BlockExecutor sequential = BlockExecutor.sequential()) {
                for (int b = 0; b < 30; b++) {
                    RandomBlocks.Block block = RandomBlocks.generate(seeds.nextLong(), false);
                    current.set(block.seed());
                    var result = assertSameAsSequential(parallel, sequential, block, threads);
                    String where = "trace of " + threads + " threads, block seed " + block.seed();
                    List<TraceEvent> trace = result.trace();
                    assertThat(trace).as(where).isNotEmpty();
                    BitSet executed = new BitSet(block.size());
                    for (TraceEvent e : trace) {
                        assertThat(e.startNanos()).as("%s: %s", where, e).isLessThanOrEqualTo(e.endNanos());
                        assertThat(e.worker()).as("%s: %s", where, e).isBetween(0, threads - 1);
                        assertThat(e.transaction()).as("%s: %s", where, e).isBetween(0, block.size() - 1);
                        assertThat(e.incarnation()).as("%s: %s", where, e).isNotNegative();
                        if (e.kind() == TraceEvent.Kind.EXECUTE) {
                            executed.set(e.transaction());
                        }
                    }
                    assertThat(executed.cardinality()).as("%s: transactions with an EXECUTE event", where)
                            .isEqualTo(block.size());
                }
            }
        }, () -> "parallel executor with " + threads + " threads hung while tracing block seed " + current.get()
                + "\n" + engineThreadDump());
    }

    /**
     * Runs {@code block} on both executors and fails, with everything needed to reproduce, when the parallel
     * result differs or the parallel executor throws.
     */
    static BlockResult<String, Long, Long> assertSameAsSequential(BlockExecutor parallel, BlockExecutor sequential,
                                                                  RandomBlocks.Block block, int threads) {
        return assertSameAsSequential(parallel, sequential, block, threads, "BlockExecutorProperties");
    }

    /** As above; {@code testClass} is the test whose {@code pel.test.seed} re-creates the block. */
    static BlockResult<String, Long, Long> assertSameAsSequential(BlockExecutor parallel, BlockExecutor sequential,
                                                                  RandomBlocks.Block block, int threads,
                                                                  String testClass) {
        var expected = sequential.execute(block.transactions(), block.baseState(), CounterCodec.longs());
        BlockResult<String, Long, Long> actual;
        try {
            actual = parallel.execute(block.transactions(), block.baseState(), CounterCodec.longs());
        } catch (RuntimeException e) {
            throw new AssertionError("parallel executor (" + threads + " threads) threw " + e + " on "
                    + reproduce(block, testClass) + block.describe(), e);
        }
        String diff = ReferenceModel.Expected.of(expected).differencesFrom(actual);
        if (diff != null) {
            fail("parallel executor (" + threads + " threads) differs from sequential on " + reproduce(block, testClass)
                    + diff + block.describe());
        }
        assertThat(actual.stats().transactions()).as("stats.transactions on %s", reproduce(block, testClass))
                .isEqualTo(block.size());
        assertThat(actual.stats().executions()).as("stats.executions on %s", reproduce(block, testClass))
                .isGreaterThanOrEqualTo(block.size());
        return actual;
    }

    /** The stacks of every thread inside the engine, to show where a hang waits. */
    static String engineThreadDump() {
        StringBuilder sb = new StringBuilder("threads inside io.pel.core:\n");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            boolean inEngine = false;
            for (StackTraceElement e : stack) {
                inEngine |= e.getClassName().startsWith("io.pel.core.")
                        && !e.getClassName().startsWith("io.pel.core.BlockExecutorProperties")
                        && !e.getClassName().startsWith("io.pel.core.ParallelStressTest");
            }
            if (inEngine) {
                sb.append("  \"").append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
                for (StackTraceElement e : stack) {
                    sb.append("      at ").append(e).append('\n');
                }
            }
        });
        return sb.toString();
    }

    private static String reproduce(RandomBlocks.Block block, String testClass) {
        return block.generated()
                ? "block seed " + block.seed() + " (re-run: -Dtest=" + testClass + " -Dpel.test.seed="
                        + block.seed() + ")\n"
                : "hand-written block '" + block.shape() + "'\n";
    }

    /** Every transaction adds to the one hot key; deltas include wrapping ones. */
    private static RandomBlocks.Block hotKeyAdds(int n) {
        SplittableRandom rnd = new SplittableRandom(42);
        List<List<RandomBlocks.Op>> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long delta = i % 17 == 0 ? Long.MAX_VALUE - i : rnd.nextInt(-5, 6);
            txs.add(List.of(new RandomBlocks.Add("hot", delta)));
        }
        return RandomBlocks.block("hot key adds", Map.of("hot", 1L), txs);
    }

    /** Every transaction writes, then throws: nothing may reach the write set. */
    private static RandomBlocks.Block allThrowing(int n) {
        List<List<RandomBlocks.Op>> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String k = RandomBlocks.key(i % 3);
            txs.add(List.of(new RandomBlocks.Read(k), new RandomBlocks.Write(k, i), new RandomBlocks.Add("c", 1),
                    new RandomBlocks.ThrowIf(1, 0)));
        }
        return RandomBlocks.block("all throwing", Map.of("k0", 5L), txs);
    }

    /** Each transaction reads the key the previous one wrote: one long dependency chain. */
    private static RandomBlocks.Block readModifyWriteChain(int n) {
        List<List<RandomBlocks.Op>> txs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            txs.add(List.of(new RandomBlocks.Read("k0"), new RandomBlocks.Write("k0", 1)));
        }
        return RandomBlocks.block("read-modify-write chain", Map.of(), txs);
    }
}
