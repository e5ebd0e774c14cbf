package io.pel.ledger.node;

import io.pel.core.BaseState;
import io.pel.core.Transaction;
import io.pel.core.TxContext;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed transaction as the engine runs it, over the state of {@link StateLayout}.
 *
 * <p>First the nonce: it must equal the sender's next nonce — the stored one plus the sender's transactions that
 * passed before it in the block, worked out before the block runs ({@link #forBlock}) — else the transaction
 * fails in the engine with {@link TxFailure#BAD_NONCE} and changes nothing. Then the nonce is incremented (a
 * delta add: no read, no conflict) and the payload runs.
 * <b>A payload that fails with a {@link TxFailure} still uses up the nonce</b>: the result is a
 * {@link TxResult} carrying the error, the payload's writes are discarded and the nonce increment stays — so
 * one failed transaction (a duplicate event, an overdrawn transfer) does not make the sender's later
 * transactions in the same block fail too. Only an unexpected exception (a bug) fails the transaction in the
 * engine, discarding everything.
 *
 * <p>Payloads: a transfer takes the amount off the sender's balance only if it stays ≥ 0 (a bounded add,
 * else {@link TxFailure#INSUFFICIENT_FUNDS}) and adds it to the recipient's balance as a delta — so payments
 * to one popular account do not conflict. A mint is allowed only from the administrator
 * ({@link TxFailure#NOT_AUTHORIZED}) and only while the total supply stays ≤ {@link Long#MAX_VALUE}
 * ({@link TxFailure#SUPPLY_OVERFLOW}): every balance is part of the supply, so no balance overflows. A call runs
 * its {@link Application} with a {@link CallContext} over an {@link Overlay}, whose writes reach the block only
 * if the call returns; a call no application of the chain can read fails with
 * {@link TxFailure#BAD_CALL} (admission keeps such calls out; a replay under other applications meets them).
 */
final class LedgerTransaction implements Transaction<Bytes, Bytes, TxResult> {

    private final SignedTransaction tx;
    private final Optional<AccountId> admin;
    /** The sender's next nonce before this transaction, known before the block runs ({@link #forBlock}). */
    private final long expectedNonce;
    private final BlockInfo block;
    /** The decoded call for a {@link Payload.Call}; null for the built-in payloads. */
    private final Application.Call call;
    /** Why a call cannot run (no such application, a body that does not decode); null when it can. */
    private final TxFailure unrunnable;

    /**
     * The block's transactions as the engine runs them. Whether each passes its nonce check is decided here,
     * before execution, in block order: it depends only on the senders' nonces before the block and on the
     * transactions before it in the block (every transaction that passes uses up its nonce, whatever its payload
     * does) — so no transaction needs to read a nonce while the block runs, and a sender's transactions do not
     * conflict on it.
     */
    static List<LedgerTransaction> forBlock(List<SignedTransaction> transactions, Optional<AccountId> admin,
                                            BlockInfo block, Applications apps, BaseState<Bytes, Bytes> base) {
        Map<AccountId, Long> next = new HashMap<>();
        List<LedgerTransaction> txs = new ArrayList<>(transactions.size());
        for (SignedTransaction tx : transactions) {
            long expected = next.computeIfAbsent(tx.sender(),
                    sender -> StateLayout.decodeLong(base.get(StateLayout.nonceKey(sender))));
            boolean ok = tx.nonce() == expected;
            if (ok) {
                next.put(tx.sender(), expected + 1);
            }
            txs.add(new LedgerTransaction(tx, admin, block, apps, expected));
        }
        return txs;
    }

    /** @param expectedNonce the sender's next nonce when this transaction runs (see {@link #forBlock}) */
    LedgerTransaction(SignedTransaction tx, Optional<AccountId> admin, BlockInfo block, Applications apps,
                      long expectedNonce) {
        this.expectedNonce = expectedNonce;
        this.tx = Objects.requireNonNull(tx, "tx");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.block = Objects.requireNonNull(block, "block");
        Application.Call decoded = null;
        TxFailure problem = null;
        if (tx.payload() instanceof Payload.Call c) {
            Optional<Application> app = apps.get(c.app());
            if (app.isEmpty()) {
                problem = new TxFailure(TxFailure.BAD_CALL, "no application " + c.app() + " runs on this chain");
            } else {
                try {
                    decoded = app.get().decode(c.body());
                } catch (EncodingException e) {
                    problem = new TxFailure(TxFailure.BAD_CALL, app.get().name() + ": " + e.getMessage());
                }
            }
        }
        this.call = decoded;
        this.unrunnable = problem;
    }

    SignedTransaction signed() {
        return tx;
    }

    @Override
    public TxResult execute(TxContext<Bytes, Bytes> ctx) throws TxFailure {
        AccountId sender = tx.sender();
        long expected = expectedNonce;
        if (tx.nonce() != expected) {
            throw new TxFailure(TxFailure.BAD_NONCE, "the sender's next nonce is " + expected + ", not "
                    + tx.nonce());
        }
        // Known to pass before the block ran: a delta, so the sender's transactions never conflict on it.
        ctx.add(StateLayout.nonceKey(sender), 1);
        try {
            return new TxResult(expected, run(ctx, sender));
        } catch (TxFailure failure) {
            // The payload failed after the nonce check: the nonce stays used, the payload wrote nothing.
            return TxResult.failed(expected, failure);
        }
    }

    /** Runs the payload; writes nothing before it knows it succeeds. */
    private Bytes run(TxContext<Bytes, Bytes> ctx, AccountId sender) throws TxFailure {
        switch (tx.payload()) {
            case Payload.Transfer t -> {
                if (!ctx.tryAdd(StateLayout.balanceKey(sender), -t.amount(), 0, Long.MAX_VALUE)) {
                    throw new TxFailure(TxFailure.INSUFFICIENT_FUNDS, "the balance is below the amount "
                            + t.amount());
                }
                ctx.add(StateLayout.balanceKey(t.to()), t.amount());
                return Bytes.of();
            }
            case Payload.Mint m -> {
                if (admin.isEmpty() || !admin.get().equals(sender)) {
                    throw new TxFailure(TxFailure.NOT_AUTHORIZED, "only the administrator may mint");
                }
                if (!ctx.tryAdd(StateLayout.SUPPLY, m.amount(), 0, Long.MAX_VALUE)) {
                    throw new TxFailure(TxFailure.SUPPLY_OVERFLOW, "minting " + m.amount()
                            + " would take the supply past " + Long.MAX_VALUE);
                }
                ctx.add(StateLayout.balanceKey(m.to()), m.amount());
                return Bytes.of();
            }
            case Payload.Call c -> {
                if (unrunnable != null) {
                    throw unrunnable;
                }
                Overlay overlay = new Overlay(ctx);
                Bytes output = call.execute(new CallContext(c.app(), overlay, sender, admin, block, tx.hash()));
                overlay.applyTo(ctx);
                return Objects.requireNonNull(output, "a call's output");
            }
        }
    }

    @Override
    public String toString() {
        return "LedgerTransaction{" + tx + "}";
    }
}
