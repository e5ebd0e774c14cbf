package io.pel.ledger.node;

import io.pel.core.BaseState;
import io.pel.core.BlockExecutionException;
import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.SignedTransaction;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a block's transactions are run: the one code path shared by the {@link Node} that makes blocks and the
 * {@link ChainAudit} that replays them, so a replay executes exactly what the node executed.
 */
final class BlockExecution {

    private static final Logger log = LoggerFactory.getLogger(BlockExecution.class);

    private BlockExecution() {
    }

    /**
     * Runs {@code transactions} in block order over {@code base} on {@code executor}; if that throws
     * {@link BlockExecutionException} and a {@code fallback} is given, the block is re-run on it (logged).
     *
     * @throws BlockExecutionException if the engine gave no result and there is no fallback
     */
    static BlockResult<Bytes, Bytes, TxResult> run(BlockInfo block, List<SignedTransaction> transactions,
                                                   Optional<AccountId> admin, Applications apps,
                                                   BaseState<Bytes, Bytes> base,
                                                   BlockExecutor executor, BlockExecutor fallback) {
        long height = block.height();
        List<LedgerTransaction> txs = LedgerTransaction.forBlock(transactions, admin, block, apps, base);
        try {
            return executor.execute(txs, base, StateLayout.COUNTERS);
        } catch (BlockExecutionException e) {
            if (fallback == null) {
                throw e;
            }
            log.warn("block {}: the parallel engine gave no result ({}); re-running it sequentially", height,
                    e.getMessage(), e);
            return fallback.execute(txs, base, StateLayout.COUNTERS);
        }
    }
}
