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
 */
public record AuditReport(long blocks, long transactions, long rootsCompared, long lastHeight, Hash stateRoot,
                          Optional<AuditProblem> problem) {

    public AuditReport {
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(problem, "problem");
    }

    /** Every check passed. */
    public boolean ok() {
        return problem.isEmpty();
    }
}
