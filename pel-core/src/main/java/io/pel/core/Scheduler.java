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

    /** Statuses of neighbouring transactions are taken by different workers: one cache line each. */
    private static final int STATUS_STRIDE = 16;
    /** The shared counters below sit 128 bytes apart, so updating one does not invalidate the others. */
    private static final int COUNTER_STRIDE = 16;
    private static final int EXECUTION_IDX = 0;
    private static final int VALIDATION_IDX = COUNTER_STRIDE;
    private static final int ACTIVE_TASKS = 2 * COUNTER_STRIDE;
    private static final int DECREASE_COUNT = 3 * COUNTER_STRIDE;
    private static final int DONE = 4 * COUNTER_STRIDE;
    /** Lock stripes for the dependency lists; a handful of workers never contend on 256 stripes. */
    private static final int LOCK_STRIPES = 256;

    private final int n;
    private final AtomicIntegerArray status;
    private final AtomicLongArray counters = new AtomicLongArray(5 * COUNTER_STRIDE);
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** Transactions suspended on each transaction; guarded by that transaction's stripe lock. */
    private final int[][] dependents;
    private final int[] dependentCount;
    private final IdleSignal idle;

    Scheduler(int transactions, IdleSignal idle) {
        this.n = transactions;
        this.status = new AtomicIntegerArray(Math.max(1, transactions) * STATUS_STRIDE);
        this.dependents = new int[transactions][];
        this.dependentCount = new int[transactions];
        this.idle = idle;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
        // Every transaction starts READY with incarnation 0, which packs to 0: nothing to initialise.
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
        return status.get(tx * STATUS_STRIDE);
    }

    private boolean casStatus(int tx, int expect, int update) {
        return status.compareAndSet(tx * STATUS_STRIDE, expect, update);
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

    /** Whether a cursor still points into the block, so asking for a task may find one without waiting. */
    boolean cursorsInBlock() {
        return Math.min(executionIdx(), validationIdx()) < n;
    }

    /** Ends the block at once (after a failure): workers stop taking tasks. */
    void abandon() {
        counters.set(DONE, 1);
        idle.signalAll();
    }

    /**
     * Declares the block done if nothing can create work any more. Must also run right before a worker
     * parks: the worker whose action made the block finishable may have last seen the block unfinished
     * through another worker's transient task claim, and nobody else would check again.
     */
    void checkDone() {
        long observed = counters.get(DECREASE_COUNT);
        if (Math.min(executionIdx(), validationIdx()) >= n
                && counters.get(ACTIVE_TASKS) == 0
                && observed == counters.get(DECREASE_COUNT)) {
            // Both cursors past the end with no task in flight, and no cursor moved back meanwhile:
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

    /** The next task for a worker, or {@link #NONE}; the caller then owns the task until it finishes it. */
    long nextTask() {
        if (validationIdx() < executionIdx()) {
            return nextVersionToValidate();
        }
        return nextVersionToExecute();
    }

    private long nextVersionToExecute() {
        if (executionIdx() >= n) {
            checkDone();
            return NONE;
        }
        counters.incrementAndGet(ACTIVE_TASKS);
        long idx = counters.getAndIncrement(EXECUTION_IDX);
        return tryIncarnate(idx);
    }

    private long nextVersionToValidate() {
        if (validationIdx() >= n) {
            checkDone();
            return NONE;
        }
        counters.incrementAndGet(ACTIVE_TASKS);
        long idx = counters.getAndIncrement(VALIDATION_IDX);
        if (idx < n) {
            int s = status((int) idx);
            if (stateOf(s) == EXECUTED) {
                return task(VALIDATE, (int) idx, incarnationOfStatus(s));
            }
        }
        counters.decrementAndGet(ACTIVE_TASKS);
        return NONE;
    }

    /** Claims the execution of transaction {@code idx} if it is ready; releases the caller's task slot if not. */
    private long tryIncarnate(long idx) {
        if (idx < n) {
            int tx = (int) idx;
            int s = status(tx);
            if (stateOf(s) == READY && casStatus(tx, s, pack(incarnationOfStatus(s), EXECUTING))) {
                return task(EXECUTE, tx, incarnationOfStatus(s));
            }
        }
        counters.decrementAndGet(ACTIVE_TASKS);
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
        counters.decrementAndGet(ACTIVE_TASKS);
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
     * Marks the incarnation executed, resumes the transactions suspended on it, and schedules validation.
     *
     * @param wroteNewKey whether it wrote a key its previous incarnation did not: then every later transaction
     *                    may have read around it and is validated again
     * @return a validation task for this same transaction, or {@link #NONE}
     */
    long finishExecution(int tx, int incarnation, boolean wroteNewKey) {
        requireTransition(tx, pack(incarnation, EXECUTING), pack(incarnation, EXECUTED), "finishing execution");
        int[] resumed;
        int count;
        synchronized (locks[tx & (LOCK_STRIPES - 1)]) {
            resumed = dependents[tx];
            count = dependentCount[tx];
            dependents[tx] = null;
            dependentCount[tx] = 0;
        }
        if (count > 0) {
            int min = Integer.MAX_VALUE;
            for (int i = 0; i < count; i++) {
                setReady(resumed[i]);
                min = Math.min(min, resumed[i]);
            }
            decreaseExecutionIdx(min);
        }
        if (validationIdx() > tx) {
            if (!wroteNewKey) {
                return task(VALIDATE, tx, incarnation);
            }
            decreaseValidationIdx(tx);
        }
        counters.decrementAndGet(ACTIVE_TASKS);
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
                return tryIncarnate(tx); // releases the task slot itself if it cannot
            }
        }
        counters.decrementAndGet(ACTIVE_TASKS);
        return NONE;
    }

    /** The scheduler's shared state, for diagnosing a stuck or failed block. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Scheduler[n=").append(n)
                .append(" execution=").append(executionIdx())
                .append(" validation=").append(validationIdx())
                .append(" active=").append(counters.get(ACTIVE_TASKS))
                .append(" decreases=").append(counters.get(DECREASE_COUNT))
                .append(" done=").append(done());
        int shown = 0;
        for (int tx = 0; tx < n && shown < 20; tx++) {
            int s = status(tx);
            if (stateOf(s) != EXECUTED) {
                sb.append(" tx").append(tx).append('=').append(describe(s));
                shown++;
            }
        }
        return sb.append(']').toString();
    }

    /** After the block: every transaction must be executed, or the result is not trustworthy. */
    void requireAllExecuted() {
        for (int tx = 0; tx < n; tx++) {
            int s = status(tx);
            if (stateOf(s) != EXECUTED) {
                throw new IllegalStateException("invariant: block finished with tx " + tx + " " + describe(s));
            }
        }
        if (counters.get(ACTIVE_TASKS) != 0) {
            throw new IllegalStateException("invariant: block finished with " + counters.get(ACTIVE_TASKS)
                    + " tasks in flight");
        }
    }
}
