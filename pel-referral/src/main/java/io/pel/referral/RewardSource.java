package io.pel.referral;

/** What earned a reward. Codes are stable. */
public enum RewardSource {
    /** The direct referrer of a converted referee. */
    REFERRER(1),
    /** The referee itself (two-sided campaigns). */
    REFEREE(2),
    /** An upline referrer's multi-level share ({@code level} ≥ 1 says how far up). */
    SHARE(3),
    /** A milestone tier's bonus ({@code level} is the tier index). */
    MILESTONE(4);

    private final int code;

    RewardSource(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether the reward is earned as a referrer, and so counts against the per-referrer cap. */
    public boolean asReferrer() {
        return this != REFEREE;
    }

    static RewardSource ofCode(int code) {
        for (RewardSource s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("no reward source " + code);
    }
}
