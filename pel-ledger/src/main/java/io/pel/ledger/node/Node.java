package io.pel.ledger.node;

import io.pel.core.BaseState;
import io.pel.core.BlockExecutor;
import io.pel.core.BlockResult;
import io.pel.core.Outcome;
import io.pel.core.ParallelConfig;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.merkle.SparseMerkleTree;
import io.pel.ledger.merkle.TreeUpdate;
import io.pel.ledger.store.BlockCommit;
import io.pel.ledger.store.ChainRules;
import io.pel.ledger.store.LedgerStore;
import io.pel.ledger.store.StorageException;
import io.pel.ledger.store.TxLocation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single ledger node: admits signed transactions into a bounded mempool, orders them into blocks, executes
 * each block with the parallel engine, commits it to a {@link LedgerStore}, and answers state queries with
 * Merkle proofs.
 *
 * <p><b>Admission</b> ({@link #submit}) checks, in this order, and answers the first failure as a
 * {@link Rejection} value: size ({@code TOO_LARGE}), decoding ({@code BAD_ENCODING}), chain id
 * ({@code WRONG_CHAIN}), signature ({@code BAD_SIGNATURE}; a batch's signatures are checked in parallel),
 * nonce against the sender's committed next nonce ({@code STALE_NONCE} below it, {@code NONCE_TOO_FAR} at or
 * past {@code next + nonceWindow}), duplicates of a pending or committed hash or of a pending (sender, nonce)
 * ({@code DUPLICATE}), capacity ({@code MEMPOOL_FULL}). A rejected submission changes nothing.
 *
 * <p><b>Blocks</b> are produced by one thread, one at a time: as soon as {@code blockMaxTxs} transactions are
 * ready, or {@code blockInterval} after the last block if any is ready (no empty blocks). A sender's
 * transactions are ready from its committed next nonce on, consecutively; later ones wait for the gap to be
 * filled. The block runs on {@code BlockExecutor.parallel(threads)}; if that throws
 * {@code BlockExecutionException} the block is re-run sequentially and the fallback logged. The state tree is
 * updated from the block's write set (in parallel for large blocks) and everything is written by one
 * {@link LedgerStore#commit}. Only after that returned are the submitters' futures completed. Each block's
 * {@link BlockTimings} (signature checks at admission, execution, Merkle update, RocksDB write, total, and the
 * engine's {@code BlockStats}) go to the listener given to {@link #open(Path, NodeConfig, Consumer)} and are kept
 * for the last {@value #RECENT_BLOCKS} blocks ({@link #recentBlocks}).
 *
 * <p><b>Guarantees.</b> A {@link Committed} is handed out only for a durably committed transaction. Reads
 * ({@link #state}, {@link #proof}, …) see whole blocks only; a {@link #proof} always matches the state root
 * it names. On {@link #open} the node resumes after the last committed block and refuses a store whose state
 * root differs from that block's header, or whose recorded chain id and admin ({@link ChainRules}, recorded on
 * the first open) are not the configured ones. If a block cannot be committed (a storage failure), the node stops
 * producing, fails the pending futures and rejects further submissions with {@code NODE_CLOSED}. All methods
 * are thread-safe.
 */
public final class Node implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Node.class);

    /** How many blocks' {@link BlockTimings} {@link #recentBlocks} keeps. */
    public static final int RECENT_BLOCKS = 256;

    /** The last committed block, or the empty chain (height −1). */
    private record Head(long height, Hash hash, Hash stateRoot, long timestampMillis) {
        static final Head EMPTY = new Head(-1, Hash.ZERO, SparseMerkleTree.EMPTY_ROOT, 0);
    }

    private final NodeConfig config;
    private final LedgerStore store;
    private final BlockExecutor executor;
    private final BlockExecutor fallback = BlockExecutor.sequential();
    private final ForkJoinPool treePool;
    private final SparseMerkleTree tree;
    private final ExecutorService verifiers;
    private final Thread producer;

    /** Guards the mempool and the producer's waiting; never held while executing or writing a block. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Mempool mempool;
    /** Commit takes it exclusively, reads shared: a reader never sees the store between two blocks' trees. */
    private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
    private final Applications apps;
    private final BlockListener listener;
    /** The last {@link #RECENT_BLOCKS} blocks' timings, oldest first; guarded by itself. */
    private final ArrayDeque<BlockTimings> recent = new ArrayDeque<>(RECENT_BLOCKS);
    private volatile Head head;
    private volatile boolean closing;
    private volatile Throwable failure;
    private boolean closed;

    private Node(NodeConfig config, LedgerStore store, BlockExecutor executor, Head head, Applications apps,
                 BlockListener listener) {
        this.config = config;
        this.apps = apps;
        this.listener = listener;
        this.store = store;
        this.executor = executor;
        this.head = head;
        this.mempool = new Mempool(config.mempoolSize());
        this.treePool = new ForkJoinPool(config.threads());
        this.tree = SparseMerkleTree.parallel(store.treeNodes(), treePool);
        AtomicInteger verifierId = new AtomicInteger();
        this.verifiers = Executors.newFixedThreadPool(config.verifyThreads(), r -> {
            Thread t = new Thread(r, "pel-node-verify-" + verifierId.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.producer = new Thread(this::produceBlocks, "pel-node-producer");
        producer.setDaemon(true);
    }

    /**
     * Opens the node whose data lives in {@code directory} (created if absent) and starts producing blocks.
     *
     * @throws StorageException if the store cannot be opened, or its state root is not the last block's, or it records
     *                          another chain id or admin than {@code config}
     */
    public static Node open(Path directory, NodeConfig config) {
        return open(directory, config, Applications.none(), block -> { });
    }

    /**
     * As {@link #open(Path, NodeConfig)}, calling {@code onBlock} with each committed block's
     * {@link BlockTimings}: on the block-producing thread, after the block is committed and before its
     * submitters' futures complete, so it must be quick. An exception from it is logged and ignored.
     */
    public static Node open(Path directory, NodeConfig config, Consumer<BlockTimings> onBlock) {
        Objects.requireNonNull(onBlock, "onBlock");
        return open(directory, config, Applications.none(), block -> block.timings().ifPresent(onBlock));
    }

    /**
     * Opens a node that runs {@code apps} for {@link io.pel.ledger.Payload.Call} transactions and tells
     * {@code listener} about every block it commits (see {@link BlockListener}). To bring a listener's derived
     * state up to date with blocks committed before this open, call {@link #replayCommitted} first.
     */
    public static Node open(Path directory, NodeConfig config, Applications apps, BlockListener listener) {
        Objects.requireNonNull(config, "config");
        return open(directory, config, BlockExecutor.parallel(ParallelConfig.defaults(config.threads())
                .withTrace(config.trace())), apps, listener);
    }

    /** As {@link #open(Path, NodeConfig)}, with the engine given; the node closes it. */
    static Node open(Path directory, NodeConfig config, BlockExecutor executor) {
        return open(directory, config, executor, Applications.none(), block -> { });
    }

    private static Node open(Path directory, NodeConfig config, BlockExecutor executor, Applications apps,
                             BlockListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(apps, "apps");
        Objects.requireNonNull(listener, "listener");
        LedgerStore store;
        try {
            store = LedgerStore.open(directory);
        } catch (RuntimeException e) {
            executor.close();
            throw e;
        }
        Node node;
        try {
            checkRules(store, config);
            node = new Node(config, store, executor, resume(store), apps, listener);
        } catch (RuntimeException e) {
            store.close();
            executor.close();
            throw e;
        }
        node.producer.start();
        log.info("node for chain {} opened in {} at height {}", config.chainId(), directory, node.head.height());
        return node;
    }

    /**
     * Records the chain id and admin on the first open of a store (or of one written before they were recorded)
     * and refuses a later open with others: blocks mean what those rules made of them.
     */
    private static void checkRules(LedgerStore store, NodeConfig config) {
        ChainRules configured = new ChainRules(config.chainId(), config.admin());
        Optional<ChainRules> recorded = store.rules();
        if (recorded.isEmpty()) {
            store.recordRules(configured);
        } else if (!recorded.get().equals(configured)) {
            throw new StorageException(store.directory() + " holds " + recorded.get().describe()
                    + ", but this node is configured for " + configured.describe());
        }
    }

    private static Head resume(LedgerStore store) {
        Hash storedRoot = store.stateRoot();
        if (store.lastHeight().isEmpty()) {
            if (!storedRoot.equals(SparseMerkleTree.EMPTY_ROOT)) {
                throw new StorageException(store.directory() + " has no block but a state root " + storedRoot);
            }
            return Head.EMPTY;
        }
        long height = store.lastHeight().getAsLong();
        Bytes bytes = store.block(height).orElseThrow(() -> new StorageException(
                store.directory() + " names block " + height + " as the last one, but does not hold it"));
        Block block;
        try {
            block = Block.decode(bytes.toByteArray());
        } catch (EncodingException e) {
            throw new StorageException("block " + height + " in " + store.directory() + " does not decode: "
                    + e.getMessage(), e);
        }
        if (block.height() != height) {
            throw new StorageException("the block stored at height " + height + " says it is block "
                    + block.height());
        }
        if (!block.header().stateRoot().equals(storedRoot)) {
            throw new StorageException("state root mismatch in " + store.directory() + ": block " + height
                    + " says " + block.header().stateRoot() + ", the stored state has " + storedRoot);
        }
        return new Head(height, block.hash(), storedRoot, block.header().timestampMillis());
    }

    // ---- admission ----

    /** Admits one transaction in its canonical encoding (see the class comment). */
    public Admission submit(byte[] encoded) {
        return submitAll(List.of(encoded)).getFirst();
    }

    /** Admits an already decoded transaction: the checks after decoding. */
    public Admission submit(SignedTransaction tx) {
        Rejection rejection = checkCall(tx);
        if (rejection == null) {
            rejection = checkChain(tx);
        }
        if (rejection != null) {
            return new Admission.Rejected(rejection);
        }
        long start = System.nanoTime();
        boolean valid = tx.verify();
        long signatureNanos = System.nanoTime() - start;
        return valid ? admit(tx, signatureNanos) : new Admission.Rejected(badSignature());
    }

    /**
     * Admits a batch: decodes each, checks the signatures in parallel, then admits them in order (so a
     * sender's consecutive nonces in one batch are all accepted). One answer per submission, in order.
     */
    public List<Admission> submitAll(List<byte[]> batch) {
        Admission[] answers = new Admission[batch.size()];
        SignedTransaction[] decoded = new SignedTransaction[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            byte[] bytes = batch.get(i);
            if (bytes.length > config.maxTxBytes()) {
                answers[i] = reject(Rejection.Code.TOO_LARGE, bytes.length + " bytes is over the limit of "
                        + config.maxTxBytes());
                continue;
            }
            try {
                decoded[i] = SignedTransaction.decode(bytes);
            } catch (EncodingException e) {
                answers[i] = reject(Rejection.Code.BAD_ENCODING, e.reason() + ": " + e.getMessage());
                continue;
            }
            Rejection rejection = checkCall(decoded[i]);
            if (rejection == null) {
                rejection = checkChain(decoded[i]);
            }
            if (rejection != null) {
                answers[i] = new Admission.Rejected(rejection);
                decoded[i] = null;
            }
        }
        long signatureNanos = verifySignatures(decoded, answers);
        for (int i = 0; i < batch.size(); i++) {
            if (answers[i] == null) {
                answers[i] = admit(decoded[i], signatureNanos);
            }
        }
        return List.of(answers);
    }

    /** Rejects the bad signatures; answers each checked transaction's share of the check's wall time. */
    private long verifySignatures(SignedTransaction[] decoded, Admission[] answers) {
        long start = System.nanoTime();
        List<CompletableFuture<Boolean>> checks = new ArrayList<>(decoded.length);
        int candidates = 0;
        for (SignedTransaction tx : decoded) {
            candidates += tx == null ? 0 : 1;
        }
        for (SignedTransaction tx : decoded) {
            checks.add(tx == null ? null : candidates == 1 ? CompletableFuture.completedFuture(tx.verify())
                    : CompletableFuture.supplyAsync(tx::verify, verifiers));
        }
        for (int i = 0; i < decoded.length; i++) {
            if (checks.get(i) != null && !checks.get(i).join()) {
                answers[i] = new Admission.Rejected(badSignature());
            }
        }
        return candidates == 0 ? 0 : (System.nanoTime() - start) / candidates;
    }

    /** A call must name an application this node runs, and that application must be able to read its body. */
    private Rejection checkCall(SignedTransaction tx) {
        if (!(tx.payload() instanceof Payload.Call call)) {
            return null;
        }
        Optional<Application> app = apps.get(call.app());
        if (app.isEmpty()) {
            return new Rejection(Rejection.Code.BAD_CALL, "no application " + call.app() + " runs on this node");
        }
        try {
            app.get().decode(call.body());
            return null;
        } catch (EncodingException e) {
            return new Rejection(Rejection.Code.BAD_CALL, app.get().name() + ": " + e.reason() + ": "
                    + e.getMessage());
        } catch (RuntimeException e) {
            log.warn("application {} failed to decode a call body", app.get().name(), e);
            return new Rejection(Rejection.Code.BAD_CALL, app.get().name() + " cannot read the call: " + e);
        }
    }

    private Rejection checkChain(SignedTransaction tx) {
        return tx.chainId().equals(config.chainId()) ? null : new Rejection(Rejection.Code.WRONG_CHAIN,
                "signed for chain " + tx.chainId() + ", this is " + config.chainId());
    }

    private static Rejection badSignature() {
        return new Rejection(Rejection.Code.BAD_SIGNATURE, "the signature is not the sender's over this transaction");
    }

    private static Admission.Rejected reject(Rejection.Code code, String message) {
        return new Admission.Rejected(new Rejection(code, message));
    }

    private Admission admit(SignedTransaction tx, long signatureNanos) {
        lock.lock();
        try {
            if (closing || failure != null) {
                return reject(Rejection.Code.NODE_CLOSED, failure == null ? "the node is closed"
                        : "the node stopped after a failure: " + failure.getMessage());
            }
            long next = nonce(tx.sender());
            if (tx.nonce() < next) {
                return reject(Rejection.Code.STALE_NONCE, "nonce " + tx.nonce() + " is used up: the sender's next"
                        + " nonce is " + next);
            }
            if (tx.nonce() - next >= config.nonceWindow()) {
                return reject(Rejection.Code.NONCE_TOO_FAR, "nonce " + tx.nonce() + " is " + config.nonceWindow()
                        + " or more past the sender's next nonce " + next);
            }
            if (mempool.get(tx.hash()) != null) {
                return reject(Rejection.Code.DUPLICATE, "transaction " + tx.hash() + " is already pending");
            }
            if (store.transaction(tx.hash()).isPresent()) {
                return reject(Rejection.Code.DUPLICATE, "transaction " + tx.hash() + " is already committed");
            }
            if (mempool.holdsNonce(tx.sender(), tx.nonce())) {
                return reject(Rejection.Code.DUPLICATE, "another transaction of this sender with nonce "
                        + tx.nonce() + " is already pending");
            }
            if (mempool.isFull()) {
                return reject(Rejection.Code.MEMPOOL_FULL, "the mempool holds its maximum of "
                        + config.mempoolSize() + " transactions; try again later");
            }
            CompletableFuture<Committed> committed = new CompletableFuture<>();
            mempool.add(new Mempool.Entry(tx, committed, signatureNanos));
            if (mempool.size() >= config.blockMaxTxs()) {
                work.signal();
            }
            return new Admission.Accepted(tx.hash(), committed);
        } finally {
            lock.unlock();
        }
    }

    // ---- block production ----

    private void produceBlocks() {
        long intervalNanos = config.blockInterval().toNanos();
        while (true) {
            List<Mempool.Entry> batch;
            lock.lock();
            try {
                long deadline = System.nanoTime() + intervalNanos;
                while (!closing && !fullBlockReady()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    work.awaitNanos(left);
                }
                if (closing) {
                    return;
                }
                batch = mempool.takeReady(config.blockMaxTxs(), this::nonce);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                produce(batch);
            } catch (RuntimeException | Error e) {
                log.error("block {} could not be produced; the node stops producing", head.height() + 1, e);
                failure = e;
                lock.lock();
                try {
                    mempool.finished(batch);
                } finally {
                    lock.unlock();
                }
                for (Mempool.Entry entry : batch) {
                    entry.committed().completeExceptionally(e);
                }
                return;
            }
        }
    }

    /** Called with the lock held. Reading nonces only when enough are waiting keeps a busy submit path cheap. */
    private boolean fullBlockReady() {
        return mempool.size() >= config.blockMaxTxs()
                && mempool.readyCount(config.blockMaxTxs(), this::nonce) >= config.blockMaxTxs();
    }

    private void produce(List<Mempool.Entry> batch) {
        long start = System.nanoTime();
        Head parent = head;
        long height = parent.height() + 1;
        List<SignedTransaction> signed = new ArrayList<>(batch.size());
        long signatureNanos = 0;
        for (Mempool.Entry entry : batch) {
            signed.add(entry.tx());
            signatureNanos += entry.signatureNanos();
        }
        // Only this thread writes the store, so the committed state stays put while the block runs.
        BaseState<Bytes, Bytes> base = key -> store.state(key).orElse(null);
        // Chosen before execution: transactions may read it (campaign windows, hold periods), and a replay
        // gives them the header's.
        long timestamp = Math.max(System.currentTimeMillis(), parent.timestampMillis());
        long executionStart = System.nanoTime();
        BlockResult<Bytes, Bytes, TxResult> result = BlockExecution.run(new BlockInfo(height, timestamp), signed,
                config.admin(), apps, base, executor, fallback);
        long merkleStart = System.nanoTime();
        TreeUpdate update = tree.update(parent.stateRoot(), result.writeSet());
        long merkleEnd = System.nanoTime();
        Block block = Block.of(height, parent.hash(), timestamp, signed, update.root());
        List<Outcome<TxResult>> outcomes = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            outcomes.add(Receipts.normalize(result.outcome(i)));
        }
        BlockCommit commit = new BlockCommit(height, Bytes.of(block.encode()), Receipts.encode(outcomes),
                block.transactionHashes(), result.writeSet(), update);
        long writeNanos;
        commitLock.writeLock().lock();
        try {
            long writeStart = System.nanoTime();
            store.commit(commit);
            writeNanos = System.nanoTime() - writeStart;
            head = new Head(height, block.hash(), update.root(), timestamp);
        } finally {
            commitLock.writeLock().unlock();
        }
        lock.lock();
        try {
            mempool.finished(batch);
        } finally {
            lock.unlock();
        }
        BlockTimings timings = new BlockTimings(height, batch.size(), signatureNanos,
                merkleStart - executionStart, merkleEnd - merkleStart, writeNanos, System.nanoTime() - start,
                result.stats());
        report(new CommittedBlock(block, outcomes, Optional.of(timings), result.trace()));
        log.debug("block {} committed: {} transactions, {} state changes, path {}", height, batch.size(),
                result.writeSet().size(), result.stats().path());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).committed().complete(new Committed(height, i, signed.get(i).hash(), outcomes.get(i)));
        }
    }

    private void report(CommittedBlock committed) {
        committed.timings().ifPresent(timings -> {
            synchronized (recent) {
                if (recent.size() == RECENT_BLOCKS) {
                    recent.removeFirst();
                }
                recent.addLast(timings);
            }
        });
        try {
            listener.committed(committed);
        } catch (RuntimeException e) {
            log.warn("the block listener failed on block {}; ignored", committed.height(), e);
        }
    }

    /**
     * Feeds {@code to} the committed blocks from {@code fromHeight} up to the current height, with their stored
     * outcomes (no timings, no trace), in height order: to rebuild what a {@link BlockListener} derives. Blocks
     * committed while this runs are fed too only if they were committed before it reached them; a listener given
     * to {@link #open(Path, NodeConfig, Applications, BlockListener)} sees every later one.
     *
     * @return the height of the last block fed; {@code fromHeight - 1} if none
     */
    public long replayCommitted(long fromHeight, BlockListener to) {
        Objects.requireNonNull(to, "to");
        long last = fromHeight - 1;
        for (long h = Math.max(0, fromHeight); h <= head.height(); h++) {
            Block block = block(h).orElseThrow(() -> new StorageException("block missing from the store"));
            to.committed(new CommittedBlock(block, outcomes(block.height()).orElseThrow(), Optional.empty(),
                    List.of()));
            last = h;
        }
        return last;
    }

    // ---- queries ----

    /** The {@link BlockTimings} of the last {@value #RECENT_BLOCKS} blocks this node committed, oldest first. */
    public List<BlockTimings> recentBlocks() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** The height of the last committed block; −1 before the first. */
    public long height() {
        return head.height();
    }

    /** The state root after the last committed block ({@link SparseMerkleTree#EMPTY_ROOT} before the first). */
    public Hash stateRoot() {
        return head.stateRoot();
    }

    /** The committed block at {@code height}, if any. */
    public Optional<Block> block(long height) {
        return store.block(height).map(bytes -> {
            try {
                return Block.decode(bytes.toByteArray());
            } catch (EncodingException e) {
                throw new StorageException("block " + height + " does not decode: " + e.getMessage(), e);
            }
        });
    }

    /** Where a transaction was committed, if it was. */
    public Optional<TxLocation> transaction(Hash txHash) {
        return store.transaction(txHash);
    }

    /** Where a transaction was committed and what it came to, if it was committed. */
    public Optional<Committed> committed(Hash txHash) {
        return store.transaction(txHash).map(at -> new Committed(at.height(), at.index(), txHash,
                outcomes(at.height()).orElseThrow(() -> new StorageException("block " + at.height()
                        + " has no receipts")).get(at.index())));
    }

    /** What each transaction of the committed block at {@code height} came to, in block order. */
    public Optional<List<Outcome<TxResult>>> outcomes(long height) {
        return store.receipts(height).map(bytes -> {
            try {
                return Receipts.decode(bytes);
            } catch (EncodingException e) {
                throw new StorageException("the receipts of block " + height + " do not decode: " + e.getMessage(),
                        e);
            }
        });
    }

    /** The applications this node runs. */
    public Applications applications() {
        return apps;
    }

    /**
     * Waits until a transaction pending in this node is committed, then says where; for a transaction not
     * pending here, answers at once from the committed chain.
     *
     * @return where it was committed; empty if it was not (unknown, or the node closed first)
     * @throws TimeoutException if it is still pending after {@code timeout}
     */
    public Optional<TxLocation> awaitCommit(Hash txHash, Duration timeout) throws InterruptedException,
            TimeoutException {
        Mempool.Entry entry;
        lock.lock();
        try {
            entry = mempool.get(txHash);
        } finally {
            lock.unlock();
        }
        if (entry != null) {
            try {
                Committed c = entry.committed().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                return Optional.of(new TxLocation(c.height(), c.index()));
            } catch (ExecutionException e) {
                // Not committed by this node run; the store has the last word.
            }
        }
        return store.transaction(txHash);
    }

    /** The committed value at {@code key}. */
    public Optional<Bytes> state(Bytes key) {
        return store.state(key);
    }

    /** The committed balance of {@code account} (0 when it has none). */
    public long balance(AccountId account) {
        return StateLayout.decodeLong(store.state(StateLayout.balanceKey(account)).orElse(null));
    }

    /** The committed next nonce of {@code account}: the nonce its next transaction must carry. */
    public long nonce(AccountId account) {
        return StateLayout.decodeLong(store.state(StateLayout.nonceKey(account)).orElse(null));
    }

    /** The committed value of {@code key} and its proof against the latest state root, read together. */
    public StateProof proof(Bytes key) {
        commitLock.readLock().lock();
        try {
            Head h = head;
            return new StateProof(h.height(), h.stateRoot(), key, store.state(key), tree.prove(h.stateRoot(), key));
        } finally {
            commitLock.readLock().unlock();
        }
    }

    /** Transactions admitted and not yet committed. */
    public int pending() {
        lock.lock();
        try {
            return mempool.size();
        } finally {
            lock.unlock();
        }
    }

    public NodeConfig config() {
        return config;
    }

    /**
     * Stops producing after the block in flight, fails the futures of transactions not committed, and closes
     * the engine and the store. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (producer.isAlive()) {
            try {
                producer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        List<Mempool.Entry> abandoned;
        lock.lock();
        try {
            abandoned = mempool.drain();
        } finally {
            lock.unlock();
        }
        IllegalStateException notCommitted = new IllegalStateException("the node closed before the transaction "
                + "was committed");
        abandoned.forEach(entry -> entry.committed().completeExceptionally(notCommitted));
        verifiers.shutdownNow();
        executor.close();
        fallback.close();
        treePool.shutdown();
        store.close();
        log.info("node closed at height {}", head.height());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
