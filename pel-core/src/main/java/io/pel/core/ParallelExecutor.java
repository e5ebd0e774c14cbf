package io.pel.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.locks.LockSupport;

/**
 * The parallel executor. It runs a block with one of two parallel algorithms: Block-STM ({@link BlockRun}:
 * multi-version memory, collaborative scheduler, validation and re-execution in parallel), or speculation
 * ahead of an in-order commit ({@link OrderedRun}: one committed version per key, each run checked once when
 * the commit point reaches it). With {@link ParallelConfig#adaptive()} and {@link ParallelConfig.Algorithm#AUTO}
 * (the defaults), measurements of earlier blocks choose, block by block, the faster algorithm, or sequential
 * execution when neither pays (see {@link PathChooser}); otherwise the configured algorithm runs every block.
 * The thread that calls {@code execute} works as worker 0; the other
 * {@code threads - 1} workers are daemon threads that live across blocks, parked between them, and end on
 * {@link #close()}.
 */
final class ParallelExecutor implements BlockExecutor {

    private final ParallelConfig config;
    private final Thread[] helpers;
    private final PathChooser chooser;
    private final SequentialExecutor sequential = new SequentialExecutor();
    /** The block helpers should work on; null between blocks. */
    private volatile ParallelRun<?, ?, ?> current;
    private volatile boolean closed;
    private long generation;
    /** Distinct keys the last Block-STM block wrote: the next one probably writes about as many. */
    private int lastKeysWritten;

    ParallelExecutor(ParallelConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.helpers = new Thread[config.threads() - 1];
        this.chooser = switch (config.algorithm()) {
            case AUTO -> new PathChooser(config.threads(), BlockStats.Path.ORDERED, config.adaptive());
            case BLOCK_STM -> new PathChooser(config.threads(), BlockStats.Path.PARALLEL, false);
            case ORDERED_COMMIT -> new PathChooser(config.threads(), BlockStats.Path.ORDERED, false);
        };
        for (int i = 0; i < helpers.length; i++) {
            int id = i + 1;
            Thread t = new Thread(() -> helperLoop(id), "pel-worker-" + id);
            t.setDaemon(true);
            helpers[i] = t;
            t.start();
        }
    }

    @Override
    public synchronized <K, V, O> BlockResult<K, V, O> execute(List<? extends Transaction<K, V, O>> transactions,
                                                               BaseState<K, V> base, CounterCodec<V> counters) {
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(counters, "counters");
        if (closed) {
            throw new IllegalStateException("executor is closed");
        }
        List<? extends Transaction<K, V, O>> block =
                transactions instanceof RandomAccess ? transactions : new ArrayList<>(transactions);
        int n = block.size();
        BlockStats.Path path = config.adaptive() ? chooser.choose(n)
                : config.algorithm() == ParallelConfig.Algorithm.ORDERED_COMMIT ? BlockStats.Path.ORDERED
                : BlockStats.Path.PARALLEL;
        if (path == BlockStats.Path.SEQUENTIAL) {
            BlockResult<K, V, O> result = runSequentially(block, base, counters);
            chooser.recordSequential(n, result.stats().wallNanos());
            return result;
        }
        // An interrupt of the calling thread must not reach the transactions it runs as worker 0 (their
        // outcome would depend on timing) nor turn its parking into spinning; it is restored afterwards.
        boolean interrupted = Thread.interrupted();
        try {
            return path == BlockStats.Path.ORDERED ? runOrdered(block, base, counters)
                    : runBlockStm(block, base, counters);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The sequential executor's result, reported as this executor's (its threads; traced on worker 0). */
    private <K, V, O> BlockResult<K, V, O> runSequentially(List<? extends Transaction<K, V, O>> block,
                                                           BaseState<K, V> base, CounterCodec<V> counters) {
        BlockResult<K, V, O> r = sequential.execute(block, base, counters, config.trace());
        BlockStats s = r.stats();
        BlockStats stats = new BlockStats(s.transactions(), s.executions(), 0, 0, 0, 0, s.wallNanos(),
                config.threads(), BlockStats.Path.SEQUENTIAL);
        return new BlockResult<>(r.outcomes(), r.writeSet(), stats, r.trace());
    }

    private <K, V, O> BlockResult<K, V, O> runBlockStm(List<? extends Transaction<K, V, O>> block,
                                                       BaseState<K, V> base, CounterCodec<V> counters) {
        return runInParallel(new BlockRun<>(++generation, block, base, counters, config,
                Math.max(block.size(), lastKeysWritten)), BlockStats.Path.PARALLEL, block.isEmpty());
    }

    private <K, V, O> BlockResult<K, V, O> runOrdered(List<? extends Transaction<K, V, O>> block,
                                                      BaseState<K, V> base, CounterCodec<V> counters) {
        return runInParallel(new OrderedRun<>(++generation, block, base, counters, config,
                Math.max(block.size(), lastKeysWritten)), BlockStats.Path.ORDERED, block.isEmpty());
    }

    /** Runs {@code run} on the calling thread and the helpers, and records what it cost. */
    private <K, V, O> BlockResult<K, V, O> runInParallel(ParallelRun<K, V, O> run, BlockStats.Path path,
                                                         boolean empty) {
        if (empty) {
            return run.result();
        }
        if (helpers.length > 0) {
            current = run;
            for (Thread t : helpers) {
                LockSupport.unpark(t);
            }
        }
        run.work(0);
        if (helpers.length > 0) {
            run.awaitHelpers();
            current = null;
        }
        BlockResult<K, V, O> result = run.result();
        lastKeysWritten = run.keysWritten();
        chooser.recordParallel(path, result.outcomes().size(), result.stats().wallNanos(),
                run.estimatedSequentialNanosPerTx());
        return result;
    }

    private void helperLoop(int id) {
        long seen = 0;
        while (!closed) {
            ParallelRun<?, ?, ?> run = current;
            if (run == null || run.generation == seen) {
                LockSupport.park(this);
                continue;
            }
            seen = run.generation;
            try {
                run.work(id);
            } finally {
                run.leave();
            }
        }
    }

    @Override
    public int threads() {
        return config.threads();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
        boolean interrupted = false;
        for (Thread t : helpers) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
