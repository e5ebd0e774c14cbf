package io.pel.ledger.store;

import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.ChainId;
import io.pel.ledger.Hash;
import io.pel.ledger.codec.CanonicalReader;
import io.pel.ledger.codec.CanonicalWriter;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.merkle.NodeStore;
import io.pel.ledger.merkle.SparseMerkleTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The ledger's durable storage: a RocksDB database in one directory, with one column family each for
 * <ul>
 *   <li>{@code blocks}: height (8 bytes, big-endian, so blocks iterate in height order) → block bytes;</li>
 *   <li>{@code receipts}: height → the block's receipts (what each transaction came to), encoded by the node;</li>
 *   <li>{@code tx_index}: transaction hash → height (8 bytes) and position in the block (4 bytes);</li>
 *   <li>{@code state}: key → value, the latest state;</li>
 *   <li>{@code tree_nodes}: node hash → node, the state tree of the latest state root only;</li>
 *   <li>{@code meta}: {@code format} (4 bytes, {@value #FORMAT}), {@code last_height} (8 bytes) and
 *       {@code state_root} (32 bytes) — absent until the first commit — and the {@link ChainRules}:
 *       {@code chain_id} (a canonical string) and {@code admin} (a byte 0, or a byte 1 and the 32-byte account
 *       id) — absent until {@link #recordRules}; stores written before the rules were recorded lack them.</li>
 * </ul>
 *
 * <p><b>Guarantees.</b> {@link #commit} writes a block's changes to every column family as one RocksDB write
 * batch with a synced write-ahead log: when it returns, the block survives a crash of the process or the
 * machine; when it throws, none of it is visible, now or after reopening. Blocks are committed at heights
 * 0, 1, 2, … without gaps, each tree update from the state root of the block before. Reads see whole
 * commits only. All methods are thread-safe; commits run one at a time. After {@link #close} every method
 * throws {@link IllegalStateException} (close waits for running reads).
 */
public final class LedgerStore implements AutoCloseable {

    /** The storage format this code reads and writes. */
    public static final int FORMAT = 2;

    private static final byte[] FORMAT_KEY = ascii("format");
    private static final byte[] LAST_HEIGHT_KEY = ascii("last_height");
    private static final byte[] STATE_ROOT_KEY = ascii("state_root");
    private static final byte[] CHAIN_ID_KEY = ascii("chain_id");
    private static final byte[] ADMIN_KEY = ascii("admin");

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final RocksDB db;
    private final DBOptions options;
    private final ColumnFamilyOptions columnOptions;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle blocks;
    private final ColumnFamilyHandle txIndex;
    private final ColumnFamilyHandle state;
    private final ColumnFamilyHandle treeNodes;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle receipts;
    private final WriteOptions syncWrites;
    /** Reads hold it shared, close holds it exclusively: RocksDB handles must not be used once closed. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final NodeStore nodeView;
    private volatile boolean closed;
    private boolean readOnly;
    /** Runs after a commit's batch is built and before it is written; tests make it throw. */
    private volatile Runnable beforeWrite = () -> { };

    private LedgerStore(Path directory, RocksDB db, DBOptions options, ColumnFamilyOptions columnOptions,
                        List<ColumnFamilyHandle> handles) {
        this.directory = directory;
        this.db = db;
        this.options = options;
        this.columnOptions = columnOptions;
        this.handles = handles;
        this.blocks = handles.get(1);
        this.txIndex = handles.get(2);
        this.state = handles.get(3);
        this.treeNodes = handles.get(4);
        this.meta = handles.get(5);
        this.receipts = handles.get(6);
        this.syncWrites = new WriteOptions().setSync(true);
        this.nodeView = hash -> read(treeNodes, hash.toByteArray());
    }

    /**
     * Opens the store in {@code directory}, creating the directory and an empty store if there is none.
     *
     * @throws StorageException if the directory cannot be opened (locked by another process, not a store of
     *                          this format, unreadable)
     */
    public static LedgerStore open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new StorageException("cannot create the store directory " + directory, e);
        }
        return open(directory, false);
    }

    /**
     * Opens an existing store for reading only: it takes no lock, so it works while a node has the store open
     * (seeing the store as it was when opened), and {@link #commit} and {@link #recordRules} refuse.
     *
     * @throws StorageException if there is no readable store of this format in {@code directory}
     */
    public static LedgerStore openReadOnly(Path directory) {
        return open(directory, true);
    }

    private static LedgerStore open(Path directory, boolean readOnly) {
        ColumnFamilyOptions columnOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions),
                new ColumnFamilyDescriptor(ascii("blocks"), columnOptions),
                new ColumnFamilyDescriptor(ascii("tx_index"), columnOptions),
                new ColumnFamilyDescriptor(ascii("state"), columnOptions),
                new ColumnFamilyDescriptor(ascii("tree_nodes"), columnOptions),
                new ColumnFamilyDescriptor(ascii("meta"), columnOptions),
                new ColumnFamilyDescriptor(ascii("receipts"), columnOptions));
        DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = readOnly ? RocksDB.openReadOnly(options, directory.toString(), descriptors, handles)
                    : RocksDB.open(options, directory.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            options.close();
            columnOptions.close();
            throw new StorageException("cannot open the store in " + directory + ": " + e.getMessage(), e);
        }
        LedgerStore store = new LedgerStore(directory, db, options, columnOptions, handles);
        store.readOnly = readOnly;
        try {
            store.checkFormat();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private void checkFormat() {
        byte[] format = read(meta, FORMAT_KEY);
        if (format == null && readOnly) {
            throw new StorageException(directory + " holds no ledger store (no format recorded)");
        }
        if (format == null) {
            try {
                db.put(meta, syncWrites, FORMAT_KEY, new CanonicalWriter(4).writeInt(FORMAT).toByteArray());
            } catch (RocksDBException e) {
                throw new StorageException("cannot write the store format to " + directory, e);
            }
        } else if (decodeStored(format, in -> in.readInt("format")) != FORMAT) {
            throw new StorageException(directory + " holds a store of another format than " + FORMAT);
        }
    }

    /**
     * Writes {@code commit} atomically and durably (see the class comment).
     *
     * @throws IllegalStateException if the height is not the next one, or the tree update does not start from
     *                               the current state root — bugs of the caller; nothing is written
     * @throws StorageException      if RocksDB fails; nothing is written
     */
    public synchronized void commit(BlockCommit commit) {
        lifecycle.readLock().lock();
        try {
            requireWritable();
            long expected = lastHeight().orElse(-1) + 1;
            if (commit.height() != expected) {
                throw new IllegalStateException("block " + commit.height() + " committed, but the next height is "
                        + expected);
            }
            Hash root = stateRoot();
            if (!commit.tree().previousRoot().equals(root)) {
                throw new IllegalStateException("the tree update starts from root " + commit.tree().previousRoot()
                        + ", but the store's state root is " + root);
            }
            try (WriteBatch batch = new WriteBatch()) {
                fill(batch, commit);
                beforeWrite.run();
                db.write(syncWrites, batch);
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot commit block " + commit.height() + " to " + directory + ": "
                    + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void fill(WriteBatch batch, BlockCommit commit) throws RocksDBException {
        batch.put(blocks, heightKey(commit.height()), commit.block().toByteArray());
        batch.put(receipts, heightKey(commit.height()), commit.receipts().toByteArray());
        for (int i = 0; i < commit.transactions().size(); i++) {
            batch.put(txIndex, commit.transactions().get(i).toByteArray(), location(commit.height(), i));
        }
        RocksDBException[] failed = {null};
        commit.state().forEach((key, value) -> {
            try {
                if (value == null) {
                    batch.delete(state, key.toByteArray());
                } else {
                    batch.put(state, key.toByteArray(), value.toByteArray());
                }
            } catch (RocksDBException e) {
                failed[0] = e;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        // TreeUpdate keeps the two sets disjoint, so the order of deletes and puts does not matter.
        for (Hash stale : commit.tree().staleNodes()) {
            batch.delete(treeNodes, stale.toByteArray());
        }
        for (var node : commit.tree().addedNodes().entrySet()) {
            batch.put(treeNodes, node.getKey().toByteArray(), node.getValue());
        }
        batch.put(meta, LAST_HEIGHT_KEY, heightKey(commit.height()));
        batch.put(meta, STATE_ROOT_KEY, commit.tree().root().toByteArray());
    }

    /** The chain's rules as recorded by {@link #recordRules}; empty if none were. */
    public Optional<ChainRules> rules() {
        byte[] chainId = read(meta, CHAIN_ID_KEY);
        byte[] admin = read(meta, ADMIN_KEY);
        if (chainId == null || admin == null) {
            return Optional.empty();
        }
        String name = decodeStored(chainId, in -> in.readString(ChainId.MAX_LENGTH, "chain id"));
        Optional<AccountId> adminId = decodeStored(admin, in -> in.readTag("admin", 0, 1) == 0 ? Optional.empty()
                : Optional.of(AccountId.of(in.readFixed(AccountId.LENGTH, "admin"))));
        try {
            return Optional.of(new ChainRules(ChainId.of(name), adminId));
        } catch (IllegalArgumentException e) {
            throw new StorageException(directory + " records a chain id that is not one: " + e.getMessage(), e);
        }
    }

    /**
     * Records the chain's rules, durably and both at once; a node does so on its first open.
     *
     * @throws IllegalStateException if other rules are recorded already (a bug of the caller, who checks first)
     * @throws StorageException      if RocksDB fails
     */
    public synchronized void recordRules(ChainRules rules) {
        if (readOnly) {
            throw new IllegalStateException("the store in " + directory + " is open read-only");
        }
        Optional<ChainRules> recorded = rules();
        if (recorded.isPresent()) {
            if (!recorded.get().equals(rules)) {
                throw new IllegalStateException(directory + " records " + recorded.get().describe()
                        + " already; cannot record " + rules.describe());
            }
            return;
        }
        CanonicalWriter admin = new CanonicalWriter(1 + AccountId.LENGTH);
        rules.admin().ifPresentOrElse(a -> admin.writeByte(1).writeFixed(a.toByteArray(), AccountId.LENGTH),
                () -> admin.writeByte(0));
        lifecycle.readLock().lock();
        try (WriteBatch batch = new WriteBatch()) {
            requireWritable();
            batch.put(meta, CHAIN_ID_KEY,
                    new CanonicalWriter().writeString(rules.chainId().value(), ChainId.MAX_LENGTH).toByteArray());
            batch.put(meta, ADMIN_KEY, admin.toByteArray());
            db.write(syncWrites, batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot record the chain's rules in " + directory + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The height of the last committed block; empty before the first commit. */
    public OptionalLong lastHeight() {
        byte[] height = read(meta, LAST_HEIGHT_KEY);
        return height == null ? OptionalLong.empty()
                : OptionalLong.of(decodeStored(height, in -> in.readLong("last height", 0)));
    }

    /** The state root of the last committed block; {@link SparseMerkleTree#EMPTY_ROOT} before the first. */
    public Hash stateRoot() {
        byte[] root = read(meta, STATE_ROOT_KEY);
        return root == null ? SparseMerkleTree.EMPTY_ROOT
                : decodeStored(root, in -> Hash.of(in.readFixed(Hash.LENGTH, "state root")));
    }

    /** The bytes of the block at {@code height}, if committed. */
    public Optional<Bytes> block(long height) {
        if (height < 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(read(blocks, heightKey(height))).map(Bytes::of);
    }

    /** The receipts of the block at {@code height} as committed with it (the node's encoding), if committed. */
    public Optional<Bytes> receipts(long height) {
        if (height < 0) {
            return Optional.empty();
        }
        return Optional.ofNullable(read(receipts, heightKey(height))).map(Bytes::of);
    }

    /** Where the transaction with hash {@code txHash} was committed, if it was. */
    public Optional<TxLocation> transaction(Hash txHash) {
        byte[] location = read(txIndex, txHash.toByteArray());
        return location == null ? Optional.empty() : Optional.of(decodeStored(location,
                in -> new TxLocation(in.readLong("tx height", 0), in.readInt("tx index"))));
    }

    /** The latest committed value of {@code key}, if any. */
    public Optional<Bytes> state(Bytes key) {
        return Optional.ofNullable(read(state, key.toByteArray())).map(Bytes::of);
    }

    /**
     * Calls {@code action} with every key and value of the latest state, in key order, from one consistent
     * snapshot (a commit running meanwhile is either wholly seen or not at all).
     */
    public void forEachState(BiConsumer<Bytes, Bytes> action) {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            Snapshot snapshot = db.getSnapshot();
            try (ReadOptions options = new ReadOptions().setSnapshot(snapshot);
                 RocksIterator it = db.newIterator(state, options)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    action.accept(Bytes.of(it.key()), Bytes.of(it.value()));
                }
                it.status();
            } finally {
                db.releaseSnapshot(snapshot);
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the state in " + directory + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** The state tree's nodes, for a {@link SparseMerkleTree} over the latest state root. */
    public NodeStore treeNodes() {
        return nodeView;
    }

    public Path directory() {
        return directory;
    }

    /** Closes the database; waits for reads and commits in progress. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            syncWrites.close();
            for (ColumnFamilyHandle handle : handles) {
                handle.close();
            }
            db.close();
            options.close();
            columnOptions.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    void beforeWrite(Runnable hook) {
        beforeWrite = hook;
    }

    private byte[] read(ColumnFamilyHandle family, byte[] key) {
        lifecycle.readLock().lock();
        try {
            requireOpen();
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read from " + directory + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the store in " + directory + " is closed");
        }
    }

    private void requireWritable() {
        requireOpen();
        if (readOnly) {
            throw new IllegalStateException("the store in " + directory + " is open read-only");
        }
    }

    private <T> T decodeStored(byte[] bytes, CanonicalReader.Read<T> read) {
        try {
            return CanonicalReader.decode(bytes, read);
        } catch (EncodingException e) {
            throw new StorageException(directory + " holds a value this store did not write: " + e.getMessage(), e);
        }
    }

    private static byte[] heightKey(long height) {
        return new CanonicalWriter(8).writeLong(height).toByteArray();
    }

    private static byte[] location(long height, int index) {
        return new CanonicalWriter(12).writeLong(height).writeInt(index).toByteArray();
    }

    private static byte[] ascii(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }
}
