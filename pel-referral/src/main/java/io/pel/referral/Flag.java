package io.pel.referral;

/**
 * Why a sign-up was blocked or a reward waits for review: the stable reason codes of the fraud rules. Codes
 * are part of the canonical encoding.
 *
 * <p>Blocking rules (the sign-up is recorded, no referral link is made, nothing is ever paid for it):
 * {@link #SELF_REFERRAL}, {@link #REFERRAL_CYCLE}, {@link #CHAIN_TOO_DEEP} — they keep the referral graph a
 * forest, which multi-level shares rely on. Flagging rules (the link is made, every reward it earns waits in the
 * review queue with this reason): the others.
 */
public enum Flag {
    /** The referee is the referrer. Blocks. */
    SELF_REFERRAL(1, true),
    /** The referee is an ancestor of the referrer: the link would close a cycle. Blocks. */
    REFERRAL_CYCLE(2, true),
    /** The referrer's upline is longer than {@link ReferralApp#MAX_CHAIN_WALK}: a cycle cannot be ruled out. Blocks. */
    CHAIN_TOO_DEEP(3, true),
    /** The device fingerprint already signed up in this campaign. */
    DUPLICATE_FINGERPRINT(4, false),
    /** The e-mail (hash) already signed up in this campaign. */
    DUPLICATE_EMAIL(5, false),
    /** The referrer made more sign-ups in this time window than the campaign allows. */
    VELOCITY(6, false),
    /** The e-mail, its domain or the fingerprint matches a blocklist pattern. */
    BLOCKLISTED(7, false),
    /** The e-mail domain is a known disposable-mail domain. */
    DISPOSABLE_EMAIL(8, false),
    /** Not fraud: the campaign approves every reward by hand. */
    MANUAL_APPROVAL(9, false);

    private final int code;
    private final boolean blocks;

    Flag(int code, boolean blocks) {
        this.code = code;
        this.blocks = blocks;
    }

    public int code() {
        return code;
    }

    /** Whether the rule blocks attribution (else it flags the rewards). */
    public boolean blocks() {
        return blocks;
    }

    static Flag ofCode(int code) {
        for (Flag f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("no flag " + code);
    }
}
