package io.pel.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransactionCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String SENDER = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String RECIPIENT = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

    private static EncodingError reason(String hex) {
        try {
            SignedTransaction tx = SignedTransaction.decode(HEX.parseHex(hex));
            throw new AssertionError("decoded " + tx);
        } catch (EncodingException e) {
            assertThat(e.code()).isEqualTo("BAD_ENCODING");
            return e.reason();
        }
    }

    /** A transfer of 1000 on chain "pel-dev", written out field by field from the format's description. */
    private static String bodyHex(String version, String chain, String nonce, String tag, String amount) {
        return version + chain + SENDER + nonce + tag + RECIPIENT + amount;
    }

    private static final String CHAIN = "00000007" + HEX.formatHex("pel-dev".getBytes(StandardCharsets.US_ASCII));
    private static final String NONCE_5 = "0000000000000005";
    private static final String AMOUNT_1000 = "00000000000003e8";
    private static final String BODY = bodyHex("01", CHAIN, NONCE_5, "01", AMOUNT_1000);
    /** A signature whose S (last 32 bytes, little-endian) is 1. */
    private static final String SIGNATURE = "11".repeat(32) + "01" + "00".repeat(31);

    @Test
    void theEncodingIsTheDocumentedOne() throws EncodingException {
        TransactionBody body = new TransactionBody(ChainId.of("pel-dev"), AccountId.fromHex(SENDER), 5,
                new Payload.Transfer(AccountId.fromHex(RECIPIENT), 1000));
        assertThat(HEX.formatHex(body.encode())).isEqualTo(BODY);
        assertThat(body.signingHash()).isEqualTo(Hash.sha256(HEX.parseHex(BODY)));

        SignedTransaction tx = SignedTransaction.of(body, Bytes.fromHex(SIGNATURE));
        assertThat(HEX.formatHex(tx.encode())).isEqualTo(BODY + SIGNATURE);
        assertThat(tx.hash()).isEqualTo(Hash.sha256(HEX.parseHex(BODY + SIGNATURE)));
        assertThat(SignedTransaction.decode(HEX.parseHex(BODY + SIGNATURE))).isEqualTo(tx);

        TransactionBody mint = new TransactionBody(ChainId.of("pel-dev"), AccountId.fromHex(SENDER), 5,
                new Payload.Mint(AccountId.fromHex(RECIPIENT), 1000));
        assertThat(HEX.formatHex(mint.encode())).isEqualTo(bodyHex("01", CHAIN, NONCE_5, "02", AMOUNT_1000));

        TransactionBody call = new TransactionBody(ChainId.of("pel-dev"), AccountId.fromHex(SENDER), 5,
                new Payload.Call(0x0102, Bytes.fromHex("cafe")));
        assertThat(HEX.formatHex(call.encode())).isEqualTo("01" + CHAIN + SENDER + NONCE_5 + "03" + "0102"
                + "00000002" + "cafe");
    }

    @Test
    void callsWithApplicationZeroOrAnOverlongBodyAreRejected() {
        String head = "01" + CHAIN + SENDER + NONCE_5 + "03";
        assertThat(reason(head + "0000" + "00000002cafe" + SIGNATURE)).isEqualTo(EncodingError.INVALID_VALUE);
        String overlong = String.format("%08x", Payload.Call.MAX_BODY_BYTES + 1);
        assertThat(reason(head + "0001" + overlong + "00".repeat(Payload.Call.MAX_BODY_BYTES + 1) + SIGNATURE))
                .isEqualTo(EncodingError.TOO_LONG);
        assertThat(reason(head + "0001" + "00000003cafe" + SIGNATURE.substring(2)))
                .isEqualTo(EncodingError.TRUNCATED);
        assertThat(HEX.parseHex(head + "0001" + "00000000" + SIGNATURE)).hasSizeLessThan(
                TransactionCodec.MAX_SIGNED_LENGTH);
    }

    @Test
    void seededRandomTransactionsRoundTripToTheSameBytes() throws EncodingException {
        RandomTransactions random = new RandomTransactions(11);
        for (int i = 0; i < 3_000; i++) {
            SignedTransaction tx = random.signed();
            byte[] bytes = tx.encode();
            assertThat(bytes.length).isLessThanOrEqualTo(TransactionCodec.MAX_SIGNED_LENGTH);
            SignedTransaction decoded = SignedTransaction.decode(bytes);
            assertThat(decoded).isEqualTo(tx);
            assertThat(decoded.body()).isEqualTo(tx.body());
            assertThat(decoded.signature()).isEqualTo(tx.signature());
            assertThat(decoded.hash()).isEqualTo(tx.hash());
            assertThat(TransactionBody.decode(tx.body().encode())).isEqualTo(tx.body());
        }
    }

    @Test
    void everyProperPrefixIsTruncatedAndAnyExtraByteIsTrailing() {
        RandomTransactions random = new RandomTransactions(12);
        for (int i = 0; i < 50; i++) {
            byte[] bytes = random.signed().encode();
            for (int length = 0; length < bytes.length; length++) {
                assertThat(reason(HEX.formatHex(bytes, 0, length))).isEqualTo(EncodingError.TRUNCATED);
            }
            assertThat(reason(HEX.formatHex(bytes) + "00")).isEqualTo(EncodingError.TRAILING_BYTES);
        }
    }

    /**
     * The canonical-form property: whatever bytes decode, re-encode to exactly those bytes, so no value has a
     * second form. Mutated valid encodings explore the bytes a decoder is most likely to let through.
     */
    @Test
    void anyByteStringThatDecodesIsTheEncodingOfItsValue() {
        RandomTransactions transactions = new RandomTransactions(13);
        Random random = transactions.random();
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = mutate(transactions.signed().encode(), random);
            try {
                SignedTransaction tx = SignedTransaction.decode(bytes);
                assertThat(tx.encode()).as("re-encoding of %s", HEX.formatHex(bytes)).isEqualTo(bytes);
                decoded++;
            } catch (EncodingException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        // Some mutations (a flipped key or amount bit) stay valid: the property was exercised on both sides.
        assertThat(decoded).isBetween(1_000, 19_000);
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        int at = random.nextInt(bytes.length);
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] copy = bytes.clone();
                copy[at] ^= (byte) (1 << random.nextInt(8));
                yield copy;
            }
            case 1 -> {
                byte[] copy = bytes.clone();
                copy[at] = (byte) random.nextInt(256);
                yield copy;
            }
            case 2 -> {
                byte[] copy = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, copy, 0, at);
                copy[at] = (byte) random.nextInt(256);
                System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
                yield copy;
            }
            default -> {
                byte[] copy = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, copy, 0, at);
                System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
                yield copy;
            }
        };
    }

    @Test
    void unknownVersionsAndPayloadTagsAreRejected() {
        assertThat(reason(bodyHex("00", CHAIN, NONCE_5, "01", AMOUNT_1000) + SIGNATURE))
                .isEqualTo(EncodingError.UNKNOWN_TAG);
        assertThat(reason(bodyHex("02", CHAIN, NONCE_5, "01", AMOUNT_1000) + SIGNATURE))
                .isEqualTo(EncodingError.UNKNOWN_TAG);
        for (String tag : new String[]{"00", "04", "ff"}) {
            assertThat(reason(bodyHex("01", CHAIN, NONCE_5, tag, AMOUNT_1000) + SIGNATURE)).as(tag)
                    .isEqualTo(EncodingError.UNKNOWN_TAG);
        }
    }

    @Test
    void outOfRangeNumbersAreRejected() {
        assertThat(reason(bodyHex("01", CHAIN, "ffffffffffffffff", "01", AMOUNT_1000) + SIGNATURE))
                .isEqualTo(EncodingError.INVALID_VALUE);
        assertThat(reason(bodyHex("01", CHAIN, "8000000000000000", "01", AMOUNT_1000) + SIGNATURE))
                .isEqualTo(EncodingError.INVALID_VALUE);
        for (String amount : new String[]{"0000000000000000", "ffffffffffffffff", "8000000000000000"}) {
            assertThat(reason(bodyHex("01", CHAIN, NONCE_5, "01", amount) + SIGNATURE)).as(amount)
                    .isEqualTo(EncodingError.INVALID_VALUE);
            assertThat(reason(bodyHex("01", CHAIN, NONCE_5, "02", amount) + SIGNATURE)).as(amount)
                    .isEqualTo(EncodingError.INVALID_VALUE);
        }
    }

    @Test
    void chainIdsOutsideTheAlphabetOrLengthAreRejected() {
        String tooLong = "00000041" + "61".repeat(65);
        assertThat(reason(bodyHex("01", tooLong, NONCE_5, "01", AMOUNT_1000) + SIGNATURE))
                .isEqualTo(EncodingError.TOO_LONG);
        assertThat(reason(bodyHex("01", "00000000", NONCE_5, "01", AMOUNT_1000) + SIGNATURE))
                .isEqualTo(EncodingError.INVALID_VALUE);
        // '+', a space, 'é' (valid UTF-8, outside the alphabet), '/'.
        for (String chain : new String[]{"000000012b", "0000000120", "00000002c3a9", "000000012f"}) {
            assertThat(reason(bodyHex("01", chain, NONCE_5, "01", AMOUNT_1000) + SIGNATURE)).as(chain)
                    .isEqualTo(EncodingError.INVALID_VALUE);
        }
        assertThat(reason(bodyHex("01", "00000002" + "c0af", NONCE_5, "01", AMOUNT_1000) + SIGNATURE))
                .isEqualTo(EncodingError.NON_CANONICAL);
    }

    @Test
    void aSignatureWhoseSIsNotBelowTheGroupOrderIsNonCanonical() {
        // L = 2^252 + 27742317777372353535851937790883648493, little-endian.
        String l = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
        String lMinus1 = "ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
        String r = "22".repeat(32);
        assertThat(reason(BODY + r + l)).isEqualTo(EncodingError.NON_CANONICAL);
        assertThat(reason(BODY + r + "ff".repeat(32))).isEqualTo(EncodingError.NON_CANONICAL);
        assertThat(Ed25519.hasCanonicalS(HEX.parseHex(r + lMinus1))).isTrue();
        assertThat(Ed25519.hasCanonicalS(HEX.parseHex(r + l))).isFalse();
    }

    @Test
    void theLongestTransactionFitsTheDocumentedMaximum() {
        RandomTransactions random = new RandomTransactions(14);
        TransactionBody body = new TransactionBody(ChainId.of("c".repeat(ChainId.MAX_LENGTH)), random.account(),
                Long.MAX_VALUE, new Payload.Call(Payload.Call.MAX_APP, Bytes.of(new byte[Payload.Call.MAX_BODY_BYTES])));
        assertThat(SignedTransaction.of(body, random.signature()).encodedLength())
                .isEqualTo(TransactionCodec.MAX_SIGNED_LENGTH);
    }
}
