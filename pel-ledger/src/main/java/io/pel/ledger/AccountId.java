package io.pel.ledger;

import io.pel.ledger.codec.EncodingException;
import java.security.PublicKey;
import java.util.Objects;

/**
 * An account: its owner's raw 32-byte Ed25519 public key (RFC 8032 encoding). The key is the account id —
 * no hashing — so a transaction's sender is its account, and whoever holds the matching private key controls
 * the account. Any 32 bytes form an id: a transfer to bytes that are no one's key is accepted, and its funds
 * are unreachable.
 */
public record AccountId(Bytes publicKey) implements Comparable<AccountId> {

    public static final int LENGTH = Ed25519.PUBLIC_KEY_LENGTH;

    public AccountId {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length() != LENGTH) {
            throw new IllegalArgumentException("an account id has " + LENGTH + " bytes, not " + publicKey.length());
        }
    }

    public static AccountId of(byte[] rawPublicKey) {
        return new AccountId(Bytes.of(rawPublicKey));
    }

    /** The account of a JDK Ed25519 public key. */
    public static AccountId of(PublicKey key) {
        return new AccountId(Bytes.of(Ed25519.raw(key)));
    }

    /** Parses 64 hexadecimal digits. */
    public static AccountId fromHex(String hex) throws EncodingException {
        return of(Keys.parseHex(hex, LENGTH, "account id"));
    }

    /** The JDK form of the key, to verify signatures with. */
    public PublicKey toPublicKey() {
        return Ed25519.publicKey(publicKey.toByteArray());
    }

    public byte[] toByteArray() {
        return publicKey.toByteArray();
    }

    public String toHex() {
        return publicKey.toHex();
    }

    @Override
    public int compareTo(AccountId other) {
        return publicKey.compareTo(other.publicKey);
    }

    @Override
    public String toString() {
        return publicKey.toHex();
    }
}
