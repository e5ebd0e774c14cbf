package io.pel.ledger.node;

import io.pel.core.TxContext;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Application.Call} sees while it runs: the application's own slice of the state, who sent the
 * call, and the block it runs in.
 *
 * <p>{@link #state()} is the engine's {@link TxContext} with every key placed under the application's prefix
 * ({@link #stateKey}), so an application can neither read nor change balances, nonces or another application's
 * state. Counters ({@code add}, {@code tryAdd}, {@code readCounter}) are longs as 8 big-endian bytes
 * ({@link StateLayout#COUNTERS}); adds to one key do not conflict with each other.
 */
public final class CallContext {

    private final TxContext<Bytes, Bytes> state;
    private final AccountId sender;
    private final Optional<AccountId> admin;
    private final BlockInfo block;
    private final Hash txHash;

    CallContext(int app, TxContext<Bytes, Bytes> ledgerState, AccountId sender, Optional<AccountId> admin,
                BlockInfo block, Hash txHash) {
        this.state = new Prefixed(prefix(app), Objects.requireNonNull(ledgerState, "ledgerState"));
        this.sender = Objects.requireNonNull(sender, "sender");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.block = Objects.requireNonNull(block, "block");
        this.txHash = Objects.requireNonNull(txHash, "txHash");
    }

    /** Builds a context over any {@link TxContext}: for applications' own tests and tools. */
    public static CallContext of(int app, TxContext<Bytes, Bytes> ledgerState, AccountId sender,
                                 Optional<AccountId> admin, BlockInfo block, Hash txHash) {
        return new CallContext(app, ledgerState, sender, admin, block, txHash);
    }

    /** The application's state: keys are relative to its prefix. */
    public TxContext<Bytes, Bytes> state() {
        return state;
    }

    public AccountId sender() {
        return sender;
    }

    /** The chain's administrator, if it has one. */
    public Optional<AccountId> admin() {
        return admin;
    }

    public boolean senderIsAdmin() {
        return admin.isPresent() && admin.get().equals(sender);
    }

    public BlockInfo block() {
        return block;
    }

    /** The hash of the transaction making this call: unique on the chain. */
    public Hash txHash() {
        return txHash;
    }

    /**
     * The ledger key under which application {@code app} keeps its key {@code key}:
     * {@code "app/" ‖ app:u16 ‖ "/" ‖ key}. For reading an application's state from a node, and for proofs.
     */
    public static Bytes stateKey(int app, Bytes key) {
        return Bytes.concat(prefix(app), key);
    }

    private static byte[] prefix(int app) {
        return new byte[] {'a', 'p', 'p', '/', (byte) (app >>> 8), (byte) app, '/'};
    }

    /** Places every key under one prefix; the prefix ends in '/', which no built-in key starts with. */
    private record Prefixed(byte[] prefix, TxContext<Bytes, Bytes> ledger) implements TxContext<Bytes, Bytes> {

        private Bytes full(Bytes key) {
            return Bytes.concat(prefix, Objects.requireNonNull(key, "key"));
        }

        @Override
        public Bytes read(Bytes key) {
            return ledger.read(full(key));
        }

        @Override
        public void write(Bytes key, Bytes value) {
            ledger.write(full(key), value);
        }

        @Override
        public void delete(Bytes key) {
            ledger.delete(full(key));
        }

        @Override
        public void add(Bytes key, long delta) {
            ledger.add(full(key), delta);
        }

        @Override
        public boolean tryAdd(Bytes key, long delta, long min, long max) {
            return ledger.tryAdd(full(key), delta, min, max);
        }

        @Override
        public long readCounter(Bytes key) {
            return ledger.readCounter(full(key));
        }

        @Override
        public boolean fits(Bytes key, long delta, long min, long max) {
            return ledger.fits(full(key), delta, min, max);
        }
    }
}
