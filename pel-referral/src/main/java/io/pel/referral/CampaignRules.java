package io.pel.referral;

import java.util.List;
import java.util.Objects;

/**
 * The rules of a campaign, one version of them: what triggers rewards, what each side earns, milestone tiers,
 * multi-level shares, budget and cap, when it runs, its fraud policy and whether rewards need an admin's approval.
 * Immutable and valid by construction: every constructor checks its limits.
 *
 * @param trigger        what converts a referee: its sign-up, or a named qualifying event after it
 * @param referrerReward what the direct referrer earns per conversion (amount 0 for nothing)
 * @param refereeReward  what the referee earns on conversion (amount 0: a one-sided campaign)
 * @param tiers          milestone tiers by strictly increasing number of conversions, at most {@value #MAX_TIERS}
 * @param shareBps       multi-level shares in basis points of the referrer reward: {@code shareBps[0]} goes to
 *                       the referrer's referrer, {@code shareBps[1]} one level further up, …; at most
 *                       {@value #MAX_LEVELS} levels, each 1…10 000; only for points and credit rewards
 * @param budget         the most the campaign spends, summed over every reward's amount (reserved at grant)
 * @param perReferrerCap the most one account earns as a referrer (direct, shares, milestones); 0 for no cap
 * @param startMillis    first block time at which the campaign accepts events
 * @param endMillis      block time from which it no longer does
 * @param holdMillis     how long a granted reward stays HELD before it can be released (0: paid at once)
 * @param fraud          the fraud rules it applies beyond the always-on self-referral and cycle checks
 * @param manualApproval whether every reward waits for an admin's Approve
 * @param partners       campaigns whose referral codes this campaign accepts too (cross-promotion)
 */
public record CampaignRules(Trigger trigger, Reward referrerReward, Reward refereeReward, List<Tier> tiers,
                            List<Integer> shareBps, long budget, long perReferrerCap, long startMillis,
                            long endMillis, long holdMillis, FraudPolicy fraud, boolean manualApproval,
                            List<String> partners) {

    public static final int MAX_TIERS = 8;
    public static final int MAX_LEVELS = 4;
    public static final int MAX_PARTNERS = 4;

    public CampaignRules {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(referrerReward, "referrerReward");
        Objects.requireNonNull(refereeReward, "refereeReward");
        Objects.requireNonNull(fraud, "fraud");
        tiers = List.copyOf(tiers);
        shareBps = List.copyOf(shareBps);
        partners = List.copyOf(partners);
        if (tiers.size() > MAX_TIERS) {
            throw new IllegalArgumentException("at most " + MAX_TIERS + " tiers");
        }
        for (int i = 1; i < tiers.size(); i++) {
            if (tiers.get(i).referrals() <= tiers.get(i - 1).referrals()) {
                throw new IllegalArgumentException("tiers must have strictly increasing referral counts");
            }
        }
        if (shareBps.size() > MAX_LEVELS) {
            throw new IllegalArgumentException("at most " + MAX_LEVELS + " share levels");
        }
        for (int bps : shareBps) {
            if (bps < 1 || bps > 10_000) {
                throw new IllegalArgumentException("a share is 1…10000 basis points, not " + bps);
            }
        }
        if (!shareBps.isEmpty() && referrerReward.kind() == RewardKind.PERK) {
            throw new IllegalArgumentException("multi-level shares need a points or credit referrer reward");
        }
        Names.amount(budget, 1, "budget");
        Names.amount(perReferrerCap, 0, "perReferrerCap");
        if (startMillis < 0 || endMillis <= startMillis) {
            throw new IllegalArgumentException("a campaign runs from startMillis ≥ 0 to a later endMillis");
        }
        if (holdMillis < 0 || holdMillis > 366L * 24 * 3600 * 1000) {
            throw new IllegalArgumentException("the hold period is 0 to 366 days");
        }
        if (partners.size() > MAX_PARTNERS) {
            throw new IllegalArgumentException("at most " + MAX_PARTNERS + " partner campaigns");
        }
        for (int i = 0; i < partners.size(); i++) {
            Names.slug(partners.get(i), Names.MAX_CAMPAIGN_ID, "partner campaign");
            if (i > 0 && partners.get(i).compareTo(partners.get(i - 1)) <= 0) {
                throw new IllegalArgumentException("partner campaigns must be sorted and distinct");
            }
        }
    }

    /** A campaign with one reward for the referrer, no tiers or shares, and default fraud rules: a starting point. */
    public static CampaignRules simple(Reward referrerReward, long budget) {
        return new CampaignRules(new Trigger.SignUp(), referrerReward, Reward.NONE, List.of(), List.of(), budget, 0,
                0, Long.MAX_VALUE, 0, FraudPolicy.DEFAULT, false, List.of());
    }

    public CampaignRules withTrigger(Trigger t) {
        return new CampaignRules(t, referrerReward, refereeReward, tiers, shareBps, budget, perReferrerCap,
                startMillis, endMillis, holdMillis, fraud, manualApproval, partners);
    }

    public CampaignRules withRefereeReward(Reward r) {
        return new CampaignRules(trigger, referrerReward, r, tiers, shareBps, budget, perReferrerCap,
                startMillis, endMillis, holdMillis, fraud, manualApproval, partners);
    }

    public CampaignRules withTiers(List<Tier> t) {
        return new CampaignRules(trigger, referrerReward, refereeReward, t, shareBps, budget, perReferrerCap,
                startMillis, endMillis, holdMillis, fraud, manualApproval, partners);
    }

    public CampaignRules withShares(List<Integer> bps) {
        return new CampaignRules(trigger, referrerReward, refereeReward, tiers, bps, budget, perReferrerCap,
                startMillis, endMillis, holdMillis, fraud, manualApproval, partners);
    }

    public CampaignRules withCap(long cap) {
        return new CampaignRules(trigger, referrerReward, refereeReward, tiers, shareBps, budget, cap,
                startMillis, endMillis, holdMillis, fraud, manualApproval, partners);
    }

    public CampaignRules withWindow(long start, long end) {
        return new CampaignRules(trigger, referrerReward, refereeReward, tiers, shareBps, budget, perReferrerCap,
                start, end, holdMillis, fraud, manualApproval, partners);
    }

    public CampaignRules withHold(long millis) {
        return new CampaignRules(trigger, referrerReward, refereeReward, tiers, shareBps, budget, perReferrerCap,
                startMillis, endMillis, millis, fraud, manualApproval, partners);
    }

    public CampaignRules withFraud(FraudPolicy f) {
        return new CampaignRules(trigger, referrerReward, refereeReward, tiers, shareBps, budget, perReferrerCap,
                startMillis, endMillis, holdMillis, f, manualApproval, partners);
    }

    public CampaignRules withManualApproval(boolean on) {
        return new CampaignRules(trigger, referrerReward, refereeReward, tiers, shareBps, budget, perReferrerCap,
                startMillis, endMillis, holdMillis, fraud, on, partners);
    }

    public CampaignRules withPartners(List<String> p) {
        return new CampaignRules(trigger, referrerReward, refereeReward, tiers, shareBps, budget, perReferrerCap,
                startMillis, endMillis, holdMillis, fraud, manualApproval, p);
    }

    public CampaignRules withBudget(long b) {
        return new CampaignRules(trigger, referrerReward, refereeReward, tiers, shareBps, b, perReferrerCap,
                startMillis, endMillis, holdMillis, fraud, manualApproval, partners);
    }

    /** What converts a referee. */
    public sealed interface Trigger {
        /** The sign-up itself converts. */
        record SignUp() implements Trigger {
        }

        /**
         * A qualifying event after the sign-up converts.
         *
         * @param event     its name, e.g. {@code first_purchase}; events of other names are ignored
         * @param minAmount the least amount that qualifies
         * @param firstOnly whether only a referee's first qualifying event converts
         */
        record Qualifying(String event, long minAmount, boolean firstOnly) implements Trigger {
            public Qualifying {
                Names.slug(event, Names.MAX_EVENT_NAME, "event name");
                Names.amount(minAmount, 0, "minAmount");
            }
        }
    }

    /** What a reward pays: {@code amount} of {@code kind}; {@code perk} names the perk (empty for other kinds). */
    public record Reward(RewardKind kind, long amount, String perk) {

        public static final Reward NONE = new Reward(RewardKind.POINTS, 0, "");

        public Reward {
            Objects.requireNonNull(kind, "kind");
            Names.amount(amount, 0, "reward amount");
            if (kind == RewardKind.PERK) {
                Names.text(perk, 1, Names.MAX_PERK, "perk");
            } else if (!perk.isEmpty()) {
                throw new IllegalArgumentException("only a perk reward names a perk");
            }
        }

        public static Reward points(long amount) {
            return new Reward(RewardKind.POINTS, amount, "");
        }

        public static Reward credit(long amount) {
            return new Reward(RewardKind.CREDIT, amount, "");
        }

        public static Reward perk(String name, long count) {
            return new Reward(RewardKind.PERK, count, name);
        }

        public boolean isNone() {
            return amount == 0;
        }
    }

    /** A milestone: at {@code referrals} conversions a referrer earns {@code bonus}, the tier name and the badge. */
    public record Tier(int referrals, Reward bonus, String name, String badge) {
        public Tier {
            if (referrals < 1) {
                throw new IllegalArgumentException("a tier is reached at ≥ 1 referrals");
            }
            Objects.requireNonNull(bonus, "bonus");
            Names.text(name, 1, Names.MAX_LABEL, "tier name");
            Names.text(badge, 1, Names.MAX_LABEL, "badge");
        }
    }

    /**
     * The optional fraud rules.
     *
     * @param velocityLimit        the most sign-ups one referrer may bring in one window (0: no limit)
     * @param velocityWindowMillis the window length (block time), &gt; 0 when there is a limit
     * @param uniqueFingerprint    whether a device fingerprint or e-mail hash may earn rewards only once
     * @param blockDisposableEmail whether e-mail domains on the shipped disposable-mail list are flagged
     * @param useBlocklist         whether the chain's blocklist applies
     */
    public record FraudPolicy(int velocityLimit, long velocityWindowMillis, boolean uniqueFingerprint,
                              boolean blockDisposableEmail, boolean useBlocklist) {

        public static final FraudPolicy DEFAULT = new FraudPolicy(0, 0, true, true, true);
        public static final FraudPolicy OFF = new FraudPolicy(0, 0, false, false, false);

        public FraudPolicy {
            if (velocityLimit < 0 || velocityWindowMillis < 0 || (velocityLimit > 0) != (velocityWindowMillis > 0)) {
                throw new IllegalArgumentException("a velocity limit needs a positive window, and none needs none");
            }
        }

        public FraudPolicy withVelocity(int limit, long windowMillis) {
            return new FraudPolicy(limit, windowMillis, uniqueFingerprint, blockDisposableEmail, useBlocklist);
        }
    }
}
