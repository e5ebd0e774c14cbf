package io.pel.core;

import java.util.Objects;

/**
 * The semantics of {@link TxContext} shared by every executor: a transaction's own writes shadow the state
 * below it, adds merge into the transaction's own pending operation. Subclasses only say how to read the
 * state as of the transaction's position in the block.
 */
abstract class BufferedContext<K, V> implements TxContext<K, V> {

    final WriteBuffer<K, V> writes = new WriteBuffer<>();
    CounterCodec<V> codec;

    /** The value before this transaction, recording the read where the executor needs to. */
    abstract V readStored(K key);

    /** The counter before this transaction (0 when absent), recording the read where the executor needs to. */
    abstract long readStoredCounter(K key);

    /**
     * The counter before this transaction for a {@link #tryAdd} of {@code delta} within [min, max] on top of the
     * transaction's own earlier adds ({@code offset}). The transaction learns only whether the add fits, so an
     * executor may record just that outcome and let the read stay valid while earlier transactions change the
     * counter without changing it.
     */
    long readStoredCounterForBound(K key, long offset, long delta, long min, long max) {
        return readStoredCounter(key);
    }

    /** The counter a bounded add sees: below this transaction, plus its own adds; records the read as a bound. */
    private long counterForBound(K key, long delta, long min, long max) {
        int i = writes.find(key);
        if (i < 0) {
            return readStoredCounterForBound(key, 0, delta, min, max);
        }
        if (writes.kind(i) == WriteBuffer.DELTA) {
            long own = writes.delta(i);
            return readStoredCounterForBound(key, own, delta, min, max) + own;
        }
        return readCounter(key); // its own value or deletion: nothing below is read
    }

    /** Whether {@code delta} added to {@code counter} stays within [min, max] without overflowing. */
    static boolean fits(long counter, long delta, long min, long max) {
        long result = counter + delta;
        // Overflow iff both operands have the sign opposite to the result's.
        if (((counter ^ result) & (delta ^ result)) < 0) {
            return false;
        }
        return result >= min && result <= max;
    }

    @Override
    public final V read(K key) {
        Objects.requireNonNull(key, "key");
        int i = writes.find(key);
        if (i < 0) {
            return readStored(key);
        }
        return switch (writes.kind(i)) {
            case WriteBuffer.VALUE -> writes.value(i);
            case WriteBuffer.DELETE -> null;
            default -> codec.encode(readStoredCounter(key) + writes.delta(i));
        };
    }

    @Override
    public final long readCounter(K key) {
        Objects.requireNonNull(key, "key");
        requireCounters();
        int i = writes.find(key);
        if (i < 0) {
            return readStoredCounter(key);
        }
        return switch (writes.kind(i)) {
            case WriteBuffer.VALUE -> codec.decode(writes.value(i));
            case WriteBuffer.DELETE -> 0;
            default -> readStoredCounter(key) + writes.delta(i);
        };
    }

    @Override
    public final void write(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value (use delete to remove a key)");
        writes.put(key, WriteBuffer.VALUE, value, 0);
    }

    @Override
    public final void delete(K key) {
        Objects.requireNonNull(key, "key");
        writes.put(key, WriteBuffer.DELETE, null, 0);
    }

    @Override
    public final void add(K key, long delta) {
        Objects.requireNonNull(key, "key");
        requireCounters();
        int i = writes.find(key);
        if (i < 0) {
            writes.put(key, WriteBuffer.DELTA, null, delta);
            return;
        }
        switch (writes.kind(i)) {
            case WriteBuffer.VALUE -> writes.put(key, WriteBuffer.VALUE, codec.encode(codec.decode(writes.value(i)) + delta), 0);
            case WriteBuffer.DELETE -> writes.put(key, WriteBuffer.VALUE, codec.encode(delta), 0);
            default -> writes.put(key, WriteBuffer.DELTA, null, writes.delta(i) + delta);
        }
    }

    @Override
    public final boolean fits(K key, long delta, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        Objects.requireNonNull(key, "key");
        requireCounters();
        return fits(counterForBound(key, delta, min, max), delta, min, max);
    }

    @Override
    public final boolean tryAdd(K key, long delta, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        Objects.requireNonNull(key, "key");
        requireCounters();
        // All the transaction learns is whether the add fits (also on top of its own adds to the key).
        if (!fits(counterForBound(key, delta, min, max), delta, min, max)) {
            return false;
        }
        add(key, delta);
        return true;
    }

    private void requireCounters() {
        if (codec == CounterCodec.Unsupported.INSTANCE) {
            throw new UnsupportedOperationException("counters need a CounterCodec: pass one to execute(...)");
        }
    }
}
