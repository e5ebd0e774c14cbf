package io.pel.core;

/**
 * Chooses, block by block, between Block-STM and running the block sequentially. For state-only
 * transactions, or a block that is one long dependency chain, Block-STM's bookkeeping costs more than
 * parallelism wins; this notices and takes the cheaper path.
 *
 * <p>What it knows: the nanoseconds per transaction of recent blocks on each path (moving averages). A
 * parallel block also estimates what the sequential path would have cost, from a sample of timed
 * transaction executions, so while Block-STM runs the comparison is always fresh and a switch to sequential
 * needs no experiment. Running sequentially says nothing about Block-STM, so then Block-STM is retried now
 * and then: at least every {@link #MIN_RETRY_INTERVAL} blocks, less often the more it lost last time (a
 * retry should cost at most about {@link #RETRY_BUDGET} of the time saved), and half as often again each
 * time a retry confirms the choice.
 *
 * <p>Not thread-safe: the executor calls it under its own lock.
 */
final class PathChooser {

    static final int MIN_RETRY_INTERVAL = 8;
    static final int MAX_RETRY_INTERVAL = 1024;
    /** Share of run time that retries of a losing Block-STM may cost. */
    static final double RETRY_BUDGET = 0.05;
    /**
     * Sequential is taken only when it looks this much cheaper: the estimate from timed executions misses
     * the sequential executor's own bookkeeping, so near a tie Block-STM is the safer bet.
     */
    static final double SEQUENTIAL_MARGIN = 0.85;
    /** Weight of the newest block in the moving averages. */
    private static final double ALPHA = 0.3;

    private final int threads;
    private double parallelNanosPerTx = Double.NaN;
    private double sequentialNanosPerTx = Double.NaN;
    private int retryInterval = MIN_RETRY_INTERVAL;
    private int sinceRetry;
    private boolean retrying;

    PathChooser(int threads) {
        this.threads = threads;
    }

    BlockStats.Path choose(int transactions) {
        retrying = false;
        if (threads == 1 || transactions < ParallelConfig.MIN_PARALLEL_BLOCK) {
            return BlockStats.Path.SEQUENTIAL;
        }
        if (Double.isNaN(parallelNanosPerTx) || !sequentialWins()) {
            return BlockStats.Path.PARALLEL;
        }
        if (++sinceRetry >= retryInterval) {
            sinceRetry = 0;
            retrying = true;
            return BlockStats.Path.PARALLEL;
        }
        return BlockStats.Path.SEQUENTIAL;
    }

    /**
     * Records a block run with Block-STM.
     *
     * @param estimatedSequentialNanosPerTx what running it sequentially would probably have cost per
     *                                      transaction, or NaN when unknown
     */
    void recordParallel(int transactions, long wallNanos, double estimatedSequentialNanosPerTx) {
        if (!counts(transactions)) {
            return;
        }
        double perTx = (double) wallNanos / transactions;
        // After a retry the old average is stale: the fresh cost replaces it.
        parallelNanosPerTx = retrying ? perTx : average(parallelNanosPerTx, perTx);
        if (!Double.isNaN(estimatedSequentialNanosPerTx)) {
            sequentialNanosPerTx = average(sequentialNanosPerTx, estimatedSequentialNanosPerTx);
        }
        if (retrying) {
            if (!sequentialWins()) {
                retryInterval = MIN_RETRY_INTERVAL;
            } else {
                double lossPerRetry = parallelNanosPerTx / sequentialNanosPerTx - 1;
                int affordable = (int) Math.ceil(lossPerRetry / RETRY_BUDGET);
                retryInterval = Math.min(MAX_RETRY_INTERVAL, Math.max(retryInterval * 2, affordable));
            }
        }
    }

    private boolean sequentialWins() {
        return sequentialNanosPerTx < parallelNanosPerTx * SEQUENTIAL_MARGIN;
    }

    /** Records a block run sequentially. */
    void recordSequential(int transactions, long wallNanos) {
        if (counts(transactions)) {
            sequentialNanosPerTx = average(sequentialNanosPerTx, (double) wallNanos / transactions);
        }
    }

    /** Fixed costs dominate tiny blocks; they would only blur the averages. */
    private boolean counts(int transactions) {
        return threads > 1 && transactions >= ParallelConfig.MIN_PARALLEL_BLOCK;
    }

    private static double average(double current, double sample) {
        return Double.isNaN(current) ? sample : current + ALPHA * (sample - current);
    }

    int retryInterval() {
        return retryInterval;
    }

    @Override
    public String toString() {
        return String.format("PathChooser[parallel %.0f ns/tx, sequential %.0f ns/tx, retry every %d]",
                parallelNanosPerTx, sequentialNanosPerTx, retryInterval);
    }
}
