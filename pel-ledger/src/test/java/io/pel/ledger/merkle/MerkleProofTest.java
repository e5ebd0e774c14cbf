package io.pel.ledger.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pel.ledger.Hash;
import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MerkleProofTest {

    private static final HexFormat HEX = HexFormat.of();

    private static Hash randomHash(Random random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Hash.of(bytes);
    }

    private static MerkleProof randomProof(Random random) {
        int depth = random.nextInt(4) == 0 ? random.nextInt(MerkleProof.MAX_DEPTH + 1) : random.nextInt(40);
        List<Hash> siblings = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            siblings.add(random.nextInt(3) == 0 ? Hash.ZERO : randomHash(random));
        }
        Optional<MerkleProof.Leaf> leaf = random.nextBoolean() ? Optional.empty()
                : Optional.of(new MerkleProof.Leaf(randomHash(random), randomHash(random)));
        return new MerkleProof(siblings, leaf);
    }

    private static EncodingError reason(String hex) {
        try {
            MerkleProof proof = MerkleProof.decode(HEX.parseHex(hex));
            throw new AssertionError("decoded " + proof);
        } catch (EncodingException e) {
            return e.reason();
        }
    }

    @Test
    void theEncodingIsTheDocumentedOne() throws EncodingException {
        Hash a = Hash.fromHex("aa".repeat(32));
        MerkleProof proof = new MerkleProof(List.of(Hash.ZERO, a, Hash.ZERO), Optional.empty());
        String hex = "01" + "00000003" + "40" + "aa".repeat(32) + "00";
        assertThat(HEX.formatHex(proof.encode())).isEqualTo(hex);
        assertThat(MerkleProof.decode(HEX.parseHex(hex))).isEqualTo(proof);

        MerkleProof withLeaf = new MerkleProof(List.of(), Optional.of(new MerkleProof.Leaf(a, Hash.ZERO)));
        assertThat(HEX.formatHex(withLeaf.encode())).isEqualTo("01" + "00000000" + "01" + "aa".repeat(32)
                + "00".repeat(32));
    }

    @Test
    void seededRandomProofsRoundTripToTheSameBytes() throws EncodingException {
        Random random = new Random(21);
        for (int i = 0; i < 2_000; i++) {
            MerkleProof proof = randomProof(random);
            byte[] bytes = proof.encode();
            MerkleProof decoded = MerkleProof.decode(bytes);
            assertThat(decoded).isEqualTo(proof);
            assertThat(decoded.encode()).isEqualTo(bytes);
        }
    }

    @Test
    void anyByteStringThatDecodesIsTheEncodingOfItsValue() {
        Random random = new Random(22);
        int decoded = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = randomProof(random).encode();
            int at = random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
            try {
                assertThat(MerkleProof.decode(bytes).encode()).isEqualTo(bytes);
                decoded++;
            } catch (EncodingException e) {
                assertThat(e.code()).isEqualTo("BAD_ENCODING");
            }
        }
        assertThat(decoded).isBetween(1_000, 9_900);
    }

    @Test
    void malformedProofsAreRejected() {
        String sibling = "aa".repeat(32);
        assertThat(reason("02" + "00000000" + "00")).isEqualTo(EncodingError.UNKNOWN_TAG);
        assertThat(reason("01" + "00000101")).isEqualTo(EncodingError.TOO_LONG);
        assertThat(reason("01" + "ffffffff")).isEqualTo(EncodingError.TOO_LONG);
        // Depth 3 with bitmap bit 3 (past the depth) set.
        assertThat(reason("01" + "00000003" + "50" + sibling + sibling + "00")).isEqualTo(EncodingError.NON_CANONICAL);
        // An empty sibling written out instead of a clear bit.
        assertThat(reason("01" + "00000001" + "80" + "00".repeat(32) + "00")).isEqualTo(EncodingError.NON_CANONICAL);
        assertThat(reason("01" + "00000000" + "02")).isEqualTo(EncodingError.UNKNOWN_TAG);
        assertThat(reason("01" + "00000000" + "00" + "00")).isEqualTo(EncodingError.TRAILING_BYTES);
        assertThat(reason("01" + "00000001" + "80" + "aa".repeat(31))).isEqualTo(EncodingError.TRUNCATED);
        assertThat(reason("01" + "00000000" + "01" + sibling)).isEqualTo(EncodingError.TRUNCATED);
        assertThat(reason("")).isEqualTo(EncodingError.TRUNCATED);
    }

    @Test
    void everyProperPrefixIsTruncated() {
        Random random = new Random(23);
        for (int i = 0; i < 30; i++) {
            byte[] bytes = randomProof(random).encode();
            for (int length = 0; length < bytes.length; length++) {
                assertThat(reason(HEX.formatHex(bytes, 0, length))).isEqualTo(EncodingError.TRUNCATED);
            }
        }
    }

    @Test
    void aProofHasAtMost256Siblings() {
        List<Hash> tooMany = new ArrayList<>();
        for (int i = 0; i <= MerkleProof.MAX_DEPTH; i++) {
            tooMany.add(Hash.ZERO);
        }
        assertThatThrownBy(() -> new MerkleProof(tooMany, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
