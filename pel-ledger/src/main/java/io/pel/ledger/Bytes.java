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

    private Bytes(byte[] data) {
        this.data = data;
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
        return o instanceof Bytes other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
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
