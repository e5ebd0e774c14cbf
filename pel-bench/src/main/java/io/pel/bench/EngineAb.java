package io.pel.bench;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Compares builds of the engine in one JVM: each variant's {@code pel-core} is loaded in a class loader of its
 * own (with this module's workloads), and their repetitions are interleaved on the same blocks. Between two
 * processes this machine's timings wander by ±10 %, more than most single engine changes are worth; inside one
 * process, interleaved, two identical builds agree within 1–2 %.
 */
public final class EngineAb {

    /** A build of pel-core to compare: a name and its jar (or classes directory). */
    public record Variant(String name, Path core) {
    }

    /** What to run on every variant; see {@link AbRunner}. */
    public record Config(String workload, int accounts, double fraction, String weight, int blockSize, int blocks,
                         long seed, String executor, int threads, int reps, int warmup) {
    }

    /** One variant's figures: median and quartiles of its repetitions, in milliseconds. */
    public record Result(String name, double medianMillis, double p25Millis, double p75Millis) {
    }

    private EngineAb() {
    }

    /** Runs every variant {@code warmup + reps} times, interleaved, and returns their figures in order. */
    public static List<Result> compare(List<Variant> variants, Config config, Consumer<String> progress) {
        List<URLClassLoader> loaders = new ArrayList<>();
        List<LongSupplier> runners = new ArrayList<>();
        try {
            URL benchClasses = EngineAb.class.getProtectionDomain().getCodeSource().getLocation();
            int rounds = Weight.parse(config.weight()).rounds(); // calibrated here once, for every variant
            for (Variant v : variants) {
                URLClassLoader loader = new URLClassLoader("engine-ab-" + v.name(),
                        new URL[] {v.core().toUri().toURL(), benchClasses}, ClassLoader.getPlatformClassLoader());
                loaders.add(loader);
                runners.add((LongSupplier) loader.loadClass(AbRunner.class.getName())
                        .getConstructor(String.class, int.class, double.class, String.class, int.class, int.class,
                                int.class, long.class, String.class, int.class)
                        .newInstance(config.workload(), config.accounts(), config.fraction(), config.weight(), rounds,
                                config.blockSize(), config.blocks(), config.seed(), config.executor(),
                                config.threads()));
            }
            long[][] nanos = new long[variants.size()][config.reps()];
            for (int rep = -config.warmup(); rep < config.reps(); rep++) {
                progress.accept(rep < 0 ? "warm-up " + (rep + config.warmup() + 1) + "/" + config.warmup()
                        : "rep " + (rep + 1) + "/" + config.reps());
                for (int v = 0; v < runners.size(); v++) {
                    System.gc(); // outside the timing, so a collection does not land on the same variant each time
                    long t = runners.get(v).getAsLong();
                    if (rep >= 0) {
                        nanos[v][rep] = t;
                    }
                }
            }
            List<Result> results = new ArrayList<>();
            for (int v = 0; v < variants.size(); v++) {
                long[] sorted = nanos[v].clone();
                Arrays.sort(sorted);
                int n = sorted.length;
                results.add(new Result(variants.get(v).name(), Bench.median(sorted) / 1e6, sorted[n / 4] / 1e6,
                        sorted[(3 * n) / 4] / 1e6));
            }
            return results;
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("cannot load an engine variant: " + e, e);
        } finally {
            for (LongSupplier r : runners) {
                try {
                    ((AutoCloseable) r).close();
                } catch (Exception e) {
                    // closing an executor's idle threads: nothing to report
                }
            }
            for (URLClassLoader l : loaders) {
                try {
                    l.close();
                } catch (IOException e) {
                    // a jar that cannot be closed leaks a file handle until exit: harmless here
                }
            }
        }
    }
}
