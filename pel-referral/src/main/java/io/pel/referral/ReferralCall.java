package io.pel.referral;

import io.pel.ledger.AccountId;
import io.pel.ledger.Hash;
import java.util.List;
import java.util.Objects;

/**
 * Every call the referral program runs: a closed set of values, each valid by construction, each with one byte
 * form ({@link ReferralCodec}). Who may send what: admin calls need the chain's administrator; event calls
 * (Click, SignUp, Qualify, Refund) need an account the campaign authorized as a reporter (or the admin);
 * Join and Redeem are signed by the participant; Release by anyone.
 */
public sealed interface ReferralCall {

    /** Admin: creates a campaign with version 1 of its rules. */
    record CreateCampaign(String campaign, CampaignRules rules) implements ReferralCall {
        public CreateCampaign {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            Objects.requireNonNull(rules, "rules");
        }
    }

    /** Admin: replaces a campaign's rules with the next version; rewards keep the version that granted them. */
    record UpdateCampaign(String campaign, CampaignRules rules) implements ReferralCall {
        public UpdateCampaign {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            Objects.requireNonNull(rules, "rules");
        }
    }

    /** Admin: stops a campaign accepting joins and events until resumed. */
    record PauseCampaign(String campaign) implements ReferralCall {
        public PauseCampaign {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
        }
    }

    record ResumeCampaign(String campaign) implements ReferralCall {
        public ResumeCampaign {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
        }
    }

    /** Admin: lets {@code reporter} (an integrator's backend key) report events for the campaign. */
    record AuthorizeReporter(String campaign, AccountId reporter) implements ReferralCall {
        public AuthorizeReporter {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            Objects.requireNonNull(reporter, "reporter");
        }
    }

    record RevokeReporter(String campaign, AccountId reporter) implements ReferralCall {
        public RevokeReporter {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            Objects.requireNonNull(reporter, "reporter");
        }
    }

    /** Admin: adds a pattern to the chain's blocklist. */
    record BlocklistAdd(Blocklist.Pattern pattern) implements ReferralCall {
        public BlocklistAdd {
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    record BlocklistRemove(Blocklist.Pattern pattern) implements ReferralCall {
        public BlocklistRemove {
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /** Participant: joins a campaign and gets a personal referral code; {@code channel} is where it came from. */
    record Join(String campaign, String channel) implements ReferralCall {
        public Join {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            Names.slug(channel, Names.MAX_CHANNEL, "channel");
        }
    }

    /** Reporter: someone followed a referral link. */
    record Click(String campaign, String code, String channel, String eventId) implements ReferralCall {
        public Click {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            ReferralCode.check(code);
            Names.slug(channel, Names.MAX_CHANNEL, "channel");
            Names.token(eventId, Names.MAX_EVENT_ID, "event id");
        }
    }

    /**
     * Reporter: {@code referee} signed up with {@code code}. The integrator supplies hashes only: of the device
     * fingerprint and of the e-mail address, plus the e-mail's domain (empty if unknown) for the domain rules.
     */
    record SignUp(String campaign, String code, String channel, AccountId referee, Hash fingerprint, Hash emailHash,
                  String emailDomain, String eventId) implements ReferralCall {
        public SignUp {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            ReferralCode.check(code);
            Names.slug(channel, Names.MAX_CHANNEL, "channel");
            Objects.requireNonNull(referee, "referee");
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(emailHash, "emailHash");
            Names.domain(emailDomain);
            Names.token(eventId, Names.MAX_EVENT_ID, "event id");
        }
    }

    /** Reporter: the referee did a named event (a purchase of {@code amount}, …). */
    record Qualify(String campaign, AccountId referee, String event, long amount, String eventId)
            implements ReferralCall {
        public Qualify {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            Objects.requireNonNull(referee, "referee");
            Names.slug(event, Names.MAX_EVENT_NAME, "event name");
            Names.amount(amount, 0, "amount");
            Names.token(eventId, Names.MAX_EVENT_ID, "event id");
        }
    }

    /** Reporter: the event {@code eventId} (a qualifying one, or a sign-up) was refunded: claw back its rewards. */
    record Refund(String campaign, String eventId) implements ReferralCall {
        public Refund {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            Names.token(eventId, Names.MAX_EVENT_ID, "event id");
        }
    }

    /** Admin: pays (or holds, until its hold ends) a reward waiting for review. */
    record Approve(RewardId reward, String note) implements ReferralCall {
        public Approve {
            Objects.requireNonNull(reward, "reward");
            Names.text(note, 0, Names.MAX_NOTE, "note");
        }
    }

    /** Admin: refuses a reward waiting for review; its budget is released. */
    record Reject(RewardId reward, String note) implements ReferralCall {
        public Reject {
            Objects.requireNonNull(reward, "reward");
            Names.text(note, 0, Names.MAX_NOTE, "note");
        }
    }

    /** Admin: takes back a live reward (held, pending or paid). */
    record ClawBack(RewardId reward, String note) implements ReferralCall {
        public ClawBack {
            Objects.requireNonNull(reward, "reward");
            Names.text(note, 0, Names.MAX_NOTE, "note");
        }
    }

    /** Anyone: pays out held rewards whose hold is over. Fails unless every one of them is due. */
    record Release(List<RewardId> rewards) implements ReferralCall {
        public static final int MAX = 32;

        public Release {
            rewards = List.copyOf(rewards);
            if (rewards.isEmpty() || rewards.size() > MAX) {
                throw new IllegalArgumentException("a release names 1…" + MAX + " rewards");
            }
            if (rewards.stream().distinct().count() != rewards.size()) {
                throw new IllegalArgumentException("a release names each reward once");
            }
        }
    }

    /** Participant: spends {@code points}, or (points 0) claims one {@code perk} it was granted. */
    record Redeem(String campaign, long points, String perk) implements ReferralCall {
        public Redeem {
            Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
            Names.amount(points, 0, "points");
            if (points > 0) {
                if (!perk.isEmpty()) {
                    throw new IllegalArgumentException("a redemption spends points or claims a perk, not both");
                }
            } else {
                Names.text(perk, 1, Names.MAX_PERK, "perk");
            }
        }

        public static Redeem points(String campaign, long points) {
            return new Redeem(campaign, points, "");
        }

        public static Redeem perk(String campaign, String perk) {
            return new Redeem(campaign, 0, perk);
        }
    }
}
