package io.pel.ledger.node;

import io.pel.ledger.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ChainAudit} checked and found. When {@link #problem} is present the audit stopped there: the
 * counts say how far it got; otherwise every check passed.
 *
 * @param blocks        blocks checked (verify) or re-executed (replay)
 * @param transactions  transactions in those blocks
 * @param rootsCompared replay only: blocks whose replayed state root was compared with the header's
 * @param lastHeight    the chain's last height (−1 for an empty chain, or when the store could not be read)
 * @param stateRoot     the state root reached: the stored one (verify) or the replayed one (replay)
 * @param problem       the first problem found, if any
 * @param sequentialNanos replay only: time the sequential executor took over the replayed blocks
 * @param blockStmNanos   replay only: time Block-STM took over the same blocks (each block run once by each)
 * @param reexecutions    replay only: Block-STM's executions beyond the first, over all replayed blocks
 */
public record AuditReport(long blocks, long transactions, long rootsCompared, long lastHeight, Hash stateRoot,
                          Optional<AuditProblem> problem, long sequentialNanos, long blockStmNanos,
                          long reexecutions) {

    public AuditReport {
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(problem, "problem");
    }

    public AuditReport(long blocks, long transactions, long rootsCompared, long lastHeight, Hash stateRoot,
                       Optional<AuditProblem> problem) {
        this(blocks, transactions, rootsCompared, lastHeight, stateRoot, problem, 0, 0, 0);
    }

    /** Replay only: sequential time over Block-STM time on the replayed blocks; 0 when nothing was timed. */
    public double speedup() {
        return blockStmNanos == 0 ? 0 : (double) sequentialNanos / blockStmNanos;
    }

    /** Every check passed. */
    public boolean ok() {
        return problem.isEmpty();
    }
}
