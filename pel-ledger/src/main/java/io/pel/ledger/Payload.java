package io.pel.ledger;

import java.util.Objects;

/**
 * What a transaction asks the ledger to do. A closed set: each case has a one-byte type tag in the canonical
 * encoding ({@code TransactionCodec}), and a decoder rejects any other tag. Amounts are positive; whether a
 * payload may run (funds, who may mint) is decided when it executes, not here.
 */
public sealed interface Payload permits Payload.Transfer, Payload.Mint {

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

    private static void requirePositive(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("an amount is positive, not " + amount);
        }
    }
}
