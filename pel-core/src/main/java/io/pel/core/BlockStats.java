package io.pel.core;

/**
 * What executing one block cost.
 *
 * @param transactions         transactions in the block
 * @param executions           transaction runs (incarnations started), including those that were suspended
 * @param reexecutions         executions beyond the first of each transaction
 * @param validations          read-set validations performed
 * @param failedValidations    validations that aborted an incarnation
 * @param dependencySuspensions times a transaction read another's aborted write and was suspended on it
 * @param wallNanos            wall-clock time of {@code execute}
 * @param threads              worker threads that took part
 * @param path                 how the block was run
 */
public record BlockStats(
        int transactions,
        long executions,
        long reexecutions,
        long validations,
        long failedValidations,
        long dependencySuspensions,
        long wallNanos,
        int threads,
        Path path) {

    /** How a block was run. */
    public enum Path {
        /** One transaction after another on the calling thread. */
        SEQUENTIAL,
        /** Block-STM on the executor's workers. */
        PARALLEL,
        /** Speculation ahead of an in-order commit on the executor's workers (no multi-version memory). */
        ORDERED;

        /** Whether the block ran on several workers (either parallel algorithm). */
        public boolean parallel() {
            return this != SEQUENTIAL;
        }
    }

    /** Executions beyond the first per transaction: 0 when nothing was re-run. */
    public double reexecutionsPerTransaction() {
        return transactions == 0 ? 0 : (double) reexecutions / transactions;
    }
}
