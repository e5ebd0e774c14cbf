package io.pel.client;

import io.pel.ledger.Hash;
import java.util.Objects;

/** What the node answered for one transaction of a batch: admitted, or rejected with a stable code. */
public sealed interface BatchItem permits BatchItem.Accepted, BatchItem.Rejected {

    /** Admitted into the mempool. */
    record Accepted(Hash hash) implements BatchItem {
        public Accepted {
            Objects.requireNonNull(hash, "hash");
        }
    }

    /**
     * Refused; it changed nothing.
     *
     * @param code       the stable code
     * @param serverCode the code as the server sent it
     * @param message    in words
     */
    record Rejected(PelErrorCode code, String serverCode, String message) implements BatchItem {
        public Rejected {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(serverCode, "serverCode");
            Objects.requireNonNull(message, "message");
        }
    }
}
