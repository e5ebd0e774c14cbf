package io.pel.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pel.ledger.codec.EncodingException;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class SignedTransactionTest {

    private static final ChainId CHAIN = ChainId.of("pel-test");
    private static final KeyPair ALICE = Keys.fromSeed(new byte[32]);
    private static final KeyPair BOB = Keys.fromSeed(filled(7));
    private static final AccountId CAROL = AccountId.of(filled(9));

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static SignedTransaction transfer() {
        return SignedTransaction.sign(ALICE, CHAIN, 3, new Payload.Transfer(CAROL, 250));
    }

    @Test
    void aSignedTransactionVerifiesAndNamesItsSigner() {
        SignedTransaction tx = transfer();
        assertThat(tx.verify()).isTrue();
        assertThat(tx.sender()).isEqualTo(Keys.accountId(ALICE));
        assertThat(tx.chainId()).isEqualTo(CHAIN);
        assertThat(tx.nonce()).isEqualTo(3);
        assertThat(tx.payload()).isEqualTo(new Payload.Transfer(CAROL, 250));
        assertThat(tx.hash()).isEqualTo(Hash.sha256(tx.encode()));
    }

    @Test
    void theSignatureIsOverTheSha256OfTheBodyEncoding() throws Exception {
        SignedTransaction tx = transfer();
        java.security.Signature verifier = java.security.Signature.getInstance("Ed25519");
        verifier.initVerify(ALICE.getPublic());
        verifier.update(Hash.sha256(tx.body().encode()).toByteArray());
        assertThat(verifier.verify(tx.signature().toByteArray())).isTrue();
    }

    @Test
    void signingIsDeterministicSoTheHashIsToo() {
        assertThat(transfer()).isEqualTo(transfer());
        assertThat(transfer().hash()).isEqualTo(transfer().hash());
    }

    @Test
    void aDecodedTransactionStillVerifies() throws EncodingException {
        assertThat(SignedTransaction.decode(transfer().encode()).verify()).isTrue();
    }

    @Test
    void aForgedSignatureDoesNotVerify() throws EncodingException {
        byte[] bytes = transfer().encode();
        for (int bit = 0; bit < 8; bit++) {
            byte[] forged = bytes.clone();
            forged[bytes.length - SignedTransaction.SIGNATURE_LENGTH + 5] ^= (byte) (1 << bit);   // in R
            assertThat(SignedTransaction.decode(forged).verify()).isFalse();
            forged = bytes.clone();
            forged[bytes.length - 20] ^= (byte) (1 << bit);                                       // in S
            assertThat(SignedTransaction.decode(forged).verify()).isFalse();
        }
        SignedTransaction zeros = SignedTransaction.of(transfer().body(), Bytes.of(new byte[64]));
        assertThat(zeros.verify()).isFalse();
    }

    @Test
    void aSignatureByAnotherKeyDoesNotVerify() {
        SignedTransaction byBob = SignedTransaction.sign(BOB, CHAIN, 3, new Payload.Transfer(CAROL, 250));
        // Alice's body with Bob's signature: claims Alice, signed by Bob.
        SignedTransaction claimed = SignedTransaction.of(transfer().body(), byBob.signature());
        assertThat(claimed.verify()).isFalse();
        // Bob's signature over Alice's body, presented as Alice's.
        TransactionBody aliceBody = transfer().body();
        SignedTransaction signedByBob = SignedTransaction.of(aliceBody,
                Bytes.of(Ed25519.sign(BOB.getPrivate(), aliceBody.signingHash().toByteArray())));
        assertThat(signedByBob.verify()).isFalse();
    }

    @Test
    void changingAnyFieldInvalidatesTheSignature() {
        SignedTransaction tx = transfer();
        TransactionBody b = tx.body();
        TransactionBody[] tampered = {
                new TransactionBody(ChainId.of("pel-main"), b.sender(), b.nonce(), b.payload()),
                new TransactionBody(b.chainId(), Keys.accountId(BOB), b.nonce(), b.payload()),
                new TransactionBody(b.chainId(), b.sender(), 4, b.payload()),
                new TransactionBody(b.chainId(), b.sender(), b.nonce(), new Payload.Transfer(CAROL, 251)),
                new TransactionBody(b.chainId(), b.sender(), b.nonce(), new Payload.Transfer(Keys.accountId(BOB), 250)),
                new TransactionBody(b.chainId(), b.sender(), b.nonce(), new Payload.Mint(CAROL, 250)),
        };
        for (TransactionBody body : tampered) {
            SignedTransaction t = SignedTransaction.of(body, tx.signature());
            assertThat(t.verify()).as("%s", body).isFalse();
            assertThat(t.hash()).isNotEqualTo(tx.hash());
        }
    }

    @Test
    void aTransactionForOneChainDoesNotVerifyOnAnother() {
        SignedTransaction onTest = transfer();
        SignedTransaction onMain = SignedTransaction.sign(ALICE, ChainId.of("pel-main"), 3,
                new Payload.Transfer(CAROL, 250));
        assertThat(onMain.signature()).isNotEqualTo(onTest.signature());
        TransactionBody replayed = new TransactionBody(ChainId.of("pel-main"), onTest.sender(), onTest.nonce(),
                onTest.payload());
        assertThat(SignedTransaction.of(replayed, onTest.signature()).verify()).isFalse();
    }

    @Test
    void aSenderKeyThatIsNoCurvePointFailsVerificationWithoutThrowing() {
        // y = 2^255 - 1 (y ≥ p): not a valid point encoding.
        byte[] key = filled(0xFF);
        key[31] = 0x7F;
        TransactionBody body = new TransactionBody(CHAIN, AccountId.of(key), 0, new Payload.Mint(CAROL, 1));
        assertThat(SignedTransaction.of(body, transfer().signature()).verify()).isFalse();
    }

    @Test
    void invalidValuesCannotBeConstructed() {
        assertThatThrownBy(() -> new TransactionBody(CHAIN, CAROL, -1, new Payload.Mint(CAROL, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Payload.Transfer(CAROL, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Payload.Mint(CAROL, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainId.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainId.of("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChainId.of("pel main")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccountId.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignedTransaction.of(transfer().body(), Bytes.of(new byte[63])))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] highS = new byte[64];
        highS[63] = (byte) 0xF0;
        assertThatThrownBy(() -> SignedTransaction.of(transfer().body(), Bytes.of(highS)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
