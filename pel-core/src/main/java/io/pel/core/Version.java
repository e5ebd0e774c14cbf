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
    /** For an estimate: the write it stands in for, restored if the next incarnation writes the same. */
    final Version origin;

    Version(int txIndex, int incarnation, byte kind, Object value, long delta, boolean estimate) {
        this(txIndex, incarnation, kind, value, delta, estimate, null);
    }

    private Version(int txIndex, int incarnation, byte kind, Object value, long delta, boolean estimate,
                    Version origin) {
        this.txIndex = txIndex;
        this.incarnation = incarnation;
        this.kind = kind;
        this.value = value;
        this.delta = delta;
        this.estimate = estimate;
        this.origin = origin;
    }

    Version asEstimate() {
        return estimate ? this : new Version(txIndex, incarnation, kind, value, delta, true, this);
    }

    /** Whether {@code other} writes exactly what this writes (same kind, equal value or delta). */
    boolean sameWrite(Version other) {
        return kind == other.kind && delta == other.delta
                && (value == other.value || value != null && value.equals(other.value));
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
