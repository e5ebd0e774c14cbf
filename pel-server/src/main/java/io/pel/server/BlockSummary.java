package io.pel.server;

/**
 * The figures the dashboard charts for one committed block, derived by {@link ChainObserver}.
 *
 * @param height          the block's height
 * @param transactions    transactions in it
 * @param timestampMillis its header's timestamp
 * @param tps             committed transactions per second around this block: the transactions of the blocks
 *                        made in the {@value ChainObserver#TPS_WINDOW_MILLIS} ms up to it (by header timestamps),
 *                        the oldest excluded, over the time from the oldest to this one; with a single block in
 *                        the window, its transactions over the window
 * @param speedup         estimated parallel speed-up over sequential execution: the time the incarnations that
 *                        counted (each transaction's last executed incarnation) ran, summed over workers, divided
 *                        by the engine's wall time for the block. 1 means no gain; it ignores that a sequential run
 *                        skips the engine's bookkeeping, so it flatters slightly. {@code null} when the block was
 *                        not traced
 * @param busy            average busy workers during the block: all traced task time (wasted work included) over
 *                        wall time; {@code null} when not traced
 * @param reexecutions    executions beyond the first per transaction, summed
 * @param reexecPerTx     {@code reexecutions / transactions}
 * @param executionNanos  the engine run
 * @param totalNanos      the whole block production
 * @param path            how the engine ran it: {@code PARALLEL} or {@code SEQUENTIAL}
 */
public record BlockSummary(long height, int transactions, long timestampMillis, double tps, Double speedup,
                           Double busy, long reexecutions, double reexecPerTx, long executionNanos, long totalNanos,
                           String path) {
}
