package io.pel.core;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The collaborative scheduler of Block-STM: two shared cursors (next transaction to execute, next to
 * validate), a status and incarnation number per transaction, dependency lists, and race-free detection of
 * the end of the block.
 *
 * <p>A task is packed into a {@code long} so handing tasks around allocates nothing: kind, incarnation and
 * transaction index ({@link #NONE} for "no task").
 *
 * <p>Status transitions of one transaction, each a compare-and-set that must succeed unless noted:
 * <pre>
 *   READY(i)     --tryIncarnate-->        EXECUTING(i)   (may lose to another worker)
 *   EXECUTING(i) --finishExecution-->     EXECUTED(i)
 *   EXECUTING(i) --addDependency-->       ABORTING(i)    (suspended on a blocking transaction)
 *   EXECUTED(i)  --tryValidationAbort-->  ABORTING(i)    (may lose: a newer incarnation, or aborted already)
 *   ABORTING(i)  --setReady-->            READY(i+1)
 * </pre>
 * A transition that finds a status it does not expect is an engine bug and throws.
 */
final class Scheduler {

    static final long NONE = -1L;
    static final int EXECUTE = 1;
    static final int VALIDATE = 2;

    static final int READY = 0;
    static final int EXECUTING = 1;
    static final int EXECUTED = 2;
    static final int ABORTING = 3;

    /** Incarnations are packed above 2 status bits in an int. */
    static final int MAX_INCARNATION = (1 << 28) - 1;

    /**
     * Ints per transaction: its status, then which worker executed it. Not a cache line each: that zeroed and
     * later walked 64 bytes per transaction, and claims of {@code chunk} consecutive transactions keep most
     * neighbours with one worker anyway.
     */
    private static final int STATUS_STRIDE = 2;
    /** Shared counters and per-worker slots sit 128 bytes apart, so updating one does not invalidate another. */
    private static final int PAD = 16;
    /*
     * Slot 0 is left unused: it shares a cache line with the array's header and whatever object was
     * allocated just before the array, which the hot cursor would otherwise keep invalidating.
     */
    private static final int EXECUTION_IDX = PAD;
    private static final int VALIDATION_IDX = 2 * PAD;
    private static final int DECREASE_COUNT = 3 * PAD;
    private static final int DONE = 4 * PAD;
    private static final int SHARED_COUNTERS = 5;
    /*
     * Executions (and runs of executed transactions to validate) are claimed `chunk` at a time. One claim per
     * transaction made neighbouring transactions alternate between workers, so every per-transaction array
     * slot (outcome, read set, written keys) shared a cache line with the other worker's, and the cursor
     * itself bounced once per transaction. Small, so the lowest-index-first order is barely blurred.
     */
    /** Lock stripes for the dependency lists; a handful of workers never contend on 256 stripes. */
    private static final int LOCK_STRIPES = 256;

    private final int n;
    private final int workers;
    private final int chunk;
    private final AtomicIntegerArray status;
    /**
     * The shared cursors and counters, then one slot per worker saying whether it holds a task. Per-worker
     * slots instead of one shared count of active tasks: taking and finishing a task then writes only the
     * worker's own cache line, and only the rare completion check reads them all.
     */
    private final AtomicLongArray counters;
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** Transactions suspended on each transaction; guarded by that transaction's stripe lock. */
    private final int[][] dependents;
    private final int[] dependentCount;
    /**
     * Set (1) for a transaction once another one tried to wait for it, so that finishing an execution takes
     * the stripe lock only when somebody may be waiting: almost never, in a block with few conflicts.
     */
    private final AtomicIntegerArray waitedFor;
    private final IdleSignal idle;
    /** Each worker's claimed but not yet tried executions [next, end), padded; only its owner touches them. */
    private final long[] claimedNext;
    private final long[] claimedEnd;
    /** Each worker's claimed but not yet done validations [next, end), padded likewise. */
    private final long[] validateNext;
    private final long[] validateEnd;
    /** Whether validations are left to the worker that executed the transaction (see nextVersionToValidate). */
    private final boolean affinity;

    Scheduler(int transactions, int workers, IdleSignal idle) {
        this(transactions, workers, ParallelConfig.DEFAULT_CLAIM_CHUNK, idle);
    }

    /** @param chunk executions claimed at a time (1 claims one transaction at a time, as in the paper) */
    Scheduler(int transactions, int workers, int chunk, IdleSignal idle) {
        this(transactions, workers, chunk, false, idle);
    }

    /**
     * @param affinity leave the validation of a transaction to the worker that executed it while that one
     *                 can still take executions (see {@link #nextVersionToValidate})
     */
    Scheduler(int transactions, int workers, int chunk, boolean affinity, IdleSignal idle) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        }
        this.chunk = chunk;
        this.affinity = affinity;
        this.n = transactions;
        this.workers = workers;
        this.status = new AtomicIntegerArray((transactions + 1) * STATUS_STRIDE);
        this.counters = new AtomicLongArray((SHARED_COUNTERS + workers + 1) * PAD);
        this.dependents = new int[transactions][];
        this.dependentCount = new int[transactions];
        this.waitedFor = new AtomicIntegerArray(transactions);
        this.idle = idle;
        this.claimedNext = new long[(workers + 1) * PAD];
        this.claimedEnd = new long[(workers + 1) * PAD];
        this.validateNext = new long[(workers + 1) * PAD];
        this.validateEnd = new long[(workers + 1) * PAD];
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object(); // padding is not worth it: stripes are taken once or twice per transaction
        }
        // Every transaction starts READY with incarnation 0, which packs to 0: nothing to initialise.
    }

    private static int busySlot(int worker) {
        return (SHARED_COUNTERS + worker) * PAD;
    }

    /**
     * The worker may hold a task. Set (a full fence) before it claims one, so a completion check cannot miss
     * the claim, and kept while it goes from one task straight to the next: the slot is cleared only when
     * the worker finds nothing to do, so a busy worker pays no fence per task.
     */
    private void busy(int worker) {
        if (counters.get(busySlot(worker)) == 0) {
            counters.set(busySlot(worker), 1);
        }
    }

    /** The worker holds no task and is about to look for work or wait. */
    private void free(int worker) {
        counters.set(busySlot(worker), 0);
    }

    // ---- task encoding ----

    static long task(int kind, int tx, int incarnation) {
        return ((long) kind << 60) | ((long) incarnation << 32) | tx;
    }

    static int kindOf(long task) {
        return (int) (task >>> 60);
    }

    static int incarnationOf(long task) {
        return (int) (task >>> 32) & 0x0FFF_FFFF;
    }

    static int txOf(long task) {
        return (int) task;
    }

    // ---- status encoding ----

    private static int pack(int incarnation, int state) {
        return (incarnation << 2) | state;
    }

    static int stateOf(int packed) {
        return packed & 3;
    }

    static int incarnationOfStatus(int packed) {
        return packed >>> 2;
    }

    int status(int tx) {
        return status.get((tx + 1) * STATUS_STRIDE);
    }

    /** The slot after a transaction's status holds which worker executed it, + 1. */
    private void setExecutor(int tx, int worker) {
        status.setPlain((tx + 1) * STATUS_STRIDE + 1, worker + 1); // published by the status change after it
    }

    /**
     * Whether {@code worker} should validate {@code tx}, executed (a status read of EXECUTED came first): its
     * own execution, one of an unknown worker, or anybody's when {@code anyone} (no affinity, or nothing is
     * left to execute).
     */
    private boolean validatedBy(int tx, int worker, boolean anyone) {
        if (anyone) {
            return true;
        }
        int executor = status.getPlain((tx + 1) * STATUS_STRIDE + 1) - 1;
        return executor < 0 || executor == worker;
    }

    private boolean casStatus(int tx, int expect, int update) {
        return status.compareAndSet((tx + 1) * STATUS_STRIDE, expect, update);
    }

    private void requireTransition(int tx, int expect, int update, String transition) {
        if (!casStatus(tx, expect, update)) {
            int actual = status(tx);
            throw new IllegalStateException("invariant: " + transition + " of tx " + tx + " expected "
                    + describe(expect) + " but found " + describe(actual));
        }
    }

    static String describe(int packed) {
        String state = switch (stateOf(packed)) {
            case READY -> "READY";
            case EXECUTING -> "EXECUTING";
            case EXECUTED -> "EXECUTED";
            default -> "ABORTING";
        };
        return state + "(" + incarnationOfStatus(packed) + ")";
    }

    // ---- cursors and completion ----

    long executionIdx() {
        return counters.get(EXECUTION_IDX);
    }

    long validationIdx() {
        return counters.get(VALIDATION_IDX);
    }

    boolean done() {
        return counters.get(DONE) != 0;
    }

    /**
     * Whether asking for a task now may find one: an execution is left, or the next validation is of an
     * executed transaction. When neither holds, a worker can only wait for another one to finish something.
     */
    boolean workAvailable() {
        long v = validationIdx();
        long e = executionIdx();
        if (e < n) {
            return true;
        }
        return v < n && v < e && stateOf(status((int) v)) == EXECUTED;
    }

    /** Ends the block at once (after a failure): workers stop taking tasks. */
    void abandon() {
        counters.set(DONE, 1);
        idle.signalAll();
    }

    private boolean anyBusy() {
        for (int w = 0; w < workers; w++) {
            if (counters.get(busySlot(w)) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Declares the block done if nothing can create work any more. Must also run right before a worker
     * parks: the worker whose action made the block finishable may have last seen the block unfinished
     * through another worker's transient task claim, and nobody else would check again.
     */
    void checkDone() {
        long observed = counters.get(DECREASE_COUNT);
        if (Math.min(executionIdx(), validationIdx()) >= n
                && !anyBusy()
                && observed == counters.get(DECREASE_COUNT)) {
            // Both cursors past the end with no task held, and no cursor moved back meanwhile:
            // nothing can create work any more.
            if (counters.compareAndSet(DONE, 0, 1)) {
                idle.signalAll();
            }
        }
    }

    private void decreaseExecutionIdx(long target) {
        decreaseTo(EXECUTION_IDX, target);
    }

    private void decreaseValidationIdx(long target) {
        decreaseTo(VALIDATION_IDX, target);
    }

    private void decreaseTo(int cursor, long target) {
        long current;
        do {
            current = counters.get(cursor);
        } while (target < current && !counters.compareAndSet(cursor, current, target));
        counters.incrementAndGet(DECREASE_COUNT);
        idle.signalAll();
    }

    // ---- taking tasks ----

    /**
     * The next task for {@code worker}, or {@link #NONE}; the worker then holds the task until it finishes it.
     * Validations it has claimed come first. Then, with affinity, executions it has claimed: its executed
     * transactions wait at the validation cursor until it has run its claim, and it then validates them in
     * one run. Otherwise a validation of the transaction at the validation cursor comes first when that
     * transaction is executed; then an execution.
     *
     * <p>Validating each transaction right after executing it took the shared validation cursor once per
     * transaction, and every worker reads that cursor for every task: its cache line moved between the cores
     * about once per transaction. Claimed executions first take it about once per claim.
     */
    long nextTask(int worker) {
        busy(worker);
        long task = claimedValidation(worker);
        if (task == NONE && affinity) {
            task = claimedExecution(worker);
        }
        if (task == NONE) {
            task = nextVersionToValidate(worker);
        }
        if (task == NONE) {
            task = nextVersionToExecute(worker);
        }
        if (task == NONE) {
            free(worker);
            if (Math.min(executionIdx(), validationIdx()) >= n) {
                checkDone();
            }
        }
        return task;
    }

    /** The next of the executions {@code worker} claimed that is still ready, or {@link #NONE}. */
    private long claimedExecution(int worker) {
        int slot = (worker + 1) * PAD;
        while (claimedNext[slot] < claimedEnd[slot]) {
            long task = tryIncarnate((int) claimedNext[slot]++);
            if (task != NONE) {
                return task;
            }
        }
        return NONE;
    }

    /** Whether {@code worker} (-1: unknown) has claimed executions it has not tried yet. */
    private boolean holdsExecutions(int worker) {
        return worker >= 0 && claimedNext[(worker + 1) * PAD] < claimedEnd[(worker + 1) * PAD];
    }

    /** The next of the validations {@code worker} claimed whose transaction is still executed, or {@link #NONE}. */
    private long claimedValidation(int worker) {
        int slot = (worker + 1) * PAD;
        while (validateNext[slot] < validateEnd[slot]) {
            int tx = (int) validateNext[slot]++;
            int s = status(tx);
            if (stateOf(s) == EXECUTED) {
                return task(VALIDATE, tx, incarnationOfStatus(s));
            }
            // Aborted since our claim: its next incarnation finds the cursor past it and validates itself.
        }
        return NONE;
    }

    private long nextVersionToExecute(int worker) {
        long claimed = claimedExecution(worker);
        if (claimed != NONE) {
            return claimed;
        }
        int slot = (worker + 1) * PAD;
        while (executionIdx() < n) {
            long start = counters.getAndAdd(EXECUTION_IDX, chunk);
            long end = Math.min(n, start + chunk);
            for (long idx = start; idx < end; idx++) {
                long task = tryIncarnate((int) idx);
                if (task != NONE) {
                    claimedNext[slot] = idx + 1;
                    claimedEnd[slot] = end;
                    return task;
                }
                // Already executing or executed (the cursor had moved back below it): try the next one.
            }
        }
        return NONE;
    }

    /**
     * Validations go in index order and the cursor never steps over a transaction that is not executed:
     * a transaction still running is validated by its own worker when it finishes (see finishExecution),
     * so the cursor never has to come back for a first incarnation. A worker claims a run of up to
     * {@code chunk} consecutive executed transactions with one compare-and-set, and validates them in order.
     */
    private long nextVersionToValidate(int worker) {
        int slot = (worker + 1) * PAD;
        while (true) {
            long v = validationIdx();
            long executions = executionIdx();
            long limit = Math.min(n, executions);
            if (v >= limit) {
                return NONE;
            }
            int s = status((int) v);
            if (stateOf(s) != EXECUTED) {
                return NONE;
            }
            // With affinity, a transaction another worker executed is left to that worker while we can
            // execute instead: it validates what is still in its own cache (read set, versions, status),
            // where we would fetch every line of it from the other core. The executor asks for a task right
            // after each execution and looks at validations first, so the cursor does not wait long.
            boolean anyone = !affinity || executions >= n;
            if (!validatedBy((int) v, worker, anyone)) {
                return NONE;
            }
            long end = v + 1;
            while (end < limit && end < v + chunk && stateOf(status((int) end)) == EXECUTED
                    && validatedBy((int) end, worker, anyone)) {
                end++;
            }
            if (counters.compareAndSet(VALIDATION_IDX, v, end)) {
                // If a claimed transaction is aborted and re-run before we get to it, its newer incarnation
                // finds the cursor past it and validates itself; ours then aborts nothing.
                validateNext[slot] = v + 1;
                validateEnd[slot] = end;
                return task(VALIDATE, (int) v, incarnationOfStatus(s));
            }
        }
    }

    /** Claims the execution of {@code tx} if it is ready. */
    private long tryIncarnate(int tx) {
        int s = status(tx);
        if (stateOf(s) == READY && casStatus(tx, s, pack(incarnationOfStatus(s), EXECUTING))) {
            return task(EXECUTE, tx, incarnationOfStatus(s));
        }
        return NONE;
    }

    // ---- finishing tasks ----

    /**
     * Suspends the running incarnation of {@code tx} until {@code blocking} finishes executing.
     *
     * @return false if {@code blocking} has already finished (the caller re-runs {@code tx} at once), true if
     *         {@code tx} is now suspended and the caller's task is over
     */
    boolean addDependency(int tx, int incarnation, int blocking) {
        if (blocking >= tx) {
            throw new IllegalStateException("invariant: tx " + tx + " blocked on later tx " + blocking);
        }
        synchronized (locks[blocking & (LOCK_STRIPES - 1)]) {
            // The flag first, then the status; finishExecution sets the status, then reads the flag. Both
            // are volatile, so one of the two sees the other's write: either we see the blocking transaction
            // executed, or its finisher sees the flag and takes the lock we hold.
            if (waitedFor.get(blocking) == 0) {
                waitedFor.set(blocking, 1);
            }
            if (stateOf(status(blocking)) == EXECUTED) {
                return false;
            }
            requireTransition(tx, pack(incarnation, EXECUTING), pack(incarnation, ABORTING), "suspension");
            int count = dependentCount[blocking];
            int[] list = dependents[blocking];
            if (list == null) {
                list = dependents[blocking] = new int[4];
            } else if (count == list.length) {
                list = dependents[blocking] = Arrays.copyOf(list, count * 2);
            }
            list[count] = tx;
            dependentCount[blocking] = count + 1;
        }
        return true;
    }

    private void setReady(int tx) {
        int s = status(tx);
        if (stateOf(s) != ABORTING) {
            throw new IllegalStateException("invariant: tx " + tx + " made ready from " + describe(s));
        }
        int next = incarnationOfStatus(s) + 1;
        if (next > MAX_INCARNATION) {
            throw new IllegalStateException("invariant: tx " + tx + " exceeded " + MAX_INCARNATION + " incarnations");
        }
        requireTransition(tx, s, pack(next, READY), "re-incarnation");
    }

    /**
     * Marks the incarnation executed, resumes the transactions suspended on it, and schedules its validation.
     *
     * @param wroteNewKey whether it wrote a key its previous incarnation did not: then every later transaction
     *                    may have read around it and is validated again
     * @return a validation task for this same transaction, or {@link #NONE}
     */
    long finishExecution(int tx, int incarnation, boolean wroteNewKey) {
        return finishExecution(-1, tx, incarnation, wroteNewKey);
    }

    /** As {@link #finishExecution(int, int, boolean)}, by {@code worker} (-1: unknown), for validation affinity. */
    long finishExecution(int worker, int tx, int incarnation, boolean wroteNewKey) {
        setExecutor(tx, worker);
        requireTransition(tx, pack(incarnation, EXECUTING), pack(incarnation, EXECUTED), "finishing execution");
        int[] resumed = null;
        int count = 0;
        if (waitedFor.get(tx) != 0) { // read after the status change above: see addDependency
            synchronized (locks[tx & (LOCK_STRIPES - 1)]) {
                count = dependentCount[tx];
                if (count > 0) {
                    resumed = dependents[tx];
                    dependents[tx] = null;
                    dependentCount[tx] = 0;
                }
            }
        }
        if (count > 0) {
            int min = Integer.MAX_VALUE;
            for (int i = 0; i < count; i++) {
                setReady(resumed[i]);
                min = Math.min(min, resumed[i]);
            }
            decreaseExecutionIdx(min);
        }
        long v = validationIdx();
        if (v > tx) {
            // The cursor passed an earlier incarnation of this transaction: validate this one now, and if it
            // wrote somewhere new, everything after it again.
            if (wroteNewKey) {
                decreaseValidationIdx(tx + 1L);
            }
            return task(VALIDATE, tx, incarnation);
        }
        if (v == tx && !(affinity && holdsExecutions(worker))
                && counters.compareAndSet(VALIDATION_IDX, v, v + 1)) {
            // The cursor was waiting for us: take our own validation, and wake anyone waiting behind it.
            // (With claimed executions left we run those first, see nextTask, and validate in one run after.)
            idle.signalIfWaiting();
            return task(VALIDATE, tx, incarnation);
        }
        // The cursor is below us: it will come, after our writes are visible.
        return NONE;
    }

    /** Aborts incarnation {@code incarnation} of {@code tx} if it is still the executed one; only one caller wins. */
    boolean tryValidationAbort(int tx, int incarnation) {
        return casStatus(tx, pack(incarnation, EXECUTED), pack(incarnation, ABORTING));
    }

    /**
     * Ends a validation task. An aborted transaction becomes ready for its next incarnation and every later
     * transaction is validated again.
     *
     * @return the re-execution of {@code tx} if the caller should run it now, or {@link #NONE}
     */
    long finishValidation(int tx, boolean aborted) {
        if (aborted) {
            setReady(tx);
            decreaseValidationIdx(tx + 1L);
            if (executionIdx() > tx) {
                long task = tryIncarnate(tx);
                if (task != NONE) {
                    return task;
                }
            }
        }
        return NONE;
    }

    /** After the block: every transaction must be executed, or the result is not trustworthy. */
    void requireAllExecuted() {
        for (int tx = 0; tx < n; tx++) {
            int s = status(tx);
            if (stateOf(s) != EXECUTED) {
                throw new IllegalStateException("invariant: block finished with tx " + tx + " " + describe(s));
            }
        }
        requireIdle();
    }

    /** After the block: no worker may still hold a task. */
    void requireIdle() {
        if (anyBusy()) {
            throw new IllegalStateException("invariant: block finished with a task in flight");
        }
    }
}
