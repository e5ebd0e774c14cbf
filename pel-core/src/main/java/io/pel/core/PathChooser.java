package io.pel.core;

/**
 * Chooses, block by block, between Block-STM and running the block sequentially. For state-only
 * transactions, or a block that is one long dependency chain, Block-STM's bookkeeping costs more than
 * parallelism wins; this notices and takes the cheaper path.
 *
 * <p>What it learns is a ratio: Block-STM's nanoseconds per transaction over what running the same block
 * sequentially would have cost, the latter estimated from a sample of timed executions of that very block.
 * Both sides come from one block, so a change of workload that makes everything cheaper or dearer does not
 * leave a stale figure on one side. While the ratio says Block-STM wins, every block refreshes it. Running
 * sequentially says nothing about Block-STM, so then Block-STM is retried now and then: at least every
 * {@link #MIN_RETRY_INTERVAL} blocks, less often the more it lost (a retry should cost about
 * {@link #RETRY_BUDGET} of the time sequential saves), and half as often again each time a retry confirms the
 * choice. A sequential cost {@link #SHIFT} times above its average for three blocks running means
 * transactions got heavier, which is when Block-STM starts to pay: it is retried with the next block. (Lighter
 * transactions only make Block-STM's fixed cost per transaction weigh more, so a drop triggers nothing; and a
 * single slow block is a pause, not a new workload.)
 *
 * <p>The first {@link #WARM_UP_TRANSACTIONS} transactions always run on Block-STM, and the first
 * {@link #UNJUDGED_TRANSACTIONS} of them are not judged: until the JIT has compiled its code (measured here:
 * about 150 000 transactions to steady state), Block-STM runs up to several times slower than it will, and a
 * judgement then would keep it cold for good. A one-time cost, small for a node that runs for hours.
 *
 * <p>Not thread-safe: the executor calls it under its own lock.
 */
final class PathChooser {

    static final int MIN_RETRY_INTERVAL = 8;
    static final int MAX_RETRY_INTERVAL = 1024;
    /** Share of run time that retries of a losing Block-STM may cost. */
    static final double RETRY_BUDGET = 0.05;
    /**
     * Block-STM is kept while its cost is at most this many times the sequential estimate: the estimate,
     * taken from timed executions, misses the sequential executor's own bookkeeping, so near a tie
     * Block-STM is the safer bet.
     */
    static final double KEEP_PARALLEL_UP_TO = 1 / 0.85;
    /** A sequential cost this many times its average is a change of workload. */
    static final double SHIFT = 2.0;
    /** Transactions that always go to Block-STM at the start, so its code is compiled before it is judged. */
    static final long WARM_UP_TRANSACTIONS = 100_000;
    /** Of those, how many are not judged at all. */
    static final long UNJUDGED_TRANSACTIONS = 50_000;
    /** Weight of the newest block in the moving averages. */
    private static final double ALPHA = 0.3;

    private final int threads;
    /** Block-STM cost over estimated sequential cost, for recent Block-STM blocks. */
    private double ratio = Double.NaN;
    /** Nanoseconds per transaction of recent ordinary sequential blocks, to notice a change of workload. */
    private double sequentialNanosPerTx = Double.NaN;
    private int retryInterval = MIN_RETRY_INTERVAL;
    private int sinceRetry;
    private boolean retrying;
    /** Consecutive sequential blocks whose cost was far above the average. */
    private int shifted;
    /** Transactions run on Block-STM so far (counted up to the warm-up). */
    private long parallelTransactions;

    PathChooser(int threads) {
        this.threads = threads;
    }

    BlockStats.Path choose(int transactions) {
        retrying = false;
        if (threads == 1 || transactions < ParallelConfig.MIN_PARALLEL_BLOCK) {
            return BlockStats.Path.SEQUENTIAL;
        }
        if (parallelTransactions < WARM_UP_TRANSACTIONS || !sequentialWins()) {
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
        if (!counts(transactions) || !(estimatedSequentialNanosPerTx > 0)) {
            return;
        }
        if (parallelTransactions < WARM_UP_TRANSACTIONS) {
            parallelTransactions += transactions;
        }
        if (parallelTransactions <= UNJUDGED_TRANSACTIONS) {
            return;
        }
        double sample = ((double) wallNanos / transactions) / estimatedSequentialNanosPerTx;
        // After a retry the old ratio is stale: the fresh one replaces it.
        ratio = retrying || Double.isNaN(ratio) ? sample : ratio + ALPHA * (sample - ratio);
        if (!sequentialWins()) {
            retryInterval = MIN_RETRY_INTERVAL;
        } else {
            // Space retries so that they cost about RETRY_BUDGET, from the first switch on; a retry that
            // confirms the choice doubles the spacing.
            int affordable = (int) Math.min(MAX_RETRY_INTERVAL, Math.ceil((ratio - 1) / RETRY_BUDGET));
            int spacing = retrying ? retryInterval * 2 : retryInterval;
            retryInterval = Math.min(MAX_RETRY_INTERVAL, Math.max(spacing, affordable));
        }
    }

    /** Records a block run sequentially. */
    void recordSequential(int transactions, long wallNanos) {
        if (!counts(transactions)) {
            return;
        }
        double perTx = (double) wallNanos / transactions;
        if (Double.isNaN(sequentialNanosPerTx)) {
            sequentialNanosPerTx = perTx;
        } else if (perTx > sequentialNanosPerTx * SHIFT) {
            // Far above the usual cost: leave the average alone until it is clear this is the new normal.
            if (++shifted >= 3) {
                shifted = 0;
                sequentialNanosPerTx = perTx;
                retryInterval = MIN_RETRY_INTERVAL;
                sinceRetry = retryInterval - 1; // the workload changed: give Block-STM the next block
            }
        } else {
            shifted = 0;
            sequentialNanosPerTx += ALPHA * (perTx - sequentialNanosPerTx);
        }
    }

    private boolean sequentialWins() {
        return ratio > KEEP_PARALLEL_UP_TO;
    }

    /** Fixed costs dominate tiny blocks; they would only blur the averages. */
    private boolean counts(int transactions) {
        return threads > 1 && transactions >= ParallelConfig.MIN_PARALLEL_BLOCK;
    }

    int retryInterval() {
        return retryInterval;
    }

    @Override
    public String toString() {
        return String.format("PathChooser[Block-STM/sequential %.2f, sequential %.0f ns/tx, retry every %d]",
                ratio, sequentialNanosPerTx, retryInterval);
    }
}
