package io.pel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.codec.EncodingException;
import io.pel.ledger.node.StateProof;
import io.pel.referral.Blocklist;
import io.pel.referral.CampaignRules;
import io.pel.referral.Flag;
import io.pel.referral.ReferralCodec;
import io.pel.referral.ReferralEvent;
import io.pel.referral.ReferralViews;
import io.pel.referral.RewardId;
import io.pel.referral.RewardKind;
import io.pel.referral.RewardRecord;
import io.pel.server.webhook.DeliveryAttempt;
import io.pel.server.webhook.PendingDelivery;
import io.pel.server.webhook.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON forms of referral values, both ways: what the referral API answers (plain maps in a fixed field order,
 * as {@link LedgerJson} does) and how it reads campaign rules and event fields from request bodies. Decoding
 * failures are 400 {@code BAD_REQUEST} with the field named.
 */
final class ReferralJson {

    private ReferralJson() {
    }

    // ---- rules ----

    static Map<String, Object> rules(CampaignRules r) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> trigger = new LinkedHashMap<>();
        switch (r.trigger()) {
            case CampaignRules.Trigger.SignUp s -> trigger.put("type", "signup");
            case CampaignRules.Trigger.Qualifying q -> {
                trigger.put("type", "qualifying");
                trigger.put("event", q.event());
                trigger.put("minAmount", q.minAmount());
                trigger.put("firstOnly", q.firstOnly());
            }
        }
        m.put("trigger", trigger);
        m.put("referrerReward", reward(r.referrerReward()));
        m.put("refereeReward", reward(r.refereeReward()));
        m.put("tiers", r.tiers().stream().map(t -> {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("referrals", t.referrals());
            tm.put("bonus", reward(t.bonus()));
            tm.put("name", t.name());
            tm.put("badge", t.badge());
            return tm;
        }).toList());
        m.put("shareBps", r.shareBps());
        m.put("budget", r.budget());
        m.put("perReferrerCap", r.perReferrerCap());
        m.put("startMillis", r.startMillis());
        m.put("endMillis", r.endMillis());
        m.put("holdMillis", r.holdMillis());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("velocityLimit", r.fraud().velocityLimit());
        f.put("velocityWindowMillis", r.fraud().velocityWindowMillis());
        f.put("uniqueFingerprint", r.fraud().uniqueFingerprint());
        f.put("blockDisposableEmail", r.fraud().blockDisposableEmail());
        f.put("useBlocklist", r.fraud().useBlocklist());
        m.put("fraud", f);
        m.put("manualApproval", r.manualApproval());
        m.put("partners", r.partners());
        return m;
    }

    static Map<String, Object> reward(CampaignRules.Reward r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", r.kind().name());
        m.put("amount", r.amount());
        m.put("perk", r.perk());
        return m;
    }

    /**
     * Rules from JSON, the form {@link #rules} writes; every field but {@code referrerReward} and {@code budget}
     * may be left out (defaults: trigger sign-up, no referee reward, no tiers or shares, no cap, always running,
     * no hold, default fraud rules, no manual approval, no partners).
     */
    static CampaignRules rules(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw ApiError.badRequest("field 'rules' is required and must be an object").exception();
        }
        try {
            CampaignRules r = CampaignRules.simple(reward(n.get("referrerReward"), "rules.referrerReward"),
                    longField(n, "budget", null));
            JsonNode t = n.get("trigger");
            if (t != null && !t.isNull()) {
                String type = t.path("type").asText("signup");
                r = r.withTrigger(switch (type) {
                    case "signup" -> new CampaignRules.Trigger.SignUp();
                    case "qualifying" -> new CampaignRules.Trigger.Qualifying(t.path("event").asText(""),
                            t.path("minAmount").asLong(0), t.path("firstOnly").asBoolean(true));
                    default -> throw ApiError.badRequest("rules.trigger.type is 'signup' or 'qualifying', not '"
                            + type + "'").exception();
                });
            }
            if (n.has("refereeReward")) {
                r = r.withRefereeReward(reward(n.get("refereeReward"), "rules.refereeReward"));
            }
            if (n.has("tiers")) {
                List<CampaignRules.Tier> tiers = new ArrayList<>();
                for (JsonNode tn : array(n, "tiers")) {
                    tiers.add(new CampaignRules.Tier(tn.path("referrals").asInt(0),
                            reward(tn.get("bonus"), "rules.tiers[].bonus"), tn.path("name").asText(""),
                            tn.path("badge").asText("")));
                }
                r = r.withTiers(tiers);
            }
            if (n.has("shareBps")) {
                List<Integer> bps = new ArrayList<>();
                array(n, "shareBps").forEach(b -> bps.add(b.asInt(-1)));
                r = r.withShares(bps);
            }
            r = r.withCap(longField(n, "perReferrerCap", 0L))
                    .withWindow(longField(n, "startMillis", 0L), longField(n, "endMillis", Long.MAX_VALUE))
                    .withHold(longField(n, "holdMillis", 0L))
                    .withManualApproval(n.path("manualApproval").asBoolean(false));
            JsonNode f = n.get("fraud");
            if (f != null && !f.isNull()) {
                CampaignRules.FraudPolicy d = CampaignRules.FraudPolicy.DEFAULT;
                r = r.withFraud(new CampaignRules.FraudPolicy(f.path("velocityLimit").asInt(d.velocityLimit()),
                        f.path("velocityWindowMillis").asLong(d.velocityWindowMillis()),
                        f.path("uniqueFingerprint").asBoolean(d.uniqueFingerprint()),
                        f.path("blockDisposableEmail").asBoolean(d.blockDisposableEmail()),
                        f.path("useBlocklist").asBoolean(d.useBlocklist())));
            }
            if (n.has("partners")) {
                List<String> partners = new ArrayList<>();
                array(n, "partners").forEach(p -> partners.add(p.asText()));
                r = r.withPartners(partners);
            }
            return r;
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("invalid rules: " + e.getMessage()).exception();
        }
    }

    private static CampaignRules.Reward reward(JsonNode n, String field) {
        if (n == null || !n.isObject()) {
            throw ApiError.badRequest("field '" + field + "' is required: {kind, amount, perk}").exception();
        }
        RewardKind kind;
        try {
            kind = RewardKind.valueOf(n.path("kind").asText("POINTS").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(field + ".kind is POINTS, CREDIT or PERK").exception();
        }
        return new CampaignRules.Reward(kind, n.path("amount").asLong(-1), n.path("perk").asText(""));
    }

    private static Iterable<JsonNode> array(JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || !a.isArray()) {
            throw ApiError.badRequest("rules." + field + " must be an array").exception();
        }
        return a;
    }

    private static long longField(JsonNode n, String field, Long fallback) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (fallback == null) {
                throw ApiError.badRequest("field 'rules." + field + "' is required").exception();
            }
            return fallback;
        }
        if (!v.canConvertToLong()) {
            throw ApiError.badRequest("field 'rules." + field + "' must be an integer").exception();
        }
        return v.asLong();
    }

    // ---- request fields ----

    static AccountId account(String hex, String field) {
        try {
            return AccountId.fromHex(hex.strip());
        } catch (EncodingException | RuntimeException e) {
            throw ApiError.badRequest(field + " is not an account id (64 hexadecimal digits)").exception();
        }
    }

    static Hash hash(String hex, String field) {
        try {
            return Hash.fromHex(hex.strip());
        } catch (RuntimeException e) {
            throw ApiError.badRequest(field + " is not a SHA-256 hash (64 hexadecimal digits)").exception();
        }
    }

    static RewardId rewardId(String hex) {
        try {
            return RewardId.fromHex(hex.strip());
        } catch (RuntimeException e) {
            throw ApiError.badRequest("a reward id is " + 2 * RewardId.LENGTH + " hexadecimal digits").exception();
        }
    }

    static Blocklist.Pattern pattern(JsonNode body) {
        String kind = ApiRoutes.text(body, "kind").toUpperCase(Locale.ROOT);
        try {
            return new Blocklist.Pattern(Blocklist.Kind.valueOf(kind), ApiRoutes.text(body, "pattern"));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("a blocklist entry is {kind: EMAIL_DOMAIN|EMAIL|FINGERPRINT, pattern: "
                    + "lower-case glob}: " + e.getMessage()).exception();
        }
    }

    // ---- answers ----

    static Map<String, Object> rewardRecord(RewardRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id().toHex());
        m.put("campaign", r.campaign());
        m.put("rulesVersion", r.rulesVersion());
        m.put("to", r.to().toHex());
        m.put("source", r.source().name());
        m.put("level", r.level());
        m.put("kind", r.reward().kind().name());
        m.put("amount", r.reward().amount());
        m.put("perk", r.reward().perk());
        m.put("referee", r.referee().toHex());
        m.put("eventId", r.eventId());
        m.put("status", r.status().name());
        m.put("grantedAt", r.grantedAt());
        m.put("holdUntil", r.holdUntil());
        m.put("flag", r.flag().map(Flag::name).orElse(null));
        m.put("note", r.note());
        m.put("encoded", ReferralCodec.encodeReward(r).toHex());
        return m;
    }

    static Map<String, Object> funnel(ReferralViews.FunnelCounts f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clicks", f.clicks());
        m.put("signUps", f.signUps());
        m.put("conversions", f.conversions());
        return m;
    }

    static Map<String, Object> review(ReferralViews.Review r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reward", r.reward().toHex());
        m.put("to", r.to().toHex());
        m.put("kind", r.kind().name());
        m.put("amount", r.amount());
        m.put("reason", r.reason().name());
        return m;
    }

    /** A counter with its proof: {@code amount} is what the proven value decodes to (8 bytes, big-endian). */
    static Map<String, Object> provenCounter(long amount, StateProof proof) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("amount", amount);
        m.put("state", LedgerJson.state(proof));
        return m;
    }

    /** A committed referral event as the write endpoints report it: its webhook form where it has one. */
    static Map<String, Object> event(ReferralEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        ReferralWebhookEvents.Mapped mapped = ReferralWebhookEvents.map(e);
        if (mapped != null) {
            m.put("type", mapped.type());
            m.put("campaign", mapped.campaign());
            m.putAll(mapped.data());
            return m;
        }
        switch (e) {
            case ReferralEvent.SignedUp s -> {
                m.put("type", "referral.signed_up");
                m.put("campaign", s.campaign());
                m.put("referrer", s.referrer().toHex());
                m.put("referee", s.referee().toHex());
                m.put("channel", s.channel());
                m.put("flag", s.flag().map(Flag::name).orElse(null));
            }
            case ReferralEvent.SignUpBlocked b -> {
                m.put("type", "referral.blocked");
                m.put("campaign", b.campaign());
                m.put("referee", b.referee().toHex());
                m.put("reason", b.reason().name());
            }
            case ReferralEvent.Clicked c -> {
                m.put("type", "referral.clicked");
                m.put("campaign", c.campaign());
                m.put("code", c.code());
                m.put("channel", c.channel());
            }
            case ReferralEvent.EventIgnored i -> {
                m.put("type", "event.ignored");
                m.put("campaign", i.campaign());
                m.put("reason", String.valueOf(i.reason()));
            }
            case ReferralEvent.CampaignChanged c -> {
                m.put("type", "campaign.changed");
                m.put("campaign", c.campaign());
                m.put("version", c.version());
                m.put("change", String.valueOf(c.change()));
            }
            case ReferralEvent.ReporterChanged r -> {
                m.put("type", "reporter.changed");
                m.put("campaign", r.campaign());
                m.put("reporter", r.reporter().toHex());
                m.put("authorized", r.authorized());
            }
            default -> m.put("type", e.getClass().getSimpleName());
        }
        return m;
    }

    static Map<String, Object> subscription(Subscription s, boolean withSecret) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("campaign", s.campaign());
        m.put("eventTypes", List.copyOf(s.eventTypes()));
        m.put("url", s.url().toString());
        if (withSecret) {
            m.put("secret", s.secret());
        }
        m.put("created", s.createdMillis());
        return m;
    }

    static Map<String, Object> attempt(DeliveryAttempt a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", a.eventId());
        m.put("type", a.eventType());
        m.put("attempt", a.attempt());
        m.put("status", a.statusCode());
        m.put("error", a.error());
        m.put("at", a.timestampMillis());
        m.put("outcome", a.outcome().name());
        return m;
    }

    static Map<String, Object> pending(PendingDelivery p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", p.event().id());
        m.put("type", p.event().type());
        m.put("attempts", p.attempts());
        m.put("next", p.nextAttemptMillis());
        m.put("dead", p.dead());
        m.put("lastError", p.lastError());
        return m;
    }

    static String hex(Bytes b) {
        return b.toHex();
    }
}
