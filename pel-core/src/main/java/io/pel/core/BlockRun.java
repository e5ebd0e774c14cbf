package io.pel.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One block being executed by the parallel executor: its multi-version memory, scheduler, outcomes, and
 * the loop every worker runs until the block is done.
 */
final class BlockRun<K, V, O> extends ParallelRun<K, V, O> {

    /** One first execution in this many is timed (a power of two). */
    private static final int SAMPLE = 8;
    /** Chain-table slots claimed at a time when the workers collect the final write set. */
    private static final int FINAL_CHUNK = 2048;

    private final List<? extends Transaction<K, V, O>> transactions;
    private final int n;
    private final ParallelConfig config;
    private final MultiVersionMemory<K, V> memory;
    private final IdleSignal idle;
    private final Scheduler scheduler;
    /**
     * Typed, so the result can hand them on without a cast per element: a cast reads each outcome's header,
     * a cache miss per transaction once the block's objects have left the cache.
     */
    private final Outcome<?>[] outcomes;
    private final Worker[] workers;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long startNanos;
    /** The next chain-table slot nobody has claimed for the final write set. */
    private final AtomicInteger finalCursor = new AtomicInteger();

    @SuppressWarnings({"unchecked", "rawtypes"})
    BlockRun(long generation, List<? extends Transaction<K, V, O>> transactions, BaseState<K, V> base,
             CounterCodec<V> codec, ParallelConfig config, int expectedKeys) {
        super(generation, config.threads(), config.trace());
        this.transactions = transactions;
        this.n = transactions.size();
        this.config = config;
        this.memory = new MultiVersionMemory<>(n, expectedKeys, config.threads(), base, codec);
        this.idle = new IdleSignal(config.threads());
        this.scheduler = new Scheduler(n, config.threads(), config.claimChunk(), true, idle);
        this.outcomes = new Outcome<?>[n];
        this.workers = (Worker[]) new BlockRun.Worker[config.threads()];
        this.startNanos = System.nanoTime();
    }

    /** What one worker counted and traced; written only by its own thread, read after the block. */
    private final class Worker {
        final int id;
        final TxView<K, V> view = new TxView<>(memory);
        final Resolution resolution = new Resolution();
        final List<TraceEvent> trace;
        /** A read set that was filled by a suspended run and never published, to reuse. */
        ReadSet spareReads;
        long executions;
        long validations;
        long failedValidations;
        long suspensions;
        /**
         * Transactions this worker made EXECUTED minus those it aborted in validation: summed over the
         * workers, how many are EXECUTED, which after the block must be all of them.
         */
        long executedNow;
        /** Times of sampled first executions, for the sequential-cost estimate. */
        final Samples timed;
        /** This worker's share of the final write set, once the block is done. */
        MultiVersionMemory.FinalPart<K, V> finalPart;

        Worker(int id) {
            this.id = id;
            this.timed = samplesOf(id);
            this.trace = traceOf(id);
        }
    }

    /** The worker loop: take tasks until the block is done. Never throws; a failure ends the block. */
    @Override
    void work(int id) {
        Worker w = new Worker(id);
        workers[id] = w;
        long task = Scheduler.NONE;
        try {
            while (!scheduler.done()) {
                if (task != Scheduler.NONE) {
                    task = Scheduler.kindOf(task) == Scheduler.EXECUTE ? execute(w, task) : validate(w, task);
                } else {
                    task = scheduler.nextTask(id);
                    if (task == Scheduler.NONE && !scheduler.workAvailable()) {
                        awaitWork(id);
                    }
                }
            }
            if (failure.get() == null) {
                w.finalPart = new MultiVersionMemory.FinalPart<>(n / config.threads());
                collectFinal(w.finalPart);
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /**
     * Collects the final changes of chain-table slots nobody has claimed yet into {@code part}. The workers
     * do this together once the block is done, instead of leaving one thread to walk every key afterwards.
     */
    private void collectFinal(MultiVersionMemory.FinalPart<K, V> part) {
        int slots = memory.finalSlots();
        int from;
        while ((from = finalCursor.getAndAdd(FINAL_CHUNK)) < slots) {
            memory.collectFinal(n, from, Math.min(slots, from + FINAL_CHUNK), part);
        }
    }

    private boolean workOrDone() {
        return scheduler.done() || scheduler.workAvailable();
    }

    /**
     * Both cursors are past the end while others still run tasks: wait briefly (a re-execution often follows
     * soon), then park, so that a waiting worker never keeps the core another worker needs.
     */
    private void awaitWork(int id) {
        scheduler.checkDone();
        if (awaitBriefly(this::workOrDone, WORKER_YIELD_NANOS)) {
            return;
        }
        long ticket = idle.ticket();
        scheduler.checkDone();
        if (workOrDone()) {
            return;
        }
        idle.await(id, ticket);
    }

    /**
     * Spins a few rounds, then yields for up to {@code yieldNanos}, until {@code ready}: the waits here are
     * usually one transaction or one share of the final write set of another worker, and waking from a park
     * costs tens of microseconds on a virtual machine, while a yield leaves the core to any thread that needs
     * it (more threads than cores).
     *
     * @return whether {@code ready} held before the time was up; the caller parks if not
     */
    private boolean awaitBriefly(BooleanSupplier ready, long yieldNanos) {
        for (int i = 0; i < config.spinRounds(); i++) {
            if (ready.getAsBoolean()) {
                return true;
            }
            Thread.onSpinWait();
        }
        long until = System.nanoTime() + yieldNanos;
        while (System.nanoTime() < until) {
            if (ready.getAsBoolean()) {
                return true;
            }
            Thread.yield();
        }
        return ready.getAsBoolean();
    }

    private long execute(Worker w, long task) {
        int tx = Scheduler.txOf(task);
        int incarnation = Scheduler.incarnationOf(task);
        TxView<K, V> view = w.view;
        while (true) {
            ReadSet reads = w.spareReads != null ? w.spareReads : new ReadSet();
            w.spareReads = null;
            view.start(tx, reads);
            // One first execution in SAMPLE is timed: it estimates what running the block sequentially costs.
            boolean timed = incarnation == 0 && (tx & (SAMPLE - 1)) == 0;
            long start = config.trace() || timed ? System.nanoTime() : 0;
            w.executions++;
            // An Exception is also our ReadBlocked signal; whether the run was really blocked is decided below.
            Outcome<O> outcome = runTransaction(transactions.get(tx), view, tx);
            if (timed && view.blockedOn() < 0 && !w.timed.full()) {
                w.timed.add(System.nanoTime() - start);
            }
            int blockedOn = view.blockedOn();
            if (blockedOn >= 0) {
                // Whatever the transaction did after our signal (even if it caught it) does not count.
                w.suspensions++;
                reads.clear();
                w.spareReads = reads;
                trace(w, tx, incarnation, TraceEvent.Kind.EXECUTE, TraceEvent.Result.SUSPENDED, start,
                        view.blockedKey());
                if (scheduler.addDependency(tx, incarnation, blockedOn)) {
                    return Scheduler.NONE;
                }
                continue; // the blocking transaction finished meanwhile: run again now
            }
            boolean wroteNewKey = memory.record(tx, incarnation, w.id, view.writes, outcome.succeeded(),
                    reads);
            outcomes[tx] = outcome; // published to other threads by the status change below
            trace(w, tx, incarnation, TraceEvent.Kind.EXECUTE, TraceEvent.Result.EXECUTED, start);
            long next = scheduler.finishExecution(w.id, tx, incarnation, wroteNewKey);
            w.executedNow++; // finishExecution made it EXECUTED, or threw
            return next;
        }
    }

    private long validate(Worker w, long task) {
        int tx = Scheduler.txOf(task);
        int incarnation = Scheduler.incarnationOf(task);
        long start = config.trace() ? System.nanoTime() : 0;
        w.validations++;
        boolean valid = memory.validate(tx, w.resolution);
        boolean aborted = !valid && scheduler.tryValidationAbort(tx, incarnation);
        if (aborted) {
            w.executedNow--;
            w.failedValidations++;
            memory.convertWritesToEstimates(tx);
        }
        trace(w, tx, incarnation, TraceEvent.Kind.VALIDATE,
                aborted ? TraceEvent.Result.ABORTED : TraceEvent.Result.VALID, start,
                aborted ? w.resolution.staleKey : null);
        return scheduler.finishValidation(tx, aborted);
    }

    private void trace(Worker w, int tx, int incarnation, TraceEvent.Kind kind, TraceEvent.Result result,
                       long start) {
        trace(w, tx, incarnation, kind, result, start, null);
    }

    private void trace(Worker w, int tx, int incarnation, TraceEvent.Kind kind, TraceEvent.Result result,
                       long start, Object key) {
        if (config.trace()) {
            w.trace.add(new TraceEvent(w.id, tx, incarnation, kind, result, start - startNanos,
                    System.nanoTime() - startNanos, key));
        }
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
        scheduler.abandon();
    }

    @Override
    public String toString() {
        return "BlockRun[generation=" + generation + " " + scheduler + "]";
    }

    @Override
    int keysWritten() {
        return memory.keysWritten();
    }

    /** How long an idle worker yields, after spinning, before it parks. */
    private static final long WORKER_YIELD_NANOS = 100_000;


    @Override
    BlockResult<K, V, O> result() {
        rethrow(failure.get());
        try {
            requireAllExecuted();
            if (config.selfCheck()) {
                scheduler.requireAllExecuted();
                memory.requireAllRecorded(n);
                Resolution r = new Resolution();
                for (int tx = 0; tx < n; tx++) {
                    if (!memory.validate(tx, r)) {
                        throw new IllegalStateException("invariant: tx " + tx + " has stale reads after the block");
                    }
                }
            }
            List<MultiVersionMemory.FinalPart<K, V>> parts = new ArrayList<>();
            for (Worker w : workers) {
                if (w != null && w.finalPart != null) {
                    parts.add(w.finalPart);
                }
            }
            MultiVersionMemory.FinalPart<K, V> rest = new MultiVersionMemory.FinalPart<>(0);
            collectFinal(rest); // nothing left unless no worker ran (an empty block)
            parts.add(rest);
            WriteSet<K, V> writeSet = memory.finalWriteSet(n, parts);
            // Every outcome was stored by the execution of its transaction's final incarnation.
            List<Outcome<O>> list = new OutcomeList<>(outcomes);
            return new BlockResult<>(list, writeSet, stats(), trace());
        } catch (IllegalStateException e) {
            throw new BlockExecutionException("parallel execution broke an invariant: " + e.getMessage(), e);
        }
    }

    /**
     * Throws unless every transaction is EXECUTED and no task is held. Counted, not walked: a walk over every
     * status after the block ran on the calling thread alone while the other cores idled, and missed in the
     * cache for every line another core wrote last.
     */
    private void requireAllExecuted() {
        long executed = 0;
        for (Worker w : workers) {
            if (w != null) {
                executed += w.executedNow;
            }
        }
        if (executed != n) {
            throw new IllegalStateException("invariant: block finished with " + executed + " of " + n
                    + " transactions executed");
        }
        scheduler.requireIdle();
    }

    private BlockStats stats() {
        long executions = 0;
        long validations = 0;
        long failedValidations = 0;
        long suspensions = 0;
        for (Worker w : workers) {
            if (w != null) {
                executions += w.executions;
                validations += w.validations;
                failedValidations += w.failedValidations;
                suspensions += w.suspensions;
            }
        }
        return new BlockStats(n, executions, executions - n, validations, failedValidations, suspensions,
                System.nanoTime() - startNanos, config.threads(), BlockStats.Path.PARALLEL);
    }
}
