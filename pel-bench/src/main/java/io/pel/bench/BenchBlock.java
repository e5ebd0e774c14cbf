package io.pel.bench;

import io.pel.core.BaseState;
import io.pel.core.Transaction;
import java.util.List;

/** One generated block of a benchmark workload: integer keys, {@code Long} values and counters. */
public record BenchBlock(List<Transaction<Integer, Long, Long>> transactions, BaseState<Integer, Long> base) {

    public int size() {
        return transactions.size();
    }
}
