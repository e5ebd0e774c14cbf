package io.pel.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string: state keys and values, block bytes. Equal when the bytes are equal; ordered
 * unsigned-lexicographically. Copies on the way in and on the way out, so no caller can change one.
 */
public final class Bytes implements Comparable<Bytes> {

    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;
    /**
     * The hash, computed on first use (0: not yet; a hash of 0 is recomputed, harmlessly). Keys are hashed on
     * every look-up in the engine's tables and the state maps, several times per transaction.
     */
    private int hash;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** {@code prefix} followed by {@code suffix}, copied once: for namespaced keys. */
    public static Bytes concat(byte[] prefix, Bytes suffix) {
        byte[] joined = Arrays.copyOf(prefix, prefix.length + suffix.data.length);
        System.arraycopy(suffix.data, 0, joined, prefix.length, suffix.data.length);
        return new Bytes(joined);
    }

    /** A copy of {@code data}. */
    public static Bytes of(byte... data) {
        return new Bytes(data.clone());
    }

    /** The UTF-8 bytes of {@code text}. */
    public static Bytes utf8(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses hexadecimal digits (either case, no separators). */
    public static Bytes fromHex(String hex) {
        return new Bytes(HexFormat.of().parseHex(hex));
    }

    public int length() {
        return data.length;
    }

    public byte get(int index) {
        return data[index];
    }

    /** A copy of the bytes. */
    public byte[] toByteArray() {
        return data.clone();
    }

    /** Lower-case hexadecimal. */
    public String toHex() {
        return HexFormat.of().formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Bytes other && hashCode() == other.hashCode()
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(data);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(data, other.data);
    }

    /** Hexadecimal, shortened after 32 bytes. */
    @Override
    public String toString() {
        return data.length <= 32 ? toHex()
                : HexFormat.of().formatHex(data, 0, 32) + "…(" + data.length + " bytes)";
    }
}
