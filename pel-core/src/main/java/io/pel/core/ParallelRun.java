package io.pel.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A block being run by the parallel executor's workers, with either algorithm ({@link BlockRun},
 * {@link OrderedRun}): what the executor needs from it, and what both share — the helpers' leaving, the
 * sequential-cost estimate from timed runs, and the merged trace.
 */
abstract class ParallelRun<K, V, O> {

    /** Timed runs kept per worker. */
    static final int MAX_SAMPLES = 256;
    /** How long the calling thread yields, after spinning, before it parks to wait for the helpers. */
    private static final long HELPER_YIELD_NANOS = 200_000;
    private static final int HELPER_SPINS = 64;

    /** Distinguishes blocks, so a helper works on each one once. */
    final long generation;
    /** Helper threads still inside this block; the calling thread waits for 0. */
    private final AtomicInteger helpersInside;
    private final Thread caller;
    /** Each worker's timed runs and trace, registered by the worker itself ({@link #samplesOf}, {@link #traceOf}). */
    private final Samples[] samples;
    /** Each worker's second choice of timed runs, used when the first has too few ({@link #fallbackSamplesOf}). */
    private final Samples[] fallback;
    private final List<List<TraceEvent>> traces;
    private final boolean tracing;

    ParallelRun(long generation, int threads, boolean tracing) {
        this.generation = generation;
        this.helpersInside = new AtomicInteger(threads - 1);
        this.caller = Thread.currentThread();
        this.samples = new Samples[threads];
        this.fallback = new Samples[threads];
        this.traces = new ArrayList<>(java.util.Collections.nCopies(threads, List.of()));
        this.tracing = tracing;
    }

    /** Worker {@code id}'s record of timed runs; read once every worker has left. */
    final Samples samplesOf(int id) {
        return samples[id] = new Samples();
    }

    /** Worker {@code id}'s record of runs timed as a second choice; read once every worker has left. */
    final Samples fallbackSamplesOf(int id) {
        return fallback[id] = new Samples();
    }

    /** Worker {@code id}'s trace (an immutable empty list when not tracing); read once every worker has left. */
    final List<TraceEvent> traceOf(int id) {
        List<TraceEvent> trace = tracing ? new ArrayList<>() : List.of();
        traces.set(id, trace);
        return trace;
    }

    /** Works on the block as worker {@code id} (0: the calling thread) until nothing is left for it. Never throws. */
    abstract void work(int id);

    /** Assembles the result once every worker has left, or throws if the block cannot be trusted. */
    abstract BlockResult<K, V, O> result();

    /** Distinct keys the block wrote (known after {@link #result}), to size the next block's tables. */
    abstract int keysWritten();

    /**
     * What running this block sequentially would probably have cost per transaction: the median of the
     * workers' timed runs (which runs each algorithm times, its class says), NaN when nothing was timed. The
     * median, because with more threads than cores some runs include time their thread spent descheduled.
     */
    final double estimatedSequentialNanosPerTx() {
        return count(samples) >= MIN_SAMPLES || count(fallback) == 0 ? median(samples) : median(fallback);
    }

    /** Timed runs below which the first choice of samples gives way to the second, if there is one. */
    static final int MIN_SAMPLES = 16;

    private static int count(Samples[] workers) {
        int count = 0;
        for (Samples s : workers) {
            count += s == null ? 0 : s.count;
        }
        return count;
    }

    private static double median(Samples[] workers) {
        int count = count(workers);
        if (count == 0) {
            return Double.NaN;
        }
        long[] all = new long[count];
        int at = 0;
        for (Samples s : workers) {
            if (s != null) {
                System.arraycopy(s.nanos, 0, all, at, s.count);
                at += s.count;
            }
        }
        Arrays.sort(all);
        return all[count / 2];
    }

    /** Every worker's trace events in one list, by start time; empty when not tracing. */
    final List<TraceEvent> trace() {
        if (!tracing) {
            return List.of();
        }
        List<TraceEvent> all = new ArrayList<>();
        traces.forEach(all::addAll);
        all.sort(Comparator.comparingLong(TraceEvent::startNanos));
        return all;
    }

    /**
     * Runs transaction {@code index} against {@code view}: its output, or the failure its {@code Exception} is.
     * An {@code Error} is no outcome (the block cannot be trusted) and becomes a {@link BlockExecutionException}.
     */
    static <K, V, O> Outcome<O> runTransaction(Transaction<K, V, O> transaction, TxContext<K, V> view, int index) {
        try {
            return new Outcome.Success<>(transaction.execute(view));
        } catch (Exception e) {
            return Outcome.Failure.of(e);
        } catch (Error e) {
            throw new BlockExecutionException("transaction " + index + " threw " + e, e);
        }
    }

    /** Throws what failed the block, as a {@link BlockExecutionException}; nothing if {@code failure} is null. */
    static void rethrow(Throwable failure) {
        if (failure instanceof BlockExecutionException e) {
            throw e;
        }
        if (failure != null) {
            throw new BlockExecutionException("parallel execution failed: " + failure, failure);
        }
    }

    /** Called by a helper thread when it leaves the block. */
    final void leave() {
        if (helpersInside.decrementAndGet() == 0) {
            LockSupport.unpark(caller);
        }
    }

    /**
     * The calling thread waits until every helper has left, so nothing touches this block afterwards: spins,
     * yields (waking from a park costs tens of microseconds on a virtual machine), then parks.
     */
    final void awaitHelpers() {
        for (int i = 0; i < HELPER_SPINS && helpersInside.get() > 0; i++) {
            Thread.onSpinWait();
        }
        long until = System.nanoTime() + HELPER_YIELD_NANOS;
        while (helpersInside.get() > 0 && System.nanoTime() < until) {
            Thread.yield();
        }
        while (helpersInside.get() > 0) {
            LockSupport.park(this);
        }
    }

    /** One worker's timed runs: up to {@link #MAX_SAMPLES}, written by that worker only. */
    static final class Samples {
        private final long[] nanos = new long[MAX_SAMPLES];
        private int count;

        boolean full() {
            return count == MAX_SAMPLES;
        }

        void add(long runNanos) {
            nanos[count++] = runNanos;
        }
    }
}
