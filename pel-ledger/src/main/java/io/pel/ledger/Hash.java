package io.pel.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte SHA-256 digest: transaction hashes, Merkle nodes and roots. Immutable; equal when the bytes are
 * equal; ordered unsigned-lexicographically. {@link #ZERO} (32 zero bytes) is not the digest of anything
 * anyone can find, which is why the Merkle tree uses it for "empty".
 */
public final class Hash implements Comparable<Hash> {

    public static final int LENGTH = 32;

    /** 32 zero bytes. */
    public static final Hash ZERO = new Hash(new byte[LENGTH]);

    /** MessageDigest instances are not thread-safe and cost a provider lookup to create: one per thread. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private final byte[] bytes;

    private Hash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be 32 long. */
    public static Hash of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new Hash(bytes.clone());
    }

    public static Hash fromHex(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    /** SHA-256 of {@code data}. */
    public static Hash sha256(byte[] data) {
        return new Hash(digest().digest(data));
    }

    /** SHA-256 of the concatenation of {@code parts}. */
    public static Hash sha256(byte[]... parts) {
        MessageDigest md = digest();
        for (byte[] part : parts) {
            md.update(part);
        }
        return new Hash(md.digest());
    }

    public static Hash sha256(Bytes data) {
        return sha256(data.toByteArray());
    }

    private static MessageDigest digest() {
        MessageDigest md = SHA256.get();
        md.reset();
        return md;
    }

    /** A copy of the 32 bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Copies the 32 bytes into {@code target} at {@code offset}. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, LENGTH);
    }

    /** Bit {@code index} (0…255), counting from the most significant bit of the first byte. */
    public int bit(int index) {
        return (bytes[index >>> 3] >>> (7 - (index & 7))) & 1;
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash other && Arrays.equals(bytes, other.bytes);
    }

    /** The first four bytes: a digest is uniformly distributed already. */
    @Override
    public int hashCode() {
        return (bytes[0] << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
    }

    @Override
    public int compareTo(Hash other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
