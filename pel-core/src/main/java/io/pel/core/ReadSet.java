package io.pel.core;

import java.util.Arrays;

/**
 * What one incarnation of a transaction read from multi-version memory, in order, with what each read saw.
 * Written by the executing worker only, then published (never changed again) for validators.
 */
final class ReadSet {

    private Object[] keys;
    /** A {@link Resolution} code per read. */
    private byte[] kinds;
    /** The {@link Version} seen: the top entry for EXACT and the deltas kinds, {@code null} for BASE. */
    private Version[] seen;
    /** For DELTAS_ON_VALUE the counter read, for DELTAS_ON_BASE the sum of deltas above the base. */
    private long[] counters;
    /** The key's chain when the read found one, so validation need not look the key up again. */
    private VersionChain[] chains;
    private int size;

    ReadSet() {
        this(4);
    }

    ReadSet(int capacity) {
        keys = new Object[capacity];
        kinds = new byte[capacity];
        seen = new Version[capacity];
        counters = new long[capacity];
        chains = new VersionChain[capacity];
    }

    void add(Object key, VersionChain chain, int kind, Version version, long counter) {
        if (size == keys.length) {
            int n = size * 2;
            keys = Arrays.copyOf(keys, n);
            kinds = Arrays.copyOf(kinds, n);
            seen = Arrays.copyOf(seen, n);
            counters = Arrays.copyOf(counters, n);
            chains = Arrays.copyOf(chains, n);
        }
        keys[size] = key;
        kinds[size] = (byte) kind;
        seen[size] = version;
        counters[size] = counter;
        chains[size] = chain;
        size++;
    }

    /** Forgets every read (only for a read set that was never published). */
    void clear() {
        Arrays.fill(keys, 0, size, null);
        Arrays.fill(seen, 0, size, null);
        Arrays.fill(chains, 0, size, null);
        size = 0;
    }

    int size() {
        return size;
    }

    Object key(int i) {
        return keys[i];
    }

    int kind(int i) {
        return kinds[i];
    }

    Version seen(int i) {
        return seen[i];
    }

    VersionChain chain(int i) {
        return chains[i];
    }

    long counter(int i) {
        return counters[i];
    }
}
