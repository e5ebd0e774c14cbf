package io.pel.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast signer and verifier against the JDK provider, the reference. */
class Ed25519Test {

    @Test
    void signaturesAreTheJdksByteForByte() {
        Random random = new Random(5);
        for (int i = 0; i < 200; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            KeyPair keys = Keys.fromSeed(seed);
            byte[] message = new byte[random.nextInt(100)];
            random.nextBytes(message);
            assertThat(Ed25519.sign(keys.getPrivate(), message))
                    .isEqualTo(Ed25519.jdkSign(keys.getPrivate(), message));
        }
    }

    @Test
    void verdictsAgreeWithTheJdkOnValidTamperedAndRandomSignatures() {
        Random random = new Random(6);
        int valid = 0;
        for (int i = 0; i < 600; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            KeyPair keys = Keys.fromSeed(seed);
            byte[] publicKey = Keys.accountId(keys).toByteArray();
            byte[] message = new byte[32];
            random.nextBytes(message);
            byte[] signature = Ed25519.sign(keys.getPrivate(), message);
            switch (i % 4) {
                case 0 -> { } // untouched
                case 1 -> signature[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
                case 2 -> message[random.nextInt(32)] ^= 1;
                default -> {
                    random.nextBytes(signature);
                    if (random.nextBoolean()) {
                        random.nextBytes(publicKey); // often not a curve point at all
                    }
                }
            }
            boolean fast = Ed25519.verify(publicKey, message, signature);
            assertThat(fast).as("case %d", i).isEqualTo(Ed25519.jdkVerify(publicKey, message, signature));
            valid += fast ? 1 : 0;
        }
        assertThat(valid).isEqualTo(150); // exactly the untouched ones
    }
}
