package io.pel.core;

/**
 * What a run of a transaction sees in {@link OrderedRun}: the state committed so far in the block, then the
 * base state. Records every read, with where the table had its key and the committed value it got (the
 * value is its own version: {@link CommitTable}), into a {@link Speculation}.
 */
final class SpeculativeView<K, V> extends BufferedContext<K, V> {

    private final CommitTable table;
    private final BaseState<K, V> base;
    private Speculation speculation;

    SpeculativeView(CommitTable table, BaseState<K, V> base, CounterCodec<V> codec) {
        this.table = table;
        this.base = base;
        this.codec = codec;
    }

    /** Prepares for a run, recording into {@code into}. */
    void start(Speculation into) {
        speculation = into;
        writes.clear();
    }

    /** Where the table had the key of the last {@link #readCommitted}. */
    private int where;

    /** Reads {@code key}'s committed value ({@link CommitTable#DELETED}, null: none), setting where. */
    private Object readCommitted(Object key) {
        where = table.find(key);
        return where >= 0 ? table.value(where) : where == CommitTable.NOWHERE ? table.overflowValue(key) : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    V readStored(K key) {
        Object v = readCommitted(key);
        speculation.addRead(key, where, v);
        return v == null ? base.get(key) : v == CommitTable.DELETED ? null : (V) v;
    }

    @Override
    long readStoredCounter(K key) {
        V v = readStored(key);
        return v == null ? 0 : codec.decode(v);
    }

    @Override
    long readStoredCounterForBound(K key, long offset, long delta, long min, long max) {
        Object v = readCommitted(key);
        long counter = counterOf(v, key);
        speculation.addBound(key, where, v, offset, delta, min, max, fits(counter + offset, delta, min, max));
        return counter;
    }

    /** The counter of a key whose committed value is {@code v} ({@code null}: none, the base state's). */
    @SuppressWarnings("unchecked")
    long counterOf(Object v, Object key) {
        V value = v == null ? base.get((K) key) : v == CommitTable.DELETED ? null : (V) v;
        return value == null ? 0 : codec.decode(value);
    }
}
