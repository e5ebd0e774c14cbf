package io.pel.referral;

import io.pel.ledger.AccountId;
import java.util.Objects;
import java.util.Optional;

/**
 * One reward as stored at {@code rw/<recipient>/<rewardId>} ({@link ReferralKeys#reward}): who earned what, why,
 * under which rules version, and where it stands. A participant's reward history is the set of these records,
 * each provable against a block's state root.
 *
 * @param id           unique on the chain
 * @param campaign     the campaign that granted it
 * @param rulesVersion the version of the campaign's rules that granted it
 * @param to           the recipient
 * @param source       what earned it; {@code level} is the share level (≥ 1) or the tier index
 * @param reward       kind, amount and perk
 * @param referee      the referee whose sign-up or conversion earned it
 * @param eventId      the integrator's event id that earned it
 * @param status       where it stands
 * @param grantedAt    block time of the grant
 * @param holdUntil    block time from which a held reward may be released
 * @param flag         why it waits (or waited) for review, if it did
 * @param note         the last admin decision's note (empty if none)
 */
public record RewardRecord(RewardId id, String campaign, int rulesVersion, AccountId to, RewardSource source,
                           int level, CampaignRules.Reward reward, AccountId referee, String eventId,
                           RewardStatus status, long grantedAt, long holdUntil, Optional<Flag> flag, String note) {

    public RewardRecord {
        Objects.requireNonNull(id, "id");
        Names.slug(campaign, Names.MAX_CAMPAIGN_ID, "campaign");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(source, "source");
        if (level < 0 || level > 255 || rulesVersion < 1) {
            throw new IllegalArgumentException("bad level or rules version");
        }
        Objects.requireNonNull(reward, "reward");
        Objects.requireNonNull(referee, "referee");
        Names.token(eventId, Names.MAX_EVENT_ID, "event id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(flag, "flag");
        Names.text(note, 0, Names.MAX_NOTE, "note");
    }

    public RewardRecord withStatus(RewardStatus next, String newNote) {
        return new RewardRecord(id, campaign, rulesVersion, to, source, level, reward, referee, eventId, next,
                grantedAt, holdUntil, flag, newNote);
    }
}
