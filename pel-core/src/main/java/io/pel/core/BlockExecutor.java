package io.pel.core;

import java.util.List;

/**
 * Executes ordered blocks of transactions. Every implementation gives, for every input, the same outcomes and
 * write set as {@link #sequential()} — that is the contract the parallel executor is tested against.
 *
 * <p>An executor is thread-safe; calls to {@code execute} on one executor run one at a time. Close it to
 * stop its worker threads.
 */
public interface BlockExecutor extends AutoCloseable {

    /**
     * Executes {@code transactions} in block order against {@code base}.
     *
     * @param counters how counter values are stored in {@code V}
     * @throws BlockExecutionException when no trustworthy result can be given
     */
    <K, V, O> BlockResult<K, V, O> execute(List<? extends Transaction<K, V, O>> transactions,
                                           BaseState<K, V> base, CounterCodec<V> counters);

    /** Executes a block that uses no counters. */
    default <K, V, O> BlockResult<K, V, O> execute(List<? extends Transaction<K, V, O>> transactions,
                                                   BaseState<K, V> base) {
        return execute(transactions, base, CounterCodec.unsupported());
    }

    /** Worker threads this executor uses (1 for the sequential one). */
    int threads();

    @Override
    void close();

    /** Runs transactions one by one on the calling thread: the reference every other executor must match. */
    static BlockExecutor sequential() {
        return new SequentialExecutor();
    }

    /** The Block-STM parallel executor with {@code threads} workers (the caller counts as one). */
    static BlockExecutor parallel(int threads) {
        return new ParallelExecutor(ParallelConfig.defaults(threads));
    }

    static BlockExecutor parallel(ParallelConfig config) {
        return new ParallelExecutor(config);
    }
}
