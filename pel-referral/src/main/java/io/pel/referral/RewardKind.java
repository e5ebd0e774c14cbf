package io.pel.referral;

/** What a reward pays. Codes are stable: they are part of the canonical encoding. */
public enum RewardKind {
    /** Points: spendable with a Redeem, ranked on leaderboards. */
    POINTS(1),
    /** A credit amount in the integrator's smallest currency unit. */
    CREDIT(2),
    /** A named perk ("1 month premium"); the amount counts how many, and is what it costs the budget. */
    PERK(3);

    private final int code;

    RewardKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static RewardKind ofCode(int code) {
        for (RewardKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("no reward kind " + code);
    }
}
