package io.pel.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Key → version chain for one block. Open addressing with linear probing over one array, insert-only (a
 * block never forgets a key), so a look-up is a hash, a few array reads and an {@code equals}: no locks, no
 * nodes, and no shared size counter for workers to fight over (which is what a {@link ConcurrentHashMap}
 * costs with two threads inserting). Sized from the block, so it is rarely more than half full; a key whose
 * probe sequence is full goes to a small overflow map instead of resizing under readers.
 */
final class ChainTable {

    /**
     * A key not found within this many slots of its hash is in the overflow map, if anywhere. Shared with
     * {@link CommitTable}, as are {@link #spread} and {@link #capacityFor}: the same open addressing.
     */
    static final int MAX_PROBES = 16;
    private static final int MAX_CAPACITY = 1 << 24;

    private final AtomicReferenceArray<VersionChain> slots;
    private final int mask;
    private final ConcurrentHashMap<Object, VersionChain> overflow = new ConcurrentHashMap<>();

    /** A table for about {@code expectedKeys} keys, at most half full. */
    ChainTable(int expectedKeys) {
        int capacity = capacityFor(2L * expectedKeys);
        this.slots = new AtomicReferenceArray<>(capacity);
        this.mask = capacity - 1;
    }

    /** The power of two at or above {@code slots} (at least 64, at most 2^24). */
    static int capacityFor(long slots) {
        long wanted = Math.max(64L, slots);
        return (int) Math.min(MAX_CAPACITY, Long.highestOneBit(wanted - 1) << 1);
    }

    static int spread(Object key) {
        int h = key.hashCode() * 0x9E3779B9; // Fibonacci hashing: sequential keys land far apart
        return h ^ (h >>> 16);
    }

    /** The chain of {@code key}, or {@code null} if no transaction has written it yet. */
    VersionChain get(Object key) {
        int h = spread(key);
        for (int i = 0; i < MAX_PROBES; i++) {
            VersionChain c = slots.get((h + i) & mask);
            if (c == null) {
                return null; // slots fill up and never empty: a key placed later would be here
            }
            if (c.key == key || c.key.equals(key)) {
                return c;
            }
        }
        return overflow.get(key);
    }

    /** The chain of {@code key}, created if this is the first write to it. */
    VersionChain getOrCreate(Object key) {
        int h = spread(key);
        VersionChain created = null;
        for (int i = 0; i < MAX_PROBES; i++) {
            int at = (h + i) & mask;
            VersionChain c = slots.get(at);
            if (c == null) {
                if (created == null) {
                    created = new VersionChain(key);
                }
                if (slots.compareAndSet(at, null, created)) {
                    return created;
                }
                c = slots.get(at); // someone else took the slot: maybe for this very key
            }
            if (c.key == key || c.key.equals(key)) {
                return c;
            }
        }
        return overflow.computeIfAbsent(key, VersionChain::new);
    }

    /** Slots in the table, for splitting a walk over it ({@link #gather}) between threads. */
    int capacity() {
        return slots.length();
    }

    /**
     * Copies the chains of slots [from, to) into {@code out} (at least {@code to - from} long) and returns how
     * many there are. Call only once no worker is inserting (after the block, when the end of the block has
     * ordered every insert before this), which is why plain reads suffice.
     */
    int gather(int from, int to, VersionChain[] out) {
        int count = 0;
        for (int i = from; i < to; i++) {
            VersionChain c = slots.getPlain(i);
            if (c != null) {
                out[count++] = c;
            }
        }
        return count;
    }

    /** Every chain that did not fit in its probe sequence; same condition as {@link #gather}. */
    void forEachOverflow(Consumer<VersionChain> action) {
        overflow.values().forEach(action);
    }

    /** Every chain; same condition as {@link #gather}. */
    void forEach(Consumer<VersionChain> action) {
        VersionChain[] inSlots = new VersionChain[capacity()];
        int count = gather(0, capacity(), inSlots);
        for (int i = 0; i < count; i++) {
            action.accept(inSlots[i]);
        }
        forEachOverflow(action);
    }

    /** Keys in the table; walks it, so call only after the block. */
    int size() {
        int[] count = {0};
        forEach(c -> count[0]++);
        return count[0];
    }
}
