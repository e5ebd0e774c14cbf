package io.pel.core;

import java.util.Arrays;

/**
 * One run of a transaction against the state committed so far ({@link OrderedRun}): what it read (each key
 * with the committed value it got, {@code null} for "nothing committed in this block"), what it wrote, and
 * its outcome. Filled by the worker that ran it, then published (never changed again) to the committing
 * thread, which commits it if every key still shows what the run saw.
 *
 * <p>The first two reads sit in the object's own fields, the rest in an array: most transactions read one or
 * two keys, and the committing thread, usually on another core, then reads one object instead of several.
 */
final class Speculation {

    /** Reads kept in fields before the array takes over. */
    private static final int INLINE = 2;

    /** The transaction run. */
    int tx;
    /** The commit point when the run started ({@link OrderedRun}'s packed form). */
    long startedAt;
    /** Whether this was a second run, after the first read something that changed. */
    boolean rerun;
    Outcome<?> outcome;

    private Object key0;
    private Object seen0;
    private Object key1;
    private Object seen1;
    /** Where the table had each key ({@link CommitTable#find}), so that checking it needs no second search. */
    private int where0;
    private int where1;
    private int reads;
    /** Reads from the third on: the key of read {@code INLINE + i} at {@code i}. */
    private Object[] moreReads;
    /** Reads from the third on: where the table had the key, and the value got, of read {@code INLINE + i} at i. */
    private int[] moreWhere;
    private Object[] moreSeen;
    /**
     * Bounded adds' reads, which saw only whether an add fitted: per bound, its read's index, then the
     * transaction's own earlier adds to the key (offset), delta, min, max, and 1 if it fitted.
     */
    private long[] bounds;
    private int boundCount;

    /** The writes, in first-write order; only when the run succeeded. The first two in fields. */
    private Object writeKey0;
    private Object writeValue0;
    private long writeDelta0;
    private Object writeKey1;
    private Object writeValue1;
    private long writeDelta1;
    private byte writeKind0;
    private byte writeKind1;
    private Object[] writeKeys;
    private byte[] writeKinds;
    private Object[] writeValues;
    private long[] writeDeltas;
    private int writes;

    void addRead(Object key, int where, Object seen) {
        int i = reads;
        if (i == 0) {
            key0 = key;
            seen0 = seen;
            where0 = where;
        } else if (i == 1) {
            key1 = key;
            seen1 = seen;
            where1 = where;
        } else {
            int j = i - INLINE;
            if (moreReads == null) {
                moreReads = new Object[4];
                moreWhere = new int[4];
                moreSeen = new Object[4];
            } else if (j == moreReads.length) {
                moreReads = Arrays.copyOf(moreReads, j * 2);
                moreWhere = Arrays.copyOf(moreWhere, j * 2);
                moreSeen = Arrays.copyOf(moreSeen, j * 2);
            }
            moreReads[j] = key;
            moreWhere[j] = where;
            moreSeen[j] = seen;
        }
        reads = i + 1;
    }

    /** A bounded add's read of {@code key}, which got committed value {@code seen} and whether the add fitted. */
    void addBound(Object key, int where, Object seen, long offset, long delta, long min, long max,
                  boolean fits) {
        int read = reads;
        addRead(key, where, seen);
        int at = boundCount * 6;
        if (bounds == null) {
            bounds = new long[12];
        } else if (at == bounds.length) {
            bounds = Arrays.copyOf(bounds, at * 2);
        }
        bounds[at] = read;
        bounds[at + 1] = offset;
        bounds[at + 2] = delta;
        bounds[at + 3] = min;
        bounds[at + 4] = max;
        bounds[at + 5] = fits ? 1 : 0;
        boundCount++;
    }

    int reads() {
        return reads;
    }

    Object readKey(int i) {
        return i == 0 ? key0 : i == 1 ? key1 : moreReads[i - INLINE];
    }

    /** The committed value read {@code i} got ({@code null}: nothing committed). */
    Object seen(int i) {
        return i == 0 ? seen0 : i == 1 ? seen1 : moreSeen[i - INLINE];
    }

    int where(int i) {
        return i == 0 ? where0 : i == 1 ? where1 : moreWhere[i - INLINE];
    }

    /** Where the table had {@code key} when this run read it, or {@link CommitTable#NOWHERE} if it did not. */
    int whereRead(Object key) {
        for (int i = 0; i < reads; i++) {
            Object k = readKey(i);
            if (k == key || k.equals(key)) {
                return where(i);
            }
        }
        return CommitTable.NOWHERE;
    }

    int bounds() {
        return boundCount;
    }

    int boundRead(int b) {
        return (int) bounds[b * 6];
    }

    long boundOffset(int b) {
        return bounds[b * 6 + 1];
    }

    long boundDelta(int b) {
        return bounds[b * 6 + 2];
    }

    long boundMin(int b) {
        return bounds[b * 6 + 3];
    }

    long boundMax(int b) {
        return bounds[b * 6 + 4];
    }

    boolean boundFits(int b) {
        return bounds[b * 6 + 5] != 0;
    }

    /** Whether read {@code i} was a bounded add's (then only whether the add fits counts, not the value). */
    boolean isBound(int i) {
        for (int b = 0; b < boundCount; b++) {
            if (bounds[b * 6] == i) {
                return true;
            }
        }
        return false;
    }

    /** Keeps a copy of {@code buffer}'s writes (the buffer is reused for the worker's next run). */
    void keepWrites(WriteBuffer<?, ?> buffer) {
        int n = buffer.size();
        writes = n;
        if (n > 0) {
            writeKey0 = buffer.key(0);
            writeKind0 = buffer.kind(0);
            writeValue0 = buffer.value(0);
            writeDelta0 = buffer.delta(0);
        }
        if (n > 1) {
            writeKey1 = buffer.key(1);
            writeKind1 = buffer.kind(1);
            writeValue1 = buffer.value(1);
            writeDelta1 = buffer.delta(1);
        }
        if (n > INLINE) {
            int more = n - INLINE;
            if (writeKeys == null || writeKeys.length < more) {
                writeKeys = new Object[more];
                writeKinds = new byte[more];
                writeValues = new Object[more];
                writeDeltas = new long[more];
            }
            for (int i = 0; i < more; i++) {
                writeKeys[i] = buffer.key(INLINE + i);
                writeKinds[i] = buffer.kind(INLINE + i);
                writeValues[i] = buffer.value(INLINE + i);
                writeDeltas[i] = buffer.delta(INLINE + i);
            }
        }
    }

    int writes() {
        return writes;
    }

    Object writeKey(int i) {
        return i == 0 ? writeKey0 : i == 1 ? writeKey1 : writeKeys[i - INLINE];
    }

    byte writeKind(int i) {
        return i == 0 ? writeKind0 : i == 1 ? writeKind1 : writeKinds[i - INLINE];
    }

    Object writeValue(int i) {
        return i == 0 ? writeValue0 : i == 1 ? writeValue1 : writeValues[i - INLINE];
    }

    long writeDelta(int i) {
        return i == 0 ? writeDelta0 : i == 1 ? writeDelta1 : writeDeltas[i - INLINE];
    }

    /** Forgets everything, for reuse by the thread that owns it (never for a published one). */
    void clear() {
        outcome = null;
        key0 = null;
        seen0 = null;
        key1 = null;
        seen1 = null;
        if (reads > INLINE) {
            Arrays.fill(moreReads, 0, reads - INLINE, null);
            Arrays.fill(moreSeen, 0, reads - INLINE, null);
        }
        reads = 0;
        boundCount = 0;
        writeKey0 = null;
        writeValue0 = null;
        writeKey1 = null;
        writeValue1 = null;
        if (writes > INLINE) {
            Arrays.fill(writeKeys, 0, writes - INLINE, null);
            Arrays.fill(writeValues, 0, writes - INLINE, null);
        }
        writes = 0;
    }
}
