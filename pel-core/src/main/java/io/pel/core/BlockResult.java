package io.pel.core;

import java.util.List;

/**
 * The result of executing a block: one outcome per transaction in block order, the block's final write set,
 * what it cost, and (when tracing was asked for) the tasks each worker ran.
 */
public record BlockResult<K, V, O>(List<Outcome<O>> outcomes, WriteSet<K, V> writeSet, BlockStats stats,
                                   List<TraceEvent> trace) {

    public BlockResult {
        // The parallel executor hands over a list nobody else can change; copying 10 000 outcomes at the end
        // of every block cost the calling thread tens of microseconds while the other cores idled.
        outcomes = outcomes instanceof OutcomeList<?> ? outcomes : List.copyOf(outcomes);
        trace = List.copyOf(trace);
    }

    public Outcome<O> outcome(int index) {
        return outcomes.get(index);
    }
}
