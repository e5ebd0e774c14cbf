package io.pel.core;

import java.util.Arrays;

/**
 * The writes to one key in the current block, ordered by transaction index. A small sorted array under the
 * key's monitor: most keys have one or two writers, execution mostly appends in index order, and no
 * transaction code ever runs while the monitor is held. The array holds the versions themselves (which
 * carry their transaction index) and nothing else: a read touches this object, the array and the version it
 * returns, and every cache line fewer matters when the line was last written by another core.
 */
final class VersionChain {

    /** The key whose writes these are. */
    final Object key;
    private Version[] versions = new Version[2];
    private int size;

    VersionChain(Object key) {
        this.key = key;
    }

    /**
     * Adds {@code v}, replacing the entry of the same transaction if there is one. If that entry is the estimate
     * of a write equal to {@code v} — a re-execution that wrote the same again, like a sender's nonce — the
     * original write comes back instead: readers validate by the identity of the version they saw, and those
     * who saw it read exactly what is there now, so they stay valid instead of being re-executed in turn.
     */
    synchronized void put(Version v) {
        int pos = search(v.txIndex);
        if (pos >= 0) {
            Version old = versions[pos];
            versions[pos] = old.estimate && old.origin != null && old.origin.sameWrite(v) ? old.origin : v;
            return;
        }
        pos = -pos - 1;
        if (size == versions.length) {
            versions = Arrays.copyOf(versions, size * 2);
        }
        System.arraycopy(versions, pos, versions, pos + 1, size - pos);
        versions[pos] = v;
        size++;
    }

    /** Removes the entry of {@code txIndex}; returns whether there was one. */
    synchronized boolean remove(int txIndex) {
        int pos = search(txIndex);
        if (pos < 0) {
            return false;
        }
        System.arraycopy(versions, pos + 1, versions, pos, size - pos - 1);
        size--;
        versions[size] = null;
        return true;
    }

    /** Marks the entry of {@code txIndex} as an estimate; returns whether there was one. */
    synchronized boolean markEstimate(int txIndex) {
        int pos = search(txIndex);
        if (pos < 0) {
            return false;
        }
        versions[pos] = versions[pos].asEstimate();
        return true;
    }

    /**
     * Resolves what a transaction at index {@code reader} reads: the highest entry below it, and for deltas
     * everything down to the first value, deletion or the bottom.
     *
     * @return one of the {@link Resolution} codes; details in {@code r}
     */
    synchronized int resolve(int reader, Resolution r) {
        return resolveUnlocked(reader, r);
    }

    /**
     * As {@link #resolve}, without taking the monitor: only for a chain nobody changes any more, whose
     * changes are ordered before the call (after the block).
     */
    int resolveQuiescent(int reader, Resolution r) {
        return resolveUnlocked(reader, r);
    }

    private int resolveUnlocked(int reader, Resolution r) {
        r.clear();
        int pos = search(reader);
        // Not found: -(insertion point) - 1; the entry below is just before the insertion point.
        pos = pos >= 0 ? pos - 1 : -pos - 2;
        if (pos < 0) {
            return Resolution.BASE;
        }
        Version top = versions[pos];
        r.top = top;
        if (top.estimate) {
            r.blockedOn = top.txIndex;
            return Resolution.BLOCKED;
        }
        if (top.kind != Version.DELTA) {
            return Resolution.EXACT;
        }
        long sum = top.delta;
        for (int p = pos - 1; p >= 0; p--) {
            Version v = versions[p];
            if (v.estimate) {
                r.blockedOn = v.txIndex;
                return Resolution.BLOCKED;
            }
            if (v.kind != Version.DELTA) {
                r.bottom = v;
                r.counter = sum;
                return Resolution.DELTAS_ON_VALUE;
            }
            sum += v.delta; // wraps on overflow, like every unbounded add
        }
        r.counter = sum;
        return Resolution.DELTAS_ON_BASE;
    }

    synchronized int size() {
        return size;
    }

    /**
     * How far down from the top a search scans before it switches to binary search. Writers mostly arrive
     * in index order (a few workers, each on its own run of transactions) and readers ask near the top, so
     * the answer is almost always within a few entries of the end even in a chain of thousands.
     */
    private static final int SCAN = 32;

    /** As {@link Arrays#binarySearch}: the position of {@code txIndex}, or -(insertion point) - 1. */
    private int search(int txIndex) {
        int stop = Math.max(0, size - SCAN);
        for (int i = size - 1; i >= stop; i--) {
            int at = versions[i].txIndex;
            if (at == txIndex) {
                return i;
            }
            if (at < txIndex) {
                return -(i + 1) - 1;
            }
        }
        int low = 0;
        int high = stop - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int at = versions[mid].txIndex;
            if (at < txIndex) {
                low = mid + 1;
            } else if (at > txIndex) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    @Override
    public synchronized String toString() {
        return Arrays.toString(Arrays.copyOf(versions, size));
    }
}
