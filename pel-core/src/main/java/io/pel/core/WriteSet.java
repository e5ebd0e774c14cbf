package io.pel.core;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The net effect of a block on its base state: for every key some successful transaction wrote, deleted or
 * added to, its final value, or "deleted". Immutable and safe to share between threads. Two write sets are
 * equal when they have the same keys with equal values and the same deletions.
 *
 * <p>Kept as two arrays, the way the executors produce it; the hash index that point look-ups need is built
 * on the first look-up, so a caller that only iterates (a ledger applying the block) never pays for it.
 */
public final class WriteSet<K, V> {

    /** Stands for "deleted" among the values, so the arrays never hold {@code null}. */
    private static final Object DELETED = new Object() {
        @Override
        public String toString() {
            return "<deleted>";
        }
    };

    private final Object[] keys;
    private final Object[] values;
    private final int size;
    /** Key → position, built on first look-up; a benign race may build it twice. */
    private volatile HashMap<Object, Integer> index;

    private WriteSet(Object[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    /** Collects a write set; a key put twice keeps its last change. Not thread-safe. */
    public static final class Builder<K, V> {
        private final HashMap<K, Object> changes;

        public Builder(int expectedKeys) {
            changes = HashMap.newHashMap(expectedKeys);
        }

        public Builder<K, V> put(K key, V value) {
            changes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder<K, V> delete(K key) {
            changes.put(Objects.requireNonNull(key, "key"), DELETED);
            return this;
        }

        public WriteSet<K, V> build() {
            Object[] k = new Object[changes.size()];
            Object[] v = new Object[changes.size()];
            int i = 0;
            for (var e : changes.entrySet()) {
                k[i] = e.getKey();
                v[i] = e.getValue();
                i++;
            }
            return new WriteSet<>(k, v, i);
        }
    }

    public static <K, V> Builder<K, V> builder(int expectedKeys) {
        return new Builder<>(expectedKeys);
    }

    /**
     * Collects the changes of an executor, which produces each key once; cheaper than {@link Builder}.
     * Not thread-safe.
     */
    static final class Unique<K, V> {
        private Object[] keys;
        private Object[] values;
        private int size;

        Unique(int expectedKeys) {
            keys = new Object[Math.max(4, expectedKeys)];
            values = new Object[keys.length];
        }

        void put(K key, V value) {
            add(key, Objects.requireNonNull(value, "value"));
        }

        void delete(K key) {
            add(key, DELETED);
        }

        private void add(Object key, Object value) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size] = value;
            size++;
        }

        WriteSet<K, V> build() {
            return new WriteSet<>(keys, values, size);
        }

        /** One write set of several collections whose keys are disjoint. */
        static <K, V> WriteSet<K, V> concat(List<Unique<K, V>> parts) {
            if (parts.size() == 1) {
                return parts.get(0).build();
            }
            int total = 0;
            for (Unique<K, V> p : parts) {
                total += p.size;
            }
            Object[] k = new Object[total];
            Object[] v = new Object[total];
            int at = 0;
            for (Unique<K, V> p : parts) {
                System.arraycopy(p.keys, 0, k, at, p.size);
                System.arraycopy(p.values, 0, v, at, p.size);
                at += p.size;
            }
            return new WriteSet<>(k, v, total);
        }
    }

    public int size() {
        return size;
    }

    /** The changed keys (deleted ones included), as an unmodifiable set. */
    public Set<K> keys() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public boolean contains(Object o) {
                return index().containsKey(o);
            }

            @Override
            public Iterator<K> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    @SuppressWarnings("unchecked")
                    public K next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        return (K) keys[next++];
                    }
                };
            }
        };
    }

    public boolean contains(K key) {
        return index().containsKey(key);
    }

    /** Whether the block deleted {@code key} (as its final change). */
    public boolean isDeleted(K key) {
        return raw(key) == DELETED;
    }

    /** The final value of {@code key}, or {@code null} when the block deleted or did not change it. */
    @SuppressWarnings("unchecked")
    public V value(K key) {
        Object v = raw(key);
        return v == DELETED ? null : (V) v;
    }

    /** Calls {@code action} with every changed key and its final value, {@code null} for a deletion. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        for (int i = 0; i < size; i++) {
            Object v = values[i];
            action.accept((K) keys[i], v == DELETED ? null : (V) v);
        }
    }

    private Object raw(Object key) {
        Integer i = index().get(key);
        return i == null ? null : values[i];
    }

    private HashMap<Object, Integer> index() {
        HashMap<Object, Integer> idx = index;
        if (idx == null) {
            idx = HashMap.newHashMap(size);
            for (int i = 0; i < size; i++) {
                if (idx.put(keys[i], i) != null) {
                    throw new IllegalStateException("write set holds key " + keys[i] + " twice");
                }
            }
            index = idx;
        }
        return idx;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WriteSet<?, ?> other) || other.size != size || other.hashCode() != hashCode()) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (!values[i].equals(other.raw(keys[i]))) {
                return false;
            }
        }
        return true;
    }

    /** Order-independent: a sum over the changes. */
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < size; i++) {
            h += keys[i].hashCode() ^ (values[i] == DELETED ? 0x5DE1E7ED : values[i].hashCode());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("WriteSet{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(keys[i]).append('=').append(values[i]);
        }
        return sb.append('}').toString();
    }
}
