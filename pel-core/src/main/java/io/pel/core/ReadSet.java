package io.pel.core;

import java.util.Arrays;

/**
 * What one incarnation of a transaction read from multi-version memory, in order, with what each read saw.
 * Written by the executing worker only, then published (never changed again) for validators.
 *
 * <p>Up to three arrays per incarnation, allocated with its first read: per read the key, the chain it found
 * and the version it saw (side by side in one array, so a validator touches few cache lines), the
 * {@link Resolution} kind, and, only for counter reads, the counter.
 */
final class ReadSet {

    /** Slots per read in {@link #refs}. */
    private static final int KEY = 0;
    private static final int CHAIN = 1;
    private static final int SEEN = 2;
    private static final int STRIDE = 3;

    /**
     * Per read: the key; its chain when the read found one (so validation need not look the key up again);
     * the {@link Version} seen (the top entry for EXACT and the deltas kinds, {@code null} for BASE).
     */
    private Object[] refs;
    private byte[] kinds;
    /** For DELTAS_ON_VALUE the counter read, for DELTAS_ON_BASE the sum of deltas above the base. */
    private long[] counters;
    /**
     * For a bounded add's read ({@link #BOUND_FITS}, {@link #BOUND_MISSES}): the transaction's own earlier adds
     * to the key (offset), then delta, min, max.
     */
    private long[] bounds;

    /** Kinds of a bounded add's read: only whether the add fitted was seen. */
    static final int BOUND_FITS = 16;
    static final int BOUND_MISSES = 17;
    private int size;

    /**
     * An empty read set; its arrays come with the first read, so a transaction that reads nothing (a blind
     * write, an add to a counter) allocates one small object per execution instead of three.
     */
    ReadSet() {
        refs = NO_REFS;
        kinds = NO_KINDS;
    }

    private static final Object[] NO_REFS = new Object[0];
    private static final byte[] NO_KINDS = new byte[0];
    private static final int FIRST_CAPACITY = 4;

    void add(Object key, VersionChain chain, int kind, Version version, long counter) {
        if (size == kinds.length) {
            if (size == 0) {
                refs = new Object[FIRST_CAPACITY * STRIDE];
                kinds = new byte[FIRST_CAPACITY];
            } else {
                refs = Arrays.copyOf(refs, size * 2 * STRIDE);
                kinds = Arrays.copyOf(kinds, size * 2);
            }
        }
        int at = size * STRIDE;
        refs[at + KEY] = key;
        refs[at + CHAIN] = chain;
        refs[at + SEEN] = version;
        kinds[size] = (byte) kind;
        if (kind == Resolution.DELTAS_ON_VALUE || kind == Resolution.DELTAS_ON_BASE) {
            if (counters == null) {
                counters = new long[kinds.length];
            } else if (counters.length < kinds.length) {
                counters = Arrays.copyOf(counters, kinds.length);
            }
            counters[size] = counter;
        }
        size++;
    }

    void addBound(Object key, VersionChain chain, long offset, long delta, long min, long max, boolean fits) {
        int i = size;
        add(key, chain, fits ? BOUND_FITS : BOUND_MISSES, null, 0);
        if (bounds == null) {
            bounds = new long[kinds.length * 4];
        } else if (bounds.length < kinds.length * 4) {
            bounds = Arrays.copyOf(bounds, kinds.length * 4);
        }
        bounds[i * 4] = offset;
        bounds[i * 4 + 1] = delta;
        bounds[i * 4 + 2] = min;
        bounds[i * 4 + 3] = max;
    }

    boolean isBound(int i) {
        return kinds[i] >= BOUND_FITS;
    }

    boolean boundFits(int i) {
        return kinds[i] == BOUND_FITS;
    }

    long boundOffset(int i) {
        return bounds[i * 4];
    }

    long boundDelta(int i) {
        return bounds[i * 4 + 1];
    }

    long boundMin(int i) {
        return bounds[i * 4 + 2];
    }

    long boundMax(int i) {
        return bounds[i * 4 + 3];
    }

    /** Forgets every read (only for a read set that was never published). */
    void clear() {
        Arrays.fill(refs, 0, size * STRIDE, null);
        if (counters != null) {
            Arrays.fill(counters, 0, Math.min(size, counters.length), 0);
        }
        size = 0;
    }

    int size() {
        return size;
    }

    Object key(int i) {
        return refs[i * STRIDE + KEY];
    }

    int kind(int i) {
        return kinds[i];
    }

    Version seen(int i) {
        return (Version) refs[i * STRIDE + SEEN];
    }

    VersionChain chain(int i) {
        return (VersionChain) refs[i * STRIDE + CHAIN];
    }

    long counter(int i) {
        return counters == null || i >= counters.length ? 0 : counters[i];
    }

    /** The chain an earlier read of {@code key} found, or {@code null}: saves a table look-up when writing it. */
    VersionChain chainOf(Object key) {
        for (int i = 0; i < size; i++) {
            int at = i * STRIDE;
            Object chain = refs[at + CHAIN];
            if (chain != null && (refs[at + KEY] == key || refs[at + KEY].equals(key))) {
                return (VersionChain) chain;
            }
        }
        return null;
    }
}
