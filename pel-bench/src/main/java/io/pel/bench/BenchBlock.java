package io.pel.bench;

import io.pel.core.BaseState;
import io.pel.core.CounterCodec;
import io.pel.core.Transaction;
import java.util.List;

/** One generated block of a benchmark workload, with the base state it runs on and its counters' codec. */
public record BenchBlock<K, V, O>(List<? extends Transaction<K, V, O>> transactions, BaseState<K, V> base,
                                  CounterCodec<V> codec) {

    public int size() {
        return transactions.size();
    }
}
