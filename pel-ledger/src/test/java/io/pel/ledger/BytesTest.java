package io.pel.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BytesTest {

    @Test
    void equalWhenTheBytesAreEqualAndOrderedUnsigned() {
        assertThat(Bytes.fromHex("0102")).isEqualTo(Bytes.fromHex("0102")).hasSameHashCodeAs(Bytes.fromHex("0102"));
        assertThat(Bytes.of((byte) 0x80)).isGreaterThan(Bytes.of((byte) 0x7F));
        assertThat(Bytes.fromHex("01")).isLessThan(Bytes.fromHex("0100"));
        assertThat(Bytes.utf8("é")).isEqualTo(Bytes.fromHex("c3a9"));
    }

    @Test
    void noCallerCanChangeOne() {
        byte[] source = {1, 2, 3};
        Bytes bytes = Bytes.of(source);
        source[0] = 9;
        bytes.toByteArray()[1] = 9;
        assertThat(bytes.toHex()).isEqualTo("010203");
    }

    @Test
    void longStringsAreShortenedInToString() {
        assertThat(Bytes.of(new byte[40]).toString()).endsWith("…(40 bytes)");
        assertThat(Bytes.of(new byte[2]).toString()).isEqualTo("0000");
    }
}
