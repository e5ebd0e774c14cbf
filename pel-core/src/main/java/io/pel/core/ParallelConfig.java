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
 * @param claimChunk  how many consecutive transactions a worker claims at once, for execution and for
 *                    validation; 1 is the paper's one-at-a-time. Larger keeps neighbouring transactions on one
 *                    core (fewer cache lines shared between cores) at the cost of a slightly blurred index order
 */
public record ParallelConfig(int threads, boolean trace, boolean selfCheck, int spinRounds, boolean adaptive,
                             int claimChunk) {

    /** Upper bound on worker threads, a guard against typos such as 1000. */
    public static final int MAX_THREADS = 256;

    /** Transactions claimed at once by default (see {@link #claimChunk}). */
    public static final int DEFAULT_CLAIM_CHUNK = 16;

    /** Below this many transactions, waking the workers costs more than parallelism can win. */
    public static final int MIN_PARALLEL_BLOCK = 32;

    /**
     * Transactions an adaptive executor always runs on Block-STM first, so its code is compiled before it is
     * judged: a one-time cost that a benchmark of the steady state should leave out of its measurements.
     */
    public static final long ADAPTIVE_WARM_UP_TRANSACTIONS = PathChooser.WARM_UP_TRANSACTIONS;

    /**
     * Blocks an adaptive executor runs on Block-STM after its warm-up before it may give Block-STM up: every
     * one of them must have lost. A benchmark of the steady state should leave these out as well.
     */
    public static final int ADAPTIVE_JUDGED_BLOCKS = PathChooser.WINDOW;

    public ParallelConfig {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in 1.." + MAX_THREADS + ", got " + threads);
        }
        if (claimChunk < 1 || claimChunk > 1024) {
            throw new IllegalArgumentException("claimChunk must be in 1..1024, got " + claimChunk);
        }
        if (spinRounds < 0) {
            throw new IllegalArgumentException("spinRounds must be >= 0, got " + spinRounds);
        }
    }

    public static ParallelConfig defaults(int threads) {
        return new ParallelConfig(threads, false, false, 64, true, DEFAULT_CLAIM_CHUNK);
    }

    public ParallelConfig withTrace(boolean on) {
        return new ParallelConfig(threads, on, selfCheck, spinRounds, adaptive, claimChunk);
    }

    public ParallelConfig withSelfCheck(boolean on) {
        return new ParallelConfig(threads, trace, on, spinRounds, adaptive, claimChunk);
    }

    public ParallelConfig withSpinRounds(int rounds) {
        return new ParallelConfig(threads, trace, selfCheck, rounds, adaptive, claimChunk);
    }

    public ParallelConfig withAdaptive(boolean on) {
        return new ParallelConfig(threads, trace, selfCheck, spinRounds, on, claimChunk);
    }

    public ParallelConfig withClaimChunk(int chunk) {
        return new ParallelConfig(threads, trace, selfCheck, spinRounds, adaptive, chunk);
    }
}
