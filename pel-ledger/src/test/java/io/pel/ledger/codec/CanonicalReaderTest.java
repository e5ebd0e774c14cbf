package io.pel.ledger.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalReaderTest {

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static EncodingError reason(byte[] input, CanonicalReader.Read<?> read) {
        try {
            CanonicalReader.decode(input, read);
        } catch (EncodingException e) {
            assertThat(e.code()).isEqualTo("BAD_ENCODING");
            assertThat(e.getMessage()).isNotBlank();
            return e.reason();
        }
        throw new AssertionError("decoded " + HexFormat.of().formatHex(input));
    }

    @Test
    void integersAreBigEndianAndFixedWidth() {
        byte[] bytes = new CanonicalWriter()
                .writeByte(0xAB).writeInt(0x01020304).writeLong(-2).writeFixed(hex("cafe"), 2).toByteArray();
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("ab" + "01020304" + "fffffffffffffffe" + "cafe");
    }

    @Test
    void byteStringsCarryAFourByteBigEndianLength() {
        byte[] bytes = new CanonicalWriter().writeBytes(hex("0a0b0c"), 10).writeString("é", 4).toByteArray();
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("00000003" + "0a0b0c" + "00000002" + "c3a9");
    }

    @Test
    void everyPrimitiveRoundTripsOnSeededRandomValues() throws EncodingException {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            int b = random.nextInt(256);
            int i = random.nextInt();
            long l = random.nextLong();
            byte[] fixed = new byte[random.nextInt(40)];
            random.nextBytes(fixed);
            byte[] bytes = new byte[random.nextInt(100)];
            random.nextBytes(bytes);
            String text = randomString(random);
            int textMax = text.getBytes(StandardCharsets.UTF_8).length + random.nextInt(3);

            byte[] encoded = new CanonicalWriter().writeByte(b).writeInt(i).writeLong(l).writeFixed(fixed, fixed.length)
                    .writeBytes(bytes, 100).writeString(text, textMax).toByteArray();
            CanonicalReader in = new CanonicalReader(encoded);
            assertThat(in.readByte("b")).isEqualTo(b);
            assertThat(in.readInt("i")).isEqualTo(i);
            assertThat(in.readLong("l")).isEqualTo(l);
            assertThat(in.readFixed(fixed.length, "fixed")).isEqualTo(fixed);
            assertThat(in.readBytes(100, "bytes")).isEqualTo(bytes);
            assertThat(in.readString(textMax, "text")).isEqualTo(text);
            in.expectEnd();
        }
    }

    /** Code points from every UTF-8 length class, supplementary ones included. */
    private static String randomString(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(12);
        for (int k = 0; k < n; k++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x80);
                case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
                case 2 -> 0xE000 + random.nextInt(0x10000 - 0xE000);
                default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    @Test
    void truncatedInputIsRejectedWhereverItEnds() {
        byte[] full = new CanonicalWriter().writeByte(1).writeInt(2).writeLong(3).writeBytes(hex("aabb"), 8)
                .toByteArray();
        CanonicalReader.Read<Object> read = in -> {
            in.readByte("b");
            in.readInt("i");
            in.readLong("l");
            return in.readBytes(8, "s");
        };
        for (int length = 0; length < full.length; length++) {
            assertThat(reason(Arrays.copyOf(full, length), read)).as("prefix of %d bytes", length)
                    .isEqualTo(EncodingError.TRUNCATED);
        }
    }

    @Test
    void bytesAfterTheValueAreRejected() {
        assertThat(reason(hex("0000000700"), in -> in.readInt("i"))).isEqualTo(EncodingError.TRAILING_BYTES);
    }

    @Test
    void aFieldOverItsMaximumIsRejectedBeforeItIsRead() {
        assertThat(reason(hex("00000003aabbcc"), in -> in.readBytes(2, "s"))).isEqualTo(EncodingError.TOO_LONG);
        // A length that would be negative as a signed int is simply too long, not a crash.
        assertThat(reason(hex("ffffffff"), in -> in.readBytes(2, "s"))).isEqualTo(EncodingError.TOO_LONG);
        assertThat(reason(hex("00000003e282ac"), in -> in.readString(2, "s"))).isEqualTo(EncodingError.TOO_LONG);
    }

    @Test
    void aLengthBeyondTheInputIsTruncationNotAnAllocation() {
        assertThat(reason(hex("7ffffff0"), in -> in.readBytes(Integer.MAX_VALUE, "s")))
                .isEqualTo(EncodingError.TRUNCATED);
    }

    @Test
    void unknownTagsAreRejected() throws EncodingException {
        int tag = CanonicalReader.decode(hex("02"), in -> in.readTag("t", 1, 2));
        assertThat(tag).isEqualTo(2);
        assertThat(reason(hex("03"), in -> in.readTag("t", 1, 2))).isEqualTo(EncodingError.UNKNOWN_TAG);
    }

    @Test
    void onlyShortestFormUtf8IsAString() {
        // "/" as an overlong two-byte sequence, NUL in "modified UTF-8", a lone surrogate (CESU-8), a cut
        // sequence, a stray continuation byte, and a code point above U+10FFFF.
        for (String utf8 : new String[]{"c0af", "c080", "eda080", "e282", "80", "f4908080"}) {
            byte[] input = new CanonicalWriter().writeBytes(hex(utf8), 8).toByteArray();
            assertThat(reason(input, in -> in.readString(8, "s"))).as(utf8).isEqualTo(EncodingError.NON_CANONICAL);
        }
    }

    @Test
    void readLongWithAMinimumRejectsSmallerValues() throws EncodingException {
        long zero = CanonicalReader.decode(hex("0000000000000000"), in -> in.readLong("n", 0));
        assertThat(zero).isZero();
        assertThat(reason(hex("ffffffffffffffff"), in -> in.readLong("n", 0))).isEqualTo(EncodingError.INVALID_VALUE);
    }

    @Test
    void theMessageNamesTheFieldAndTheOffset() {
        assertThatThrownBy(() -> CanonicalReader.decode(hex("0001"), in -> {
            in.readByte("version");
            return in.readInt("nonce");
        })).isInstanceOf(EncodingException.class).hasMessageContaining("nonce").hasMessageContaining("offset 1");
    }

    @Test
    void writingAnInvalidValueIsABug() {
        CanonicalWriter out = new CanonicalWriter();
        assertThatThrownBy(() -> out.writeByte(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.writeFixed(new byte[3], 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> out.writeBytes(new byte[5], 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(out.size()).isZero();
    }
}
