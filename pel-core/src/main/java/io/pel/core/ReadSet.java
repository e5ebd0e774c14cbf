package io.pel.core;

import java.util.Arrays;

/**
 * What one incarnation of a transaction read from multi-version memory, in order, with what each read saw.
 * Written by the executing worker only, then published (never changed again) for validators.
 *
 * <p>The first two reads sit in the object's own fields, the rest in arrays allocated with the third: most
 * transactions read one or two keys, and then a read set is one object of a line or two, which a validator
 * reads in one go, instead of an object and two arrays (three allocations, and three places to miss in the
 * cache). Per read: the key, the chain it found (so validation need not look the key up again), the
 * {@link Version} seen (the top entry for EXACT and the deltas kinds, {@code null} for BASE), the
 * {@link Resolution} kind, and, only for counter reads, the counter.
 */
final class ReadSet {

    /** Reads kept in fields before the arrays take over. */
    private static final int INLINE = 2;
    /** Slots per read in {@link #refs}. */
    private static final int KEY = 0;
    private static final int CHAIN = 1;
    private static final int SEEN = 2;
    private static final int STRIDE = 3;

    private Object key0;
    private VersionChain chain0;
    private Version seen0;
    private Object key1;
    private VersionChain chain1;
    private Version seen1;
    private byte kind0;
    private byte kind1;
    private int size;
    /** Reads from the third on: key, chain and version seen of read {@code INLINE + i} at {@code i * STRIDE}. */
    private Object[] refs = NO_REFS;
    /** Reads from the third on: the kind of read {@code INLINE + i} at {@code i}. */
    private byte[] kinds = NO_KINDS;
    /** Indexed by read: for DELTAS_ON_VALUE the counter read, for DELTAS_ON_BASE the sum of deltas above the base. */
    private long[] counters;
    /**
     * For a bounded add's read ({@link #BOUND_FITS}, {@link #BOUND_MISSES}), at 4 × its index: the transaction's
     * own earlier adds to the key (offset), then delta, min, max.
     */
    private long[] bounds;

    /** Kinds of a bounded add's read: only whether the add fitted was seen. */
    static final int BOUND_FITS = 16;
    static final int BOUND_MISSES = 17;

    private static final Object[] NO_REFS = new Object[0];
    private static final byte[] NO_KINDS = new byte[0];
    private static final int FIRST_CAPACITY = 4;

    void add(Object key, VersionChain chain, int kind, Version version, long counter) {
        int i = size;
        if (i == 0) {
            key0 = key;
            chain0 = chain;
            seen0 = version;
            kind0 = (byte) kind;
        } else if (i == 1) {
            key1 = key;
            chain1 = chain;
            seen1 = version;
            kind1 = (byte) kind;
        } else {
            int j = i - INLINE;
            if (j == kinds.length) {
                int capacity = j == 0 ? FIRST_CAPACITY : j * 2;
                refs = Arrays.copyOf(refs, capacity * STRIDE);
                kinds = Arrays.copyOf(kinds, capacity);
            }
            int at = j * STRIDE;
            refs[at + KEY] = key;
            refs[at + CHAIN] = chain;
            refs[at + SEEN] = version;
            kinds[j] = (byte) kind;
        }
        if (kind == Resolution.DELTAS_ON_VALUE || kind == Resolution.DELTAS_ON_BASE) {
            if (counters == null) {
                counters = new long[Math.max(FIRST_CAPACITY, i + 1)];
            } else if (counters.length <= i) {
                counters = Arrays.copyOf(counters, Math.max(counters.length * 2, i + 1));
            }
            counters[i] = counter;
        }
        size = i + 1;
    }

    void addBound(Object key, VersionChain chain, long offset, long delta, long min, long max, boolean fits) {
        int i = size;
        add(key, chain, fits ? BOUND_FITS : BOUND_MISSES, null, 0);
        if (bounds == null) {
            bounds = new long[Math.max(FIRST_CAPACITY, i + 1) * 4];
        } else if (bounds.length < (i + 1) * 4) {
            bounds = Arrays.copyOf(bounds, Math.max(bounds.length * 2, (i + 1) * 4));
        }
        bounds[i * 4] = offset;
        bounds[i * 4 + 1] = delta;
        bounds[i * 4 + 2] = min;
        bounds[i * 4 + 3] = max;
    }

    boolean isBound(int i) {
        return kind(i) >= BOUND_FITS;
    }

    boolean boundFits(int i) {
        return kind(i) == BOUND_FITS;
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
        key0 = null;
        chain0 = null;
        seen0 = null;
        key1 = null;
        chain1 = null;
        seen1 = null;
        if (size > INLINE) {
            Arrays.fill(refs, 0, (size - INLINE) * STRIDE, null);
        }
        if (counters != null) {
            Arrays.fill(counters, 0, Math.min(size, counters.length), 0);
        }
        size = 0;
    }

    int size() {
        return size;
    }

    Object key(int i) {
        return i == 0 ? key0 : i == 1 ? key1 : refs[(i - INLINE) * STRIDE + KEY];
    }

    int kind(int i) {
        return i == 0 ? kind0 : i == 1 ? kind1 : kinds[i - INLINE];
    }

    Version seen(int i) {
        return i == 0 ? seen0 : i == 1 ? seen1 : (Version) refs[(i - INLINE) * STRIDE + SEEN];
    }

    VersionChain chain(int i) {
        return i == 0 ? chain0 : i == 1 ? chain1 : (VersionChain) refs[(i - INLINE) * STRIDE + CHAIN];
    }

    long counter(int i) {
        return counters == null || i >= counters.length ? 0 : counters[i];
    }

    /** The chain an earlier read of {@code key} found, or {@code null}: saves a table look-up when writing it. */
    VersionChain chainOf(Object key) {
        for (int i = 0; i < size; i++) {
            VersionChain chain = chain(i);
            if (chain != null) {
                Object k = key(i);
                if (k == key || k.equals(key)) {
                    return chain;
                }
            }
        }
        return null;
    }
}
