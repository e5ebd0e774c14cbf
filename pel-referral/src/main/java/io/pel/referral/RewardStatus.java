package io.pel.referral;

/**
 * Where a reward stands. Only {@link #PAID} rewards are in a participant's redeemable balance. Codes are stable.
 *
 * <p>Transitions: HELD → PAID (Release, once the hold is over); PENDING_REVIEW → PAID or HELD (Approve) or
 * REJECTED (Reject); HELD, PENDING_REVIEW or PAID → CLAWED_BACK (ClawBack, Refund). REJECTED, CLAWED_BACK,
 * BUDGET_EXHAUSTED and CAPPED are final.
 */
public enum RewardStatus {
    /** Granted, budget reserved, not redeemable before {@code holdUntil} (the refund window). */
    HELD(1),
    /** Flagged by a fraud rule or by manual approval; budget reserved; waits for an admin. */
    PENDING_REVIEW(2),
    /** In the recipient's balance. */
    PAID(3),
    /** Refused by an admin; its budget was released. */
    REJECTED(4),
    /** Taken back (refund or admin); its budget was released and, if it was paid, the balance debited. */
    CLAWED_BACK(5),
    /** Not paid: the campaign's budget could not cover it. */
    BUDGET_EXHAUSTED(6),
    /** Not paid: the recipient reached the campaign's per-referrer cap. */
    CAPPED(7);

    private final int code;

    RewardStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether the reward holds budget (and counts as earned): granted and not taken back. */
    public boolean live() {
        return this == HELD || this == PENDING_REVIEW || this == PAID;
    }

    static RewardStatus ofCode(int code) {
        for (RewardStatus s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("no reward status " + code);
    }
}
