package io.pel.bench;

/**
 * One measured line of {@code pel bench}.
 *
 * @param tps          committed transactions per second (median repetition)
 * @param speedup      sequential median time / this executor's median time, measured in the same run
 * @param reexecPerTx  executions beyond the first, per transaction
 * @param bound        the best speed-up any schedule could reach: min(threads, n / longest dependency chain)
 *                     over the run's blocks
 * @param efficiency   speedup / bound
 * @param medianMillis the median repetition's time
 * @param extraNanosPerTx core time this executor spent per transaction beyond what sequential took: (cores busy
 *                     × median − sequential median) / transactions, with cores = min(threads, available
 *                     processors) and idle cores counted as spent; 0 for the sequential row
 * @param scaling      this executor's median at 1 thread ÷ its median at these threads, in the same run: how well
 *                     its own work spreads over the threads, apart from what that work costs (speedup =
 *                     speedup at 1 thread × scaling); NaN where there is no such pair (the sequential and
 *                     ceiling rows, 1-thread rows, or no 1 among the thread counts)
 * @param blockStmShare the share of measured blocks this executor ran with Block-STM (the adaptive executor
 *                     may run a block sequentially, or with the other algorithm, instead); NaN for the
 *                     sequential and ceiling rows
 * @param orderedShare the share of measured blocks it ran with the ordered-commit algorithm; NaN likewise
 * @param baselineDisturbed whether this row's case measured the sequential executor's code twice with results
 *                     too far apart to trust its speed-ups ({@link Bench#disturbedBaseline}); the same for
 *                     every row of a case
 */
public record BenchRow(String workload, String weight, String executor, int threads, int accounts, int blockSize,
                       double tps, double speedup, double reexecPerTx, double bound, double efficiency,
                       double medianMillis, double extraNanosPerTx, double scaling, double blockStmShare,
                       double orderedShare, boolean baselineDisturbed) {

    /**
     * One JSON object with exactly the documented field names (the median time, the extra core time per
     * transaction, the scaling, the parallel algorithms' shares and the baseline's check are in the table and
     * the targets' summary only; a disturbed baseline is also a warning on stderr).
     */
    public String toJson() {
        return "{\"workload\":\"" + workload + "\",\"weight\":\"" + weight + "\",\"executor\":\"" + executor
                + "\",\"threads\":" + threads + ",\"accounts\":" + accounts + ",\"block_size\":" + blockSize
                + ",\"tps\":" + round(tps, 1) + ",\"speedup\":" + round(speedup, 3)
                + ",\"reexec_per_tx\":" + round(reexecPerTx, 4) + ",\"bound\":" + round(bound, 3)
                + ",\"efficiency\":" + round(efficiency, 3) + "}";
    }

    private static String round(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return java.math.BigDecimal.valueOf(v).setScale(digits, java.math.RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString();
    }
}
