package io.pel.referral;

import io.pel.ledger.AccountId;
import io.pel.ledger.Bytes;
import io.pel.ledger.codec.CanonicalReader;
import io.pel.ledger.codec.CanonicalWriter;
import io.pel.ledger.codec.EncodingError;
import io.pel.ledger.codec.EncodingException;
import io.pel.referral.ReferralEvent.*;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical byte form of a call's events: a one-byte count, then each event as a one-byte tag and its fields
 * (see {@link ReferralCodec} for the field forms). One byte form per list; decoding rejects unknown tags and codes,
 * trailing bytes and over-long fields.
 */
public final class ReferralEvents {

    public static final int MAX_EVENTS = 64;

    private ReferralEvents() {
    }

    public static Bytes encode(List<ReferralEvent> events) {
        if (events.size() > MAX_EVENTS) {
            throw new IllegalArgumentException("at most " + MAX_EVENTS + " events per call");
        }
        CanonicalWriter w = new CanonicalWriter(64 + 96 * events.size()).writeByte(events.size());
        for (ReferralEvent e : events) {
            write(w, e);
        }
        return Bytes.of(w.toByteArray());
    }

    public static List<ReferralEvent> decode(Bytes output) throws EncodingException {
        return ReferralCodec.decodeWith(output, in -> {
            int n = in.readByte("event count");
            if (n > MAX_EVENTS) {
                throw new EncodingException(EncodingError.TOO_LONG, n + " events, more than " + MAX_EVENTS);
            }
            List<ReferralEvent> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                events.add(read(in));
            }
            return List.copyOf(events);
        });
    }

    private static void write(CanonicalWriter w, ReferralEvent event) {
        switch (event) {
            case CampaignChanged e -> ReferralCodec.writeSlug(w.writeByte(1), e.campaign()).writeInt(e.version())
                    .writeByte(e.change().code);
            case ReporterChanged e -> {
                ReferralCodec.writeAccount(ReferralCodec.writeSlug(w.writeByte(2), e.campaign()), e.reporter());
                ReferralCodec.writeBool(w, e.authorized());
            }
            case BlocklistChanged e -> {
                ReferralCodec.writePattern(w.writeByte(3), e.pattern());
                ReferralCodec.writeBool(w, e.added());
            }
            case Joined e -> {
                ReferralCodec.writeAccount(ReferralCodec.writeSlug(w.writeByte(4), e.campaign()), e.participant());
                w.writeString(e.code(), ReferralCode.LONG_LENGTH);
                ReferralCodec.writeSlug(w, e.channel());
            }
            case Clicked e -> {
                ReferralCodec.writeSlug(w.writeByte(5), e.campaign()).writeString(e.code(), ReferralCode.LONG_LENGTH);
                ReferralCodec.writeAccount(w, e.referrer());
                ReferralCodec.writeSlug(w, e.channel());
            }
            case SignedUp e -> {
                ReferralCodec.writeSlug(w.writeByte(6), e.campaign());
                ReferralCodec.writeAccount(w, e.referrer());
                ReferralCodec.writeAccount(w, e.referee());
                ReferralCodec.writeSlug(w, e.channel());
                ReferralCodec.writeFlag(w, e.flag());
            }
            case SignUpBlocked e -> {
                ReferralCodec.writeSlug(w.writeByte(7), e.campaign());
                ReferralCodec.writeAccount(w, e.referrer());
                ReferralCodec.writeAccount(w, e.referee());
                ReferralCodec.writeSlug(w, e.channel());
                w.writeByte(e.reason().code());
            }
            case Converted e -> {
                ReferralCodec.writeSlug(w.writeByte(8), e.campaign());
                ReferralCodec.writeAccount(w, e.referrer());
                ReferralCodec.writeAccount(w, e.referee());
                w.writeLong(e.amount());
            }
            case EventIgnored e -> {
                ReferralCodec.writeSlug(w.writeByte(9), e.campaign());
                ReferralCodec.writeAccount(w, e.referee());
                w.writeByte(e.reason().code);
            }
            case RewardGranted e -> {
                ReferralCodec.writeRewardId(w.writeByte(10), e.reward());
                ReferralCodec.writeSlug(w, e.campaign());
                ReferralCodec.writeAccount(w, e.to());
                ReferralCodec.writeAccount(w, e.referee());
                w.writeByte(e.source().code()).writeByte(e.level());
                ReferralCodec.writeReward(w, e.value());
                w.writeByte(e.status().code()).writeLong(e.holdUntil());
                ReferralCodec.writeFlag(w, e.flag());
            }
            case MilestoneReached e -> {
                ReferralCodec.writeSlug(w.writeByte(11), e.campaign());
                ReferralCodec.writeAccount(w, e.referrer());
                w.writeByte(e.tier()).writeString(e.name(), Names.MAX_LABEL).writeString(e.badge(), Names.MAX_LABEL);
            }
            case BudgetExhausted e -> ReferralCodec.writeRewardId(
                    ReferralCodec.writeSlug(w.writeByte(12), e.campaign()), e.reward());
            case RewardChanged e -> {
                ReferralCodec.writeRewardId(w.writeByte(13), e.reward());
                ReferralCodec.writeSlug(w, e.campaign());
                ReferralCodec.writeAccount(w, e.to());
                ReferralCodec.writeReward(w, e.value());
                w.writeByte(e.from().code()).writeByte(e.status().code()).writeByte(e.change().code);
            }
            case Redeemed e -> {
                ReferralCodec.writeSlug(w.writeByte(14), e.campaign());
                ReferralCodec.writeAccount(w, e.participant());
                w.writeLong(e.points()).writeString(e.perk(), Names.MAX_PERK);
            }
        }
    }

    private static ReferralEvent read(CanonicalReader in) throws EncodingException {
        int tag = in.readTag("event", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        return switch (tag) {
            case 1 -> new CampaignChanged(slug(in), in.readInt("version"),
                    CampaignChange.values()[in.readTag("change", 1, 2, 3, 4) - 1]);
            case 2 -> new ReporterChanged(slug(in), account(in), ReferralCodec.readBool(in, "authorized"));
            case 3 -> new BlocklistChanged(ReferralCodec.readPattern(in), ReferralCodec.readBool(in, "added"));
            case 4 -> new Joined(slug(in), account(in), code(in), ReferralCodec.readSlug(in, "channel"));
            case 5 -> new Clicked(slug(in), code(in), account(in), ReferralCodec.readSlug(in, "channel"));
            case 6 -> new SignedUp(slug(in), account(in), account(in), ReferralCodec.readSlug(in, "channel"),
                    ReferralCodec.readFlag(in));
            case 7 -> new SignUpBlocked(slug(in), account(in), account(in), ReferralCodec.readSlug(in, "channel"),
                    Flag.ofCode(in.readTag("reason", 1, 2, 3, 4, 5, 6, 7, 8, 9)));
            case 8 -> new Converted(slug(in), account(in), account(in), in.readLong("amount"));
            case 9 -> new EventIgnored(slug(in), account(in),
                    IgnoredReason.values()[in.readTag("reason", 1, 2, 3, 4) - 1]);
            case 10 -> new RewardGranted(ReferralCodec.readRewardId(in), slug(in), account(in), account(in),
                    RewardSource.ofCode(in.readTag("source", 1, 2, 3, 4)), in.readByte("level"),
                    ReferralCodec.readReward(in), status(in), in.readLong("hold until"), ReferralCodec.readFlag(in));
            case 11 -> new MilestoneReached(slug(in), account(in), in.readByte("tier"),
                    in.readString(Names.MAX_LABEL, "tier name"), in.readString(Names.MAX_LABEL, "badge"));
            case 12 -> new BudgetExhausted(slug(in), ReferralCodec.readRewardId(in));
            case 13 -> new RewardChanged(ReferralCodec.readRewardId(in), slug(in), account(in),
                    ReferralCodec.readReward(in), status(in), status(in),
                    RewardChange.values()[in.readTag("change", 1, 2, 3, 4) - 1]);
            case 14 -> new Redeemed(slug(in), account(in), in.readLong("points"), in.readString(Names.MAX_PERK, "perk"));
            default -> throw new AssertionError(tag);
        };
    }

    private static String slug(CanonicalReader in) throws EncodingException {
        return ReferralCodec.readSlug(in, "campaign");
    }

    private static AccountId account(CanonicalReader in) throws EncodingException {
        return ReferralCodec.readAccount(in, "account");
    }

    private static String code(CanonicalReader in) throws EncodingException {
        String c = in.readString(ReferralCode.LONG_LENGTH, "code");
        return ReferralCodec.valid(() -> ReferralCode.check(c));
    }

    private static RewardStatus status(CanonicalReader in) throws EncodingException {
        return RewardStatus.ofCode(in.readTag("status", 1, 2, 3, 4, 5, 6, 7));
    }
}
