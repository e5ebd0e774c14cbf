package io.pel.referral;

import io.pel.ledger.AccountId;
import io.pel.ledger.Hash;
import java.nio.charset.StandardCharsets;

/**
 * Personal referral codes: deterministic (every replica derives the same) but unguessable without the joining
 * transaction's hash — the Crockford base-32 form (lower case) of SHA-256(campaign ‖ 0 ‖ participant ‖ tx hash),
 * {@value #LENGTH} characters (50 bits); {@value #LONG_LENGTH} on the rare collision with an existing code.
 */
public final class ReferralCode {

    public static final int LENGTH = 10;
    public static final int LONG_LENGTH = 12;
    static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

    private ReferralCode() {
    }

    /** The code of {@code length} characters for a join. */
    static String derive(String campaign, AccountId participant, Hash txHash, int length) {
        byte[] h = Hash.sha256(campaign.getBytes(StandardCharsets.US_ASCII), new byte[] {0},
                participant.toByteArray(), txHash.toByteArray()).toByteArray();
        StringBuilder out = new StringBuilder(length);
        int bit = 0;
        for (int i = 0; i < length; i++, bit += 5) {
            int v = 0;
            for (int b = 0; b < 5; b++) {
                int at = bit + b;
                v = (v << 1) | ((h[at >>> 3] >>> (7 - (at & 7))) & 1);
            }
            out.append(ALPHABET.charAt(v));
        }
        return out.toString();
    }

    /** Checks a code's form: {@value #LENGTH} or {@value #LONG_LENGTH} characters of the alphabet. */
    public static String check(String code) {
        if (code == null || (code.length() != LENGTH && code.length() != LONG_LENGTH)) {
            throw new IllegalArgumentException("a referral code has " + LENGTH + " or " + LONG_LENGTH + " characters");
        }
        for (int i = 0; i < code.length(); i++) {
            if (ALPHABET.indexOf(code.charAt(i)) < 0) {
                throw new IllegalArgumentException("a referral code is lower-case Crockford base 32: " + code);
            }
        }
        return code;
    }
}
