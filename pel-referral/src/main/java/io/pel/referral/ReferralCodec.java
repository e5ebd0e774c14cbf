package io.pel.referral;

import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.Hash;
import io.pel.ledger.codec.CanonicalReader;
import io.pel.ledger.codec.CanonicalWriter;
import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import io.pel.referral.CampaignRules.FraudPolicy;
import io.pel.referral.CampaignRules.Reward;
import io.pel.referral.CampaignRules.Tier;
import io.pel.referral.CampaignRules.Trigger;
import io.pel.referral.ReferralCall.*;
import io.pel.referral.ReferralState.Campaign;
import io.pel.referral.ReferralState.CodeOwner;
import io.pel.referral.ReferralState.EventKind;
import io.pel.referral.ReferralState.EventRecord;
import io.pel.referral.ReferralState.Link;
import io.pel.referral.ReferralState.Participant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one canonical byte form of every referral call and stored value. Each value starts with a one-byte tag;
 * integers are big-endian, strings and byte strings carry a 32-bit length, lists a one-byte count, booleans and
 * optionals one byte that is 0 or 1, enums their stable code. Decoding rejects unknown tags, trailing bytes,
 * over-long fields, booleans other than 0/1, and every value a record's constructor refuses
 * ({@link EncodingError#INVALID_VALUE}) — so {@code encode(decode(b))} equals {@code b} for every accepted {@code b}.
 */
public final class ReferralCodec {

    static final int CREATE = 1, UPDATE = 2, PAUSE = 3, RESUME = 4, AUTHORIZE = 5, REVOKE = 6, BL_ADD = 7,
            BL_REMOVE = 8, JOIN = 9, CLICK = 10, SIGN_UP = 11, QUALIFY = 12, REFUND = 13, APPROVE = 14,
            REJECT = 15, CLAW_BACK = 16, RELEASE = 17, REDEEM = 18;
    private static final int[] CALL_TAGS = {CREATE, UPDATE, PAUSE, RESUME, AUTHORIZE, REVOKE, BL_ADD, BL_REMOVE,
            JOIN, CLICK, SIGN_UP, QUALIFY, REFUND, APPROVE, REJECT, CLAW_BACK, RELEASE, REDEEM};

    private ReferralCodec() {
    }

    // ---- calls ----

    public static Bytes encode(ReferralCall call) {
        CanonicalWriter w = new CanonicalWriter(128);
        switch (call) {
            case CreateCampaign c -> {
                w.writeByte(CREATE);
                writeSlug(w, c.campaign());
                writeRules(w, c.rules());
            }
            case UpdateCampaign c -> {
                w.writeByte(UPDATE);
                writeSlug(w, c.campaign());
                writeRules(w, c.rules());
            }
            case PauseCampaign c -> writeSlug(w.writeByte(PAUSE), c.campaign());
            case ResumeCampaign c -> writeSlug(w.writeByte(RESUME), c.campaign());
            case AuthorizeReporter c -> writeAccount(writeSlug(w.writeByte(AUTHORIZE), c.campaign()), c.reporter());
            case RevokeReporter c -> writeAccount(writeSlug(w.writeByte(REVOKE), c.campaign()), c.reporter());
            case BlocklistAdd c -> writePattern(w.writeByte(BL_ADD), c.pattern());
            case BlocklistRemove c -> writePattern(w.writeByte(BL_REMOVE), c.pattern());
            case Join c -> writeSlug(writeSlug(w.writeByte(JOIN), c.campaign()), c.channel());
            case Click c -> {
                writeSlug(w.writeByte(CLICK), c.campaign());
                w.writeString(c.code(), ReferralCode.LONG_LENGTH);
                writeSlug(w, c.channel());
                w.writeString(c.eventId(), Names.MAX_EVENT_ID);
            }
            case SignUp c -> {
                writeSlug(w.writeByte(SIGN_UP), c.campaign());
                w.writeString(c.code(), ReferralCode.LONG_LENGTH);
                writeSlug(w, c.channel());
                writeAccount(w, c.referee());
                w.writeFixed(c.fingerprint().toByteArray(), Hash.LENGTH);
                w.writeFixed(c.emailHash().toByteArray(), Hash.LENGTH);
                w.writeString(c.emailDomain(), Names.MAX_DOMAIN);
                w.writeString(c.eventId(), Names.MAX_EVENT_ID);
            }
            case Qualify c -> {
                writeSlug(w.writeByte(QUALIFY), c.campaign());
                writeAccount(w, c.referee());
                writeSlug(w, c.event());
                w.writeLong(c.amount());
                w.writeString(c.eventId(), Names.MAX_EVENT_ID);
            }
            case Refund c -> writeSlug(w.writeByte(REFUND), c.campaign()).writeString(c.eventId(), Names.MAX_EVENT_ID);
            case Approve c -> writeRewardId(w.writeByte(APPROVE), c.reward()).writeString(c.note(), Names.MAX_NOTE);
            case Reject c -> writeRewardId(w.writeByte(REJECT), c.reward()).writeString(c.note(), Names.MAX_NOTE);
            case ClawBack c -> writeRewardId(w.writeByte(CLAW_BACK), c.reward()).writeString(c.note(), Names.MAX_NOTE);
            case Release c -> {
                w.writeByte(RELEASE).writeByte(c.rewards().size());
                c.rewards().forEach(id -> writeRewardId(w, id));
            }
            case Redeem c -> writeSlug(w.writeByte(REDEEM), c.campaign()).writeLong(c.points())
                    .writeString(c.perk(), Names.MAX_PERK);
        }
        return Bytes.of(w.toByteArray());
    }

    public static ReferralCall decode(Bytes body) throws EncodingException {
        return decodeWith(body, ReferralCodec::readCall);
    }

    private static ReferralCall readCall(CanonicalReader in) throws EncodingException {
        int tag = in.readTag("call", CALL_TAGS);
        return switch (tag) {
            case CREATE -> new CreateCampaign(readSlug(in, "campaign"), readRules(in));
            case UPDATE -> new UpdateCampaign(readSlug(in, "campaign"), readRules(in));
            case PAUSE -> new PauseCampaign(readSlug(in, "campaign"));
            case RESUME -> new ResumeCampaign(readSlug(in, "campaign"));
            case AUTHORIZE -> new AuthorizeReporter(readSlug(in, "campaign"), readAccount(in, "reporter"));
            case REVOKE -> new RevokeReporter(readSlug(in, "campaign"), readAccount(in, "reporter"));
            case BL_ADD -> new BlocklistAdd(readPattern(in));
            case BL_REMOVE -> new BlocklistRemove(readPattern(in));
            case JOIN -> new Join(readSlug(in, "campaign"), readSlug(in, "channel"));
            case CLICK -> new Click(readSlug(in, "campaign"), in.readString(ReferralCode.LONG_LENGTH, "code"),
                    readSlug(in, "channel"), in.readString(Names.MAX_EVENT_ID, "event id"));
            case SIGN_UP -> new SignUp(readSlug(in, "campaign"), in.readString(ReferralCode.LONG_LENGTH, "code"),
                    readSlug(in, "channel"), readAccount(in, "referee"), readHash(in, "fingerprint"),
                    readHash(in, "email hash"), in.readString(Names.MAX_DOMAIN, "email domain"),
                    in.readString(Names.MAX_EVENT_ID, "event id"));
            case QUALIFY -> new Qualify(readSlug(in, "campaign"), readAccount(in, "referee"), readSlug(in, "event"),
                    in.readLong("amount"), in.readString(Names.MAX_EVENT_ID, "event id"));
            case REFUND -> new Refund(readSlug(in, "campaign"), in.readString(Names.MAX_EVENT_ID, "event id"));
            case APPROVE -> new Approve(readRewardId(in), in.readString(Names.MAX_NOTE, "note"));
            case REJECT -> new Reject(readRewardId(in), in.readString(Names.MAX_NOTE, "note"));
            case CLAW_BACK -> new ClawBack(readRewardId(in), in.readString(Names.MAX_NOTE, "note"));
            case RELEASE -> {
                int n = in.readByte("reward count");
                List<RewardId> ids = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    ids.add(readRewardId(in));
                }
                yield new Release(ids);
            }
            case REDEEM -> new Redeem(readSlug(in, "campaign"), in.readLong("points"),
                    in.readString(Names.MAX_PERK, "perk"));
            default -> throw new AssertionError(tag);
        };
    }

    // ---- campaign rules ----

    static void writeRules(CanonicalWriter w, CampaignRules r) {
        switch (r.trigger()) {
            case Trigger.SignUp s -> w.writeByte(1);
            case Trigger.Qualifying q -> {
                w.writeByte(2);
                writeSlug(w, q.event());
                w.writeLong(q.minAmount());
                writeBool(w, q.firstOnly());
            }
        }
        writeReward(w, r.referrerReward());
        writeReward(w, r.refereeReward());
        w.writeByte(r.tiers().size());
        for (Tier t : r.tiers()) {
            w.writeInt(t.referrals());
            writeReward(w, t.bonus());
            w.writeString(t.name(), Names.MAX_LABEL);
            w.writeString(t.badge(), Names.MAX_LABEL);
        }
        w.writeByte(r.shareBps().size());
        r.shareBps().forEach(w::writeInt);
        w.writeLong(r.budget()).writeLong(r.perReferrerCap()).writeLong(r.startMillis()).writeLong(r.endMillis())
                .writeLong(r.holdMillis());
        FraudPolicy f = r.fraud();
        w.writeInt(f.velocityLimit()).writeLong(f.velocityWindowMillis());
        writeBool(w, f.uniqueFingerprint());
        writeBool(w, f.blockDisposableEmail());
        writeBool(w, f.useBlocklist());
        writeBool(w, r.manualApproval());
        w.writeByte(r.partners().size());
        r.partners().forEach(p -> writeSlug(w, p));
    }

    static CampaignRules readRules(CanonicalReader in) throws EncodingException {
        int t = in.readTag("trigger", 1, 2);
        Trigger trigger;
        if (t == 1) {
            trigger = new Trigger.SignUp();
        } else {
            String event = readSlug(in, "event");
            long min = in.readLong("min amount");
            boolean first = readBool(in, "first only");
            trigger = valid(() -> new Trigger.Qualifying(event, min, first));
        }
        Reward referrer = readReward(in);
        Reward referee = readReward(in);
        int nTiers = in.readByte("tier count");
        List<Tier> tiers = new ArrayList<>();
        for (int i = 0; i < nTiers; i++) {
            int at = in.readInt("tier referrals");
            Reward bonus = readReward(in);
            String name = in.readString(Names.MAX_LABEL, "tier name");
            String badge = in.readString(Names.MAX_LABEL, "badge");
            tiers.add(valid(() -> new Tier(at, bonus, name, badge)));
        }
        int nShares = in.readByte("share count");
        List<Integer> shares = new ArrayList<>();
        for (int i = 0; i < nShares; i++) {
            shares.add(in.readInt("share"));
        }
        long budget = in.readLong("budget");
        long cap = in.readLong("cap");
        long start = in.readLong("start");
        long end = in.readLong("end");
        long hold = in.readLong("hold");
        int vel = in.readInt("velocity limit");
        long window = in.readLong("velocity window");
        boolean unique = readBool(in, "unique fingerprint");
        boolean disposable = readBool(in, "disposable");
        boolean blocklist = readBool(in, "blocklist");
        boolean manual = readBool(in, "manual approval");
        int nPartners = in.readByte("partner count");
        List<String> partners = new ArrayList<>();
        for (int i = 0; i < nPartners; i++) {
            partners.add(readSlug(in, "partner"));
        }
        return valid(() -> new CampaignRules(trigger, referrer, referee, tiers, shares, budget, cap, start, end, hold,
                new FraudPolicy(vel, window, unique, disposable, blocklist), manual, partners));
    }

    static void writeReward(CanonicalWriter w, Reward r) {
        w.writeByte(r.kind().code()).writeLong(r.amount()).writeString(r.perk(), Names.MAX_PERK);
    }

    static Reward readReward(CanonicalReader in) throws EncodingException {
        int kind = in.readTag("reward kind", 1, 2, 3);
        long amount = in.readLong("reward amount");
        String perk = in.readString(Names.MAX_PERK, "perk");
        return valid(() -> new Reward(RewardKind.ofCode(kind), amount, perk));
    }

    // ---- stored values ----

    public static Bytes encodeCampaign(Campaign c) {
        CanonicalWriter w = new CanonicalWriter(160).writeByte(1).writeInt(c.version());
        writeBool(w, c.paused());
        writeRules(w, c.rules());
        return Bytes.of(w.toByteArray());
    }

    public static Campaign decodeCampaign(Bytes b) throws EncodingException {
        return decodeWith(b, in -> {
            in.readTag("campaign", 1);
            int version = in.readInt("version");
            boolean paused = readBool(in, "paused");
            CampaignRules rules = readRules(in);
            return valid(() -> new Campaign(version, paused, rules));
        });
    }

    static Bytes encodeRules(CampaignRules r) {
        CanonicalWriter w = new CanonicalWriter(160).writeByte(1);
        writeRules(w, r);
        return Bytes.of(w.toByteArray());
    }

    public static CampaignRules decodeRulesValue(Bytes b) throws EncodingException {
        return decodeWith(b, in -> {
            in.readTag("rules", 1);
            return readRules(in);
        });
    }

    public static Bytes encodeParticipant(Participant p) {
        CanonicalWriter w = new CanonicalWriter(48).writeByte(1).writeString(p.code(), ReferralCode.LONG_LENGTH);
        writeSlug(w, p.channel()).writeLong(p.joinedAt());
        return Bytes.of(w.toByteArray());
    }

    public static Participant decodeParticipant(Bytes b) throws EncodingException {
        return decodeWith(b, in -> {
            in.readTag("participant", 1);
            String code = in.readString(ReferralCode.LONG_LENGTH, "code");
            String channel = readSlug(in, "channel");
            long at = in.readLong("joined at");
            return valid(() -> new Participant(code, channel, at));
        });
    }

    public static Bytes encodeCodeOwner(CodeOwner o) {
        CanonicalWriter w = new CanonicalWriter(80).writeByte(1);
        writeAccount(writeSlug(w, o.campaign()), o.owner());
        return Bytes.of(w.toByteArray());
    }

    public static CodeOwner decodeCodeOwner(Bytes b) throws EncodingException {
        return decodeWith(b, in -> {
            in.readTag("code owner", 1);
            String campaign = readSlug(in, "campaign");
            AccountId owner = readAccount(in, "owner");
            return new CodeOwner(campaign, owner);
        });
    }

    public static Bytes encodeLink(Link l) {
        CanonicalWriter w = new CanonicalWriter(96).writeByte(1);
        writeAccount(w, l.referrer());
        writeSlug(w, l.codeCampaign());
        writeSlug(w, l.channel());
        w.writeLong(l.signedUpAt());
        writeFlag(w, l.flag());
        return Bytes.of(w.toByteArray());
    }

    public static Link decodeLink(Bytes b) throws EncodingException {
        return decodeWith(b, in -> {
            in.readTag("link", 1);
            AccountId referrer = readAccount(in, "referrer");
            String codeCampaign = readSlug(in, "code campaign");
            String channel = readSlug(in, "channel");
            long at = in.readLong("signed up at");
            Optional<Flag> flag = readFlag(in);
            return valid(() -> new Link(referrer, codeCampaign, channel, at, flag));
        });
    }

    public static Bytes encodeEvent(EventRecord e) {
        CanonicalWriter w = new CanonicalWriter(64).writeByte(1).writeByte(e.kind().code());
        writeBool(w, e.referee().isPresent());
        e.referee().ifPresent(r -> writeAccount(w, r));
        w.writeByte(e.rewards().size());
        e.rewards().forEach(id -> writeRewardId(w, id));
        writeBool(w, e.refunded());
        return Bytes.of(w.toByteArray());
    }

    public static EventRecord decodeEvent(Bytes b) throws EncodingException {
        return decodeWith(b, in -> {
            in.readTag("event record", 1);
            EventKind kind = EventKind.ofCode(in.readTag("event kind", 1, 2, 3));
            Optional<AccountId> referee = readBool(in, "has referee") ? Optional.of(readAccount(in, "referee"))
                    : Optional.empty();
            int n = in.readByte("reward count");
            List<RewardId> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(readRewardId(in));
            }
            boolean refunded = readBool(in, "refunded");
            return valid(() -> new EventRecord(kind, referee, ids, refunded));
        });
    }

    public static Bytes encodeReward(RewardRecord r) {
        CanonicalWriter w = new CanonicalWriter(200).writeByte(1);
        writeRewardId(w, r.id());
        writeSlug(w, r.campaign());
        w.writeInt(r.rulesVersion());
        writeAccount(w, r.to());
        w.writeByte(r.source().code()).writeByte(r.level());
        writeReward(w, r.reward());
        writeAccount(w, r.referee());
        w.writeString(r.eventId(), Names.MAX_EVENT_ID);
        w.writeByte(r.status().code()).writeLong(r.grantedAt()).writeLong(r.holdUntil());
        writeFlag(w, r.flag());
        w.writeString(r.note(), Names.MAX_NOTE);
        return Bytes.of(w.toByteArray());
    }

    public static RewardRecord decodeReward(Bytes b) throws EncodingException {
        return decodeWith(b, in -> {
            in.readTag("reward record", 1);
            RewardId id = readRewardId(in);
            String campaign = readSlug(in, "campaign");
            int version = in.readInt("rules version");
            AccountId to = readAccount(in, "to");
            RewardSource source = RewardSource.ofCode(in.readTag("source", 1, 2, 3, 4));
            int level = in.readByte("level");
            Reward reward = readReward(in);
            AccountId referee = readAccount(in, "referee");
            String eventId = in.readString(Names.MAX_EVENT_ID, "event id");
            RewardStatus status = RewardStatus.ofCode(in.readTag("status", 1, 2, 3, 4, 5, 6, 7));
            long granted = in.readLong("granted at");
            long hold = in.readLong("hold until");
            Optional<Flag> flag = readFlag(in);
            String note = in.readString(Names.MAX_NOTE, "note");
            return valid(() -> new RewardRecord(id, campaign, version, to, source, level, reward, referee, eventId,
                    status, granted, hold, flag, note));
        });
    }

    public static Bytes encodeBlocklist(Blocklist b) {
        CanonicalWriter w = new CanonicalWriter(64).writeByte(1).writeInt(b.patterns().size());
        b.patterns().forEach(p -> writePattern(w, p));
        return Bytes.of(w.toByteArray());
    }

    public static Blocklist decodeBlocklist(Bytes b) throws EncodingException {
        return decodeWith(b, in -> {
            in.readTag("blocklist", 1);
            int n = in.readInt("pattern count");
            if (n < 0 || n > Blocklist.MAX_PATTERNS) {
                throw new EncodingException(EncodingError.TOO_LONG, "blocklist: " + n + " patterns");
            }
            List<Blocklist.Pattern> ps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ps.add(readPattern(in));
            }
            return valid(() -> new Blocklist(ps));
        });
    }

    // ---- shared pieces ----

    @FunctionalInterface
    interface Build<T> {
        T build();
    }

    /** Runs a record constructor; its refusal becomes {@link EncodingError#INVALID_VALUE}. */
    static <T> T valid(Build<T> build) throws EncodingException {
        try {
            return build.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new EncodingException(EncodingError.INVALID_VALUE, e.getMessage() == null ? "invalid value"
                    : e.getMessage());
        }
    }

    static <T> T decodeWith(Bytes b, CanonicalReader.Read<T> read) throws EncodingException {
        return CanonicalReader.decode(b.toByteArray(), in -> {
            try {
                return read.read(in);
            } catch (IllegalArgumentException e) {
                throw new EncodingException(EncodingError.INVALID_VALUE, String.valueOf(e.getMessage()));
            }
        });
    }

    static CanonicalWriter writeSlug(CanonicalWriter w, String s) {
        return w.writeString(s, Names.MAX_CAMPAIGN_ID);
    }

    static String readSlug(CanonicalReader in, String field) throws EncodingException {
        String s = in.readString(Names.MAX_CAMPAIGN_ID, field);
        return valid(() -> Names.slug(s, Names.MAX_CAMPAIGN_ID, field));
    }

    static CanonicalWriter writeAccount(CanonicalWriter w, AccountId a) {
        return w.writeFixed(a.toByteArray(), AccountId.LENGTH);
    }

    static AccountId readAccount(CanonicalReader in, String field) throws EncodingException {
        return AccountId.of(in.readFixed(AccountId.LENGTH, field));
    }

    static Hash readHash(CanonicalReader in, String field) throws EncodingException {
        return Hash.of(in.readFixed(Hash.LENGTH, field));
    }

    static CanonicalWriter writeRewardId(CanonicalWriter w, RewardId id) {
        return w.writeFixed(id.value().toByteArray(), RewardId.LENGTH);
    }

    static RewardId readRewardId(CanonicalReader in) throws EncodingException {
        return new RewardId(Bytes.of(in.readFixed(RewardId.LENGTH, "reward id")));
    }

    static void writeBool(CanonicalWriter w, boolean b) {
        w.writeByte(b ? 1 : 0);
    }

    static boolean readBool(CanonicalReader in, String field) throws EncodingException {
        return in.readTag(field, 0, 1) == 1;
    }

    static void writeFlag(CanonicalWriter w, Optional<Flag> flag) {
        w.writeByte(flag.map(Flag::code).orElse(0));
    }

    static Optional<Flag> readFlag(CanonicalReader in) throws EncodingException {
        int code = in.readTag("flag", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        return code == 0 ? Optional.empty() : Optional.of(Flag.ofCode(code));
    }

    static CanonicalWriter writePattern(CanonicalWriter w, Blocklist.Pattern p) {
        return w.writeByte(p.kind().code()).writeString(p.pattern(), Names.MAX_PATTERN);
    }

    static Blocklist.Pattern readPattern(CanonicalReader in) throws EncodingException {
        int kind = in.readTag("pattern kind", 1, 2, 3);
        String pattern = in.readString(Names.MAX_PATTERN, "pattern");
        return valid(() -> new Blocklist.Pattern(Blocklist.Kind.ofCode(kind), pattern));
    }
}
