package io.pel.cli;

import io.pel.bench.Bench;
import io.pel.bench.BenchConfig;
import io.pel.bench.BenchRow;
import io.pel.bench.BenchSuite;
import io.pel.bench.BenchTable;
import io.pel.bench.Targets;
import io.pel.bench.Weight;
import io.pel.bench.Workload;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel bench}: the yardstick. Sequential and parallel executors side by side on seeded workloads,
 * repetitions interleaved after warm-up, medians reported with the speed-up, re-executions and the
 * dependency-chain bound.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Measures the parallel executor against the sequential one on seeded workloads, in one run.",
            "Rows: tx/s, speed-up over sequential measured in the same run, re-executions per transaction, the "
                    + "bound min(threads, n / longest dependency chain), and efficiency = speed-up / bound.",
            "Every parallel result is first checked against the sequential one; a mismatch stops the bench.",
        })
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--suite", paramLabel = "NAME",
            description = "Run a named set of cases instead of the options below: targets (the engine's "
                    + "performance targets) or standard (every workload, account count and weight).")
    String suite;

    @Option(names = "--workload", split = ",", paramLabel = "W", defaultValue = "p2p",
            description = "p2p, hotspot (delta adds), hotspot-rw (read-then-write), independent, referral (the "
                    + "referral program's transactions, Zipf referrers, fraud) or referral-rw (the same with its delta "
                    + "counters off); a list runs each (default: ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--accounts", split = ",", paramLabel = "A", defaultValue = "10000",
            description = "Accounts for p2p and hotspot, participants for referral; a list runs each "
                    + "(default: ${DEFAULT-VALUE}).")
    List<Integer> accounts;

    @Option(names = "--fraction", paramLabel = "F", defaultValue = "0.5",
            description = "hotspot: fraction of transactions that touch the hot counter (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--weight", split = ",", paramLabel = "WEIGHT", defaultValue = "light",
            description = "pure (state only), light (~2 µs compute) or heavy (~50 µs); a list runs each "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> weights;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "10000",
            description = "Transactions per block (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--blocks", paramLabel = "B", defaultValue = "5",
            description = "Different seeded blocks per repetition, at least; see --min-rep-ms "
                    + "(default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--min-rep-ms", paramLabel = "MS", defaultValue = "200",
            description = "A case whose blocks run faster than this sequentially gets more seeded blocks (up to "
                    + "100, run in turn up to 1000 a repetition), so that each repetition averages over this "
                    + "machine's speed swings; 0: exactly --blocks (default: ${DEFAULT-VALUE}).")
    long minRepMillis;

    @Option(names = "--threads", split = ",", paramLabel = "T", defaultValue = "1,2,4",
            description = "Parallel executor thread counts (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--reps", paramLabel = "R", defaultValue = "5",
            description = "Measured repetitions; medians are reported (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", paramLabel = "R", defaultValue = "2",
            description = "Unmeasured repetitions first; the first checks parallel == sequential "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--blockstm",
            description = "Also measure Block-STM forced on every block (executor 'blockstm'), without the "
                    + "adaptive fallback to sequential that 'parallel' has: the parallel path's own cost.")
    boolean blockStm;

    @Option(names = "--ordered",
            description = "Also measure the ordered-commit algorithm forced on every block (executor 'ordered'): "
                    + "speculation ahead of an in-order commit, without the adaptive choice that 'parallel' makes.")
    boolean ordered;

    @Option(names = "--ceiling",
            description = "Also measure the machine's ceiling (executor 'ceiling', threads > 1): as many "
                    + "sequential executors as threads, each on its own slice of the block, at once, dependencies "
                    + "ignored and results discarded. Not an executor: the speed-up these cores give this work "
                    + "when coordination is free, so an engine's cost shows apart from the hardware's.")
    boolean ceiling;

    @Option(names = "--jfr", paramLabel = "FILE",
            description = "Record the run with Java Flight Recorder (profile settings: CPU samples, allocation, "
                    + "locks) into FILE; read it with 'jfr print' or JDK Mission Control.")
    java.nio.file.Path jfr;

    @Option(names = "--json", description = "One JSON object per row instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        BenchConfig base = config();
        List<BenchConfig> configs = suite == null ? List.of(base) : suite(base);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!json) {
            out.printf("pel bench: %d cores, Java %s, weights calibrated: light %d rounds, heavy %d rounds%n",
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), Weight.LIGHT.rounds(),
                    Weight.HEAVY.rounds());
            out.println(BenchTable.header());
            out.flush();
        }
        boolean interactive = System.console() != null && !json;
        List<BenchRow> rows = new ArrayList<>();
        try (Profiler profiler = Profiler.start(jfr)) {
            runAll(configs, out, err, interactive, rows);
        }
        if (!json && suite != null && BenchSuite.parse(suite) == BenchSuite.TARGETS) {
            out.println();
            Targets.report(rows).forEach(out::println);
            out.flush();
        }
        if (jfr != null) {
            err.println("pel bench: flight recording written to " + jfr.toAbsolutePath());
        }
        return 0;
    }

    private void runAll(List<BenchConfig> configs, PrintWriter out, PrintWriter err, boolean interactive,
                        List<BenchRow> rows) {
        StatusLine status = new StatusLine(err, interactive);
        for (BenchConfig config : configs) {
            new Bench(config, status::show, warning -> {
                status.clear();
                err.println("pel bench: " + warning);
                err.flush();
            }).run(row -> {
                rows.add(row);
                status.clear();
                out.println(json ? row.toJson() : BenchTable.row(row));
                out.flush();
            });
        }
    }

    /** A flight recording around the bench when one is asked for; nothing otherwise. */
    private record Profiler(jdk.jfr.Recording recording, java.nio.file.Path file) implements AutoCloseable {
        static Profiler start(java.nio.file.Path file) {
            if (file == null) {
                return new Profiler(null, null);
            }
            try {
                jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
                r.start();
                return new Profiler(r, file);
            } catch (java.io.IOException | java.text.ParseException e) {
                throw new IllegalStateException("cannot start a flight recording: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (recording != null) {
                try (recording) {
                    recording.dump(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("cannot write the flight recording to " + file, e);
                }
            }
        }
    }

    private List<BenchConfig> suite(BenchConfig base) {
        try {
            return BenchSuite.parse(suite).configs(base);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "unknown suite '" + suite + "' (targets, standard)");
        }
    }

    private BenchConfig config() {
        try {
            List<Workload.Kind> kinds = new ArrayList<>();
            for (String w : workloads) {
                kinds.add(Workload.Kind.parse(w));
            }
            List<Weight> ws = new ArrayList<>();
            for (String w : weights) {
                try {
                    ws.add(Weight.parse(w));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown weight '" + w + "' (pure, light, heavy)");
                }
            }
            for (int a : accounts) {
                if (a < 2) {
                    throw new IllegalArgumentException("--accounts must be >= 2, got " + a);
                }
            }
            return new BenchConfig(kinds, accounts, fraction, ws, blockSize, blocks, threads, reps, warmup, seed,
                    blockStm, ordered, ceiling, minRepMillis);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
