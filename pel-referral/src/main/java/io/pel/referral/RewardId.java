package io.pel.referral;

import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import java.util.Objects;

/**
 * A reward's id, unique on the chain: the first {@value #LENGTH} bytes of SHA-256(transaction hash ‖ index), the
 * index counting the rewards the transaction granted.
 */
public record RewardId(Bytes value) implements Comparable<RewardId> {

    public static final int LENGTH = 16;

    public RewardId {
        Objects.requireNonNull(value, "value");
        if (value.length() != LENGTH) {
            throw new IllegalArgumentException("a reward id has " + LENGTH + " bytes, not " + value.length());
        }
    }

    static RewardId derive(Hash txHash, int index) {
        byte[] h = Hash.sha256(txHash.toByteArray(), new byte[] {(byte) (index >>> 8), (byte) index}).toByteArray();
        return new RewardId(Bytes.of(java.util.Arrays.copyOf(h, LENGTH)));
    }

    public static RewardId fromHex(String hex) {
        return new RewardId(Bytes.fromHex(hex));
    }

    public String toHex() {
        return value.toHex();
    }

    @Override
    public int compareTo(RewardId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
