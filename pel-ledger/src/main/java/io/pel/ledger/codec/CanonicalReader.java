package io.pel.ledger.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link CanonicalWriter} writes, and rejects everything else with an {@link EncodingException}:
 * input that ends early ({@link EncodingError#TRUNCATED}), length-prefixed fields over their maximum
 * ({@link EncodingError#TOO_LONG}), UTF-8 that is malformed or not in its shortest form
 * ({@link EncodingError#NON_CANONICAL}), and — through {@link #decode} or {@link #expectEnd} — bytes after the
 * value ({@link EncodingError#TRAILING_BYTES}). Every read names the field it reads, so errors say where they
 * are. Never reads past its input, never allocates more than the input's length. Not thread-safe.
 */
public final class CanonicalReader {

    /** Reads one value of type {@code T}. */
    @FunctionalInterface
    public interface Read<T> {
        T read(CanonicalReader in) throws EncodingException;
    }

    private final byte[] input;
    private int position;

    /** Reads {@code input} in place: the caller must not change it while reading. */
    public CanonicalReader(byte[] input) {
        this.input = input;
    }

    /** Decodes all of {@code input} as one value: rejects it if bytes are left over. */
    public static <T> T decode(byte[] input, Read<T> read) throws EncodingException {
        CanonicalReader in = new CanonicalReader(input);
        T value = read.read(in);
        in.expectEnd();
        return value;
    }

    /** Bytes read so far. */
    public int position() {
        return position;
    }

    public int remaining() {
        return input.length - position;
    }

    /** Fails unless the whole input has been read. */
    public void expectEnd() throws EncodingException {
        if (position != input.length) {
            throw new EncodingException(EncodingError.TRAILING_BYTES,
                    remaining() + " unexpected byte(s) after the value, at offset " + position);
        }
    }

    /** One unsigned byte, 0…255. */
    public int readByte(String field) throws EncodingException {
        need(1, field);
        return input[position++] & 0xFF;
    }

    /** A type tag: one byte that must be one of {@code known}. */
    public int readTag(String field, int... known) throws EncodingException {
        int start = position;
        int tag = readByte(field);
        for (int k : known) {
            if (k == tag) {
                return tag;
            }
        }
        throw new EncodingException(EncodingError.UNKNOWN_TAG,
                field + ": unknown tag " + tag + " at offset " + start + " (known: " + Arrays.toString(known) + ")");
    }

    public int readInt(String field) throws EncodingException {
        need(4, field);
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (input[position++] & 0xFF);
        }
        return value;
    }

    public long readLong(String field) throws EncodingException {
        need(8, field);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (input[position++] & 0xFF);
        }
        return value;
    }

    /** A long that must be at least {@code min}; a smaller one is {@link EncodingError#INVALID_VALUE}. */
    public long readLong(String field, long min) throws EncodingException {
        int start = position;
        long value = readLong(field);
        if (value < min) {
            throw new EncodingException(EncodingError.INVALID_VALUE,
                    field + ": " + value + " is below the minimum " + min + " (at offset " + start + ")");
        }
        return value;
    }

    /** Exactly {@code length} bytes, without a prefix. */
    public byte[] readFixed(int length, String field) throws EncodingException {
        need(length, field);
        byte[] bytes = Arrays.copyOfRange(input, position, position + length);
        position += length;
        return bytes;
    }

    /** A length-prefixed byte string of at most {@code maxLength} bytes. */
    public byte[] readBytes(int maxLength, String field) throws EncodingException {
        int start = position;
        long length = Integer.toUnsignedLong(readInt(field + " length"));
        if (length > maxLength) {
            throw new EncodingException(EncodingError.TOO_LONG,
                    field + ": length " + length + " is over the maximum " + maxLength + " (at offset " + start + ")");
        }
        return readFixed((int) length, field);
    }

    /** A length-prefixed string in shortest-form UTF-8 of at most {@code maxBytes} bytes. */
    public String readString(int maxBytes, String field) throws EncodingException {
        int start = position;
        byte[] utf8 = readBytes(maxBytes, field);
        try {
            // REPORT makes the decoder reject what a lenient one would repair: overlong forms, surrogates,
            // truncated sequences — each a second byte form of some string, or of none.
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new EncodingException(EncodingError.NON_CANONICAL,
                    field + ": not shortest-form UTF-8 (at offset " + start + ")");
        }
    }

    private void need(int length, String field) throws EncodingException {
        if (length > remaining()) {
            throw new EncodingException(EncodingError.TRUNCATED, field + ": needs " + length + " byte(s) at offset "
                    + position + ", " + remaining() + " left");
        }
    }
}
