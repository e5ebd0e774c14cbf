package io.pel.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The writes to one key in the current block, ordered by transaction index. A small sorted array under the
 * key's monitor: most keys have one or two writers, execution mostly appends in index order, and no
 * transaction code ever runs while the monitor is held. The array holds the versions themselves (which
 * carry their transaction index) and nothing else: a read touches this object, the array and the version it
 * returns, and every cache line fewer matters when the line was last written by another core.
 */
final class VersionChain {

    private static final VarHandle SEQ;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(VersionChain.class, "seq", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Optimistic reads tried before a reader takes the monitor (a writer holds the chain only briefly). */
    private static final int OPTIMISTIC_TRIES = 4;

    /** The key whose writes these are. */
    final Object key;
    private Version[] versions = new Version[2];
    private int size;
    /** Even when the chain is stable; a writer makes it odd while it changes the chain, then even again. */
    private int seq;

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
        int pos = search(versions, size, v.txIndex);
        beginWrite();
        if (pos >= 0) {
            Version old = versions[pos];
            versions[pos] = old.estimate && old.origin != null && old.origin.sameWrite(v) ? old.origin : v;
        } else {
            pos = -pos - 1;
            if (size == versions.length) {
                versions = Arrays.copyOf(versions, size * 2);
            }
            System.arraycopy(versions, pos, versions, pos + 1, size - pos);
            versions[pos] = v;
            size++;
        }
        endWrite();
    }

    /** Under the monitor, before a change: readers that overlap it will see an odd or changed number. */
    private void beginWrite() {
        SEQ.setOpaque(this, seq + 1);
        VarHandle.storeStoreFence(); // the change is not seen before the odd number
    }

    /** Under the monitor, after a change: publishes it with the next even number. */
    private void endWrite() {
        SEQ.setRelease(this, seq + 1);
    }

    /** Removes the entry of {@code txIndex}; returns whether there was one. */
    synchronized boolean remove(int txIndex) {
        int pos = search(versions, size, txIndex);
        if (pos < 0) {
            return false;
        }
        beginWrite();
        System.arraycopy(versions, pos + 1, versions, pos, size - pos - 1);
        size--;
        versions[size] = null;
        endWrite();
        return true;
    }

    /** Marks the entry of {@code txIndex} as an estimate; returns whether there was one. */
    synchronized boolean markEstimate(int txIndex) {
        int pos = search(versions, size, txIndex);
        if (pos < 0) {
            return false;
        }
        beginWrite();
        versions[pos] = versions[pos].asEstimate();
        endWrite();
        return true;
    }

    /**
     * Resolves what a transaction at index {@code reader} reads: the highest entry below it, and for deltas
     * everything down to the first value, deletion or the bottom.
     *
     * @return one of the {@link Resolution} codes; details in {@code r}
     */
    int resolve(int reader, Resolution r) {
        for (int i = 0; i < OPTIMISTIC_TRIES; i++) {
            int before = (int) SEQ.getAcquire(this);
            if ((before & 1) != 0) {
                break; // a writer is at work: wait for it on the monitor
            }
            // Without the monitor these reads race with writers: the array may be replaced or shifted under
            // us. Versions are immutable, so every entry read is some real write, and resolveIn stays within
            // bounds and reports holes; the sequence number then says whether it all was one state.
            int kind = resolveIn(versions, size, reader, r);
            VarHandle.loadLoadFence(); // our reads are done before we look at the number again
            if (kind != RACED && (int) SEQ.getOpaque(this) == before) {
                return kind;
            }
        }
        synchronized (this) {
            return resolveIn(versions, size, reader, r);
        }
    }

    /**
     * As {@link #resolve}, for a chain nobody changes any more and whose changes are ordered before the call
     * (after the block): no sequence number to check.
     */
    int resolveQuiescent(int reader, Resolution r) {
        return resolveIn(versions, size, reader, r);
    }

    /** What {@link #resolveIn} and {@link #search} return when they met a state only a racing reader sees. */
    private static final int RACED = Integer.MIN_VALUE;

    private static int resolveIn(Version[] versions, int size, int reader, Resolution r) {
        r.clear();
        if (size > versions.length) {
            return RACED; // the array grew after we read it
        }
        int pos = search(versions, size, reader);
        if (pos == RACED) {
            return RACED;
        }
        // Not found: -(insertion point) - 1; the entry below is just before the insertion point.
        pos = pos >= 0 ? pos - 1 : -pos - 2;
        if (pos < 0) {
            return Resolution.BASE;
        }
        Version top = versions[pos];
        if (top == null) {
            return RACED;
        }
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
            if (v == null) {
                return RACED;
            }
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

    /**
     * As {@link Arrays#binarySearch} over the first {@code size} entries: the position of {@code txIndex}, or
     * -(insertion point) - 1; {@link #RACED} if it met an empty slot (only a racing reader can).
     */
    private static int search(Version[] versions, int size, int txIndex) {
        int stop = Math.max(0, size - SCAN);
        for (int i = size - 1; i >= stop; i--) {
            Version v = versions[i];
            if (v == null) {
                return RACED;
            }
            int at = v.txIndex;
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
            Version v = versions[mid];
            if (v == null) {
                return RACED;
            }
            int at = v.txIndex;
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
