package io.pel.core;

/**
 * Settings of the parallel executor.
 *
 * @param threads     worker threads, the calling thread included; at least 1
 * @param trace       whether to record a {@link TraceEvent} per task (costs a little per task)
 * @param selfCheck   whether to re-validate every transaction's reads once the block is done and fail the
 *                    block if any is stale; an extra guard for tests, off by default
 * @param spinRounds  how many times an idle worker looks for work, pausing briefly, before it parks; small,
 *                    because on a machine with few cores a spinning worker steals the core that the worker
 *                    it waits for needs
 * @param adaptive    whether to run a block sequentially when measurements of earlier blocks say that
 *                    Block-STM would be slower (always with 1 thread, and for blocks under
 *                    {@link #MIN_PARALLEL_BLOCK} transactions); on by default. Off forces Block-STM for every
 *                    block, which tests and the bench's {@code blockstm} rows use
 * @param claimChunk  how many consecutive transactions a Block-STM worker claims at once, for execution and
 *                    for validation; 1 is the paper's one-at-a-time. Larger keeps neighbouring transactions on
 *                    one core (fewer cache lines shared between cores) at the cost of a slightly blurred order
 * @param algorithm   which parallel algorithm runs a block: {@link Algorithm#AUTO} (the default) measures both
 *                    and uses the faster, or one of them forced. Without {@code adaptive}, AUTO means Block-STM
 */
public record ParallelConfig(int threads, boolean trace, boolean selfCheck, int spinRounds, boolean adaptive,
                             int claimChunk, Algorithm algorithm) {

    /** The parallel algorithms. */
    public enum Algorithm {
        /** Both measured on the workload at hand, the faster one used (with {@code adaptive}). */
        AUTO,
        /** Block-STM: multi-version memory, a collaborative scheduler, validation and re-execution in parallel. */
        BLOCK_STM,
        /**
         * Speculation ahead of an in-order commit: one committed version per key, each run checked once, by the
         * worker that ran it, when the commit point reaches it; a run that read something changed since runs
         * again at the commit point.
         */
        ORDERED_COMMIT
    }

    /** Upper bound on worker threads, a guard against typos such as 1000. */
    public static final int MAX_THREADS = 256;

    /** Transactions claimed at once by default (see {@link #claimChunk}). */
    public static final int DEFAULT_CLAIM_CHUNK = 16;

    /** Below this many transactions, waking the workers costs more than parallelism can win. */
    public static final int MIN_PARALLEL_BLOCK = 32;

    /**
     * Transactions the default (adaptive, {@link Algorithm#AUTO}) executor always runs in parallel first, half
     * with each algorithm, so their code is compiled before they are judged: a one-time cost that a benchmark
     * of the steady state should leave out of its measurements.
     */
    public static final long ADAPTIVE_WARM_UP_TRANSACTIONS = 2 * PathChooser.WARM_UP_TRANSACTIONS;

    /**
     * Blocks the default executor then runs taking turns between the algorithms and sequential, before it has
     * chosen one and may give parallel execution up, and then until its first probe of the algorithm it did not
     * choose, which corrects a choice misled by code still being compiled (on two cores, blocks of either
     * algorithm ran at about sequential speed as late as 400 000 transactions in, and a bench that started
     * measuring after the comparison caught 19 % of its blocks on the slower algorithm). A benchmark of the
     * steady state should leave these out as well.
     */
    public static final int ADAPTIVE_JUDGED_BLOCKS =
            3 * PathChooser.WINDOW + PathChooser.MIN_PROBE_INTERVAL + PathChooser.RETRY_BLOCKS;

    public ParallelConfig {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in 1.." + MAX_THREADS + ", got " + threads);
        }
        if (claimChunk < 1 || claimChunk > 1024) {
            throw new IllegalArgumentException("claimChunk must be in 1..1024, got " + claimChunk);
        }
        java.util.Objects.requireNonNull(algorithm, "algorithm");
        if (spinRounds < 0) {
            throw new IllegalArgumentException("spinRounds must be >= 0, got " + spinRounds);
        }
    }

    public static ParallelConfig defaults(int threads) {
        return new ParallelConfig(threads, false, false, 64, true, DEFAULT_CLAIM_CHUNK, Algorithm.AUTO);
    }

    public ParallelConfig withTrace(boolean on) {
        return new ParallelConfig(threads, on, selfCheck, spinRounds, adaptive, claimChunk, algorithm);
    }

    public ParallelConfig withSelfCheck(boolean on) {
        return new ParallelConfig(threads, trace, on, spinRounds, adaptive, claimChunk, algorithm);
    }

    public ParallelConfig withSpinRounds(int rounds) {
        return new ParallelConfig(threads, trace, selfCheck, rounds, adaptive, claimChunk, algorithm);
    }

    public ParallelConfig withAdaptive(boolean on) {
        return new ParallelConfig(threads, trace, selfCheck, spinRounds, on, claimChunk, algorithm);
    }

    public ParallelConfig withAlgorithm(Algorithm a) {
        return new ParallelConfig(threads, trace, selfCheck, spinRounds, adaptive, claimChunk, a);
    }

    public ParallelConfig withClaimChunk(int chunk) {
        return new ParallelConfig(threads, trace, selfCheck, spinRounds, adaptive, chunk, algorithm);
    }
}
