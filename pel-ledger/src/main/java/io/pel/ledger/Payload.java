package io.pel.ledger;

import java.util.Objects;

/**
 * What a transaction asks the ledger to do. A closed set: each case has a one-byte type tag in the canonical
 * encoding ({@code TransactionCodec}), and a decoder rejects any other tag. Amounts are positive; whether a
 * payload may run (funds, who may mint) is decided when it executes, not here.
 */
public sealed interface Payload permits Payload.Transfer, Payload.Mint, Payload.Call {

    /** The payload's type tag in the canonical encoding. */
    int tag();

    /** Moves {@code amount} from the sender's balance to {@code to}'s. */
    record Transfer(AccountId to, long amount) implements Payload {
        public static final int TAG = 1;

        public Transfer {
            Objects.requireNonNull(to, "to");
            requirePositive(amount);
        }

        @Override
        public int tag() {
            return TAG;
        }
    }

    /** Creates {@code amount} on {@code to}'s balance: for genesis and administrators. */
    record Mint(AccountId to, long amount) implements Payload {
        public static final int TAG = 2;

        public Mint {
            Objects.requireNonNull(to, "to");
            requirePositive(amount);
        }

        @Override
        public int tag() {
            return TAG;
        }
    }

    /**
     * A call to an application the node runs (the referral program, …): {@code app} names it, {@code body} is
     * the application's own canonical encoding of what to do. The ledger checks the envelope; the application
     * decodes the body at admission (a body it cannot decode is rejected there) and runs it in the block.
     *
     * @param app  the application's id, 1…{@value #MAX_APP}
     * @param body at most {@value #MAX_BODY_BYTES} bytes
     */
    record Call(int app, Bytes body) implements Payload {
        public static final int TAG = 3;
        public static final int MAX_APP = 0xFFFF;
        public static final int MAX_BODY_BYTES = 2048;

        public Call {
            Objects.requireNonNull(body, "body");
            if (app < 1 || app > MAX_APP) {
                throw new IllegalArgumentException("an application id is 1…" + MAX_APP + ", not " + app);
            }
            if (body.length() > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("a call body is at most " + MAX_BODY_BYTES + " bytes, not "
                        + body.length());
            }
        }

        @Override
        public int tag() {
            return TAG;
        }
    }

    private static void requirePositive(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("an amount is positive, not " + amount);
        }
    }
}
