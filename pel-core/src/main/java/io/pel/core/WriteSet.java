package io.pel.core;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The net effect of a block on its base state: for every key some successful transaction wrote, deleted or
 * added to, its final value, or "deleted". Immutable. Two write sets are equal when they have the same keys
 * with equal values and the same deletions.
 */
public final class WriteSet<K, V> {

    /** Stands for "deleted" inside the map, so the map never holds {@code null}. */
    private static final Object DELETED = new Object() {
        @Override
        public String toString() {
            return "<deleted>";
        }
    };

    private final Map<K, Object> changes;

    private WriteSet(Map<K, Object> changes) {
        this.changes = changes;
    }

    /** Collects a write set; not thread-safe. */
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
            return new WriteSet<>(Collections.unmodifiableMap(changes));
        }
    }

    public static <K, V> Builder<K, V> builder(int expectedKeys) {
        return new Builder<>(expectedKeys);
    }

    public int size() {
        return changes.size();
    }

    public Set<K> keys() {
        return changes.keySet();
    }

    public boolean contains(K key) {
        return changes.containsKey(key);
    }

    /** Whether the block deleted {@code key} (as its final change). */
    public boolean isDeleted(K key) {
        return changes.get(key) == DELETED;
    }

    /** The final value of {@code key}, or {@code null} when the block deleted or did not change it. */
    @SuppressWarnings("unchecked")
    public V value(K key) {
        Object v = changes.get(key);
        return v == DELETED ? null : (V) v;
    }

    /** Calls {@code action} with every changed key and its final value, {@code null} for a deletion. */
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        changes.forEach((k, v) -> action.accept(k, v == DELETED ? null : (V) v));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteSet<?, ?> other && changes.equals(other.changes);
    }

    @Override
    public int hashCode() {
        return changes.hashCode();
    }

    @Override
    public String toString() {
        return "WriteSet" + changes;
    }
}
