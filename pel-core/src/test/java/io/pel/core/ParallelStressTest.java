package io.pel.core;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many large blocks at high contention on one long-lived 4-thread executor, each compared with the
 * sequential executor. Finds what small blocks rarely reach: long abort/re-execute cascades, dependency
 * waits on a hot key, and state leaking from one block into the next. A hang fails the test instead of
 * blocking the build.
 *
 * <p>Run alone with {@code -Dgroups=stress} (or {@code -Dtest=ParallelStressTest}). System properties:
 * {@code pel.test.stressBlocks} (default 1000), {@code pel.test.baseSeed}, and {@code pel.test.seed} to
 * re-run one failing block {@code pel.test.repeat} times.
 */
@Tag("stress")
class ParallelStressTest {

    private static final int THREADS = 4;
    private static final int TRANSACTIONS = 2000;

    /** A hang detector, not a timing assertion. */
    private static final Duration HANG_LIMIT = Duration.ofMinutes(10);

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ParallelConfig.Algorithm.class, names = {"BLOCK_STM", "ORDERED_COMMIT"})
    void largeContendedBlocksMatchSequential(ParallelConfig.Algorithm algorithm) {
        Long single = Long.getLong("pel.test.seed");
        int blocks = Integer.getInteger("pel.test.stressBlocks", 1000);
        long baseSeed = Long.getLong("pel.test.baseSeed", BlockExecutorProperties.DEFAULT_BASE_SEED);
        AtomicLong current = new AtomicLong(); // the block running when a hang is detected
        assertTimeoutPreemptively(HANG_LIMIT, () -> {
            try (BlockExecutor parallel = BlockExecutor.parallel(
                    ParallelConfig.defaults(THREADS).withAdaptive(false).withAlgorithm(algorithm));
                 BlockExecutor sequential = BlockExecutor.sequential()) {
                if (single != null) {
                    RandomBlocks.Block block = RandomBlocks.stress(single, TRANSACTIONS);
                    current.set(single);
                    int repeat = Integer.getInteger("pel.test.repeat", 200);
                    for (int r = 0; r < repeat; r++) {
                        check(parallel, sequential, block);
                    }
                    return;
                }
                SplittableRandom seeds = new SplittableRandom(baseSeed ^ 0x57E55L);
                for (int b = 0; b < blocks; b++) {
                    long seed = seeds.nextLong();
                    current.set(seed);
                    check(parallel, sequential, RandomBlocks.stress(seed, TRANSACTIONS));
                }
            }
        }, () -> "parallel executor with " + THREADS + " threads hung on block seed " + current.get()
                + " (re-run: -Dtest=ParallelStressTest -Dpel.test.seed=" + current.get() + ")\n"
                + BlockExecutorProperties.engineThreadDump());
    }

    private static void check(BlockExecutor parallel, BlockExecutor sequential, RandomBlocks.Block block) {
        BlockExecutorProperties.assertSameAsSequential(parallel, sequential, block, THREADS, "ParallelStressTest");
    }
}
