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
 */
public record ParallelConfig(int threads, boolean trace, boolean selfCheck, int spinRounds) {

    /** Upper bound on worker threads, a guard against typos such as 1000. */
    public static final int MAX_THREADS = 256;

    public ParallelConfig {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in 1.." + MAX_THREADS + ", got " + threads);
        }
        if (spinRounds < 0) {
            throw new IllegalArgumentException("spinRounds must be >= 0, got " + spinRounds);
        }
    }

    public static ParallelConfig defaults(int threads) {
        return new ParallelConfig(threads, false, false, 64);
    }

    public ParallelConfig withTrace(boolean on) {
        return new ParallelConfig(threads, on, selfCheck, spinRounds);
    }

    public ParallelConfig withSelfCheck(boolean on) {
        return new ParallelConfig(threads, trace, on, spinRounds);
    }

    public ParallelConfig withSpinRounds(int rounds) {
        return new ParallelConfig(threads, trace, selfCheck, rounds);
    }
}
