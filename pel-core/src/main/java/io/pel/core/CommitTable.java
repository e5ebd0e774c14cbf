package io.pel.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The state committed so far in a block run by {@link OrderedRun}: for every key a committed transaction of
 * the block wrote, its latest value or deletion. One writer at a time (the holder of the commit lock), any
 * number of readers (the workers' runs).
 *
 * <p>A value is its own version: a run records the very object each read returned, and is checked by whether
 * the key still holds that object ({@link #shows}). If it does, a read now would return the same reference,
 * so the transaction, a deterministic function of what it reads, would do the same. A key rewritten with
 * the same object in between ("A, B, A") therefore passes, rightly. Values are published with a release
 * store and read with an acquire load, so a reader that gets a value sees it fully built.
 *
 * <p>Open addressing with linear probing, insert-only: a key keeps its slot for the block. Keys and values
 * sit side by side in one array: a look-up that finds its key has the value in the same line. (Versions in an
 * array of their own cost a second line per read, per check and per write, mostly on the other core's side.)
 */
final class CommitTable {

    /** Stands for a deletion among the values ({@code null} is "nothing committed yet"). */
    static final Object DELETED = new Object() {
        @Override
        public String toString() {
            return "<deleted>";
        }
    };

    /** Where {@link #find} found nothing it can point at: the key is in the overflow map or its probes are full. */
    static final int NOWHERE = -1;

    /** A key not found within this many slots of its hash is in the overflow map, if anywhere. */
    private static final int MAX_PROBES = ChainTable.MAX_PROBES;

    /** Key of slot i at 2i, its value at 2i + 1. */
    private final AtomicReferenceArray<Object> pairs;
    private final int mask;
    /** Committed values (or {@link #DELETED}) of keys outside the table. */
    private final ConcurrentHashMap<Object, Object> overflow = new ConcurrentHashMap<>();
    /** Keys committed; only the writer touches it. */
    private int size;

    /**
     * A table for about {@code expectedKeys} keys, at most about two thirds full: denser than half, because
     * the block's write set is collected by walking every slot, and a slot costs a line fetch per four.
     */
    CommitTable(int expectedKeys) {
        int capacity = ChainTable.capacityFor(expectedKeys + expectedKeys / 2L);
        this.pairs = new AtomicReferenceArray<>(2 * capacity);
        this.mask = capacity - 1;
    }

    /**
     * Where {@code key} is: its slot ({@code >= 0}) when the table holds it; {@code -(empty slot) - 2} when it
     * is absent and a put would place it in that empty slot; {@link #NOWHERE} otherwise.
     */
    int find(Object key) {
        int h = ChainTable.spread(key);
        for (int i = 0; i < MAX_PROBES; i++) {
            int at = (h + i) & mask;
            Object k = pairs.get(2 * at);
            if (k == null) {
                return -at - 2;
            }
            if (k == key || k.equals(key)) {
                return at;
            }
        }
        return NOWHERE;
    }

    /** The value in slot {@code slot} (from {@link #find}): a value or {@link #DELETED}. */
    Object value(int slot) {
        return pairs.get(2 * slot + 1);
    }

    /** The committed value of a key outside the table ({@link #DELETED}), or {@code null} if none. */
    Object overflowValue(Object key) {
        return overflow.get(key);
    }

    /** The committed value of {@code key} ({@link #DELETED}), or {@code null} if none. */
    Object committedValue(Object key) {
        int where = find(key);
        return where >= 0 ? value(where) : where == NOWHERE ? overflowValue(key) : null;
    }

    /**
     * Whether {@code key} still holds {@code seen}, the very object a read got ({@code null}: nothing
     * committed), given where {@link #find} said the key was for that read.
     */
    boolean shows(Object key, int where, Object seen) {
        if (where >= 0) {
            return value(where) == seen; // a key never leaves its slot
        }
        if (where != NOWHERE && pairs.get(-2 * where - 4) == null) {
            return seen == null; // still the end of the key's probes: still absent
        }
        return committedValue(key) == seen;
    }

    /**
     * Commits {@code value} ({@link #DELETED} for a deletion) as {@code key}'s value, which
     * {@link #find} placed at {@code where} (not necessarily now: a slot found empty may have been taken). Only
     * the holder of the commit lock calls this.
     */
    void put(Object key, int where, Object value) {
        if (where >= 0) {
            pairs.setRelease(2 * where + 1, value);
            return;
        }
        if (where != NOWHERE && pairs.getPlain(-2 * where - 4) == null) {
            insert(-where - 2, key, value);
            return;
        }
        where = find(key);
        if (where >= 0) {
            put(key, where, value);
        } else if (where != NOWHERE) {
            insert(-where - 2, key, value);
        } else {
            if (overflow.put(key, value) == null) {
                size++;
            }
        }
    }

    /** The value first, the key last: a reader that finds the key finds its value. */
    private void insert(int slot, Object key, Object value) {
        size++;
        pairs.setPlain(2 * slot + 1, value);
        pairs.setRelease(2 * slot, key);
    }

    /** Keys in the table. */
    int size() {
        return size;
    }

    /** Slots in the table, the range {@link #collect} splits. */
    int capacity() {
        return mask + 1;
    }

    /**
     * Adds the value or deletion of every key in slots [from, to) to {@code out}; only once no thread writes
     * any more (the end of the block orders every write before this, so plain reads suffice).
     */
    @SuppressWarnings("unchecked")
    <K, V> void collect(int from, int to, WriteSet.Unique<K, V> out) {
        for (int i = 2 * from; i < 2 * to; i += 2) {
            Object key = pairs.getPlain(i);
            if (key != null) {
                add(out, (K) key, pairs.getPlain(i + 1));
            }
        }
    }

    /** Adds the keys outside the table, as {@link #collect} does. */
    @SuppressWarnings("unchecked")
    <K, V> void collectOverflow(WriteSet.Unique<K, V> out) {
        overflow.forEach((key, value) -> add(out, (K) key, value));
    }

    @SuppressWarnings("unchecked")
    private static <K, V> void add(WriteSet.Unique<K, V> out, K key, Object value) {
        if (value == DELETED) {
            out.delete(key);
        } else {
            out.put(key, (V) value);
        }
    }
}
