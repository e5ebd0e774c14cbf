package io.pel.core;

import java.util.HashMap;

/**
 * The writes one run of a transaction has made so far, at most one operation per key, in first-write order.
 * Linear search for the common small transaction; an index once it grows.
 */
final class WriteBuffer<K, V> {

    static final byte VALUE = 0;
    static final byte DELETE = 1;
    static final byte DELTA = 2;

    /** Past this many keys a hash index beats a linear scan. */
    private static final int LINEAR_LIMIT = 8;

    private Object[] keys = new Object[4];
    private byte[] kinds = new byte[4];
    private Object[] values = new Object[4];
    private long[] deltas = new long[4];
    private int size;
    private HashMap<Object, Integer> index;

    void clear() {
        java.util.Arrays.fill(keys, 0, size, null);
        java.util.Arrays.fill(values, 0, size, null);
        size = 0;
        index = null;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    K key(int i) {
        return (K) keys[i];
    }

    byte kind(int i) {
        return kinds[i];
    }

    @SuppressWarnings("unchecked")
    V value(int i) {
        return (V) values[i];
    }

    long delta(int i) {
        return deltas[i];
    }

    /** The slot of {@code key}, or -1. */
    int find(Object key) {
        if (index != null) {
            Integer i = index.get(key);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    void put(K key, byte kind, V value, long delta) {
        int i = find(key);
        if (i < 0) {
            i = append(key);
        }
        kinds[i] = kind;
        values[i] = value;
        deltas[i] = delta;
    }

    private int append(Object key) {
        if (size == keys.length) {
            int n = size * 2;
            keys = java.util.Arrays.copyOf(keys, n);
            kinds = java.util.Arrays.copyOf(kinds, n);
            values = java.util.Arrays.copyOf(values, n);
            deltas = java.util.Arrays.copyOf(deltas, n);
        }
        int i = size++;
        keys[i] = key;
        if (index != null) {
            index.put(key, i);
        } else if (size > LINEAR_LIMIT) {
            index = HashMap.newHashMap(size * 2);
            for (int j = 0; j < size; j++) {
                index.put(keys[j], j);
            }
        }
        return i;
    }
}
