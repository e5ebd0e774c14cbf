package io.pel.bench;

import io.pel.core.BlockExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the machine allows, measured: {@code threads} sequential executors, each on its own contiguous slice
 * of the block, all at once. Dependencies between slices are ignored and the results thrown away, so this is
 * not an executor; it is the speed-up these cores give this very work when coordination costs nothing (no
 * shared memory between threads, no scheduling, no validation). An engine's efficiency against it shows what
 * the engine costs, apart from what the hardware (shared caches, memory bandwidth, a virtual machine's
 * neighbours) takes.
 */
final class Ceiling implements AutoCloseable {

    private final int threads;
    private final List<BlockExecutor> executors = new ArrayList<>();
    private final ExecutorService helpers;

    Ceiling(int threads) {
        this.threads = threads;
        for (int i = 0; i < threads; i++) {
            executors.add(BlockExecutor.sequential());
        }
        helpers = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "pel-bench-ceiling");
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Runs the block's slices at once; the calling thread takes the first one, as a Block-STM caller does. */
    <K, V, O> void run(BenchBlock<K, V, O> block) {
        int n = block.size();
        List<Future<?>> pending = new ArrayList<>(threads - 1);
        for (int i = 1; i < threads; i++) {
            int from = (int) ((long) n * i / threads);
            int to = (int) ((long) n * (i + 1) / threads);
            BlockExecutor executor = executors.get(i);
            pending.add(helpers.submit(() -> slice(executor, block, from, to)));
        }
        slice(executors.get(0), block, 0, (int) ((long) n / threads));
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring the ceiling", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a ceiling slice failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private static <K, V, O> void slice(BlockExecutor executor, BenchBlock<K, V, O> block, int from, int to) {
        executor.execute(block.transactions().subList(from, to), block.base(), block.codec());
    }

    @Override
    public void close() {
        helpers.shutdownNow();
        executors.forEach(BlockExecutor::close);
    }
}
