package io.pel.core;

/**
 * What one incarnation of a transaction sees in the parallel executor: multi-version memory below its index,
 * then the base state. Records every read for validation. A read that meets an estimate stops the
 * incarnation: it remembers the transaction it depends on and throws {@link ReadBlocked}.
 */
final class TxView<K, V> extends BufferedContext<K, V> {

    private final MultiVersionMemory<K, V> memory;
    private final Resolution r = new Resolution();
    private int txIndex;
    private ReadSet reads;
    /** The transaction whose estimate stopped this incarnation, or -1. */
    private int blockedOn;
    private Object blockedKey;
    /** The chain the last {@link #resolve} found, or null. */
    private VersionChain chain;

    TxView(MultiVersionMemory<K, V> memory) {
        this.memory = memory;
        this.codec = memory.codec();
    }

    /** Prepares for a run of {@code tx}, recording reads into {@code readSet}. */
    void start(int tx, ReadSet readSet) {
        txIndex = tx;
        reads = readSet;
        blockedOn = -1;
        writes.clear();
    }

    int blockedOn() {
        return blockedOn;
    }

    /** The key whose estimate stopped this incarnation (meaningful when {@link #blockedOn} ≥ 0). */
    Object blockedKey() {
        return blockedKey;
    }

    ReadSet reads() {
        return reads;
    }

    @Override
    @SuppressWarnings("unchecked")
    V readStored(K key) {
        int kind = resolve(key);
        return switch (kind) {
            case Resolution.BASE -> {
                reads.add(key, chain, kind, null, 0);
                yield memory.base().get(key);
            }
            case Resolution.EXACT -> {
                reads.add(key, chain, kind, r.top, 0);
                yield r.topDeleted ? null : (V) r.topValue;
            }
            default -> codec.encode(recordCounter(key, kind));
        };
    }

    @Override
    long readStoredCounter(K key) {
        int kind = resolve(key);
        if (kind == Resolution.BASE) {
            reads.add(key, chain, kind, null, 0);
            return memory.baseCounter(key);
        }
        if (kind == Resolution.EXACT) {
            reads.add(key, chain, kind, r.top, 0);
            return memory.counterOfTop(r);
        }
        return recordCounter(key, kind);
    }

    @Override
    long readStoredCounterForBound(K key, long offset, long delta, long min, long max) {
        int kind = resolve(key);
        long counter = memory.counterAt(key, kind, r);
        reads.addBound(key, chain, offset, delta, min, max, fits(counter + offset, delta, min, max));
        return counter;
    }

    private long recordCounter(K key, int kind) {
        if (kind == Resolution.DELTAS_ON_VALUE) {
            long counter = memory.counterOver(r.bottom, r.counter);
            reads.add(key, chain, kind, r.top, counter);
            return counter;
        }
        // DELTAS_ON_BASE: validation compares only the deltas, the base cannot change.
        reads.add(key, chain, kind, r.top, r.counter);
        return memory.baseCounter(key) + r.counter;
    }

    private int resolve(K key) {
        if (blockedOn >= 0) {
            // The transaction caught our signal and read on: keep stopping it.
            throw ReadBlocked.INSTANCE;
        }
        chain = memory.chain(key);
        if (chain == null) {
            return Resolution.BASE;
        }
        int kind = chain.resolve(txIndex, r);
        if (kind == Resolution.BLOCKED) {
            blockedOn = r.blockedOn;
            blockedKey = chain.key;
            throw ReadBlocked.INSTANCE;
        }
        return kind;
    }

    /**
     * Thrown into a transaction whose read met an estimate. Carries no stack trace (it is control flow,
     * thrown often); the executor ignores whatever the transaction does after it.
     */
    static final class ReadBlocked extends RuntimeException {
        static final ReadBlocked INSTANCE = new ReadBlocked();

        private ReadBlocked() {
            super("read of an aborted transaction's write: this run is suspended", null, false, false);
        }
    }
}
