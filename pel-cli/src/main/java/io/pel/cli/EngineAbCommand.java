package io.pel.cli;

import io.pel.bench.EngineAb;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code pel engine-ab}: two or more builds of pel-core side by side in one JVM, repetitions interleaved on
 * the same blocks. For engine work: a change worth 2 % cannot be seen between two processes here.
 * {@code bin/engine-ab} builds the variants from git revisions and calls this.
 */
@Command(name = "engine-ab",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Compares builds of the engine (pel-core jars) in one JVM: each in a class loader of its own, "
                    + "repetitions interleaved on the same seeded blocks; prints median and quartiles per build.",
            "bin/engine-ab REV... builds the jars from git revisions (WORKTREE: the uncommitted tree) and runs this.",
        })
final class EngineAbCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--variant", required = true, paramLabel = "NAME=JAR",
            description = "A build to compare: a name and its pel-core jar (or classes directory); two or more.")
    List<String> variants;

    @Option(names = "--workload", defaultValue = "p2p",
            description = "p2p, hotspot, hotspot-rw or independent (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--accounts", defaultValue = "10000", description = "Accounts (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--fraction", defaultValue = "0.5",
            description = "hotspot: share of transactions on the hot counter (default: ${DEFAULT-VALUE}).")
    double fraction;

    @Option(names = "--weight", defaultValue = "light",
            description = "pure, light or heavy; calibrated once for all builds (default: ${DEFAULT-VALUE}).")
    String weight;

    @Option(names = "--executor", defaultValue = "blockstm",
            description = "sequential, parallel (adaptive), blockstm or ordered (each forced) "
                    + "(default: ${DEFAULT-VALUE}).")
    String executor;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--block-size", defaultValue = "10000", description = "Transactions per block (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--blocks", defaultValue = "3", description = "Blocks per repetition (default: ${DEFAULT-VALUE}).")
    int blocks;

    @Option(names = "--reps", defaultValue = "40", description = "Measured repetitions per build (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "20",
            description = "Unmeasured repetitions first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        List<EngineAb.Variant> builds = parseVariants();
        if (reps < 1 || warmup < 0 || blocks < 1 || blockSize < 1 || threads < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--reps, --blocks, --block-size and --threads must be >= 1, --warmup >= 0");
        }
        EngineAb.Config config = new EngineAb.Config(workload, accounts, fraction, weight, blockSize, blocks, seed,
                executor, threads, reps, warmup);
        PrintWriter out = spec.commandLine().getOut();
        StatusLine status = StatusLine.onConsole(spec.commandLine().getErr());
        List<EngineAb.Result> results;
        try {
            results = EngineAb.compare(builds, config, status::show);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        status.clear();
        out.printf(Locale.ROOT, "engine-ab: %s %s, %d accounts, %s with %d threads, %d blocks of %d, %d reps "
                        + "(interleaved, after %d warm-up)%n", workload, weight, accounts, executor, threads, blocks,
                blockSize, reps, warmup);
        out.printf(Locale.ROOT, "%-20s %10s %10s %10s %9s%n", "build", "median ms", "p25 ms", "p75 ms", "vs first");
        double first = results.get(0).medianMillis();
        for (EngineAb.Result r : results) {
            out.printf(Locale.ROOT, "%-20s %10.2f %10.2f %10.2f %+8.1f%%%n", r.name(), r.medianMillis(),
                    r.p25Millis(), r.p75Millis(), 100 * (r.medianMillis() / first - 1));
        }
        out.flush();
        return 0;
    }

    private List<EngineAb.Variant> parseVariants() {
        List<EngineAb.Variant> out = new ArrayList<>();
        for (String v : variants) {
            int eq = v.indexOf('=');
            if (eq <= 0 || eq == v.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--variant wants NAME=JAR, got '" + v + "'");
            }
            Path core = Path.of(v.substring(eq + 1));
            if (!Files.exists(core)) {
                throw new ParameterException(spec.commandLine(), "no such pel-core build: " + core);
            }
            out.add(new EngineAb.Variant(v.substring(0, eq), core));
        }
        if (out.size() < 2) {
            throw new ParameterException(spec.commandLine(), "give at least two --variant builds to compare");
        }
        return out;
    }
}
