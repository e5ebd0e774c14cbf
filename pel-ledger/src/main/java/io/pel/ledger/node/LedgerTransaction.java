package io.pel.ledger.node;

import io.pel.core.Transaction;
import io.pel.core.TxContext;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import java.util.Objects;
import java.util.Optional;

/**
 * A signed transaction as the engine runs it, over the state of {@link StateLayout}.
 *
 * <p>First the nonce: it must equal the sender's stored next nonce, else the transaction fails with
 * {@link TxFailure#BAD_NONCE}; then the nonce is incremented and the payload runs. A failed transaction's
 * writes are discarded, the nonce increment included: <b>only successful transactions use up a nonce</b>, so
 * after a failure the sender's next nonce is unchanged and later transactions of that sender in the same
 * block fail with {@code BAD_NONCE} too.
 *
 * <p>Payloads: a transfer takes the amount off the sender's balance only if it stays ≥ 0 (a bounded add,
 * else {@link TxFailure#INSUFFICIENT_FUNDS}) and adds it to the recipient's balance as a delta — so payments
 * to one popular account do not conflict. A mint is allowed only from the administrator
 * ({@link TxFailure#NOT_AUTHORIZED}) and only while the total supply stays ≤ {@link Long#MAX_VALUE}
 * ({@link TxFailure#SUPPLY_OVERFLOW}): every balance is part of the supply, so no balance overflows.
 */
final class LedgerTransaction implements Transaction<Bytes, Bytes, TxResult> {

    private final SignedTransaction tx;
    private final Optional<AccountId> admin;

    LedgerTransaction(SignedTransaction tx, Optional<AccountId> admin) {
        this.tx = Objects.requireNonNull(tx, "tx");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    SignedTransaction signed() {
        return tx;
    }

    @Override
    public TxResult execute(TxContext<Bytes, Bytes> ctx) throws TxFailure {
        AccountId sender = tx.sender();
        Bytes nonceKey = StateLayout.nonceKey(sender);
        long expected = ctx.readCounter(nonceKey);
        if (tx.nonce() != expected) {
            throw new TxFailure(TxFailure.BAD_NONCE, "the sender's next nonce is " + expected + ", not "
                    + tx.nonce());
        }
        ctx.write(nonceKey, StateLayout.encodeLong(expected + 1));
        switch (tx.payload()) {
            case Payload.Transfer t -> {
                if (!ctx.tryAdd(StateLayout.balanceKey(sender), -t.amount(), 0, Long.MAX_VALUE)) {
                    throw new TxFailure(TxFailure.INSUFFICIENT_FUNDS, "the balance is below the amount "
                            + t.amount());
                }
                ctx.add(StateLayout.balanceKey(t.to()), t.amount());
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
            }
        }
        return new TxResult(expected);
    }

    @Override
    public String toString() {
        return "LedgerTransaction{" + tx + "}";
    }
}
