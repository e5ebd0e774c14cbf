package io.pel.referral;

import io.pel.ledger.AccountId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The values the referral program stores (besides {@link RewardRecord}s and counters); see {@link ReferralKeys}. */
public final class ReferralState {

    private ReferralState() {
    }

    /** A campaign at {@code c/<id>}: its current rules version and whether it is paused. */
    public record Campaign(int version, boolean paused, CampaignRules rules) {
        public Campaign {
            if (version < 1) {
                throw new IllegalArgumentException("versions start at 1");
            }
            Objects.requireNonNull(rules, "rules");
        }
    }

    /** A participant at {@code p/<campaign>/<account>}: its code and the channel it joined through. */
    public record Participant(String code, String channel, long joinedAt) {
        public Participant {
            ReferralCode.check(code);
            Names.slug(channel, Names.MAX_CHANNEL, "channel");
        }
    }

    /** Who owns a code, at {@code code/<code>}. */
    public record CodeOwner(String campaign, AccountId owner) {
        public CodeOwner {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            Objects.requireNonNull(owner, "owner");
        }
    }

    /**
     * A referral link at {@code l/<campaign>/<referee>}: who referred the referee, through which code's campaign
     * and channel, when, and the fraud rule that flagged it (its rewards then wait for review).
     */
    public record Link(AccountId referrer, String codeCampaign, String channel, long signedUpAt, Optional<Flag> flag) {
        public Link {
            Objects.requireNonNull(referrer, "referrer");
            Names.slug(codeCampaign, Names.MAX_CAMPAIGN_ID, "codeCampaign");
            Names.slug(channel, Names.MAX_CHANNEL, "channel");
            Objects.requireNonNull(flag, "flag");
            if (flag.isPresent() && flag.get().blocks()) {
                throw new IllegalArgumentException("a blocking rule makes no link");
            }
        }
    }

    /** What a reported event came to, at {@code evt/<campaign>/<eventId>}: what makes a retry a duplicate. */
    public record EventRecord(EventKind kind, Optional<AccountId> referee, List<RewardId> rewards, boolean refunded) {
        public static final int MAX_REWARDS = 32;

        public EventRecord {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(referee, "referee");
            rewards = List.copyOf(rewards);
            if (rewards.size() > MAX_REWARDS) {
                throw new IllegalArgumentException("at most " + MAX_REWARDS + " rewards per event");
            }
        }
    }

    /** Which call reported an event. Codes are stable. */
    public enum EventKind {
        CLICK(1), SIGN_UP(2), QUALIFY(3);

        private final int code;

        EventKind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static EventKind ofCode(int code) {
            for (EventKind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IllegalArgumentException("no event kind " + code);
        }
    }
}
