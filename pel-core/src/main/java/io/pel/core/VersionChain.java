package io.pel.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The writes to one key in the current block, ordered by transaction index. A small sorted array under a
 * lock of its own (the sequence number readers check, see {@link #lock}): most keys have one or two writers,
 * execution mostly appends in index order, and no transaction code ever runs while the lock is held. The array
 * holds the versions themselves (which carry their transaction index), and the chain copies its two highest
 * entries into its own fields: most reads, and most validations, touch this object alone besides the value,
 * and every cache line fewer matters when the line was last written by another core.
 */
final class VersionChain {

    private static final VarHandle SEQ;
    private static final VarHandle LANES;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(VersionChain.class, "seq", int.class);
            LANES = MethodHandles.lookup().findVarHandle(VersionChain.class, "lanes", AtomicReferenceArray.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Times a reader or writer finds the chain taken before it waits with {@link Thread#onSpinWait}. */
    private static final int OPTIMISTIC_TRIES = 4;
    /** Then it spins this many times before it yields its core, in case the writer needs that core. */
    private static final int SPINS = 64;

    /** The key whose writes these are. */
    final Object key;
    private Version[] versions = new Version[2];
    private int size;
    /**
     * Even when the chain is stable; a writer makes it odd while it changes the chain, then even again. It is
     * also the writers' lock: a writer takes the chain by turning an even number odd with a compare-and-set
     * ({@link #lock}). One atomic instruction per change, where the object's monitor cost two (enter and
     * exit) besides the number's own stores.
     */
    private int seq;
    /**
     * Delta lanes, created by the first delta: one chain of deltas per worker, so that workers adding to a
     * hot counter each append to a chain of their own instead of all taking turns at this one's lock and
     * cache lines. Deltas live only in lanes (this chain's own array then holds values and deletions), each
     * transaction's in one lane for the whole block (see {@link MultiVersionMemory}). A read combines this
     * chain with the lanes, each read consistently on its own; see {@link #resolve} for why that suffices.
     */
    private volatile AtomicReferenceArray<VersionChain> lanes;
    /**
     * Only in a lane: running sums of the deltas, {@code sums[i]} = the deltas of entries 0..i, so that a
     * read adds up any stretch of a lane with two look-ups instead of a walk (which made the end of a block
     * that added 10 000 times to one counter walk 10 000 versions on one thread).
     */
    private long[] sums;
    /** Only in a lane: how many of its entries are estimates (then a sum walks, to find whose). */
    private int estimates;
    /**
     * A copy of the highest entry, {@code versions[size - 1]}: its index (-1 when the chain is empty), what
     * it is ({@link #ESTIMATE} or a {@link Version} kind), its value, and the version itself. Most readers
     * are above the highest entry (transactions run roughly in index order, and after the block every reader
     * is), and they resolve from this object alone: without the array and the version, two lines another
     * core may have written last.
     */
    private int topTx = -1;
    private byte topState;
    private Object topValue;
    private Version top;
    /**
     * The same of the entry below it, {@code versions[size - 2]} (index -1 when there is none): what the
     * highest writer itself reads, and so what validating it reads (a transaction that reads a key and
     * writes it is above the top when it reads, and the top when it is validated).
     */
    private int belowTx = -1;
    private byte belowState;
    private Object belowValue;
    private Version below;

    private static final byte ESTIMATE = 3;

    VersionChain(Object key) {
        this.key = key;
    }

    /** A delta lane: a chain without a key that keeps running sums. */
    private static VersionChain newLane() {
        VersionChain lane = new VersionChain(null);
        lane.sums = new long[lane.versions.length];
        return lane;
    }

    /**
     * Lane {@code lane} (of {@code count}) of this chain, created if it does not exist yet, for
     * {@link #putDelta(Version)}. A lane, once there, stays for the block, so a writer may keep it.
     */
    @SuppressWarnings("unchecked")
    VersionChain deltaLane(int lane, int count) {
        AtomicReferenceArray<VersionChain> ls = lanes;
        if (ls == null) {
            AtomicReferenceArray<VersionChain> created = new AtomicReferenceArray<>(count);
            Object won = LANES.compareAndExchange(this, null, created);
            ls = won == null ? created : (AtomicReferenceArray<VersionChain>) won;
        }
        VersionChain l = ls.get(lane);
        if (l == null) {
            l = newLane();
            if (!ls.compareAndSet(lane, null, l)) {
                l = ls.get(lane);
            }
        }
        return l;
    }

    /** The lane {@code lane}, or null if there is none (or no such lane: -1 for a transaction without one). */
    private VersionChain existingLane(int lane) {
        AtomicReferenceArray<VersionChain> ls = lanes;
        return ls == null || lane < 0 || lane >= ls.length() ? null : ls.get(lane);
    }

    /**
     * Records the delta {@code v} in lane {@code lane} (of {@code count} lanes), as {@link #put} does in the
     * chain itself.
     */
    void putDelta(int lane, int count, Version v) {
        deltaLane(lane, count).putDelta(v);
    }

    /** On a lane ({@link #deltaLane}): records the delta {@code v}, as {@link #put} does in a chain. */
    void putDelta(Version v) {
        if (v.kind != Version.DELTA) {
            throw new IllegalStateException("invariant: only deltas go to lanes, got " + v);
        }
        put(v);
    }

    /**
     * Removes an entry of {@code txIndex} from where its current write does not belong: from lane
     * {@code lane} when the write is a value or deletion, from the chain itself when it is a delta.
     *
     * @return whether there was one (the transaction's write to this key moved)
     */
    boolean removeOther(int txIndex, int lane, boolean delta) {
        if (delta) {
            return remove(txIndex);
        }
        VersionChain l = existingLane(lane);
        return l != null && l.remove(txIndex);
    }

    /** Removes the entry of {@code txIndex}, in the chain or in its lane {@code lane}; whether there was one. */
    boolean remove(int txIndex, int lane) {
        if (remove(txIndex)) {
            return true;
        }
        VersionChain l = existingLane(lane);
        return l != null && l.remove(txIndex);
    }

    /** Marks the entry of {@code txIndex}, in the chain or in its lane {@code lane}; whether there was one. */
    boolean markEstimate(int txIndex, int lane) {
        if (markEstimate(txIndex)) {
            return true;
        }
        VersionChain l = existingLane(lane);
        return l != null && l.markEstimate(txIndex);
    }

    /**
     * Adds {@code v}, replacing the entry of the same transaction if there is one. If that entry is the estimate
     * of a write equal to {@code v} — a re-execution that wrote the same again, like a sender's nonce — the
     * original write comes back instead: readers validate by the identity of the version they saw, and those
     * who saw it read exactly what is there now, so they stay valid instead of being re-executed in turn.
     */
    void put(Version v) {
        lock();
        // Above the highest entry (the usual case): an append, known without reading any entry.
        boolean append = v.txIndex > topTx;
        int pos = append ? -size - 1 : search(versions, size, v.txIndex);
        if (pos >= 0) {
            Version old = versions[pos];
            if (old.estimate) {
                estimates--;
            }
            Version now = old.estimate && old.origin != null && old.origin.sameWrite(v) ? old.origin : v;
            versions[pos] = now;
            if (pos == size - 1) {
                setTop(now);
            } else if (pos == size - 2) {
                setBelow(now);
            }
        } else {
            pos = -pos - 1;
            if (size == versions.length) {
                versions = Arrays.copyOf(versions, size * 2);
                if (sums != null) {
                    sums = Arrays.copyOf(sums, size * 2);
                }
            }
            System.arraycopy(versions, pos, versions, pos + 1, size - pos);
            versions[pos] = v;
            size++;
            if (append) {
                topBecomesBelow();
                setTop(v);
            } else if (pos == size - 2) {
                setBelow(v);
            }
        }
        resum(pos);
        unlock();
    }

    /** Under the lock: {@code t} (null: none) is now the highest entry. */
    private void setTop(Version t) {
        topTx = t == null ? -1 : t.txIndex;
        topState = t == null ? 0 : t.estimate ? ESTIMATE : t.kind;
        topValue = t == null ? null : t.value;
        top = t;
    }

    /** Under the lock: {@code b} (null: none) is now the entry below the highest. */
    private void setBelow(Version b) {
        belowTx = b == null ? -1 : b.txIndex;
        belowState = b == null ? 0 : b.estimate ? ESTIMATE : b.kind;
        belowValue = b == null ? null : b.value;
        below = b;
    }

    /** Under the lock, before an append: the highest entry moves down one, without reading it again. */
    private void topBecomesBelow() {
        belowTx = topTx;
        belowState = topState;
        belowValue = topValue;
        below = top;
    }

    /** Under the lock, after entries at {@code from} and up changed: copies the two highest again. */
    private void copyEnds(int from) {
        if (from >= size - 2) {
            setTop(size > 0 ? versions[size - 1] : null);
            setBelow(size > 1 ? versions[size - 2] : null);
        }
    }

    /** In a lane, under the lock: recomputes the running sums from entry {@code from} up. */
    private void resum(int from) {
        long[] s = sums;
        if (s == null) {
            return;
        }
        long sum = from == 0 ? 0 : s[from - 1];
        for (int i = from; i < size; i++) {
            sum += versions[i].delta; // wraps on overflow, like every unbounded add
            s[i] = sum;
        }
    }

    /**
     * Takes the chain for a change: turns the sequence number from even to odd. Readers that overlap the change
     * see an odd or a changed number. The compare-and-set is a full fence, so no change is seen before the
     * odd number, and this writer sees everything the previous one changed.
     */
    private void lock() {
        for (int tries = 0; ; tries++) {
            int s = (int) SEQ.getOpaque(this);
            if ((s & 1) == 0 && SEQ.compareAndSet(this, s, s + 1)) {
                return;
            }
            await(tries);
        }
    }

    /** Publishes the change with the next even number, and lets the next writer in. */
    private void unlock() {
        SEQ.setRelease(this, seq + 1);
    }

    /** Lets the next writer in without a change: the number goes back, so no reader needs to retry. */
    private void unlockUnchanged() {
        SEQ.setRelease(this, seq - 1);
    }

    /**
     * Waits a little after finding the chain taken {@code tries + 1} times: at once at first, then spinning,
     * then yielding the core, which the writer may need (more threads than cores). A writer holds a chain
     * for a few array operations, never while transaction code runs.
     */
    private static void await(int tries) {
        if (tries < OPTIMISTIC_TRIES) {
            return;
        }
        if (tries < OPTIMISTIC_TRIES + SPINS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** Removes the entry of {@code txIndex}; returns whether there was one. */
    boolean remove(int txIndex) {
        lock();
        int pos = search(versions, size, txIndex);
        if (pos < 0) {
            unlockUnchanged();
            return false;
        }
        if (versions[pos].estimate) {
            estimates--;
        }
        System.arraycopy(versions, pos + 1, versions, pos, size - pos - 1);
        size--;
        versions[size] = null;
        resum(pos);
        copyEnds(pos);
        unlock();
        return true;
    }

    /** Marks the entry of {@code txIndex} as an estimate; returns whether there was one. */
    boolean markEstimate(int txIndex) {
        lock();
        int pos = search(versions, size, txIndex);
        if (pos < 0) {
            unlockUnchanged();
            return false;
        }
        if (!versions[pos].estimate) {
            estimates++;
        }
        versions[pos] = versions[pos].asEstimate(); // the same delta: the sums stay
        copyEnds(pos);
        unlock();
        return true;
    }

    /**
     * Resolves what a transaction at index {@code reader} reads: the highest entry below it, and for deltas
     * everything down to the first value, deletion or the bottom.
     *
     * @return one of the {@link Resolution} codes; details in {@code r}
     */
    int resolve(int reader, Resolution r) {
        int kind = resolveOwn(reader, r);
        AtomicReferenceArray<VersionChain> ls = lanes;
        return ls == null ? kind : withLanes(ls, kind, reader, r, false);
    }

    /**
     * Adds the lanes' deltas between the chain's own answer and {@code reader}. The chain and each lane are
     * read consistently on their own, not all at one instant. That is enough because a transaction's write
     * to a key sits in one place for the block (a move between the chain and a lane counts as writing a new
     * key, so every later transaction is validated again after it), and each entry changes atomically: a
     * validation that follows an abort finds that entry an estimate or already replaced, in whichever part
     * it is read, exactly as with one chain.
     */
    private static int withLanes(AtomicReferenceArray<VersionChain> ls, int kind, int reader, Resolution r,
                                 boolean quiescent) {
        if (kind == Resolution.BLOCKED) {
            return kind;
        }
        if (kind != Resolution.BASE && kind != Resolution.EXACT) {
            throw new IllegalStateException("invariant: a chain with delta lanes holds deltas itself");
        }
        int floor = kind == Resolution.EXACT ? r.topTx : -1;
        long sum = 0;
        int found = 0;
        for (int i = 0; i < ls.length(); i++) {
            VersionChain lane = ls.get(i);
            if (lane == null) {
                continue;
            }
            int n = quiescent ? lane.sumQuiescent(floor, reader, r) : lane.sumDeltas(floor, reader, r);
            if (n < 0) {
                return Resolution.BLOCKED;
            }
            sum += r.laneSum;
            found += n;
        }
        if (found == 0) {
            return kind;
        }
        r.counter = sum;
        if (kind == Resolution.EXACT) {
            r.bottom = r.top;
            return Resolution.DELTAS_ON_VALUE;
        }
        return Resolution.DELTAS_ON_BASE;
    }

    /**
     * Into {@code r.laneSum}: the sum of this lane's deltas of transactions in (floor, reader).
     *
     * @return how many there are, or -1 if one is an estimate ({@code r.blockedOn} says whose)
     */
    private int sumDeltas(int floor, int reader, Resolution r) {
        for (int tries = 0; ; tries++) {
            int before = (int) SEQ.getAcquire(this);
            if ((before & 1) == 0) {
                int n = sumIn(versions, sums, size, estimates, floor, reader, r);
                VarHandle.loadLoadFence();
                if (n != RACED && (int) SEQ.getOpaque(this) == before) {
                    return n;
                }
            }
            await(tries);
        }
    }

    private int sumQuiescent(int floor, int reader, Resolution r) {
        return sumIn(versions, sums, size, estimates, floor, reader, r);
    }

    /**
     * The sum of a lane's deltas of transactions in (floor, reader), from the running sums; a walk when the
     * lane holds an estimate, to find out whether one is in the range. As a racing reader it may see a
     * mix of states, which it reports as {@link #RACED} where it notices, and which the caller's sequence
     * check rejects otherwise.
     */
    private static int sumIn(Version[] versions, long[] sums, int size, int estimates, int floor, int reader,
                             Resolution r) {
        r.laneSum = 0;
        if (size > versions.length || size > sums.length) {
            return RACED;
        }
        int pos = search(versions, size, reader);
        if (pos == RACED) {
            return RACED;
        }
        pos = pos >= 0 ? pos - 1 : -pos - 2;
        if (estimates > 0) {
            return walk(versions, pos, floor, r);
        }
        int below = -1; // the highest entry at or below the floor
        if (floor >= 0 && pos >= 0) {
            below = search(versions, pos + 1, floor + 1);
            if (below == RACED) {
                return RACED;
            }
            below = below >= 0 ? below - 1 : -below - 2;
        }
        if (pos <= below) {
            return 0;
        }
        r.laneSum = sums[pos] - (below >= 0 ? sums[below] : 0);
        return pos - below;
    }

    /** As {@link #sumIn}, walking down from entry {@code pos}: finds an estimate in the range. */
    private static int walk(Version[] versions, int pos, int floor, Resolution r) {
        long sum = 0;
        int n = 0;
        for (int p = pos; p >= 0; p--) {
            Version v = versions[p];
            if (v == null) {
                return RACED;
            }
            if (v.txIndex <= floor) {
                break;
            }
            if (v.estimate) {
                r.blockedOn = v.txIndex;
                return -1;
            }
            sum += v.delta; // wraps on overflow, like every unbounded add
            n++;
        }
        r.laneSum = sum;
        return n;
    }

    /** The chain's own entries, without the lanes. */
    private int resolveOwn(int reader, Resolution r) {
        for (int tries = 0; ; tries++) {
            int before = (int) SEQ.getAcquire(this);
            if ((before & 1) == 0) { // else a writer is at work
                // These reads race with writers: the array may be replaced or shifted under us. Versions are
                // immutable, so every entry read is some real write, and resolveIn stays within bounds and
                // reports holes; the sequence number then says whether it all was one state.
                int kind = resolveHere(reader, r);
                VarHandle.loadLoadFence(); // our reads are done before we look at the number again
                if (kind != RACED && (int) SEQ.getOpaque(this) == before) {
                    return kind;
                }
            }
            await(tries);
        }
    }

    /**
     * The chain's own entries: from the copies of the two highest entries when the reader is above the lower
     * of them, else from the array.
     */
    private int resolveHere(int reader, Resolution r) {
        int t = topTx;
        int kind;
        if (reader > t) {
            kind = resolveCopy(t, topState, topValue, top, r);
        } else {
            int b = belowTx;
            kind = reader > b ? resolveCopy(b, belowState, belowValue, below, r) : IN_ARRAY;
        }
        return kind != IN_ARRAY ? kind : resolveIn(versions, size, reader, r);
    }

    /** What {@link #resolveCopy} returns when the array must be searched after all. */
    private static final int IN_ARRAY = Integer.MIN_VALUE + 1;

    /**
     * The read of the copied entry at index {@code t} (-1: none, the base), the highest below the reader; an
     * entry of deltas needs the array.
     */
    private static int resolveCopy(int t, byte state, Object value, Version v, Resolution r) {
        r.clear();
        if (t < 0) {
            return Resolution.BASE;
        }
        if (v == null) {
            return RACED;
        }
        r.top = v;
        r.topTx = t;
        return switch (state) {
            case ESTIMATE -> {
                r.blockedOn = t;
                yield Resolution.BLOCKED;
            }
            case Version.VALUE -> {
                r.topValue = value;
                yield Resolution.EXACT;
            }
            case Version.DELETED -> {
                r.topDeleted = true;
                yield Resolution.EXACT;
            }
            default -> IN_ARRAY;
        };
    }

    /**
     * As {@link #resolve}, for a chain nobody changes any more and whose changes are ordered before the call
     * (after the block): no sequence number to check.
     */
    int resolveQuiescent(int reader, Resolution r) {
        int kind = resolveHere(reader, r);
        AtomicReferenceArray<VersionChain> ls = lanes;
        return ls == null ? kind : withLanes(ls, kind, reader, r, true);
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
        r.topTx = top.txIndex;
        r.topValue = top.value;
        r.topDeleted = top.kind == Version.DELETED;
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

    /** The index of the highest entry, -1 if none; a plain read, for touching the chain ahead of its use. */
    int highestIndex() {
        return topTx;
    }

    int size() {
        lock();
        int n = size;
        unlockUnchanged();
        return n;
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
    public String toString() {
        lock();
        String s = Arrays.toString(Arrays.copyOf(versions, size));
        unlockUnchanged();
        return s;
    }
}
