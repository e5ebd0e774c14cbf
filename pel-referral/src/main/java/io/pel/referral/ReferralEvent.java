package io.pel.referral;

import io.pel.ledger.AccountId;
import java.util.Objects;
import java.util.Optional;

/**
 * What a referral call did, as it returns it (its receipt output, {@link ReferralEvents}): what derived views,
 * and webhooks, consume. A call that fails returns nothing; a call that succeeds returns its events in the
 * order they happened.
 */
public sealed interface ReferralEvent {

    /** How a campaign changed. Codes are stable. */
    enum CampaignChange {
        CREATED(1), UPDATED(2), PAUSED(3), RESUMED(4);

        final int code;

        CampaignChange(int code) {
            this.code = code;
        }
    }

    /** How an admin or a release changed a reward. Codes are stable. */
    enum RewardChange {
        APPROVED(1), REJECTED(2), CLAWED_BACK(3), RELEASED(4);

        final int code;

        RewardChange(int code) {
            this.code = code;
        }
    }

    /** Why a qualifying event converted nothing. Codes are stable. */
    enum IgnoredReason {
        /** The referee signed up through no referral (or a blocked one) in this campaign. */
        NOT_REFERRED(1),
        /** The campaign converts on sign-up, or on an event of another name. */
        NOT_QUALIFYING(2),
        /** The amount is below the campaign's minimum. */
        BELOW_MINIMUM(3),
        /** Only the first qualifying event converts, and this referee already converted. */
        ALREADY_CONVERTED(4);

        final int code;

        IgnoredReason(int code) {
            this.code = code;
        }
    }

    record CampaignChanged(String campaign, int version, CampaignChange change) implements ReferralEvent {
    }

    record ReporterChanged(String campaign, AccountId reporter, boolean authorized) implements ReferralEvent {
    }

    record BlocklistChanged(Blocklist.Pattern pattern, boolean added) implements ReferralEvent {
    }

    record Joined(String campaign, AccountId participant, String code, String channel) implements ReferralEvent {
    }

    record Clicked(String campaign, String code, AccountId referrer, String channel) implements ReferralEvent {
    }

    /** A referral link was made; {@code flag} says which rule flagged it (its rewards will wait for review). */
    record SignedUp(String campaign, AccountId referrer, AccountId referee, String channel, Optional<Flag> flag)
            implements ReferralEvent {
        public SignedUp {
            Objects.requireNonNull(flag, "flag");
        }
    }

    /** A sign-up a blocking rule refused: recorded, no link, no rewards. */
    record SignUpBlocked(String campaign, AccountId referrer, AccountId referee, String channel, Flag reason)
            implements ReferralEvent {
    }

    /** The referee converted (sign-up, or qualifying event of {@code amount}). */
    record Converted(String campaign, AccountId referrer, AccountId referee, long amount) implements ReferralEvent {
    }

    record EventIgnored(String campaign, AccountId referee, IgnoredReason reason) implements ReferralEvent {
    }

    record RewardGranted(RewardId reward, String campaign, AccountId to, AccountId referee, RewardSource source,
                         int level, CampaignRules.Reward value, RewardStatus status, long holdUntil,
                         Optional<Flag> flag) implements ReferralEvent {
        public RewardGranted {
            Objects.requireNonNull(flag, "flag");
        }
    }

    record MilestoneReached(String campaign, AccountId referrer, int tier, String name, String badge)
            implements ReferralEvent {
    }

    /** A reward found the budget exhausted. */
    record BudgetExhausted(String campaign, RewardId reward) implements ReferralEvent {
    }

    record RewardChanged(RewardId reward, String campaign, AccountId to, CampaignRules.Reward value,
                         RewardStatus from, RewardStatus status, RewardChange change) implements ReferralEvent {
    }

    /** Points spent ({@code points} &gt; 0), or a perk claimed. */
    record Redeemed(String campaign, AccountId participant, long points, String perk) implements ReferralEvent {
    }
}
