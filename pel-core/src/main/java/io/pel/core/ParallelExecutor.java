package io.pel.core;

import java.util.List;

/** Placeholder while the Block-STM executor is written. */
final class ParallelExecutor implements BlockExecutor {
    private final ParallelConfig config;

    ParallelExecutor(ParallelConfig config) {
        this.config = config;
    }

    @Override
    public <K, V, O> BlockResult<K, V, O> execute(List<? extends Transaction<K, V, O>> transactions,
                                                  BaseState<K, V> base, CounterCodec<V> counters) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public int threads() {
        return config.threads();
    }

    @Override
    public void close() {
    }
}
