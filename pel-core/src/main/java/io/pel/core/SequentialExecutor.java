package io.pel.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/** Runs a block's transactions one at a time, in order, on the calling thread. The oracle for all others. */
final class SequentialExecutor implements BlockExecutor {

    /** Marks a deleted key in the overlay. */
    private static final Object DELETED = new Object();

    private volatile boolean closed;
    /** Keys the last block wrote (guarded by this): the next block's overlay starts that big. */
    private int lastKeysWritten;

    @Override
    public <K, V, O> BlockResult<K, V, O> execute(List<? extends Transaction<K, V, O>> transactions,
                                                  BaseState<K, V> base, CounterCodec<V> counters) {
        return execute(transactions, base, counters, false);
    }

    /** As {@link #execute(List, BaseState, CounterCodec)}, with a trace event per transaction if asked. */
    synchronized <K, V, O> BlockResult<K, V, O> execute(List<? extends Transaction<K, V, O>> transactions,
                                                        BaseState<K, V> base, CounterCodec<V> counters,
                                                        boolean trace) {
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(counters, "counters");
        if (closed) {
            throw new IllegalStateException("executor is closed");
        }
        // The caller's interrupt is not the transactions' business: their outcome must not depend on it.
        boolean interrupted = Thread.interrupted();
        try {
            return run(transactions, base, counters, trace);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private <K, V, O> BlockResult<K, V, O> run(List<? extends Transaction<K, V, O>> transactions,
                                               BaseState<K, V> base, CounterCodec<V> counters, boolean trace) {
        long start = System.nanoTime();
        int n = transactions.size();
        // Sized for the last block's keys (or the block's size): grown from the default one doubling at a time,
        // rehashing every entry each time, it cost 15 % of a block of state-only transfers.
        HashMap<K, Object> overlay = HashMap.newHashMap(Math.max(lastKeysWritten, Math.min(n, 1 << 16)));
        Context<K, V> ctx = new Context<>(overlay, base, counters);
        List<Outcome<O>> outcomes = new ArrayList<>(n);
        List<TraceEvent> events = trace ? new ArrayList<>(n) : List.of();
        for (int i = 0; i < n; i++) {
            ctx.writes.clear();
            long txStart = trace ? System.nanoTime() : 0;
            Outcome<O> outcome;
            try {
                outcome = new Outcome.Success<>(transactions.get(i).execute(ctx));
            } catch (Exception e) {
                outcome = Outcome.Failure.of(e);
            } catch (Error e) {
                throw new BlockExecutionException("transaction " + i + " threw " + e, e);
            }
            if (outcome.succeeded()) {
                ctx.commit();
            }
            outcomes.add(outcome);
            if (trace) {
                events.add(new TraceEvent(0, i, 0, TraceEvent.Kind.EXECUTE, TraceEvent.Result.EXECUTED,
                        txStart - start, System.nanoTime() - start));
            }
        }
        lastKeysWritten = overlay.size();
        WriteSet.Unique<K, V> writeSet = new WriteSet.Unique<>(overlay.size());
        overlay.forEach((k, v) -> {
            if (v == DELETED) {
                writeSet.delete(k);
            } else {
                @SuppressWarnings("unchecked") V value = (V) v;
                writeSet.put(k, value);
            }
        });
        long wall = System.nanoTime() - start;
        BlockStats stats = new BlockStats(n, n, 0, 0, 0, 0, wall, 1, BlockStats.Path.SEQUENTIAL);
        return new BlockResult<>(outcomes, writeSet.build(), stats, events);
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void close() {
        closed = true;
    }

    private static final class Context<K, V> extends BufferedContext<K, V> {
        private final HashMap<K, Object> overlay;
        private final BaseState<K, V> base;

        Context(HashMap<K, Object> overlay, BaseState<K, V> base, CounterCodec<V> codec) {
            this.overlay = overlay;
            this.base = base;
            this.codec = codec;
        }

        @Override
        @SuppressWarnings("unchecked")
        V readStored(K key) {
            Object v = overlay.get(key);
            if (v == null) {
                return base.get(key);
            }
            return v == DELETED ? null : (V) v;
        }

        @Override
        long readStoredCounter(K key) {
            V v = readStored(key);
            return v == null ? 0 : codec.decode(v);
        }

        /** Applies this transaction's writes to the overlay, in the order they were first made. */
        void commit() {
            for (int i = 0; i < writes.size(); i++) {
                K key = writes.key(i);
                switch (writes.kind(i)) {
                    case WriteBuffer.VALUE -> overlay.put(key, writes.value(i));
                    case WriteBuffer.DELETE -> overlay.put(key, DELETED);
                    default -> overlay.put(key, codec.encode(readStoredCounter(key) + writes.delta(i)));
                }
            }
        }
    }
}
