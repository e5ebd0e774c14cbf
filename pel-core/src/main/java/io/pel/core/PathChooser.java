package io.pel.core;

/**
 * Chooses, block by block, between Block-STM and running the block sequentially. For state-only
 * transactions, or a block that is one long dependency chain, Block-STM's bookkeeping costs more than
 * parallelism wins; this notices and takes the cheaper path.
 *
 * <p>What it learns is a ratio per Block-STM block: its nanoseconds per transaction over what running the same
 * block sequentially would have cost, the latter estimated from a sample of timed executions of that very
 * block. Both sides come from one block, so a change of workload that makes everything cheaper or dearer does
 * not leave a stale figure on one side.
 *
 * <p>It switches to sequential only when each of the last {@link #WINDOW} Block-STM blocks lost, that is when
 * the best of them did. Outside disturbances only ever slow a block down: a worker descheduled by the host, an
 * idle core that takes milliseconds to wake up on a virtual machine, a collection. One disturbed block used to
 * be enough to switch (a moving average jumped past the line), and then several blocks ran sequentially that
 * Block-STM would have run faster. The best of a few blocks is what Block-STM can do on this workload.
 *
 * <p>Running sequentially says nothing about Block-STM, so then Block-STM is retried now and then, for up to
 * {@link #RETRY_BLOCKS} blocks (the first block on an idle core pays for waking it; a win ends the retry
 * early): at least every {@link #MIN_RETRY_INTERVAL} blocks, less often the more it lost (retries should cost
 * about {@link #RETRY_BUDGET} of the time sequential saves), and half as often again each time a retry
 * confirms the choice. A sequential cost {@link #SHIFT} times above its average for three blocks running
 * means transactions got heavier, which is when Block-STM starts to pay: it is retried with the next block.
 * (Lighter transactions only make Block-STM's fixed cost per transaction weigh more, so a drop triggers
 * nothing; and a single slow block is a pause, not a new workload.)
 *
 * <p>The first {@link #WARM_UP_TRANSACTIONS} transactions always run on Block-STM and are not judged: until
 * the JIT has compiled its code (measured here: about 150 000 transactions to steady state), Block-STM runs
 * up to several times slower than it will, and a judgement then would keep it cold for good. A one-time cost,
 * small for a node that runs for hours.
 *
 * <p>Not thread-safe: the executor calls it under its own lock.
 */
final class PathChooser {

    static final int MIN_RETRY_INTERVAL = 8;
    static final int MAX_RETRY_INTERVAL = 1024;
    /** Share of run time that retries of a losing Block-STM may cost. */
    static final double RETRY_BUDGET = 0.02;
    /**
     * Block-STM is kept while its cost is at most this many times the sequential estimate: the estimate,
     * taken from timed executions, misses the sequential executor's own bookkeeping, so near a tie
     * Block-STM is the safer bet.
     */
    static final double KEEP_PARALLEL_UP_TO = 1 / 0.85;
    /** A sequential cost this many times its average is a change of workload. */
    static final double SHIFT = 2.0;
    /** Transactions that always go to Block-STM at the start, unjudged, so its code is compiled first. */
    static final long WARM_UP_TRANSACTIONS = 150_000;
    /** Block-STM blocks that must all have lost before it is given up. */
    static final int WINDOW = 4;
    /** Blocks a retry of Block-STM runs at most. */
    static final int RETRY_BLOCKS = 2;
    /** Weight of the newest block in the sequential cost's moving average. */
    private static final double ALPHA = 0.3;

    private final int threads;
    /** Block-STM cost over estimated sequential cost, for the last {@link #WINDOW} judged blocks (a ring). */
    private final double[] ratios = new double[WINDOW];
    private int ratioCount;
    private int nextRatio;
    private boolean sequential;
    /** Nanoseconds per transaction of recent ordinary sequential blocks, to notice a change of workload. */
    private double sequentialNanosPerTx = Double.NaN;
    private int retryInterval = MIN_RETRY_INTERVAL;
    private int sinceRetry;
    /** Blocks left in the retry under way (0: none). */
    private int retryLeft;
    /** Consecutive sequential blocks whose cost was far above the average. */
    private int shifted;
    /** Transactions run on Block-STM so far (counted up to the warm-up). */
    private long parallelTransactions;

    PathChooser(int threads) {
        this.threads = threads;
    }

    BlockStats.Path choose(int transactions) {
        if (threads == 1 || transactions < ParallelConfig.MIN_PARALLEL_BLOCK) {
            return BlockStats.Path.SEQUENTIAL;
        }
        if (!sequential || retryLeft > 0) {
            return BlockStats.Path.PARALLEL;
        }
        if (++sinceRetry >= retryInterval) {
            sinceRetry = 0;
            retryLeft = RETRY_BLOCKS;
            ratioCount = 0; // what Block-STM did before the switch is stale
            nextRatio = 0;
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
        boolean retrying = retryLeft > 0;
        if (retrying) {
            retryLeft--;
        }
        if (!counts(transactions) || !(estimatedSequentialNanosPerTx > 0)) {
            return;
        }
        if (parallelTransactions < WARM_UP_TRANSACTIONS) {
            parallelTransactions += transactions;
            return;
        }
        double ratio = ((double) wallNanos / transactions) / estimatedSequentialNanosPerTx;
        ratios[nextRatio] = ratio;
        nextRatio = (nextRatio + 1) % WINDOW;
        ratioCount = Math.min(WINDOW, ratioCount + 1);
        if (!retrying) {
            if (ratioCount == WINDOW && best() > KEEP_PARALLEL_UP_TO) {
                sequential = true;
                sinceRetry = 0;
                retryInterval = Math.max(MIN_RETRY_INTERVAL, affordableInterval());
            }
        } else if (ratio <= KEEP_PARALLEL_UP_TO) {
            // The retry won: back to Block-STM, judged again from here on.
            sequential = false;
            retryLeft = 0;
            retryInterval = MIN_RETRY_INTERVAL;
        } else if (retryLeft == 0) {
            // Every block of the retry lost: stay, and retry half as often, at least as far apart as the loss
            // affords.
            retryInterval = Math.min(MAX_RETRY_INTERVAL, Math.max(retryInterval * 2, affordableInterval()));
        }
    }

    /**
     * Retries every this many blocks cost about RETRY_BUDGET, at the loss the recent blocks showed on average:
     * the best of them decides whether Block-STM loses, but a retry costs what a typical block loses (sized
     * by the best one, retries of state-only p2p came every 20 blocks and cost it 15 %).
     */
    private int affordableInterval() {
        return (int) Math.min(MAX_RETRY_INTERVAL, Math.ceil(RETRY_BLOCKS * (mean() - 1) / RETRY_BUDGET));
    }

    private double mean() {
        double sum = 0;
        for (int i = 0; i < ratioCount; i++) {
            sum += ratios[i];
        }
        return ratioCount == 0 ? 1 : sum / ratioCount;
    }

    /** The lowest recent ratio: what Block-STM does on this workload when nothing disturbs it. */
    private double best() {
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < ratioCount; i++) {
            best = Math.min(best, ratios[i]);
        }
        return best;
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

    /** Fixed costs dominate tiny blocks; they would only blur the averages. */
    private boolean counts(int transactions) {
        return threads > 1 && transactions >= ParallelConfig.MIN_PARALLEL_BLOCK;
    }

    int retryInterval() {
        return retryInterval;
    }

    @Override
    public String toString() {
        return String.format("PathChooser[%s, best recent Block-STM/sequential %.2f, sequential %.0f ns/tx,"
                + " retry every %d]", sequential ? "sequential" : "Block-STM", best(), sequentialNanosPerTx,
                retryInterval);
    }
}
