package io.pel.server;

import io.pel.core.Outcome;
import io.pel.ledger.Payload;
import io.pel.ledger.SignedTransaction;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.CommittedBlock;
import io.pel.ledger.node.TxResult;
import io.pel.referral.CampaignRules;
import io.pel.referral.ReferralApp;
import io.pel.referral.ReferralEvent;
import io.pel.referral.ReferralEvents;
import io.pel.referral.RewardStatus;
import io.pel.server.webhook.WebhookEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which committed referral events integrators can subscribe to, and what their webhooks carry. Derived from the
 * block's receipts only (the events each successful referral call returned), so a replay derives the same events
 * with the same ids ({@code <txHash>:<index of the event in the transaction's output>}).
 *
 * <p>Types: {@code participant.joined}, {@code referral.converted}, {@code reward.granted} (paid, held or
 * budget-limited), {@code reward.flagged} (waiting for review), {@code reward.approved}, {@code reward.rejected},
 * {@code reward.clawed_back}, {@code reward.released} (a hold ended), {@code milestone.reached},
 * {@code budget.exhausted}, {@code points.redeemed}.
 */
final class ReferralWebhookEvents {

    static final String REWARD_GRANTED = "reward.granted";
    static final String REWARD_REJECTED = "reward.rejected";
    static final String REWARD_RELEASED = "reward.released";
    static final String POINTS_REDEEMED = "points.redeemed";

    private ReferralWebhookEvents() {
    }

    static List<WebhookEvent> of(CommittedBlock block) {
        List<WebhookEvent> out = new ArrayList<>();
        List<SignedTransaction> txs = block.block().transactions();
        long height = block.height();
        long time = block.block().header().timestampMillis();
        for (int i = 0; i < txs.size(); i++) {
            if (!(txs.get(i).payload() instanceof Payload.Call call) || call.app() != ReferralApp.ID
                    || !(block.outcomes().get(i) instanceof Outcome.Success<TxResult> s) || !s.output().succeeded()) {
                continue;
            }
            List<ReferralEvent> events;
            try {
                events = ReferralEvents.decode(s.output().output());
            } catch (EncodingException e) {
                throw new IllegalStateException("block " + height + " transaction " + i
                        + ": a committed referral output does not decode", e);
            }
            for (int e = 0; e < events.size(); e++) {
                Mapped m = map(events.get(e));
                if (m != null) {
                    out.add(WebhookEvent.of(txs.get(i).hash(), e, m.type(), m.campaign(), height, time, m.data()));
                }
            }
        }
        return out;
    }

    record Mapped(String type, String campaign, Map<String, Object> data) {
    }

    /** The webhook type and data of {@code event}; null for events integrators cannot subscribe to. */
    static Mapped map(ReferralEvent event) {
        Map<String, Object> d = new LinkedHashMap<>();
        return switch (event) {
            case ReferralEvent.Joined j -> {
                d.put("participant", j.participant().toHex());
                d.put("code", j.code());
                d.put("channel", j.channel());
                yield new Mapped(WebhookEvent.PARTICIPANT_JOINED, j.campaign(), d);
            }
            case ReferralEvent.Converted c -> {
                d.put("referrer", c.referrer().toHex());
                d.put("referee", c.referee().toHex());
                d.put("amount", c.amount());
                yield new Mapped(WebhookEvent.REFERRAL_CONVERTED, c.campaign(), d);
            }
            case ReferralEvent.RewardGranted g -> {
                d.put("reward", g.reward().toHex());
                d.put("to", g.to().toHex());
                d.put("referee", g.referee().toHex());
                d.put("source", g.source().name());
                d.put("level", (long) g.level());
                reward(d, g.value());
                d.put("status", g.status().name());
                d.put("holdUntil", g.holdUntil());
                g.flag().ifPresent(f -> d.put("reason", f.name()));
                yield new Mapped(g.status() == RewardStatus.PENDING_REVIEW ? WebhookEvent.REWARD_FLAGGED
                        : REWARD_GRANTED, g.campaign(), d);
            }
            case ReferralEvent.RewardChanged c -> {
                d.put("reward", c.reward().toHex());
                d.put("to", c.to().toHex());
                reward(d, c.value());
                d.put("from", c.from().name());
                d.put("status", c.status().name());
                String type = switch (c.change()) {
                    case APPROVED -> WebhookEvent.REWARD_APPROVED;
                    case REJECTED -> REWARD_REJECTED;
                    case CLAWED_BACK -> WebhookEvent.REWARD_CLAWED_BACK;
                    case RELEASED -> REWARD_RELEASED;
                };
                yield new Mapped(type, c.campaign(), d);
            }
            case ReferralEvent.MilestoneReached m -> {
                d.put("referrer", m.referrer().toHex());
                d.put("tier", (long) m.tier());
                d.put("name", m.name());
                d.put("badge", m.badge());
                yield new Mapped(WebhookEvent.MILESTONE_REACHED, m.campaign(), d);
            }
            case ReferralEvent.BudgetExhausted b -> {
                d.put("reward", b.reward().toHex());
                yield new Mapped(WebhookEvent.BUDGET_EXHAUSTED, b.campaign(), d);
            }
            case ReferralEvent.Redeemed r -> {
                d.put("participant", r.participant().toHex());
                d.put("points", r.points());
                d.put("perk", r.perk());
                yield new Mapped(POINTS_REDEEMED, r.campaign(), d);
            }
            default -> null; // clicks, sign-ups, configuration: analytics, not fulfilment
        };
    }

    private static void reward(Map<String, Object> d, CampaignRules.Reward value) {
        d.put("kind", value.kind().name());
        d.put("amount", value.amount());
        if (!value.perk().isEmpty()) {
            d.put("perk", value.perk());
        }
    }
}
