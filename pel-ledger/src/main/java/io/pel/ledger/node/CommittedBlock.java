package io.pel.ledger.node;

import io.pel.core.Outcome;
import io.pel.core.TraceEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A block as committed, with what each of its transactions came to: what a {@link BlockListener} receives.
 *
 * @param block    the block
 * @param outcomes one per transaction, in block order, as stored in the block's receipts
 * @param timings  how long its parts took; empty for a block read back from the store
 * @param trace    the engine's per-task trace when the node traces blocks ({@link NodeConfig#trace()});
 *                 otherwise, and for a block read back from the store, empty
 */
public record CommittedBlock(Block block, List<Outcome<TxResult>> outcomes, Optional<BlockTimings> timings,
                             List<TraceEvent> trace) {

    public CommittedBlock {
        Objects.requireNonNull(block, "block");
        outcomes = List.copyOf(outcomes);
        Objects.requireNonNull(timings, "timings");
        trace = List.copyOf(trace);
        if (outcomes.size() != block.transactions().size()) {
            throw new IllegalArgumentException(outcomes.size() + " outcomes for " + block.transactions().size()
                    + " transactions");
        }
    }

    public long height() {
        return block.height();
    }
}
