package io.pel.ledger.node;

import java.util.Objects;

/**
 * The first thing a {@link ChainAudit} found wrong: a stable code, the height of the block it concerns (−1 when
 * it concerns no one block) and a message a person understands.
 */
public record AuditProblem(Code code, long height, String message) {

    /** What went wrong. The names are stable: scripts may match on them. */
    public enum Code {
        /** The directory does not exist or holds no store: a usage error, nothing was checked. */
        NO_STORE,
        /** The requested replay range is empty or goes past the last block: a usage error. */
        BAD_RANGE,
        /** A replay was asked to use the rules the store records, and it records none: a usage error. */
        NO_RULES,
        /** The store names a last height, but a block at or below it is absent. */
        BLOCK_MISSING,
        /** A stored block's bytes are not a canonical block encoding. */
        BLOCK_UNDECODABLE,
        /** A block's transactions do not hash to its header's transaction root. */
        TRANSACTION_ROOT_MISMATCH,
        /** The block stored under a height says it is another height. */
        HEIGHT_MISMATCH,
        /** A block's parent hash is not the previous block's hash (or not zero for block 0). */
        PARENT_MISMATCH,
        /** A block's timestamp is below its parent's. */
        TIMESTAMP_DECREASES,
        /** A block's transaction is absent from the transaction index, or indexed at another place. */
        TRANSACTION_NOT_INDEXED,
        /** A state root disagrees: the last header's with the stored one, or a replayed one with a header's. */
        STATE_ROOT_MISMATCH,
        /** The stored state (its values, or its tree) does not hash to the stored state root. */
        STATE_TREE_MISMATCH,
        /** The parallel and the sequential execution of a block gave different outcomes or write sets. */
        EXECUTION_MISMATCH,
        /** The parallel engine gave no result for a block. */
        EXECUTION_FAILED,
        /** A block's stored receipts are missing, unreadable, or not what re-executing the block gives. */
        RECEIPT_MISMATCH
    }

    public AuditProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** True for the problems of the request rather than of the chain. */
    public boolean isUsageError() {
        return code == Code.NO_STORE || code == Code.BAD_RANGE || code == Code.NO_RULES;
    }

    @Override
    public String toString() {
        return (height >= 0 ? "block " + height + ": " : "") + code + ": " + message;
    }
}
