package io.pel.bench;

import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.BlockStats;
import io.pel.core.ParallelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The yardstick: runs each workload with the sequential executor and the parallel executor at each thread
 * count, repetitions interleaved (sequential, parallel 1, parallel 2, …, sequential, …) after warm-up, and
 * reports medians. Before measuring, every parallel result is checked against the sequential one: a bench
 * never reports a speed-up for a wrong answer. With {@link BenchConfig#ceiling()}, the machine's own
 * ceiling at each thread count is measured in the same interleaving ({@link Ceiling}).
 */
public final class Bench {

    /**
     * Different blocks a case may generate for {@link BenchConfig#minRepetitionMillis()} (a p2p block of
     * 10 000 transactions holds about 1 MB); a repetition that needs more runs them again, in the same order.
     */
    static final int MAX_BLOCKS = 100;
    /**
     * Block runs a repetition may grow to for {@link BenchConfig#minRepetitionMillis()}. Runs of the same
     * block are 100 blocks (about 100 MB of transactions and state) apart: none of it is still in a cache.
     */
    static final int MAX_BLOCK_RUNS = 1000;

    private final BenchConfig config;
    private final Consumer<String> progress;
    private final Consumer<String> warnings;

    public Bench(BenchConfig config, Consumer<String> progress) {
        this(config, progress, progress);
    }

    /**
     * @param progress where to say what is being measured (a transient status line)
     * @param warnings where to say what makes figures of this run doubtful (to be kept in view)
     */
    public Bench(BenchConfig config, Consumer<String> progress, Consumer<String> warnings) {
        this.config = config;
        this.progress = progress;
        this.warnings = warnings;
    }

    /**
     * A measured executor and the name its rows carry; or, with {@code ceiling}, the machine's ceiling at that
     * thread count (no executor: its runs are not results).
     */
    private record Contender(String name, BlockExecutor executor, Ceiling ceiling) {
        Contender(String name, BlockExecutor executor) {
            this(name, executor, null);
        }

        int threads() {
            return ceiling != null ? ceiling.threads() : executor.threads();
        }

        void close() {
            if (ceiling != null) {
                ceiling.close();
            } else {
                executor.close();
            }
        }
    }

    /** Runs every case and hands each row to {@code out} as soon as its case is measured. */
    public void run(Consumer<BenchRow> out) {
        List<Contender> parallel = new ArrayList<>();
        try (BlockExecutor sequential = BlockExecutor.sequential()) {
            for (int t : config.threads()) {
                parallel.add(new Contender("parallel", BlockExecutor.parallel(t)));
                if (config.blockStm()) {
                    parallel.add(new Contender("blockstm", BlockExecutor.parallel(ParallelConfig.defaults(t)
                            .withAdaptive(false).withAlgorithm(ParallelConfig.Algorithm.BLOCK_STM))));
                }
                if (config.ordered()) {
                    parallel.add(new Contender("ordered", BlockExecutor.parallel(ParallelConfig.defaults(t)
                            .withAdaptive(false).withAlgorithm(ParallelConfig.Algorithm.ORDERED_COMMIT))));
                }
                if (config.ceiling() && t > 1) {
                    parallel.add(new Contender("ceiling", null, new Ceiling(t)));
                }
            }
            for (Workload.Kind kind : config.workloads()) {
                List<Integer> accountCounts = kind == Workload.Kind.INDEPENDENT ? List.of(0) : config.accounts();
                for (int accounts : accountCounts) {
                    if (kind == Workload.Kind.REFERRAL || kind == Workload.Kind.REFERRAL_RW) {
                        // Its transactions weigh what the program's rules weigh: no weight to choose.
                        ReferralSource source =
                                new ReferralSource(Math.max(accounts, 2), kind == Workload.Kind.REFERRAL);
                        measure(source, accounts, sequential, parallel).forEach(out);
                        continue;
                    }
                    for (Weight weight : config.weights()) {
                        Workload workload = new Workload(kind, Math.max(accounts, 2), config.fraction(), weight);
                        measure(workload, accounts, sequential, parallel).forEach(out);
                    }
                }
            }
        } finally {
            parallel.forEach(Contender::close);
        }
    }

    private List<BenchRow> measure(BlockSource workload, int accounts, BlockExecutor sequential,
                                   List<Contender> parallel) {
        String label = workload.name() + (accounts > 0 ? " accounts=" + accounts : "") + " weight="
                + workload.weightLabel();
        progress.accept("generating " + label);
        List<BenchBlock<?, ?, ?>> blocks = new ArrayList<>();
        for (int b = 0; b < config.blocks(); b++) {
            blocks.add(workload.block(config.blockSize(), config.seed(), b));
        }
        long least = config.minRepetitionMillis() * 1_000_000;
        int wanted = least == 0 ? blocks.size() : blocksForLongEnoughRepetitions(blocks, sequential, least);
        int different = Math.max(blocks.size(), Math.min(wanted, MAX_BLOCKS));
        if (wanted > blocks.size()) {
            progress.accept(label + ": " + blocks.size() + " blocks run in under " + config.minRepetitionMillis()
                    + " ms; measuring " + wanted + " blocks per repetition"
                    + (wanted > different ? " (" + different + " different ones, in turn)" : ""));
            for (int b = blocks.size(); b < different; b++) {
                blocks.add(workload.block(config.blockSize(), config.seed(), b));
            }
            for (int b = different; b < wanted; b++) {
                blocks.add(blocks.get(b - different));
            }
        }
        long totalTx = 0;
        long[] chains = new long[blocks.size()];
        for (int b = 0; b < blocks.size(); b++) {
            totalTx += blocks.get(b).size();
            chains[b] = b < different ? longest(blocks.get(b)) : chains[b - different]; // a block run again
        }

        List<Contender> contenders = new ArrayList<>();
        contenders.add(new Contender("sequential", sequential));
        contenders.addAll(parallel);
        long[][] nanos = new long[contenders.size()][config.reps()];
        long[] reexecutions = new long[contenders.size()];
        long[] blockStmBlocks = new long[contenders.size()];
        long[] orderedBlocks = new long[contenders.size()];

        // The warm-up also covers the adaptive executor's own one-time warm-up (each parallel algorithm run
        // until its code is compiled, then both judged over a few blocks), so the measured repetitions show the
        // steady state a long-running node lives in.
        int warmup = (int) Math.max(config.warmup(),
                1 + Math.ceil((double) ParallelConfig.ADAPTIVE_WARM_UP_TRANSACTIONS / Math.max(1, totalTx))
                        + Math.ceil((double) ParallelConfig.ADAPTIVE_JUDGED_BLOCKS / Math.max(1, blocks.size())));
        for (int rep = 0; rep < warmup + config.reps(); rep++) {
            boolean measured = rep >= warmup;
            boolean check = rep == 0;
            progress.accept(label + (measured ? " rep " + (rep - warmup + 1) + "/" + config.reps()
                    : " warm-up " + (rep + 1) + "/" + warmup));
            List<BlockResult<?, ?, ?>> expected = check ? new ArrayList<>() : null;
            // Each repetition runs the executors in its own seeded order (the checking one in the given order,
            // sequential first: the reference). What ran just before weighs on a run's time (a heavy Block-STM
            // run leaves other caches, heap and collector state than a sequential one), and a fixed order kept
            // that in the median: the sequential executor's own code, run by the adaptive executor right after
            // blockstm(1), came out 6 % slower than itself, and matched it when run alone.
            List<Integer> order = new ArrayList<>();
            for (int e = 0; e < contenders.size(); e++) {
                order.add(e);
            }
            if (!check) {
                Collections.shuffle(order, new Random(config.seed() * 31 + rep));
            }
            for (int e : order) {
                Contender contender = contenders.get(e);
                // Collect before each timed run: allocation repeats exactly from rep to rep, so a collection
                // would otherwise fall on the same executor's run every time and the median would keep it.
                System.gc();
                long start = System.nanoTime();
                long reexec = 0;
                long onBlockStm = 0;
                long onOrdered = 0;
                for (int b = 0; b < blocks.size(); b++) {
                    if (contender.ceiling() != null) {
                        contender.ceiling().run(blocks.get(b));
                        continue;
                    }
                    BlockResult<?, ?, ?> r = execute(contender.executor(), blocks.get(b));
                    reexec += r.stats().reexecutions();
                    if (r.stats().path() == BlockStats.Path.PARALLEL) {
                        onBlockStm++;
                    } else if (r.stats().path() == BlockStats.Path.ORDERED) {
                        onOrdered++;
                    }
                    if (check && b < different) { // a block run again gave the same result the first time
                        if (e == 0) {
                            expected.add(r);
                        } else {
                            requireSame(expected.get(b), r, label, contender.threads(), b);
                        }
                    }
                }
                long elapsed = System.nanoTime() - start;
                if (measured) {
                    nanos[e][rep - warmup] = elapsed;
                    reexecutions[e] += reexec;
                    blockStmBlocks[e] += onBlockStm;
                    orderedBlocks[e] += onOrdered;
                }
            }
        }

        double sequentialMedian = median(nanos[0]);
        // Each executor's median at 1 thread, for the scaling of its other rows.
        Map<String, Double> oneThread = new HashMap<>();
        boolean disturbed = false;
        for (int e = 1; e < contenders.size(); e++) {
            Contender c = contenders.get(e);
            if (c.threads() != 1 || c.ceiling() != null) {
                continue;
            }
            double median = median(nanos[e]);
            oneThread.put(c.name(), median);
            // The adaptive executor at one thread runs every block with the sequential executor's own code.
            String warning = c.name().equals("parallel") && blockStmBlocks[e] + orderedBlocks[e] == 0
                    ? disturbedBaseline(label, sequentialMedian, median) : null;
            if (warning != null) {
                disturbed = true;
                warnings.accept(warning);
            }
        }
        List<BenchRow> rows = new ArrayList<>();
        for (int e = 0; e < contenders.size(); e++) {
            int threads = contenders.get(e).threads();
            boolean isSequential = e == 0;
            double median = median(nanos[e]);
            double speedup = sequentialMedian / median;
            // The ceiling ignores dependencies: its bound is the thread count, its efficiency the machine's.
            double bound = isSequential ? 1.0
                    : contenders.get(e).ceiling() != null ? threads : bound(threads, blocks, chains);
            // Core time beyond sequential's, per transaction: what the parallel path costs on these cores.
            int cores = Math.min(threads, Runtime.getRuntime().availableProcessors());
            double extraNanosPerTx = isSequential ? 0 : (cores * median - sequentialMedian) / totalTx;
            Double single = isSequential || threads == 1 ? null : oneThread.get(contenders.get(e).name());
            double scaling = single == null ? Double.NaN : single / median;
            long measuredBlocks = (long) blocks.size() * config.reps();
            boolean noPath = isSequential || contenders.get(e).ceiling() != null;
            double blockStmShare = noPath ? Double.NaN : (double) blockStmBlocks[e] / measuredBlocks;
            double orderedShare = noPath ? Double.NaN : (double) orderedBlocks[e] / measuredBlocks;
            rows.add(new BenchRow(workload.name(), workload.weightLabel(),
                    contenders.get(e).name(), threads, accounts, config.blockSize(),
                    totalTx / (median / 1e9), speedup,
                    (double) reexecutions[e] / ((double) totalTx * config.reps()), bound, speedup / bound,
                    median / 1e6, extraNanosPerTx, scaling, blockStmShare, orderedShare, disturbed));
        }
        return rows;
    }

    /** How far apart two measurements of the same code may be before a case's figures are called disturbed. */
    static final double SAME_CODE_TOLERANCE = 0.10;

    /**
     * A warning if the sequential executor's code, measured twice in one case (as the sequential row and as
     * the adaptive executor's 1-thread row, which runs every block with it), came out more than
     * {@link #SAME_CODE_TOLERANCE} apart; else null. Then something outside the engine (the machine, the JIT)
     * slowed one of them, and every speed-up of the case, measured against the sequential row, is off by about
     * as much: once a pure p2p case's sequential row ran at 231 ns a transaction while the same code in the
     * 1-thread row ran at 172, and every row of that case read 1.35 times too fast.
     */
    static String disturbedBaseline(String label, double sequentialNanos, double sameCodeNanos) {
        double ratio = sameCodeNanos / sequentialNanos;
        if (Math.abs(ratio - 1) <= SAME_CODE_TOLERANCE) {
            return null;
        }
        return String.format(Locale.ROOT, "warning: %s: the sequential executor's code took %.2f times as long"
                + " in parallel(1), which runs it too, as in the sequential row: a disturbed run, and this case's"
                + " speed-ups are off by about as much; run it again", label, ratio);
    }

    /**
     * How many blocks a repetition needs to last at least {@code least} nanoseconds sequentially (at most
     * {@link #MAX_BLOCK_RUNS}, never fewer than given). This machine's speed swings between levels ±20 % apart
     * from one 10 ms stretch to the next; a repetition that short lands on one level or the other, and five of
     * them gave the sequential executor's own code, run by the adaptive executor, 0.88× to 1.24× of itself
     * (p2p pure: 2.3 ms a block). Longer repetitions average the swings out. Timed by running the blocks
     * sequentially for four times the least (at least once, at most 50 times), the fastest run counting: the
     * code is compiled by then (the first five runs of pure p2p took twice what it does later).
     */
    private static int blocksForLongEnoughRepetitions(List<BenchBlock<?, ?, ?>> blocks, BlockExecutor sequential,
                                                      long least) {
        long fastest = Long.MAX_VALUE;
        long spent = 0;
        for (int run = 0; run < 50 && spent < 4 * least; run++) {
            long start = System.nanoTime();
            for (BenchBlock<?, ?, ?> b : blocks) {
                execute(sequential, b);
            }
            long took = System.nanoTime() - start;
            fastest = Math.min(fastest, took);
            spent += took;
        }
        if (fastest >= least) {
            return blocks.size();
        }
        double perBlock = (double) Math.max(1, fastest) / blocks.size();
        return (int) Math.min(Math.max(blocks.size(), MAX_BLOCK_RUNS), Math.ceil(least / perBlock));
    }

    /**
     * The best speed-up over sequential any schedule could reach with {@code threads} workers, if every
     * transaction cost the same: each block takes at least max(n / threads, longest chain) steps.
     */
    private static <K, V, O> int longest(BenchBlock<K, V, O> block) {
        return DependencyChain.longest(block.transactions(), block.base(), block.codec());
    }

    private static <K, V, O> BlockResult<K, V, O> execute(BlockExecutor executor, BenchBlock<K, V, O> block) {
        return executor.execute(block.transactions(), block.base(), block.codec());
    }

    static double bound(int threads, List<? extends BenchBlock<?, ?, ?>> blocks, long[] chains) {
        double steps = 0;
        long total = 0;
        for (int b = 0; b < blocks.size(); b++) {
            int n = blocks.get(b).size();
            total += n;
            steps += Math.max((double) n / threads, chains[b]);
        }
        return total / steps;
    }

    private static void requireSame(BlockResult<?, ?, ?> expected, BlockResult<?, ?, ?> actual,
                                    String label, int threads, int block) {
        if (!expected.outcomes().equals(actual.outcomes()) || !expected.writeSet().equals(actual.writeSet())) {
            throw new IllegalStateException("parallel(" + threads + ") result differs from sequential on " + label
                    + " block " + block + ": this is an engine bug, please report it with this command line");
        }
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2.0;
    }
}
