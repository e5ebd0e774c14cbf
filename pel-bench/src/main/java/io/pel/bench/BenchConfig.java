package io.pel.bench;

import java.util.List;

/**
 * What one {@code pel bench} run measures: every combination of workload, account count and weight, each with
 * the sequential executor and the parallel executor at every thread count.
 *
 * @param blocks blocks per repetition (each a different seeded block)
 * @param reps   measured repetitions, interleaved across executors; the median is reported
 * @param warmup unmeasured repetitions first (the first also checks parallel == sequential)
 * @param blockStm whether to add rows for Block-STM forced on every block (no adaptive fallback), which
 *                 show the parallel path's own cost
 * @param ordered  whether to add rows for the ordered-commit algorithm forced on every block, likewise
 * @param ceiling  whether to add, for every thread count above 1, the machine's ceiling ({@link Ceiling}):
 *                 as many sequential executors on slices of the block at once, dependencies ignored
 * @param minRepetitionMillis the least a repetition should take sequentially: a case whose {@code blocks}
 *                 run faster gets more seeded blocks (up to {@link Bench#MAX_BLOCKS}, run in turn up to
 *                 {@link Bench#MAX_BLOCK_RUNS} a repetition); 0 keeps {@code blocks}
 */
public record BenchConfig(List<Workload.Kind> workloads, List<Integer> accounts, double fraction,
                          List<Weight> weights, int blockSize, int blocks, List<Integer> threads, int reps,
                          int warmup, long seed, boolean blockStm, boolean ordered, boolean ceiling,
                          long minRepetitionMillis) {

    public BenchConfig {
        workloads = List.copyOf(workloads);
        accounts = List.copyOf(accounts);
        weights = List.copyOf(weights);
        threads = List.copyOf(threads);
        require(!workloads.isEmpty(), "at least one workload");
        require(!accounts.isEmpty(), "at least one account count");
        require(!weights.isEmpty(), "at least one weight");
        require(!threads.isEmpty(), "at least one thread count");
        require(blockSize >= 1, "block size >= 1");
        require(blocks >= 1, "blocks >= 1");
        require(reps >= 1, "reps >= 1");
        require(warmup >= 1, "warmup >= 1 (the first warm-up checks correctness)");
        require(minRepetitionMillis >= 0, "a least repetition time >= 0 ms");
        for (int t : threads) {
            require(t >= 1 && t <= 256, "threads within 1..256");
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException("bench needs " + what);
        }
    }
}
