package io.pel.core;

import java.util.Map;
import java.util.Objects;

/**
 * The read-only state a block starts from. Must be safe to call from several threads at once, and must return
 * the same value for the same key for the whole block.
 */
@FunctionalInterface
public interface BaseState<K, V> {

    /** The value at {@code key}, or {@code null} when absent. */
    V get(K key);

    static <K, V> BaseState<K, V> empty() {
        return key -> null;
    }

    /** A view of {@code map}; the map must not change while a block runs. */
    static <K, V> BaseState<K, V> of(Map<K, V> map) {
        Objects.requireNonNull(map, "map");
        return map::get;
    }
}
