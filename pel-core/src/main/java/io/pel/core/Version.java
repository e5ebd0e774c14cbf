package io.pel.core;

/**
 * One transaction incarnation's write to one key, as kept in multi-version memory. Immutable: every recorded
 * write is a new object, so a reader that remembers the object it saw can later tell, by identity alone,
 * whether the key still shows that same write.
 */
final class Version {

    static final byte VALUE = 0;
    static final byte DELETED = 1;
    static final byte DELTA = 2;

    final int txIndex;
    final int incarnation;
    final byte kind;
    /** The written value when {@code kind == VALUE}. */
    final Object value;
    /** The added amount when {@code kind == DELTA}. */
    final long delta;
    /** The writer was aborted: this write will probably change, readers must wait for the writer. */
    final boolean estimate;

    Version(int txIndex, int incarnation, byte kind, Object value, long delta, boolean estimate) {
        this.txIndex = txIndex;
        this.incarnation = incarnation;
        this.kind = kind;
        this.value = value;
        this.delta = delta;
        this.estimate = estimate;
    }

    Version asEstimate() {
        return estimate ? this : new Version(txIndex, incarnation, kind, value, delta, true);
    }

    @Override
    public String toString() {
        String what = switch (kind) {
            case VALUE -> "value " + value;
            case DELETED -> "deleted";
            default -> "delta " + delta;
        };
        return "Version[tx " + txIndex + "." + incarnation + " " + what + (estimate ? " ESTIMATE]" : "]");
    }
}
