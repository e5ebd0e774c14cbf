package io.pel.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One block run by speculation ahead of an in-order commit. The block's transactions are committed one at a
 * time, in order, into one committed state ({@link CommitTable}); meanwhile every worker runs transactions
 * ahead of the commit point against that state, recording what each run read ({@link Speculation}). A run is
 * committed only if every key it read still holds the very value object the run got: then the transaction, a
 * deterministic function of what it reads, would do exactly the same at its place in the order. Otherwise it
 * runs again at its place, where nothing can change under it. The committed state is therefore the
 * sequential executor's, one transaction at a time, by construction.
 *
 * <p>Each worker commits its own runs: they are still in its cache, so a commit costs a few reads of the table
 * and its writes, and nothing crosses to another core but the table's lines. Workers claim consecutive
 * transactions a chunk at a time, so the commit point moves from one worker's chunk to the next; the worker
 * whose run sits at the commit point takes the commit lock (a bit of the commit counter) and commits as many
 * of its runs as are next in order. A run started when every earlier transaction was committed is exact and
 * needs no check. No worker waits for a commit while it can run something within {@link #window} of the
 * commit point.
 *
 * <p>A worker that stalls (descheduled, or stuck in one long run) with transactions it claimed would hold every
 * other up, since commits wait for its transactions. So each worker publishes a count of its runs, and a worker
 * that finds the commit point standing still at another's transaction, that worker's count standing still
 * too, for longer than a few of its own runs, takes the commit lock and runs that worker's transactions at the
 * commit point itself ({@link #takeOver}); the stalled worker, back, drops its runs and claims below the point.
 * Only a worker that stalls while holding the lock cannot be taken over from.
 *
 * <p>Against Block-STM this keeps one version per key instead of a chain of them, checks each run once, and
 * needs no estimates, dependencies, validation cursor or final collection of versions. What it gives up: a
 * transaction that read a key an earlier one changed after the read runs again, at its place, while commits
 * wait for it; so a block where most transactions depend on their near predecessors runs about sequentially.
 */
final class OrderedRun<K, V, O> extends ParallelRun<K, V, O> {

    /** One run in this many is timed (a power of two). */
    private static final int SAMPLE = 8;
    /** Transactions a worker claims at a time. */
    static final int CHUNK = 16;
    /** Shared counters sit 128 bytes apart (slot 0 is next to the array's header). */
    private static final int CURSOR = 16;
    /** The commit counter: (next transaction to commit) << 1, plus 1 while a worker holds the commit lock. */
    private static final int COMMIT = 32;
    /** The next table slot nobody has claimed for collecting the write set. */
    private static final int COLLECT = 48;
    /** Table slots claimed at a time when the workers collect the write set. */
    private static final int COLLECT_CHUNK = 2048;
    /** How long a worker with nothing to do yields its core before it parks. */
    private static final long YIELD_NANOS = 50_000;
    /**
     * How long the commit point must stand still at another worker's transaction, that worker making no
     * progress at all, before a waiting worker takes it over: at least this, and at least {@link #STALL_RUNS}
     * of the waiting worker's own runs.
     */
    private static final long STALL_NANOS = 20_000;
    private static final int STALL_RUNS = 4;
    /** Each worker's run count sits 128 bytes from the next one's. */
    private static final int BEAT_STRIDE = 16;

    private final List<? extends Transaction<K, V, O>> transactions;
    private final int n;
    private final ParallelConfig config;
    private final CommitTable table;
    private final BaseState<K, V> base;
    private final CounterCodec<V> codec;
    /** Claimed but uncommitted transactions at most, before claiming more: how far runs go ahead of commits. */
    private final int window;
    private final AtomicLongArray counters = new AtomicLongArray(64);
    /** Each worker's runs so far, at {@code (id + 1) * BEAT_STRIDE}: a worker whose count stands still is stalled. */
    private final AtomicLongArray beats;
    /** Who claimed each chunk of transactions: worker id + 1 (0 while the claimer has not said yet). */
    private final AtomicIntegerArray owners;
    private final Outcome<?>[] outcomes;
    private final Worker[] workers;
    private final IdleSignal idle;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final long startNanos;

    @SuppressWarnings({"unchecked", "rawtypes"})
    OrderedRun(long generation, List<? extends Transaction<K, V, O>> transactions, BaseState<K, V> base,
               CounterCodec<V> codec, ParallelConfig config, int expectedKeys) {
        super(generation, config.threads(), config.trace());
        this.transactions = transactions;
        this.n = transactions.size();
        this.config = config;
        this.table = new CommitTable(expectedKeys);
        this.base = base;
        this.codec = codec;
        this.window = 4 * CHUNK * config.threads();
        this.beats = new AtomicLongArray((config.threads() + 1) * BEAT_STRIDE);
        this.owners = new AtomicIntegerArray(n / CHUNK + 1);
        this.outcomes = new Outcome<?>[n];
        this.workers = (Worker[]) new OrderedRun.Worker[config.threads()];
        this.idle = new IdleSignal(config.threads());
        this.startNanos = System.nanoTime();
    }

    /** One worker's runs and counts; touched only by its own thread until the block is over. */
    private final class Worker {
        final int id;
        final SpeculativeView<K, V> view = new SpeculativeView<>(table, base, codec);
        final List<TraceEvent> trace;
        /** Its uncommitted runs, oldest first: a ring of reused objects, [head, head + count). */
        final Speculation[] runs = new Speculation[window + CHUNK];
        int head;
        int count;
        /** Its claimed transactions not run yet: [next, end). */
        int next;
        int end;
        /** Whether it holds the commit lock; then {@code point} is the next transaction to commit. */
        boolean holding;
        int point;
        /**
         * Whether it holds the lock because it took over a stalled worker's transactions ({@link #takeOver}):
         * it runs them at the commit point while that worker, {@code stalled} (-1: unknown), still shows
         * {@code stalledBeat} runs.
         */
        boolean takingOver;
        int stalled;
        long stalledBeat;
        /** Its runs so far (published in {@link #beats}), and how long its latest timed run took. */
        long beat;
        long runNanos;
        long takeOvers;
        /** Its share of the block's write set, once every transaction is committed. */
        WriteSet.Unique<K, V> changes;
        /** For runs at the commit point, committed at once. */
        final Speculation scratch = new Speculation();
        long executions;
        long validations;
        long failedValidations;
        /** Timed runs at the commit point, for the sequential-cost estimate. */
        final Samples timed;
        /**
         * Timed runs ahead of it, the estimate's second choice: with more threads than cores and long
         * transactions hardly any run happens at the commit point.
         */
        final Samples timedAhead;
        /** Runs at the commit point so far, to time one in {@link #SAMPLE}. */
        int atPointRuns;

        Worker(int id) {
            this.id = id;
            this.timed = samplesOf(id);
            this.timedAhead = fallbackSamplesOf(id);
            this.trace = traceOf(id);
        }

        Speculation oldest() {
            return runs[head];
        }

        void dropOldest() {
            head = head + 1 == runs.length ? 0 : head + 1;
            count--;
        }

        /** The next slot of the ring, its object created the first time the ring gets this long. */
        Speculation append() {
            int at = head + count;
            if (at >= runs.length) {
                at -= runs.length;
            }
            count++;
            Speculation s = runs[at];
            return s != null ? s : (runs[at] = new Speculation());
        }
    }

    @Override
    void work(int id) {
        Worker w = new Worker(id);
        workers[id] = w;
        try {
            loop(w);
        } catch (Throwable t) {
            fail(t);
        }
    }

    private void fail(Throwable t) {
        failure.compareAndSet(null, t);
        idle.signalAll();
    }

    private long committed() {
        return counters.get(COMMIT) >>> 1;
    }

    private void loop(Worker w) {
        while (failure.get() == null) {
            if (w.holding) {
                if (w.next == w.end && w.next == w.point && w.next < n && counters.get(CURSOR) == w.next
                        && counters.compareAndSet(CURSOR, w.next, w.next + (long) CHUNK)) {
                    // Nobody is ahead: go on at the commit point, keeping the lock, but show how far the
                    // commits got, so that others' window moves (they may claim, and then this ends).
                    w.end = Math.min(n, w.next + CHUNK);
                    owners.setRelease(w.next / CHUNK, w.id + 1);
                    counters.set(COMMIT, ((long) w.point << 1) | 1);
                    idle.signalIfWaiting();
                }
                if (w.next < w.end && w.next == w.point) {
                    runAtCommitPoint(w, w.next++, false);
                    continue;
                }
                if (w.count > 0 && w.oldest().tx == w.point) {
                    commitHeld(w); // a take-over reached this worker's own runs
                    continue;
                }
                if (w.takingOver && stillStalled(w)) {
                    runAtCommitPoint(w, w.point, true);
                    // Show the progress: others' windows move, and the stalled worker, back, drops its runs.
                    counters.set(COMMIT, ((long) w.point << 1) | 1);
                    idle.signalIfWaiting();
                    continue;
                }
                w.takingOver = false;
                release(w);
            }
            if (w.next < w.end) {
                run(w, w.next++);
                commitOwn(w);
                continue;
            }
            // Read before trying to commit: if the point reaches this worker's runs after the try, the wait
            // below sees it move and comes back here, instead of waiting for a commit only it can make.
            long committed = committed();
            commitOwn(w);
            if (w.holding) {
                continue;
            }
            if (committed >= n) {
                break;
            }
            long cursor = counters.get(CURSOR);
            if (cursor < n && cursor - committed < window) {
                long start = counters.getAndAdd(CURSOR, CHUNK);
                w.next = (int) Math.min(n, start);
                w.end = (int) Math.min(n, start + CHUNK);
                if (start < n) {
                    owners.setRelease((int) (start / CHUNK), w.id + 1);
                }
                continue;
            }
            // Nothing to run: wait for the commit point to move, or take over a stalled worker's transactions
            // (every worker stays until the block is committed, so that a stalled one never holds it up).
            awaitProgress(w, committed, true);
        }
        if (w.holding) {
            release(w);
        }
        // Every worker waits for the last commit, then they collect the write set together: a walk over the
        // whole table, much of it in lines the other cores wrote last, took one thread 5 % of a block.
        awaitAllCommitted(w);
        if (failure.get() == null) {
            w.changes = new WriteSet.Unique<>(table.size() / config.threads());
            collectUnclaimed(w.changes);
        }
    }

    /** Adds the changes of table slots nobody has claimed yet to {@code out}, a chunk of slots at a time. */
    private void collectUnclaimed(WriteSet.Unique<K, V> out) {
        int from;
        while ((from = (int) counters.getAndAdd(COLLECT, COLLECT_CHUNK)) < table.capacity()) {
            table.collect(from, Math.min(table.capacity(), from + COLLECT_CHUNK), out);
        }
    }

    /** Runs {@code tx} as this worker's newest run, to be committed later. */
    private void run(Worker w, int tx) {
        Speculation s = w.append();
        s.clear();
        s.tx = tx;
        s.rerun = false;
        s.startedAt = counters.get(COMMIT);
        execute(w, tx, s, false);
    }

    /**
     * Holding the commit lock at {@code tx}: runs it, exactly as the sequential executor would, and commits it.
     * A run taken over from a stalled worker is traced as a second run (the stalled one's may be the first).
     */
    private void runAtCommitPoint(Worker w, int tx, boolean takenOver) {
        Speculation s = w.scratch;
        s.clear();
        s.tx = tx;
        s.rerun = takenOver;
        s.startedAt = (long) tx << 1;
        execute(w, tx, s, true);
        commit(w, s);
        w.point = tx + 1;
    }

    /** Lets go of the commit lock: publishes the commit point, wakes workers waiting for it to move. */
    private void release(Worker w) {
        w.holding = false;
        // A volatile write, then the waiter count: see IdleSignal.await for why no wake-up is lost.
        counters.set(COMMIT, (long) w.point << 1);
        idle.signalIfWaiting();
    }

    /**
     * If the commit point has reached this worker's oldest run, takes the commit lock and commits its runs
     * while they are next in order; the worker then holds the lock ({@code w.holding}) at {@code w.point}.
     */
    private void commitOwn(Worker w) {
        if (w.count == 0) {
            return;
        }
        long c = counters.get(COMMIT);
        long point = c >>> 1;
        // Runs and claimed transactions below the point were committed by a worker that took them over
        // while this one stalled: the point only moves on, and this worker never committed them.
        while (w.count > 0 && w.oldest().tx < point) {
            w.dropOldest();
        }
        if (w.next < point) {
            w.next = (int) Math.min(w.end, point);
        }
        if (w.count == 0 || w.oldest().tx != point || (c & 1) != 0 || !counters.compareAndSet(COMMIT, c, c | 1)) {
            return;
        }
        w.holding = true;
        w.point = (int) point;
        commitHeld(w);
    }

    /** Holding the commit lock at this worker's oldest run: commits its runs while they are next in order. */
    private void commitHeld(Worker w) {
        Speculation s = w.oldest();
        int tx = s.tx;
        do {
            commit(w, s);
            w.dropOldest();
            tx++;
            s = w.count > 0 ? w.oldest() : null;
        } while (s != null && s.tx == tx);
        w.point = tx;
    }

    /** Under the commit lock, with every earlier transaction committed: checks {@code s} and commits it. */
    private void commit(Worker w, Speculation s) {
        // A run that started with every earlier transaction committed saw what it sees now: the lock was free
        // and the point at it then, and only a holder of the lock at that point changes the table.
        boolean exact = s.startedAt == ((long) s.tx << 1);
        if (!exact) {
            w.validations++;
            long start = config.trace() ? System.nanoTime() : 0;
            Object changed = changedKey(s, w.view);
            if (config.trace()) {
                w.trace.add(new TraceEvent(w.id, s.tx, 0, TraceEvent.Kind.VALIDATE,
                        changed == null ? TraceEvent.Result.VALID : TraceEvent.Result.ABORTED,
                        start - startNanos, System.nanoTime() - startNanos, changed));
            }
            if (changed != null) {
                w.failedValidations++;
                s.clear();
                s.rerun = true;
                execute(w, s.tx, s, true);
            }
        }
        if (s.outcome.succeeded()) {
            for (int i = 0; i < s.writes(); i++) {
                Object key = s.writeKey(i);
                int where = s.whereRead(key);
                switch (s.writeKind(i)) {
                    case WriteBuffer.VALUE -> table.put(key, where, s.writeValue(i));
                    case WriteBuffer.DELETE -> table.put(key, where, CommitTable.DELETED);
                    default -> table.put(key, where, codec.encode(
                            w.view.counterOf(table.committedValue(key), key) + s.writeDelta(i)));
                }
            }
        }
        outcomes[s.tx] = s.outcome;
    }

    /**
     * The first key {@code s} read that no longer holds the value it got (for a bounded add's read: whose add
     * no longer fits, or now fits), or {@code null} if there is none and the run can be committed as it is.
     */
    private Object changedKey(Speculation s, SpeculativeView<K, V> view) {
        int bounds = s.bounds();
        for (int i = 0; i < s.reads(); i++) {
            if (bounds > 0 && s.isBound(i)) {
                continue;
            }
            if (!table.shows(s.readKey(i), s.where(i), s.seen(i))) {
                return s.readKey(i);
            }
        }
        for (int b = 0; b < bounds; b++) {
            Object key = s.readKey(s.boundRead(b));
            long counter = view.counterOf(table.committedValue(key), key);
            if (BufferedContext.fits(counter + s.boundOffset(b), s.boundDelta(b), s.boundMin(b), s.boundMax(b))
                    != s.boundFits(b)) {
                return key;
            }
        }
        return null;
    }

    /**
     * Nothing to run: the window is full, or everything is claimed and this worker's runs wait for others'
     * commits. Spins, yields, then parks until the commit point moves past {@code committed}; with
     * {@code mayTakeOver}, first takes over the transactions the point waits for if their worker has stalled
     * (then this returns holding the commit lock).
     */
    private void awaitProgress(Worker w, long committed, boolean mayTakeOver) {
        for (int i = 0; i < config.spinRounds(); i++) {
            if (moved(committed)) {
                return;
            }
            Thread.onSpinWait();
        }
        // Whose transaction the point waits for, and how far that worker had got: if it gets no further while
        // this one waits, it is stalled (descheduled, or stuck in one long run), and its transactions are taken
        // over. It yields at least until then, so that a parked worker does not miss the moment.
        int owner = mayTakeOver ? ownerOf(committed) : -1;
        long ownerBeat = beatOf(owner);
        long start = System.nanoTime();
        long stallAfter = Math.max(STALL_NANOS, STALL_RUNS * w.runNanos);
        long until = start + (mayTakeOver ? stallAfter : 0) + YIELD_NANOS;
        while (true) {
            if (moved(committed)) {
                return;
            }
            long now = System.nanoTime();
            // Tried at least once before parking, however long a yield took: a parked worker takes nothing over.
            if (mayTakeOver && now - start >= stallAfter) {
                if (owner >= 0 && beatOf(owner) != ownerBeat) {
                    return; // it is making progress: look again from the start
                }
                if (takeOver(w, committed, owner, ownerBeat)) {
                    return;
                }
            }
            if (now >= until) {
                break;
            }
            Thread.yield();
        }
        long ticket = idle.ticket();
        if (moved(committed)) {
            return;
        }
        idle.await(w.id, ticket, () -> moved(committed));
    }

    /** The worker that claimed transaction {@code tx}, or -1 if nobody has (or has said so yet). */
    private int ownerOf(long tx) {
        return tx < n ? owners.getAcquire((int) (tx / CHUNK)) - 1 : -1;
    }

    /**
     * Takes the commit lock at {@code committed}, a transaction another worker claimed and has not committed
     * while it made no progress ({@code owner}, -1 if unknown, still at {@code ownerBeat} runs), to run that
     * worker's transactions at the commit point ({@code w.takingOver}). False if the point moved, the lock is
     * taken, or nobody claimed the transaction (then claiming it is the way on).
     */
    private boolean takeOver(Worker w, long committed, int owner, long ownerBeat) {
        long c = counters.get(COMMIT);
        if (c != committed << 1 || committed >= counters.get(CURSOR) || owner == w.id
                || !counters.compareAndSet(COMMIT, c, c | 1)) {
            return false;
        }
        w.holding = true;
        w.point = (int) committed;
        w.takingOver = true;
        w.stalled = owner;
        w.stalledBeat = ownerBeat;
        w.takeOvers++;
        return true;
    }

    /**
     * Whether the commit point, held by {@code w} in a take-over, is still at a transaction of the stalled
     * worker, which has still made no progress.
     */
    private boolean stillStalled(Worker w) {
        int p = w.point;
        if (p >= n || p >= counters.get(CURSOR) || ownerOf(p) != w.stalled) {
            return false;
        }
        return w.stalled < 0 || beatOf(w.stalled) == w.stalledBeat;
    }

    /** How many runs worker {@code id} has finished (0 for -1, an unknown worker). */
    private long beatOf(int id) {
        return id < 0 ? 0 : beats.get((id + 1) * BEAT_STRIDE);
    }

    private boolean moved(long committed) {
        return committed() != committed || failure.get() != null;
    }

    /** A worker done with its own runs waits until every transaction is committed. */
    private void awaitAllCommitted(Worker w) {
        long committed;
        while ((committed = committed()) < n && failure.get() == null) {
            awaitProgress(w, committed, false);
        }
    }

    /**
     * Runs {@code tx} against the committed state, recording into {@code into}.
     *
     * @param atCommitPoint whether the worker holds the commit lock at {@code tx}: only such runs are timed
     *                      for the sequential-cost estimate. A run ahead reads keys that the committing core
     *                      has just written: on a chain of transfers between two accounts every read missed
     *                      in the cache, the estimate came out too high, and the ordered commit looked as
     *                      fast as sequential where it ran at 0.85 of it.
     */
    private void execute(Worker w, int tx, Speculation into, boolean atCommitPoint) {
        SpeculativeView<K, V> view = w.view;
        view.start(into);
        // One run in SAMPLE of each kind is timed; those at the commit point counted by the worker, since a
        // chunk's first transaction (every SAMPLE-th index) almost never runs there.
        Samples samples = atCommitPoint ? w.timed : w.timedAhead;
        boolean timed = (atCommitPoint ? (w.atPointRuns++ & (SAMPLE - 1)) == 0 : (tx & (SAMPLE - 1)) == 0)
                && !samples.full();
        long start = timed || config.trace() ? System.nanoTime() : 0;
        w.executions++;
        Outcome<O> outcome = runTransaction(transactions.get(tx), view, tx);
        if (timed) {
            w.runNanos = System.nanoTime() - start;
            samples.add(w.runNanos);
        }
        beats.setRelease((w.id + 1) * BEAT_STRIDE, ++w.beat);
        into.outcome = outcome;
        if (outcome.succeeded()) {
            into.keepWrites(view.writes);
        }
        if (config.trace()) {
            w.trace.add(new TraceEvent(w.id, tx, into.rerun ? 1 : 0, TraceEvent.Kind.EXECUTE,
                    TraceEvent.Result.EXECUTED, start - startNanos, System.nanoTime() - startNanos));
        }
    }

    /** Times a worker took over a stalled worker's transactions; read after the block. */
    long takeOvers() {
        long sum = 0;
        for (Worker w : workers) {
            sum += w == null ? 0 : w.takeOvers;
        }
        return sum;
    }

    @Override
    int keysWritten() {
        return table.size();
    }

    @Override
    BlockResult<K, V, O> result() {
        rethrow(failure.get());
        if (committed() != n) {
            throw new BlockExecutionException("parallel execution broke an invariant: block ended with "
                    + committed() + " of " + n + " transactions committed", null);
        }
        List<WriteSet.Unique<K, V>> parts = new ArrayList<>();
        for (Worker w : workers) {
            if (w != null && w.changes != null) {
                parts.add(w.changes);
            }
        }
        WriteSet.Unique<K, V> rest = new WriteSet.Unique<>(0);
        collectUnclaimed(rest); // nothing left unless no worker ran (an empty block)
        table.collectOverflow(rest);
        parts.add(rest);
        WriteSet<K, V> writeSet = WriteSet.Unique.concat(parts);
        long executions = 0;
        long validations = 0;
        long failedValidations = 0;
        for (Worker w : workers) {
            if (w != null) {
                executions += w.executions;
                validations += w.validations;
                failedValidations += w.failedValidations;
            }
        }
        BlockStats stats = new BlockStats(n, executions, executions - n, validations, failedValidations, 0,
                System.nanoTime() - startNanos, config.threads(), BlockStats.Path.ORDERED);
        return new BlockResult<>(new OutcomeList<>(outcomes), writeSet, stats, trace());
    }
}
