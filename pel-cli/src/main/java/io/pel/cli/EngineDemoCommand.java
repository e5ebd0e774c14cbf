package io.pel.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.CounterCodec;
import io.pel.core.ParallelConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel engine-demo}: runs one block of transfers with the sequential and the parallel executor, checks that
 * both give the same result, and reports times and speed-up. Exit code 0 when the results are identical, 1
 * when they are not.
 */
@Command(name = "engine-demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a block of transfers with the sequential and the parallel engine, checks that both give the "
                    + "same result, and reports the speed-up.",
            "Each executor runs once to warm up, then " + EngineDemoCommand.REPETITIONS + " times, interleaved; medians are reported."
        },
        sortOptions = false)
final class EngineDemoCommand implements Callable<Integer> {

    /** Measured runs per executor, after one warm-up run each. */
    static final int REPETITIONS = 3;

    @Spec
    private CommandSpec spec;

    @Option(names = "--transactions", paramLabel = "N", defaultValue = "20000",
            description = "Transactions in the block (default: ${DEFAULT-VALUE}).")
    int transactions;

    @Option(names = "--accounts", paramLabel = "A", defaultValue = "1000",
            description = "Accounts the transfers move money among; fewer means more conflicts "
                    + "(default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--threads", paramLabel = "T",
            description = "Worker threads of the parallel executor (default: available processors).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the generated block; the same seed gives the same block (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--work", paramLabel = "ROUNDS", defaultValue = "" + TransferBlock.WORK_ROUNDS,
            description = "Rounds of deterministic compute per transfer, standing in for a contract call "
                    + "(default: ${DEFAULT-VALUE}, about 20 µs; 1000 is about 2 µs).")
    int work;

    @Option(names = "--json", description = "Print one JSON object instead of the readable report.")
    boolean json;

    @Override
    public Integer call() {
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        validate(threadCount);

        TransferBlock block = TransferBlock.generate(transactions, accounts, seed, work);
        CounterCodec<Long> counters = CounterCodec.longs();
        long[] sequentialNanos = new long[REPETITIONS];
        long[] parallelNanos = new long[REPETITIONS];
        double reexecutions = 0;
        boolean identical = true;
        BlockResult<String, Long, Long> reference;

        try (BlockExecutor sequential = BlockExecutor.sequential();
             BlockExecutor parallel = BlockExecutor.parallel(threadCount)) {
            reference = sequential.execute(block.transactions(), block.base(), counters);
            identical &= sameResult(reference, parallel.execute(block.transactions(), block.base(), counters));
            // Interleaved, so that drift in the machine's state (JIT, GC, frequency) hits both alike.
            for (int r = 0; r < REPETITIONS; r++) {
                long start = System.nanoTime();
                BlockResult<String, Long, Long> s = sequential.execute(block.transactions(), block.base(), counters);
                sequentialNanos[r] = System.nanoTime() - start;

                start = System.nanoTime();
                BlockResult<String, Long, Long> p = parallel.execute(block.transactions(), block.base(), counters);
                parallelNanos[r] = System.nanoTime() - start;

                identical &= sameResult(reference, s) && sameResult(reference, p);
                reexecutions += p.stats().reexecutionsPerTransaction();
            }
        }

        long failed = reference.outcomes().stream().filter(o -> !o.succeeded()).count();
        Report report = new Report(transactions, accounts, work, threadCount, seed,
                median(sequentialNanos), median(parallelNanos), reexecutions / REPETITIONS, failed, identical);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? report.json() : report.text());
        out.flush();
        return identical ? 0 : 1;
    }

    private void validate(int threadCount) {
        if (transactions < 0) {
            throw new ParameterException(spec.commandLine(), "--transactions must be >= 0, got " + transactions);
        }
        if (accounts < 2) {
            throw new ParameterException(spec.commandLine(), "--accounts must be >= 2, got " + accounts);
        }
        if (work < 0 || work > 10_000_000) {
            throw new ParameterException(spec.commandLine(), "--work must be in 0..10000000, got " + work);
        }
        if (threadCount < 1 || threadCount > ParallelConfig.MAX_THREADS) {
            throw new ParameterException(spec.commandLine(),
                    "--threads must be in 1.." + ParallelConfig.MAX_THREADS + ", got " + threadCount);
        }
    }

    private static boolean sameResult(BlockResult<String, Long, Long> expected, BlockResult<String, Long, Long> actual) {
        return expected.outcomes().equals(actual.outcomes()) && expected.writeSet().equals(actual.writeSet());
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** What the demo measured, in the two forms it prints. */
    record Report(int transactions, int accounts, int workRounds, int threads, long seed, long sequentialNanos, long parallelNanos,
                  double reexecutionsPerTx, long failedTxs, boolean identical) {

        double sequentialMs() {
            return sequentialNanos / 1e6;
        }

        double parallelMs() {
            return parallelNanos / 1e6;
        }

        double sequentialTps() {
            return perSecond(sequentialNanos);
        }

        double parallelTps() {
            return perSecond(parallelNanos);
        }

        double speedup() {
            return parallelNanos == 0 ? 0 : (double) sequentialNanos / parallelNanos;
        }

        private double perSecond(long nanos) {
            return nanos == 0 ? 0 : transactions * 1e9 / nanos;
        }

        String text() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT,
                    "PEL engine demo: %,d transfers among %,d accounts, %,d rounds of compute each (seed %d)%n",
                    transactions, accounts, workRounds, seed));
            s.append(String.format(Locale.ROOT, "  %-26s %12s %14s%n", "executor", "median time", "tx/s"));
            s.append(String.format(Locale.ROOT, "  %-26s %9.1f ms %,14.0f%n", "sequential",
                    sequentialMs(), sequentialTps()));
            s.append(String.format(Locale.ROOT, "  %-26s %9.1f ms %,14.0f%n",
                    "parallel, " + threads + (threads == 1 ? " thread" : " threads"), parallelMs(), parallelTps()));
            s.append(String.format(Locale.ROOT, "  %-26s %9.2fx%n", "speed-up", speedup()));
            s.append(String.format(Locale.ROOT, "  %-26s %9.3f%n", "re-executions per tx", reexecutionsPerTx));
            s.append(String.format(Locale.ROOT, "  %-26s %,9d of %,d%n", "failed transactions",
                    failedTxs, transactions));
            s.append("  parallel result == sequential: ").append(identical ? "yes" : "NO").append(System.lineSeparator());
            return s.toString();
        }

        String json() {
            return String.format(Locale.ROOT,
                    "{\"transactions\":%d,\"accounts\":%d,\"work_rounds\":%d,\"threads\":%d,\"seed\":%d,"
                            + "\"sequential_ms\":%.3f,\"parallel_ms\":%.3f,"
                            + "\"sequential_tps\":%.1f,\"parallel_tps\":%.1f,\"speedup\":%.3f,"
                            + "\"reexec_per_tx\":%.4f,\"failed_txs\":%d,\"identical\":%b}%n",
                    transactions, accounts, workRounds, threads, seed, sequentialMs(), parallelMs(),
                    sequentialTps(), parallelTps(), speedup(), reexecutionsPerTx, failedTxs, identical);
        }
    }
}
