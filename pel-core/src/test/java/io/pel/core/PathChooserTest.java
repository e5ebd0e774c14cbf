package io.pel.core;

import static io.pel.core.BlockStats.Path.PARALLEL;
import static io.pel.core.BlockStats.Path.SEQUENTIAL;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PathChooserTest {

    private static final int N = 1_000;
    /** Blocks of N transactions in the warm-up. */
    private static final int WARM_UP = (int) (PathChooser.WARM_UP_TRANSACTIONS / N);
    private static final int UNJUDGED = (int) (PathChooser.UNJUDGED_TRANSACTIONS / N);

    /**
     * Runs {@code blocks} blocks where Block-STM costs {@code parallelNs} per transaction and estimates the
     * sequential cost as {@code estimateNs}, while sequential really costs {@code sequentialNs}.
     *
     * @return how many blocks went to Block-STM
     */
    private static int run(PathChooser chooser, int blocks, long parallelNs, long sequentialNs, long estimateNs) {
        int parallel = 0;
        for (int i = 0; i < blocks; i++) {
            if (chooser.choose(N) == PARALLEL) {
                parallel++;
                chooser.recordParallel(N, N * parallelNs, estimateNs);
            } else {
                chooser.recordSequential(N, N * sequentialNs);
            }
        }
        return parallel;
    }

    @Test
    void oneThreadAndTinyBlocksAlwaysGoSequential() {
        assertThat(new PathChooser(1).choose(N)).isEqualTo(SEQUENTIAL);
        assertThat(new PathChooser(4).choose(ParallelConfig.MIN_PARALLEL_BLOCK - 1)).isEqualTo(SEQUENTIAL);
    }

    @Test
    void staysParallelWhileItWins() {
        PathChooser chooser = new PathChooser(2);
        assertThat(run(chooser, 100, 600, 1_000, 1_000)).isEqualTo(100);
    }

    @Test
    void switchesToSequentialAsSoonAsTheWarmedUpEstimateSaysItIsCheaper() {
        PathChooser chooser = new PathChooser(2);
        for (int i = 0; i < WARM_UP; i++) {
            assertThat(chooser.choose(N)).isEqualTo(PARALLEL);
            chooser.recordParallel(N, N * 2_000L, 500);
        }
        assertThat(chooser.choose(N)).isEqualTo(SEQUENTIAL);
    }

    @Test
    void theFirstBlocksAreNotJudgedWhileTheJitWarmsUp() {
        PathChooser chooser = new PathChooser(2);
        // Cold code: the first blocks look ten times too slow; later ones show Block-STM winning.
        for (int i = 0; i < UNJUDGED; i++) {
            assertThat(chooser.choose(N)).isEqualTo(PARALLEL);
            chooser.recordParallel(N, N * 10_000L, 1_000);
        }
        assertThat(run(chooser, 100, 600, 1_000, 1_000)).isEqualTo(100);
    }

    @Test
    void aMuchWorseBlockStmIsRetriedRarely() {
        PathChooser chooser = new PathChooser(2);
        int parallelBlocks = run(chooser, 2_000, 5_000, 100, 100) - WARM_UP;
        // Retries at most ~5% of the time saved: a 50x loss is retried about every thousand blocks.
        assertThat(parallelBlocks).isBetween(1, 5);
        assertThat(chooser.retryInterval()).isEqualTo(PathChooser.MAX_RETRY_INTERVAL);
    }

    @Test
    void aSomewhatWorseBlockStmIsRetriedOftenButLessAndLess() {
        PathChooser chooser = new PathChooser(2);
        int parallelBlocks = run(chooser, 1_000, 1_500, 1_000, 1_000) - WARM_UP;
        assertThat(parallelBlocks).isBetween(3, 12);
    }

    @Test
    void aChangeOfWorkloadSeenOnTheSequentialPathGetsBlockStmRetriedAtOnce() {
        PathChooser chooser = new PathChooser(2);
        run(chooser, 2_000, 5_000, 100, 100); // state-only work: sequential, retries now very rare
        assertThat(chooser.retryInterval()).isEqualTo(PathChooser.MAX_RETRY_INTERVAL);
        // Transactions get heavy and Block-STM now wins: the sequential cost jumped, so it is retried soon.
        int parallelBlocks = run(chooser, 300, 500, 1_000, 1_000);
        assertThat(parallelBlocks).isGreaterThan(290);
    }

    @Test
    void nearATieBlockStmIsKept() {
        // The sequential estimate leaves out the sequential executor's own bookkeeping: a small apparent
        // advantage is not enough to switch.
        PathChooser chooser = new PathChooser(2);
        assertThat(run(chooser, 100, 1_100, 1_000, 1_000)).isEqualTo(100);
    }

    @Test
    void whenBlockStmStartsWinningARetryNoticesAndItStays() {
        PathChooser chooser = new PathChooser(2);
        run(chooser, 100, 1_300, 1_000, 1_000); // sequential wins
        int parallelBlocks = run(chooser, 1_000, 500, 1_000, 1_000); // now Block-STM wins
        assertThat(parallelBlocks).isGreaterThan(850);
    }
}
