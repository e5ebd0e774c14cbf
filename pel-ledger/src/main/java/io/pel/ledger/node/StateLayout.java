package io.pel.ledger.node;

import io.pel.core.CounterCodec;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * How the built-in payloads keep their state, as {@link Bytes} keys and values:
 * <ul>
 *   <li>{@code "bal/" ‖ accountId} (ASCII prefix, then the raw 32-byte id) → the account's balance;</li>
 *   <li>{@code "nonce/" ‖ accountId} → the account's next nonce (the count of its successful transactions);</li>
 *   <li>{@code "supply"} → the total minted so far.</li>
 * </ul>
 * Every value is a long as 8 bytes, big-endian (two's complement); an absent key is 0. {@link #COUNTERS} is the
 * matching {@link CounterCodec}, so balances and the supply can be engine delta counters.
 */
public final class StateLayout {

    private static final byte[] BALANCE_PREFIX = "bal/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONCE_PREFIX = "nonce/".getBytes(StandardCharsets.US_ASCII);

    /** The total minted: mints check it, so no balance can ever overflow a long. */
    public static final Bytes SUPPLY = Bytes.utf8("supply");

    /** Longs as 8 big-endian bytes. Total: a value of another length (never written) reads as its low 8 bytes. */
    public static final CounterCodec<Bytes> COUNTERS = new CounterCodec<>() {
        @Override
        public long decode(Bytes value) {
            return StateLayout.decodeLong(value);
        }

        @Override
        public Bytes encode(long counter) {
            return encodeLong(counter);
        }
    };

    private StateLayout() {
    }

    public static Bytes balanceKey(AccountId account) {
        return prefixed(BALANCE_PREFIX, account);
    }

    public static Bytes nonceKey(AccountId account) {
        return prefixed(NONCE_PREFIX, account);
    }

    public static Bytes encodeLong(long value) {
        byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (value >>> (56 - 8 * i));
        }
        return Bytes.of(bytes);
    }

    /** The long in {@code value}; 0 for {@code null} (an absent key). */
    public static long decodeLong(Bytes value) {
        if (value == null) {
            return 0;
        }
        long result = 0;
        for (int i = Math.max(0, value.length() - 8); i < value.length(); i++) {
            result = (result << 8) | (value.get(i) & 0xFF);
        }
        return result;
    }

    private static Bytes prefixed(byte[] prefix, AccountId account) {
        byte[] id = account.toByteArray();
        byte[] key = new byte[prefix.length + id.length];
        System.arraycopy(prefix, 0, key, 0, prefix.length);
        System.arraycopy(id, 0, key, prefix.length, id.length);
        return Bytes.of(key);
    }
}
