package io.pel.ledger;

import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;

/**
 * Ed25519 key pairs for signing transactions, and their portable form: the raw 32-byte private seed (RFC 8032
 * §5.1.5), which determines the whole pair, and the raw 32-byte public key ({@link AccountId}), both written
 * as 64 lower-case hexadecimal digits. {@code fromSeed(seed(k))} gives back a pair equal in use to {@code k}.
 */
public final class Keys {

    public static final int SEED_LENGTH = 32;

    private Keys() {
    }

    /** A new key pair from the JDK's default {@link SecureRandom}. */
    public static KeyPair generate() {
        return generate(new SecureRandom());
    }

    /** The key pair whose private seed is {@code seed} (32 bytes). */
    public static KeyPair fromSeed(byte[] seed) {
        if (seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
        }
        // The JDK offers no way to derive a public key from a private one, but its generator takes the seed
        // as the next 32 random bytes (RFC 8032 §5.1.5): hand it exactly those.
        return generate(new FixedSeed(seed));
    }

    /** Parses a seed written as 64 hexadecimal digits. */
    public static KeyPair fromSeedHex(String hex) throws EncodingException {
        return fromSeed(parseHex(hex, SEED_LENGTH, "private seed"));
    }

    /** The raw 32-byte private seed of an Ed25519 key pair. */
    public static byte[] seed(KeyPair keys) {
        return seed(keys.getPrivate());
    }

    public static byte[] seed(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey ed)) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + key.getAlgorithm());
        }
        return ed.getBytes().orElseThrow(() -> new IllegalArgumentException("the private key hides its seed"));
    }

    public static String seedHex(KeyPair keys) {
        return HexFormat.of().formatHex(seed(keys));
    }

    /** The account the key pair controls: its raw public key. */
    public static AccountId accountId(KeyPair keys) {
        return AccountId.of(keys.getPublic());
    }

    private static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    static byte[] parseHex(String hex, int length, String what) throws EncodingException {
        String digits = hex.strip();
        if (digits.length() != 2 * length) {
            throw new EncodingException(EncodingError.INVALID_VALUE,
                    "a " + what + " is " + 2 * length + " hexadecimal digits, not " + digits.length());
        }
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new EncodingException(EncodingError.INVALID_VALUE, "a " + what + " is hexadecimal digits only: "
                    + e.getMessage());
        }
    }

    /** Gives the generator the seed as its only random bytes; asked for anything else, it fails loudly. */
    private static final class FixedSeed extends SecureRandom {
        private byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (seed == null || bytes.length != seed.length) {
                throw new IllegalStateException("the Ed25519 generator asked for random bytes other than the seed");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
            seed = null;
        }
    }
}
