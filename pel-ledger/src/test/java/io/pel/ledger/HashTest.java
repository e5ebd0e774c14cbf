package io.pel.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashTest {

    @Test
    void sha256MatchesTheStandardVector() {
        assertThat(Hash.sha256("abc".getBytes(StandardCharsets.US_ASCII)).toHex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Hash.sha256("a".getBytes(StandardCharsets.US_ASCII), "bc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(Hash.sha256(Bytes.utf8("abc")));
    }

    @Test
    void bitsCountFromTheMostSignificantBitOfTheFirstByte() {
        Hash hash = Hash.fromHex("80" + "00".repeat(30) + "01");
        assertThat(hash.bit(0)).isEqualTo(1);
        assertThat(hash.bit(1)).isZero();
        assertThat(hash.bit(254)).isZero();
        assertThat(hash.bit(255)).isEqualTo(1);
    }

    @Test
    void orderIsUnsignedAndZeroIsTheSmallest() {
        Hash high = Hash.fromHex("ff" + "00".repeat(31));
        Hash low = Hash.fromHex("7f" + "00".repeat(31));
        assertThat(high).isGreaterThan(low);
        assertThat(Hash.ZERO).isLessThan(low);
        assertThat(Hash.ZERO.isZero()).isTrue();
        assertThat(low.isZero()).isFalse();
    }

    @Test
    void aHashHasExactly32Bytes() {
        assertThatThrownBy(() -> Hash.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        byte[] source = new byte[32];
        Hash hash = Hash.of(source);
        source[0] = 1;
        assertThat(hash).isEqualTo(Hash.ZERO);
    }
}
