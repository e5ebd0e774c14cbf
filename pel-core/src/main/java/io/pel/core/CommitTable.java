package io.pel.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The state committed so far in a block run by {@link OrderedRun}: for every key a committed transaction of
 * the block wrote, its latest value or deletion, and the version that wrote it (the writer's index + 1).
 * One writer at a time (the holder of the commit lock), any number of readers (the workers' runs).
 *
 * <p>Open addressing with linear probing, insert-only: a key keeps its slot for the block. Keys and values
 * sit side by side in one array (a look-up that finds its key has the value in the same line) and versions
 * in an array of their own. A reader reads the version before the value and the writer writes the value
 * before the version, so the value a reader gets is at least as new as the version it records; if it is
 * newer, the version has changed too, and checking the run (by version) catches it.
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

    /** A committed write of a key outside the table. */
    private record Overflow(Object value, int version) {
    }

    /** Key of slot i at 2i, its value at 2i + 1. */
    private final AtomicReferenceArray<Object> pairs;
    private final AtomicIntegerArray versions;
    private final int mask;
    private final ConcurrentHashMap<Object, Overflow> overflow = new ConcurrentHashMap<>();
    /** Keys committed; only the writer touches it. */
    private int size;

    /**
     * A table for about {@code expectedKeys} keys, at most about two thirds full: denser than half, because
     * the block's write set is collected by walking every slot, and a slot costs a line fetch per four.
     */
    CommitTable(int expectedKeys) {
        int capacity = ChainTable.capacityFor(expectedKeys + expectedKeys / 2L);
        this.pairs = new AtomicReferenceArray<>(2 * capacity);
        this.versions = new AtomicIntegerArray(capacity);
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

    /** The version of the value in slot {@code slot} (from {@link #find}); read it before {@link #value}. */
    int version(int slot) {
        return versions.get(slot);
    }

    /** The value in slot {@code slot}: a value, {@link #DELETED}, or {@code null} while the key is being added. */
    Object value(int slot) {
        return pairs.get(2 * slot + 1);
    }

    /** The version of {@code key}'s committed value, 0 if none, for a key {@link #find} put {@link #NOWHERE}. */
    int overflowVersion(Object key) {
        Overflow o = overflow.get(key);
        return o == null ? 0 : o.version;
    }

    /** The committed value of a key outside the table ({@link #DELETED}), or {@code null} if none. */
    Object overflowValue(Object key) {
        Overflow o = overflow.get(key);
        return o == null ? null : o.value;
    }

    /** The version of {@code key}'s committed value, 0 if none. */
    int versionOf(Object key) {
        int where = find(key);
        return where >= 0 ? versions.get(where) : where == NOWHERE ? overflowVersion(key) : 0;
    }

    /** The committed value of {@code key} ({@link #DELETED}), or {@code null} if none. Only the writer calls it. */
    Object committedValue(Object key) {
        int where = find(key);
        return where >= 0 ? pairs.getPlain(2 * where + 1) : where == NOWHERE ? overflowValue(key) : null;
    }

    /**
     * Whether {@code key} still has version {@code version} (0: no committed value), given where {@link #find}
     * said it was when that version was read.
     */
    boolean shows(Object key, int where, int version) {
        if (where >= 0) {
            return versions.get(where) == version; // a key never leaves its slot
        }
        if (where != NOWHERE && pairs.get(-2 * where - 4) == null) {
            return version == 0; // still the end of the key's probes: still absent
        }
        return versionOf(key) == version;
    }

    /**
     * Commits {@code value} ({@link #DELETED} for a deletion) as version {@code version} of {@code key}, which
     * {@link #find} placed at {@code where} (not necessarily now: a slot found empty may have been taken). Only
     * the holder of the commit lock calls this.
     */
    void put(Object key, int where, Object value, int version) {
        if (where >= 0) {
            pairs.setPlain(2 * where + 1, value);
            versions.setRelease(where, version);
            return;
        }
        if (where != NOWHERE && pairs.getPlain(-2 * where - 4) == null) {
            insert(-where - 2, key, value, version);
            return;
        }
        where = find(key);
        if (where >= 0) {
            put(key, where, value, version);
        } else if (where != NOWHERE) {
            insert(-where - 2, key, value, version);
        } else {
            if (overflow.put(key, new Overflow(value, version)) == null) {
                size++;
            }
        }
    }

    /** The value and version first, the key last: a reader that finds the key finds them. */
    private void insert(int slot, Object key, Object value, int version) {
        size++;
        pairs.setPlain(2 * slot + 1, value);
        versions.setPlain(slot, version);
        pairs.setRelease(2 * slot, key);
    }

    /** Keys in the table. */
    int size() {
        return size;
    }

    /** Slots in the table, the range {@link #collect} splits. */
    int capacity() {
        return versions.length();
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
        overflow.forEach((key, o) -> add(out, (K) key, o.value));
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
