package io.pel.core;

/**
 * The state a transaction sees: the base state, updated by every earlier transaction of the block, and by
 * the transaction's own earlier writes.
 *
 * <p>Counters: {@link #add} adds to the counter stored at a key, as if it were
 * {@code write(key, read(key) + delta)}, but without reading it, so transactions that only add to the same
 * key do not conflict. Counter values are converted by the block's {@link CounterCodec}; an absent key is
 * counter 0. Unbounded adds wrap around on overflow (two's complement), which keeps them order-independent.
 * {@link #tryAdd} is the bounded form: the transaction learns only whether the add fitted, so it conflicts
 * with earlier writers of the key only when their changes turn that answer around — far from the bound
 * (a budget with room left) bounded adds run as conflict-free as plain ones.
 */
public interface TxContext<K, V> {

    /** The current value at {@code key}, or {@code null} if absent or deleted. */
    V read(K key);

    /** Sets {@code key} to {@code value} ({@code null} is not a value: use {@link #delete}). */
    void write(K key, V value);

    /** Removes {@code key}. */
    void delete(K key);

    /** Adds {@code delta} to the counter at {@code key}, wrapping on overflow. Does not read the key. */
    void add(K key, long delta);

    /**
     * Adds {@code delta} to the counter at {@code key} if the result stays within {@code [min, max]}
     * (without overflow); otherwise changes nothing.
     *
     * @return whether the add was applied
     */
    boolean tryAdd(K key, long delta, long min, long max);

    /**
     * Whether {@link #tryAdd tryAdd(key, delta, min, max)} would apply now, without applying it. Like
     * {@code tryAdd} the transaction learns only that answer, so it conflicts with earlier adds only when they
     * turn it around: for code that decides first and adds later (a caller buffering its own writes).
     */
    default boolean fits(K key, long delta, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        long counter = readCounter(key);
        long result = counter + delta;
        return ((counter ^ result) & (delta ^ result)) >= 0 && result >= min && result <= max;
    }

    /** The counter at {@code key}: 0 when absent. Reads the key like {@link #read}. */
    long readCounter(K key);
}
