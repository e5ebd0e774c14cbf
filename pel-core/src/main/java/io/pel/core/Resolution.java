package io.pel.core;

/**
 * Scratch space for resolving one read in multi-version memory: one per worker, reused for every read, so
 * that reads allocate nothing.
 */
final class Resolution {

    /** No transaction below the reader wrote the key: read the base state. */
    static final int BASE = 0;
    /** The highest write below the reader is a value or a deletion: {@link #top}. */
    static final int EXACT = 1;
    /** Deltas on top of a value or deletion ({@link #bottom}); {@link #counter} holds their sum. */
    static final int DELTAS_ON_VALUE = 2;
    /** Deltas down to the base state; {@link #counter} holds their sum (the base is not included). */
    static final int DELTAS_ON_BASE = 3;
    /** An estimate was met: the reader depends on {@link #blockedOn}. */
    static final int BLOCKED = 4;

    /** After a failed validation: the key whose read had changed (for traces). */
    Object staleKey;

    /**
     * The highest write below the reader, for EXACT and the deltas kinds. Compared by identity; its index,
     * value and whether it is a deletion are copied below, so that nobody needs to read the object itself
     * (a cache miss when another core wrote it).
     */
    Version top;
    int topTx;
    Object topValue;
    boolean topDeleted;
    Version bottom;
    long counter;
    int blockedOn;
    /** Scratch: the sum of one delta lane's part of a read. */
    long laneSum;

    void clear() {
        top = null;
        topTx = -1;
        topValue = null;
        topDeleted = false;
        bottom = null;
        counter = 0;
        blockedOn = -1;
    }
}
