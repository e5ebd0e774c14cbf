package io.pel.bench;

import io.pel.core.BlockExecutor;
import io.pel.core.ParallelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One engine variant's side of an {@link EngineAb} comparison. {@link EngineAb} loads this class once per
 * variant, each time in a class loader of its own whose {@code io.pel.core} comes from that variant's jar, and
 * talks to it only through {@link LongSupplier} (a JDK type both sides share): one call runs the blocks once
 * and returns the nanoseconds it took.
 */
public final class AbRunner implements LongSupplier, AutoCloseable {

    private final List<BenchBlock<Integer, Long, Long>> blocks = new ArrayList<>();
    private final BlockExecutor executor;

    /**
     * @param rounds   the weight's rounds of compute, calibrated once by the caller so every variant does the same
     * @param executor {@code sequential}, {@code parallel} (adaptive), {@code blockstm} (Block-STM forced) or
     *                 {@code ordered} (the ordered commit forced)
     */
    public AbRunner(String workload, int accounts, double fraction, String weight, int rounds, int blockSize,
                    int blocks, long seed, String executor, int threads) {
        Weight wt = Weight.parse(weight);
        wt.useRounds(rounds);
        Workload w = new Workload(Workload.Kind.parse(workload), accounts, fraction, wt);
        for (int b = 0; b < blocks; b++) {
            this.blocks.add(w.block(blockSize, seed, b));
        }
        this.executor = switch (executor) {
            case "sequential" -> BlockExecutor.sequential();
            case "parallel" -> BlockExecutor.parallel(threads);
            case "blockstm" -> BlockExecutor.parallel(ParallelConfig.defaults(threads).withAdaptive(false));
            case "ordered" -> BlockExecutor.parallel(ParallelConfig.defaults(threads).withAdaptive(false)
                    .withAlgorithm(ParallelConfig.Algorithm.ORDERED_COMMIT));
            default -> throw new IllegalArgumentException(
                    "unknown executor '" + executor + "' (sequential, parallel, blockstm, ordered)");
        };
    }

    @Override
    public long getAsLong() {
        long start = System.nanoTime();
        for (BenchBlock<Integer, Long, Long> b : blocks) {
            executor.execute(b.transactions(), b.base(), b.codec());
        }
        return System.nanoTime() - start;
    }

    @Override
    public void close() {
        executor.close();
    }
}
