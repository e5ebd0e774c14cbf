package io.pel.core;

/**
 * Chooses, block by block, between running the block in parallel and running it sequentially, and, when asked
 * to, between the two parallel algorithms (Block-STM, {@link BlockStats.Path#PARALLEL}, and the ordered
 * commit, {@link BlockStats.Path#ORDERED}). For state-only transactions, or a block that is one long
 * dependency chain, the parallel bookkeeping costs more than parallelism wins; this notices and takes the
 * cheaper path. Below, "Block-STM" stands for whichever parallel algorithm is in use.
 *
 * <p>Choosing the algorithm: during the warm-up both run, each for its own {@link #WARM_UP_TRANSACTIONS}, so both
 * get compiled; then they and sequential take turns until each has a full window of blocks, and the algorithm
 * whose blocks took fewer nanoseconds per transaction on average is kept, if that is less than sequential's
 * (all three measured, not estimated; then judged against sequential as below). The
 * other gets {@link #RETRY_BLOCKS} blocks now and then (every {@link #MIN_PROBE_INTERVAL} parallel blocks at
 * first, half as often each time it loses again, up to {@link #MAX_PROBE_INTERVAL}); if its blocks beat the
 * recent blocks of the one in use on average, it takes over. On
 * two cores the ordered commit wins on most workloads; with many cores, where its one-at-a-time commit
 * becomes the bottleneck, Block-STM may.
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
 * early; a win is a block faster than the sequential blocks just before it, measured, not estimated): at
 * least every {@link #MIN_RETRY_INTERVAL} blocks, less often the more it lost (retries should cost
 * about {@link #RETRY_BUDGET} of the time sequential saves), and half as often again each time a retry
 * confirms the choice. A sequential cost {@link #SHIFT} times above its average for three blocks running
 * means transactions got heavier, which is when Block-STM starts to pay: it is retried with the next block.
 * (Lighter transactions only make Block-STM's fixed cost per transaction weigh more, so a drop triggers
 * nothing; and a single slow block is a pause, not a new workload.)
 *
 * <p>Running in parallel, the judgement rests on estimates, and an estimate can lean far off where
 * transactions are cheap; so sequential is measured too, {@link #RETRY_BLOCKS} blocks now and then (spaced so
 * that this costs about {@link #CHECK_BUDGET} of run time at the gain last measured, and half as often each
 * time it confirms the choice; at once when a parallel block takes a fraction of the best recent one's time,
 * which is when parallel execution's fixed cost stops paying). If sequential was no slower than the best of the
 * recent parallel blocks, it takes over.
 *
 * <p>The first {@link #WARM_UP_TRANSACTIONS} transactions of each algorithm in use are not judged: until
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
     * taken from timed first executions that read through multi-version memory, misses the sequential
     * executor's own bookkeeping, so near a tie Block-STM is the safer bet.
     */
    static final double KEEP_PARALLEL_UP_TO = 1 / 0.85;
    /**
     * The ordered commit is kept only while it beats the estimate: its estimate is timed at the commit point,
     * with the run's own recording, so it leans high if anything, and a tie is no gain. With Block-STM's margin
     * it was kept on a pure chain (p2p between two accounts, every transaction run twice), where its best
     * blocks dipped to 1.1 times the estimate and it ran at 0.83 of sequential.
     */
    static final double KEEP_ORDERED_UP_TO = 1.0;
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

    /** Share of run time that measuring sequential while a parallel algorithm runs may cost. */
    static final double CHECK_BUDGET = 0.005;
    /** Parallel blocks between two probes of the other algorithm, at first and at most. */
    static final int MIN_PROBE_INTERVAL = 32;
    static final int MAX_PROBE_INTERVAL = 1024;

    private final int threads;
    /** Whether it chooses between the two parallel algorithms; if not, {@link #current} is fixed. */
    private final boolean choosesAlgorithm;
    /** The parallel algorithm in use: {@link BlockStats.Path#PARALLEL} or {@link BlockStats.Path#ORDERED}. */
    private BlockStats.Path current;
    /**
     * Per parallel algorithm, its cost over the estimated sequential cost, for its last {@link #WINDOW} judged
     * blocks (a ring each; index 0 Block-STM, 1 ordered commit).
     */
    private final double[][] ratios = new double[2][WINDOW];
    /**
     * The same blocks' nanoseconds per transaction, for comparing the two algorithms with each other: each
     * estimates the sequential cost from runs of its own kind (Block-STM from first executions, the ordered
     * commit from runs at the commit point), so their ratios measure against different yardsticks. With more
     * threads than cores, runs at the commit point include time descheduled, and by ratio the ordered commit
     * won the comparison on heavy independent transactions where it took 1.2 times Block-STM's time.
     */
    private final double[][] costs = new double[2][WINDOW];
    private final int[] ratioCounts = new int[2];
    /**
     * Sequential blocks run during the comparison, nanoseconds per transaction (when choosing): measured, since
     * an estimate can lean far off. Timed at the commit point, with the timing's own cost in it, the ordered
     * commit's estimate came out 1.8 times the real cost of state-only transfers (230 against 130 ns), and
     * judged by it the ordered commit was kept running them at 0.7 of sequential.
     */
    private final double[] comparedSequential = new double[WINDOW];
    private int comparedSequentialCount;
    private final int[] nextRatios = new int[2];
    /**
     * Until both algorithms and sequential have a full window of blocks, they take turns (when choosing between
     * the algorithms).
     */
    private boolean comparing;
    /** Blocks left in a probe of the algorithm not in use (0: none), and when the next one is due. */
    private int probeLeft;
    private int probeInterval = MIN_PROBE_INTERVAL;
    private int sinceProbe;
    private boolean sequential;
    /** Nanoseconds per transaction of recent ordinary sequential blocks, to notice a change of workload. */
    private double sequentialNanosPerTx = Double.NaN;
    /**
     * Parallel blocks between two checks of sequential while a parallel algorithm runs (see the class comment;
     * by the ordered commit's estimate, state-only transfers took 230 ns each where sequential took 130).
     */
    private int checkInterval = MIN_PROBE_INTERVAL;
    private int sinceCheck;
    /** Blocks left in the check under way (0: none), and their nanoseconds per transaction so far. */
    private int checkLeft;
    private double checkBest;
    /**
     * The last {@link #WINDOW} sequential blocks' nanoseconds per transaction (a ring; emptied when the workload
     * changed): the fastest is what sequential does undisturbed, as the fastest recent parallel block is what
     * parallel does. Judged by an average of sequential blocks against the fastest parallel one, a pure p2p case
     * on a slow, noisy stretch of this machine ran 90 % of its blocks with the ordered commit at 0.88 of the
     * sequential code's speed.
     */
    private final double[] recentSequential = new double[WINDOW];
    private int recentSequentialCount;
    private int nextRecentSequential;
    /** Whether a parallel block took a fraction of the best recent one's time since the last check. */
    private boolean cheaper;
    private int retryInterval = MIN_RETRY_INTERVAL;
    private int sinceRetry;
    /** Blocks left in the retry under way (0: none). */
    private int retryLeft;
    /** Consecutive sequential blocks whose cost was far above the average. */
    private int shifted;
    /** Transactions run with each algorithm so far (counted up to the warm-up; index as {@link #ratios}). */
    private final long[] warmedUp = new long[2];

    /** A chooser between sequential and Block-STM only. */
    PathChooser(int threads) {
        this(threads, BlockStats.Path.PARALLEL, false);
    }

    /**
     * @param algorithm        the parallel algorithm to use ({@link BlockStats.Path#PARALLEL} for Block-STM or
     *                         {@link BlockStats.Path#ORDERED}), or to start from when choosing
     * @param choosesAlgorithm whether to measure both parallel algorithms and use the faster one
     */
    PathChooser(int threads, BlockStats.Path algorithm, boolean choosesAlgorithm) {
        if (algorithm == BlockStats.Path.SEQUENTIAL) {
            throw new IllegalArgumentException("the parallel algorithm cannot be SEQUENTIAL");
        }
        this.threads = threads;
        this.current = algorithm;
        this.choosesAlgorithm = choosesAlgorithm;
        this.comparing = choosesAlgorithm;
    }

    private static int index(BlockStats.Path algorithm) {
        return algorithm == BlockStats.Path.ORDERED ? 1 : 0;
    }

    private static BlockStats.Path other(BlockStats.Path algorithm) {
        return algorithm == BlockStats.Path.ORDERED ? BlockStats.Path.PARALLEL : BlockStats.Path.ORDERED;
    }

    /** The parallel algorithm the next parallel block runs. */
    private BlockStats.Path algorithm() {
        if (!choosesAlgorithm) {
            return current;
        }
        if (warmingUp()) {
            // Each gets its own warm-up: judged on code the JIT has not finished with, the ordered commit
            // looked two to three times slower than it is, lost the comparison, and was never compiled fully.
            return warmedUp[index(other(current))] < warmedUp[index(current)] ? other(current) : current;
        }
        if (comparing) {
            // Then both are judged on alternate blocks until each has a window.
            return ratioCounts[index(other(current))] < ratioCounts[index(current)] ? other(current) : current;
        }
        if (probeLeft > 0) {
            return other(current);
        }
        if (!sequential && ++sinceProbe >= probeInterval) {
            // Now and then the other algorithm gets a few blocks: the workload may have changed in its favour.
            sinceProbe = 0;
            probeLeft = RETRY_BLOCKS;
            ratioCounts[index(other(current))] = 0;
            nextRatios[index(other(current))] = 0;
            return other(current);
        }
        return current;
    }

    /** The parallel algorithm in use (the one a sequential stretch retries). */
    BlockStats.Path currentAlgorithm() {
        return current;
    }

    BlockStats.Path choose(int transactions) {
        if (threads == 1 || transactions < ParallelConfig.MIN_PARALLEL_BLOCK) {
            return BlockStats.Path.SEQUENTIAL;
        }
        if (comparing && !warmingUp()
                && comparedSequentialCount < Math.min(WINDOW, Math.min(ratioCounts[0], ratioCounts[1]))) {
            // Sequential takes its turn in the comparison too: measured, not estimated.
            return BlockStats.Path.SEQUENTIAL;
        }
        if (!sequential || retryLeft > 0) {
            return sequentialCheckDue() ? BlockStats.Path.SEQUENTIAL : algorithm();
        }
        if (++sinceRetry >= retryInterval) {
            sinceRetry = 0;
            retryLeft = RETRY_BLOCKS;
            ratioCounts[index(current)] = 0; // what it did before the switch is stale
            nextRatios[index(current)] = 0;
            return current;
        }
        return BlockStats.Path.SEQUENTIAL;
    }

    /** Whether the next block measures sequential while a parallel algorithm runs (see {@link #checkInterval}). */
    private boolean sequentialCheckDue() {
        if (sequential || comparing || warmingUp() || probeLeft > 0 || ratioCounts[index(current)] < WINDOW) {
            return false; // judged against a full window of the algorithm in use, and nothing else under way
        }
        // Transactions that got far cheaper are when parallel execution's fixed cost stops paying, and when
        // the estimate leans furthest off: then sequential is measured at once (at most every MIN_PROBE_INTERVAL).
        if (checkLeft == 0 && (++sinceCheck >= checkInterval || cheaper && sinceCheck >= MIN_PROBE_INTERVAL)) {
            sinceCheck = 0;
            checkLeft = RETRY_BLOCKS;
            checkBest = Double.POSITIVE_INFINITY;
            cheaper = false;
        }
        return checkLeft > 0;
    }

    /**
     * Records a block run with Block-STM.
     *
     * @param estimatedSequentialNanosPerTx what running it sequentially would probably have cost per
     *                                      transaction, or NaN when unknown
     */
    void recordParallel(int transactions, long wallNanos, double estimatedSequentialNanosPerTx) {
        recordParallel(current, transactions, wallNanos, estimatedSequentialNanosPerTx);
    }

    /** Records a block run in parallel with {@code algorithm}; see {@link #recordParallel(int, long, double)}. */
    void recordParallel(BlockStats.Path algorithm, int transactions, long wallNanos,
                        double estimatedSequentialNanosPerTx) {
        if (algorithm != current) {
            recordOther(algorithm, transactions, wallNanos, estimatedSequentialNanosPerTx);
            return;
        }
        boolean retrying = retryLeft > 0;
        if (retrying) {
            retryLeft--;
        }
        if (!judged(algorithm, transactions, estimatedSequentialNanosPerTx)) {
            return;
        }
        double nanosPerTx = (double) wallNanos / transactions;
        double ratio = nanosPerTx / estimatedSequentialNanosPerTx;
        // Disturbances only ever slow a block down: one this much faster than the best recent one ran cheaper
        // transactions.
        cheaper |= ratioCounts[index(current)] == WINDOW && nanosPerTx * SHIFT < bestCost();
        add(current, ratio, nanosPerTx);
        if (comparing) {
            decideAlgorithm(); // nothing is given up before both algorithms had their window
            return;
        }
        if (!retrying) {
            if (ratioCounts[index(current)] == WINDOW && best() > keepUpTo()) {
                giveUpParallel();
            }
        } else if (retryWon(ratio, nanosPerTx)) {
            // The retry won: back to Block-STM, judged again from here on.
            sequential = false;
            retryLeft = 0;
            retryInterval = MIN_RETRY_INTERVAL;
            // Confirmed by a check as soon as there is a window to judge: the sequential blocks it beat may be
            // stale (this machine's speed swings by half for a second at a time, and a retry after a slow
            // stretch won against it; then a check only after MIN_PROBE_INTERVAL blocks kept 35 losing blocks
            // running in parallel each time).
            startChecks(sequentialNanosPerTx, true);
        } else if (retryLeft == 0) {
            // Every block of the retry lost: stay, and retry half as often, at least as far apart as the loss
            // affords.
            retryInterval = Math.min(MAX_RETRY_INTERVAL, Math.max(retryInterval * 2, affordableInterval()));
        }
    }

    /**
     * Whether a block of a retry beat sequential: against the fastest of the sequential blocks run just before
     * it, measured, when there are any; else against its estimate.
     */
    private boolean retryWon(double ratio, double nanosPerTx) {
        return recentSequentialCount == 0 ? ratio <= keepUpTo()
                : nanosPerTx < lowest(recentSequential, recentSequentialCount);
    }

    /**
     * Whether a parallel block of {@code algorithm} is judged: not a tiny one, not one of its warm-up (counted
     * whether or not it could be timed: an algorithm that timed nothing must not stay in its warm-up for good),
     * and one with an estimate to judge it by.
     */
    private boolean judged(BlockStats.Path algorithm, int transactions, double estimatedSequentialNanosPerTx) {
        if (!counts(transactions)) {
            return false;
        }
        if (warmingUp()) {
            warmedUp[index(algorithm)] += transactions;
            return false;
        }
        return estimatedSequentialNanosPerTx > 0;
    }

    /** A block of the algorithm not in use: during the warm-up, the comparison, or a probe. */
    private void recordOther(BlockStats.Path algorithm, int transactions, long wallNanos,
                             double estimatedSequentialNanosPerTx) {
        boolean probing = probeLeft > 0;
        if (probing) {
            probeLeft--;
        }
        if (!judged(algorithm, transactions, estimatedSequentialNanosPerTx)) {
            return;
        }
        double nanosPerTx = (double) wallNanos / transactions;
        add(algorithm, nanosPerTx / estimatedSequentialNanosPerTx, nanosPerTx);
        if (comparing) {
            decideAlgorithm();
        } else if (probing && (probeLeft == 0 || meanCost(algorithm) < meanCost(current))) {
            if (meanCost(algorithm) < meanCost(current)) {
                current = algorithm; // judged from here on by the blocks it just ran
                probeInterval = MIN_PROBE_INTERVAL;
            } else {
                probeInterval = Math.min(MAX_PROBE_INTERVAL, probeInterval * 2);
            }
            probeLeft = 0;
        }
    }

    /** The highest ratio at which the algorithm in use is kept. */
    private double keepUpTo() {
        return current == BlockStats.Path.ORDERED ? KEEP_ORDERED_UP_TO : KEEP_PARALLEL_UP_TO;
    }

    /** Whether the algorithm in use (both, when choosing) still runs its unjudged warm-up. */
    private boolean warmingUp() {
        return warmedUp[index(current)] < WARM_UP_TRANSACTIONS
                || choosesAlgorithm && warmedUp[index(other(current))] < WARM_UP_TRANSACTIONS;
    }

    private void add(BlockStats.Path algorithm, double ratio, double nanosPerTx) {
        int a = index(algorithm);
        ratios[a][nextRatios[a]] = ratio;
        costs[a][nextRatios[a]] = nanosPerTx;
        nextRatios[a] = (nextRatios[a] + 1) % WINDOW;
        ratioCounts[a] = Math.min(WINDOW, ratioCounts[a] + 1);
    }

    /**
     * Once both algorithms and sequential have a full window, keeps the algorithm whose blocks were faster on
     * average, and gives parallel execution up if even that one was not faster than sequential on average (all
     * three measured by time). Returns whether it decided.
     */
    private boolean decideAlgorithm() {
        if (ratioCounts[0] < WINDOW || ratioCounts[1] < WINDOW || comparedSequentialCount < WINDOW) {
            return false;
        }
        comparing = false;
        if (meanCost(other(current)) < meanCost(current)) {
            current = other(current);
        }
        double sequentialCost = 0;
        for (double c : comparedSequential) {
            sequentialCost += c / WINDOW;
        }
        if (meanCost(current) >= sequentialCost) {
            giveUpParallel();
        } else {
            startChecks(sequentialCost, false);
        }
        return true;
    }

    /**
     * Parallel execution was found faster than sequential, measured at {@code sequentialNanosPerTx}: checks of
     * sequential start over, spaced by the gain; the first one as soon as there is a window to judge if
     * {@code confirmAtOnce}.
     */
    private void startChecks(double sequentialNanosPerTx, boolean confirmAtOnce) {
        checkLeft = 0;
        checkInterval = Math.max(MIN_PROBE_INTERVAL, affordableCheckInterval(sequentialNanosPerTx));
        sinceCheck = confirmAtOnce ? checkInterval - 1 : 0;
        cheaper = false;
    }

    /**
     * Checks every this many parallel blocks cost about CHECK_BUDGET, at the gain of the algorithm in use
     * (by its recent blocks' mean time) over sequential measured at {@code sequentialNanosPerTx}.
     */
    private int affordableCheckInterval(double sequentialNanosPerTx) {
        double gain = sequentialNanosPerTx / meanCost(current);
        return Double.isNaN(gain) ? MIN_PROBE_INTERVAL
                : (int) Math.min(MAX_PROBE_INTERVAL, Math.ceil(RETRY_BLOCKS * (gain - 1) / CHECK_BUDGET));
    }

    /** Runs blocks sequentially from here on, retrying the algorithm in use as often as its loss affords. */
    private void giveUpParallel() {
        sequential = true;
        sinceRetry = 0;
        retryInterval = Math.max(MIN_RETRY_INTERVAL, affordableInterval());
    }

    /**
     * Retries every this many blocks cost about RETRY_BUDGET, at the loss the recent blocks showed on average:
     * the best of them decides whether Block-STM loses, but a retry costs what a typical block loses (sized
     * by the best one, retries of state-only p2p came every 20 blocks and cost it 15 %).
     */
    private int affordableInterval() {
        // The loss measured against sequential blocks when there were any: an estimate that leans high made a
        // 1.4x loss look like a gain, and retries came every 8 blocks.
        double loss = Double.isNaN(sequentialNanosPerTx) ? mean() : meanCost(current) / sequentialNanosPerTx;
        return (int) Math.min(MAX_RETRY_INTERVAL, Math.ceil(RETRY_BLOCKS * (loss - 1) / RETRY_BUDGET));
    }

    private double mean() {
        int a = index(current);
        double sum = 0;
        for (int i = 0; i < ratioCounts[a]; i++) {
            sum += ratios[a][i];
        }
        return ratioCounts[a] == 0 ? 1 : sum / ratioCounts[a];
    }

    /** The lowest recent ratio of the algorithm in use: what it does on this workload when nothing disturbs it. */
    private double best() {
        return best(current);
    }

    /**
     * The mean nanoseconds per transaction of the algorithm's recent blocks. The mean, not the fastest: a
     * disturbance that slows a block is no reason to give parallel execution up, but when one algorithm is
     * disturbed more than the other (the ordered commit waits for a descheduled worker's claimed transactions
     * when threads outnumber cores), that is part of what it costs. By the fastest of 4 blocks the ordered
     * commit kept 72-80 % of the blocks of heavy independent transactions at 4 and 8 threads, where Block-STM
     * ran them 15-25 % faster.
     */
    private double meanCost(BlockStats.Path algorithm) {
        int a = index(algorithm);
        double sum = 0;
        for (int i = 0; i < ratioCounts[a]; i++) {
            sum += costs[a][i];
        }
        return ratioCounts[a] == 0 ? Double.POSITIVE_INFINITY : sum / ratioCounts[a];
    }

    private double best(BlockStats.Path algorithm) {
        return lowest(ratios[index(algorithm)], ratioCounts[index(algorithm)]);
    }

    /** The fewest nanoseconds per transaction among the recent blocks of the algorithm in use. */
    private double bestCost() {
        return lowest(costs[index(current)], ratioCounts[index(current)]);
    }

    private static double lowest(double[] values, int count) {
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            lowest = Math.min(lowest, values[i]);
        }
        return lowest;
    }

    /** Records a block run sequentially. */
    void recordSequential(int transactions, long wallNanos) {
        if (!counts(transactions)) {
            return;
        }
        double perTx = (double) wallNanos / transactions;
        if (comparing && comparedSequentialCount < WINDOW && !warmingUp()) {
            comparedSequential[comparedSequentialCount++] = perTx;
        }
        if (Double.isNaN(sequentialNanosPerTx)) {
            sequentialNanosPerTx = perTx;
        } else if (perTx > sequentialNanosPerTx * SHIFT) {
            // Far above the usual cost: leave the average alone until it is clear this is the new normal.
            if (++shifted >= 3) {
                shifted = 0;
                sequentialNanosPerTx = perTx;
                recentSequentialCount = 0; // blocks of the old workload say nothing of the new one
                retryInterval = MIN_RETRY_INTERVAL;
                sinceRetry = retryInterval - 1; // the workload changed: give Block-STM the next block
            }
        } else {
            shifted = 0;
            sequentialNanosPerTx += ALPHA * (perTx - sequentialNanosPerTx);
        }
        recentSequential[nextRecentSequential] = perTx;
        nextRecentSequential = (nextRecentSequential + 1) % WINDOW;
        recentSequentialCount = Math.min(WINDOW, recentSequentialCount + 1);
        if (comparing) {
            decideAlgorithm();
        } else if (checkLeft > 0) {
            checkBest = Math.min(checkBest, perTx);
            if (--checkLeft == 0) {
                judgeCheck(checkBest);
            }
        }
    }

    /**
     * A check measured sequential at {@code sequentialNanosPerTx} (the faster of its blocks) while a parallel
     * algorithm ran: if that is no slower than the fastest of the algorithm's recent blocks (each side as it
     * runs when nothing disturbs it, as for the rule that keeps parallel), parallel execution is given up; else
     * the next check comes half as often, at least as far apart as the gain affords.
     */
    private void judgeCheck(double sequentialNanosPerTx) {
        if (sequentialNanosPerTx <= bestCost()) {
            giveUpParallel();
        } else {
            checkInterval = Math.min(MAX_PROBE_INTERVAL,
                    Math.max(checkInterval * 2, affordableCheckInterval(sequentialNanosPerTx)));
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
        return String.format("PathChooser[%s, best recent %s/sequential %.2f, sequential %.0f ns/tx,"
                + " retry every %d]", sequential ? "sequential" : current, current, best(), sequentialNanosPerTx,
                retryInterval);
    }
}
