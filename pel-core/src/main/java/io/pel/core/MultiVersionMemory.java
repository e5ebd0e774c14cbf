package io.pel.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The block's multi-version memory: for every key, the writes of each transaction index that wrote it, tagged
 * with the writing incarnation or marked as estimates; plus, per transaction, the keys its last incarnation
 * wrote and the reads it made, for validation.
 */
final class MultiVersionMemory<K, V> {

    /** Past this many keys, comparing two write sets uses a hash set instead of nested loops. */
    private static final int SMALL_WRITE_SET = 16;
    private static final Object[] NO_KEYS = new Object[0];

    private final ChainTable chains;
    private final BaseState<K, V> base;
    private final CounterCodec<V> codec;
    /** Keys written by the last recorded incarnation of each transaction; only its executing worker writes. */
    private final Object[][] lastWritten;
    /** Reads of the last recorded incarnation; read by validators on other threads, hence atomic. */
    private final AtomicReferenceArray<ReadSet> lastReads;
    /** Delta lanes per key: one per worker. */
    private final int lanes;
    /**
     * Each transaction's delta lane + 1 (0: none yet): the lane of the worker that first recorded it, kept
     * for every later incarnation, so a transaction's delta to a key never moves between lanes. Written only
     * by the worker recording the transaction; incarnations are ordered by the scheduler.
     */
    private final int[] laneOf;
    /**
     * Per worker, the delta lane it last wrote to. A hot counter's chain, its lane array and the first lane
     * are allocated together, so they share cache lines: fetching the lane from the chain for every delta
     * read a line that the first lane's writer changes with every delta it adds. Each worker's own object,
     * created (and allocated) by its own thread and touched by it alone.
     */
    private final LaneCache[] laneCaches;
    private int keysWritten;

    MultiVersionMemory(int transactions, BaseState<K, V> base, CounterCodec<V> codec) {
        this(transactions, 2 * transactions, 1, base, codec);
    }

    /**
     * @param expectedKeys how many distinct keys the block probably writes (sizes the chain table)
     * @param lanes        delta lanes per key: the number of workers
     */
    MultiVersionMemory(int transactions, int expectedKeys, int lanes, BaseState<K, V> base, CounterCodec<V> codec) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be >= 1, got " + lanes);
        }
        this.chains = new ChainTable(expectedKeys);
        this.base = base;
        this.codec = codec;
        this.lastWritten = new Object[transactions][];
        this.lastReads = new AtomicReferenceArray<>(transactions);
        this.lanes = lanes;
        this.laneOf = new int[transactions];
        this.laneCaches = new LaneCache[lanes];
    }

    /** One worker's last delta lane: lane {@code index} of {@code chain}. */
    private static final class LaneCache {
        VersionChain chain;
        int index;
        VersionChain lane;
    }

    /** Lane {@code index} of {@code chain}, for worker {@code worker}, from its cache when it can. */
    private VersionChain deltaLane(VersionChain chain, int index, int worker) {
        if (worker < 0 || worker >= laneCaches.length) {
            return chain.deltaLane(index, lanes);
        }
        LaneCache cache = laneCaches[worker];
        if (cache == null) {
            cache = laneCaches[worker] = new LaneCache();
        }
        if (cache.chain != chain || cache.index != index) {
            cache.lane = chain.deltaLane(index, lanes);
            cache.index = index;
            cache.chain = chain;
        }
        return cache.lane;
    }

    BaseState<K, V> base() {
        return base;
    }

    CounterCodec<V> codec() {
        return codec;
    }

    /** Distinct keys the block's transactions ever wrote; known once {@link #finalWriteSet} ran. */
    int keysWritten() {
        return keysWritten;
    }

    /** The chain of {@code key}, or {@code null} if no transaction of this block has written it yet. */
    VersionChain chain(K key) {
        return chains.get(key);
    }

    /**
     * Records what incarnation {@code incarnation} of transaction {@code tx} wrote and read, replacing what its
     * previous incarnation had recorded. A failed transaction records its reads and no writes.
     *
     * @return whether this incarnation wrote a key the previous one did not (then every later transaction
     *         must be validated again)
     */
    boolean record(int tx, int incarnation, WriteBuffer<K, V> writes, boolean applyWrites, ReadSet reads) {
        return record(tx, incarnation, 0, writes, applyWrites, reads);
    }

    /** As {@link #record(int, int, WriteBuffer, boolean, ReadSet)}, by worker {@code worker}. */
    boolean record(int tx, int incarnation, int worker, WriteBuffer<K, V> writes, boolean applyWrites,
                   ReadSet reads) {
        Object[] previous = lastWritten[tx];
        Object[] written = NO_KEYS;
        boolean moved = false;
        if (applyWrites && writes.size() > 0) {
            int lane = laneOf[tx] - 1;
            if (lane < 0) {
                lane = worker % lanes;
                laneOf[tx] = lane + 1;
            }
            written = new Object[writes.size()];
            for (int i = 0; i < writes.size(); i++) {
                K key = writes.key(i);
                VersionChain chain = reads.size() <= SMALL_WRITE_SET ? reads.chainOf(key) : null;
                if (chain == null) {
                    chain = chains.getOrCreate(key);
                }
                byte kind = writes.kind(i);
                if (kind == WriteBuffer.DELTA) {
                    deltaLane(chain, lane, worker)
                            .putDelta(new Version(tx, incarnation, Version.DELTA, null, writes.delta(i), false));
                } else {
                    chain.put(kind == WriteBuffer.VALUE
                            ? new Version(tx, incarnation, Version.VALUE, writes.value(i), 0, false)
                            : new Version(tx, incarnation, Version.DELETED, null, 0, false));
                }
                // A write that changed between a delta and a value moves between the chain and its lane:
                // readers may have seen it in neither place meanwhile, so it counts as a new key.
                if (previous != null && chain.removeOther(tx, lane, kind == WriteBuffer.DELTA)) {
                    moved = true;
                }
                written[i] = key;
            }
        }
        boolean wroteNewKey = moved;
        if (previous == null) {
            wroteNewKey = written.length > 0;
        } else if (written.length + previous.length <= SMALL_WRITE_SET) {
            for (Object key : previous) {
                if (!contains(written, key)) {
                    removeEntry(key, tx);
                }
            }
            for (Object key : written) {
                if (!contains(previous, key)) {
                    wroteNewKey = true;
                    break;
                }
            }
        } else {
            HashSet<Object> now = new HashSet<>(java.util.Arrays.asList(written));
            HashSet<Object> before = new HashSet<>(java.util.Arrays.asList(previous));
            for (Object key : previous) {
                if (!now.contains(key)) {
                    removeEntry(key, tx);
                }
            }
            for (Object key : written) {
                if (!before.contains(key)) {
                    wroteNewKey = true;
                    break;
                }
            }
        }
        lastWritten[tx] = written;
        // A release store publishes the read set to validators, who read it with acquire: no full fence per
        // execution (nothing later in this thread has to wait for it to be seen).
        lastReads.setRelease(tx, reads);
        return wroteNewKey;
    }

    private void removeEntry(Object key, int tx) {
        VersionChain chain = chains.get(key);
        if (chain == null || !chain.remove(tx, laneOf[tx] - 1)) {
            throw new IllegalStateException("invariant: tx " + tx + " had written " + key + " but no entry is there");
        }
    }

    private static boolean contains(Object[] keys, Object key) {
        for (Object k : keys) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** Turns the last writes of {@code tx} into estimates, so readers wait for its next incarnation. */
    void convertWritesToEstimates(int tx) {
        Object[] written = lastWritten[tx];
        if (written == null) {
            throw new IllegalStateException("invariant: tx " + tx + " aborted before it recorded anything");
        }
        for (Object key : written) {
            VersionChain chain = chains.get(key);
            if (chain == null || !chain.markEstimate(tx, laneOf[tx] - 1)) {
                throw new IllegalStateException("invariant: tx " + tx + " wrote " + key + " but has no entry to mark");
            }
        }
    }

    /**
     * Whether every read of the last recorded incarnation of {@code tx} would still see the same thing.
     * Exact reads compare by the identity of the version seen; counter reads compare the counter; a bounded
     * add's read compares only whether the add fits.
     */
    boolean validate(int tx, Resolution r) {
        ReadSet reads = lastReads.get(tx);
        if (reads == null) {
            throw new IllegalStateException("invariant: tx " + tx + " validated before it recorded reads");
        }
        for (int i = 0; i < reads.size(); i++) {
            @SuppressWarnings("unchecked") K key = (K) reads.key(i);
            VersionChain chain = reads.chain(i);
            if (chain == null) {
                chain = chains.get(key); // no chain at read time; one may exist now
            }
            int now = chain == null ? Resolution.BASE : chain.resolve(tx, r);
            if (reads.isBound(i)) {
                // A bounded add's read: valid while the add would still fit, or still not fit.
                if (now == Resolution.BLOCKED || reads.boundFits(i) != BufferedContext.fits(
                        counterAt(key, now, r) + reads.boundOffset(i), reads.boundDelta(i), reads.boundMin(i),
                        reads.boundMax(i))) {
                    r.staleKey = key;
                    return false;
                }
                continue;
            }
            if (now != reads.kind(i)) {
                r.staleKey = key;
                return false;
            }
            boolean same = switch (now) {
                case Resolution.BASE -> true;
                case Resolution.EXACT -> r.top == reads.seen(i);
                case Resolution.DELTAS_ON_VALUE -> counterOver(r.bottom, r.counter) == reads.counter(i);
                case Resolution.DELTAS_ON_BASE -> r.counter == reads.counter(i);
                default -> false; // BLOCKED: the value seen is about to change
            };
            if (!same) {
                r.staleKey = key;
                return false;
            }
        }
        return true;
    }

    /** The counter a read of {@code key} that resolved to {@code kind} (not BLOCKED) into {@code r} sees. */
    long counterAt(K key, int kind, Resolution r) {
        return switch (kind) {
            case Resolution.BASE -> baseCounter(key);
            case Resolution.EXACT -> counterOfTop(r);
            case Resolution.DELTAS_ON_VALUE -> counterOver(r.bottom, r.counter);
            case Resolution.DELTAS_ON_BASE -> baseCounter(key) + r.counter;
            default -> throw new IllegalStateException("invariant: no counter for resolution " + kind);
        };
    }

    /** The counter an EXACT resolution in {@code r} shows: its value's, 0 for a deletion. */
    long counterOfTop(Resolution r) {
        @SuppressWarnings("unchecked") V value = (V) r.topValue;
        return r.topDeleted ? 0 : codec.decode(value);
    }

    /** The counter made of {@code deltas} added to the value or deletion {@code bottom}. */
    long counterOver(Version bottom, long deltas) {
        if (bottom.kind == Version.DELETED) {
            return deltas;
        }
        @SuppressWarnings("unchecked") V value = (V) bottom.value;
        return codec.decode(value) + deltas;
    }

    /** The counter at the bottom of a chain: the base value's, 0 when absent. */
    long baseCounter(K key) {
        V value = base.get(key);
        return value == null ? 0 : codec.decode(value);
    }

    /**
     * One thread's share of the block's final changes. After the block, the workers split the chain table
     * between them ({@link #collectFinal}); the caller then joins the parts ({@link #finalWriteSet(int, List)}).
     */
    static final class FinalPart<K, V> {
        final WriteSet.Unique<K, V> changes;
        final Resolution resolution = new Resolution();
        int keys;
        /** The chains of the slots being collected (see {@link #collectFinal(int, int, int, FinalPart)}). */
        private VersionChain[] batch = new VersionChain[0];
        /** Adds up what the first pass over a batch read, so that the compiler keeps those reads. */
        private long touched;

        FinalPart(int expectedKeys) {
            changes = new WriteSet.Unique<>(expectedKeys);
        }
    }

    /** Slots of the chain table, the range {@link #collectFinal} splits. */
    int finalSlots() {
        return chains.capacity();
    }

    /**
     * Adds to {@code part}, for every key whose chain sits in table slots [from, to), what a reader after the
     * block sees. Only after the block: no chain changes any more, so they are read without their locks.
     */
    void collectFinal(int transactions, int from, int to, FinalPart<K, V> part) {
        if (part.batch.length < to - from) {
            part.batch = new VersionChain[to - from];
        }
        VersionChain[] batch = part.batch;
        int count = chains.gather(from, to, batch);
        // Most chains were last written long ago or by another core, so each is a cache miss. Read one field
        // of every chain first: independent loads, which the processor overlaps, where resolving one chain
        // after another waited for each miss in turn.
        long touched = 0;
        for (int i = 0; i < count; i++) {
            touched += batch[i].highestIndex();
        }
        part.touched += touched;
        for (int i = 0; i < count; i++) {
            collectFinal(transactions, batch[i], part);
            batch[i] = null;
        }
    }

    private void collectFinal(int transactions, VersionChain chain, FinalPart<K, V> part) {
        part.keys++;
        Resolution r = part.resolution;
        @SuppressWarnings("unchecked") K key = (K) chain.key;
        // Every chain with an entry is a key some final incarnation wrote: entries of earlier incarnations
        // were replaced or removed when the final one recorded.
        int kind = chain.resolveQuiescent(transactions, r);
        WriteSet.Unique<K, V> out = part.changes;
        switch (kind) {
            case Resolution.BASE -> { } // written by an earlier incarnation only
            case Resolution.EXACT -> {
                if (r.topDeleted) {
                    out.delete(key);
                } else {
                    @SuppressWarnings("unchecked") V value = (V) r.topValue;
                    out.put(key, value);
                }
            }
            case Resolution.DELTAS_ON_VALUE -> out.put(key, codec.encode(counterOver(r.bottom, r.counter)));
            case Resolution.DELTAS_ON_BASE -> out.put(key, codec.encode(baseCounter(key) + r.counter));
            default -> throw new IllegalStateException(
                    "invariant: written key " + key + " resolves to " + kind + " after the block finished");
        }
    }

    /**
     * The block's final changes from the parts that together cover every table slot (the chains outside
     * the table are collected here): for every key a final incarnation wrote, what a reader after the block
     * sees.
     */
    WriteSet<K, V> finalWriteSet(int transactions, List<FinalPart<K, V>> parts) {
        FinalPart<K, V> overflow = new FinalPart<>(0);
        chains.forEachOverflow(chain -> collectFinal(transactions, chain, overflow));
        List<WriteSet.Unique<K, V>> changes = new ArrayList<>(parts.size() + 1);
        int keys = overflow.keys;
        for (FinalPart<K, V> part : parts) {
            changes.add(part.changes);
            keys += part.keys;
        }
        changes.add(overflow.changes);
        keysWritten = keys;
        return WriteSet.Unique.concat(changes);
    }

    /**
     * Throws unless every one of the first {@code transactions} transactions recorded. A walk over every
     * transaction, much of it in lines another core wrote last: the parallel executor knows it from its
     * count of executed transactions and walks only when self-checking.
     */
    void requireAllRecorded(int transactions) {
        for (int tx = 0; tx < transactions; tx++) {
            Objects.requireNonNull(lastWritten[tx], "invariant: a transaction never recorded");
        }
    }

    /** The block's final changes, collected by the calling thread alone. */
    WriteSet<K, V> finalWriteSet(int transactions) {
        requireAllRecorded(transactions);
        FinalPart<K, V> all = new FinalPart<>(transactions);
        collectFinal(transactions, 0, finalSlots(), all);
        return finalWriteSet(transactions, List.of(all));
    }
}
