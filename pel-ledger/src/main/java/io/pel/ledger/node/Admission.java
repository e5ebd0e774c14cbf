package io.pel.ledger.node;

import io.pel.ledger.Hash;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** What {@link Node#submit} answered: accepted into the mempool, or rejected with a stable code. */
public sealed interface Admission {

    /**
     * Admitted. {@code committed} completes after the transaction's block was durably committed, or
     * exceptionally when the node closed (or failed) first — then the transaction may or may not have been
     * committed before; {@link Node#transaction} says which.
     */
    record Accepted(Hash txHash, CompletableFuture<Committed> committed) implements Admission {
        public Accepted {
            Objects.requireNonNull(txHash, "txHash");
            Objects.requireNonNull(committed, "committed");
        }
    }

    /** Not admitted; nothing changed. */
    record Rejected(Rejection rejection) implements Admission {
        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
        }

        public Rejection.Code code() {
            return rejection.code();
        }
    }
}
