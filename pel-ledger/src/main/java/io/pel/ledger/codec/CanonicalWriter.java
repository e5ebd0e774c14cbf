package io.pel.ledger.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds a canonical encoding: big-endian fixed-width integers, fixed-length byte strings, and byte strings
 * prefixed by their length as an unsigned 32-bit big-endian integer. Values are written as they are; it is
 * the caller's job to write only valid values, so a value over its maximum is a bug and throws
 * {@link IllegalArgumentException}. Not thread-safe.
 */
public final class CanonicalWriter {

    private byte[] buffer;
    private int size;

    public CanonicalWriter() {
        this(64);
    }

    public CanonicalWriter(int expectedSize) {
        buffer = new byte[Math.max(16, expectedSize)];
    }

    /** One unsigned byte, 0…255: a type tag, a format version. */
    public CanonicalWriter writeByte(int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException("not a byte: " + value);
        }
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    /** Four bytes, big-endian. */
    public CanonicalWriter writeInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Eight bytes, big-endian. */
    public CanonicalWriter writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Exactly {@code length} bytes, without a prefix: for fields whose length the format fixes (keys, hashes). */
    public CanonicalWriter writeFixed(byte[] bytes, int length) {
        if (bytes.length != length) {
            throw new IllegalArgumentException("expected " + length + " bytes, got " + bytes.length);
        }
        return writeRaw(bytes);
    }

    /** A length prefix (unsigned 32-bit big-endian) and the bytes; at most {@code maxLength} of them. */
    public CanonicalWriter writeBytes(byte[] bytes, int maxLength) {
        if (bytes.length > maxLength) {
            throw new IllegalArgumentException(bytes.length + " bytes, more than the maximum " + maxLength);
        }
        writeInt(bytes.length);
        return writeRaw(bytes);
    }

    /** A string as {@link #writeBytes} of its UTF-8 form; {@code maxBytes} bounds the UTF-8 length. */
    public CanonicalWriter writeString(String value, int maxBytes) {
        return writeBytes(Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8), maxBytes);
    }

    private CanonicalWriter writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    public int size() {
        return size;
    }

    /** A copy of what was written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
